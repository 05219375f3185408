import Foundation
import RailKit
import RailKitSupport
import RailKitTesting
@testable import SwitchyardRouter
import Testing

/// The kit must catch broken adapters, or passing it means nothing.
@Suite("Conformance kit catches broken adapters")
struct ConformanceKitTests {
    @Test("costs that do not add up, a thrown decline, and ignored limits are all reported")
    func catchesViolations() async throws {
        let scenarios = [
            ConformanceScenario("pays", intent: Fixture.intent("1000.00"), expect: .quote),
        ]
        await #expect {
            try await RailConformance(adapter: TestRail("liar", .brokenCosts), market: Fixture.market, now: Fixture.now, scenarios: scenarios).run()
        } throws: { error in
            let failure = try #require(error as? ConformanceFailure)
            return failure.violations.contains { $0.contains("costs sum to") }
        }
        await #expect {
            try await RailConformance(adapter: TestRail("thrower", .fail), market: Fixture.market, now: Fixture.now, scenarios: scenarios).run()
        } throws: { error in
            (error as? ConformanceFailure)?.violations.contains { $0.contains("must decline as data") } == true
        }
        // A rail declaring a 5,000 USD minimum that quotes 1,000 USD anyway.
        await #expect {
            try await RailConformance(adapter: TestRail("no-limits", .quote(fee: "1.00", p50Seconds: 1, p95Seconds: 1), minimum: "5000.00", honoursCapabilities: false),
                                      market: Fixture.market, now: Fixture.now, scenarios: scenarios).run()
        } throws: { error in
            (error as? ConformanceFailure)?.violations.contains { $0.contains("below the declared minimum") } == true
        }
    }

    @Test("a well-behaved double passes")
    func passes() async throws {
        let report = try await RailConformance(adapter: TestRail("good", .quote(fee: "1.00", p50Seconds: 1, p95Seconds: 1)), market: Fixture.market,
                                               now: Fixture.now, scenarios: [ConformanceScenario("pays", intent: Fixture.intent("1000.00"), expect: .quote)]).run()
        #expect(report.quotes == 2)  // the scenario and its fixed-receive twin
    }

    @Test("an executing double that keeps every rule passes with its counterpart observed")
    func executingDoublePasses() async throws {
        let double = ExecutingDouble(.none)
        try await RailConformance(adapter: double, market: Fixture.market, now: Fixture.now,
                                  scenarios: [ConformanceScenario("pays", intent: Fixture.intent("1000.00"), expect: .quote)],
                                  execution: ExecutionCheck(polls: 2, counterpart: double.counterpart.observer)).run()
        #expect(await double.counterpart.submissions.count == 2, "the payment and its fixed-receive twin, once each")
    }

    @Test("each broken executing double fails the kit with the rule it breaks", arguments: ExecutingDouble.Fault.broken)
    func brokenDoublesFail(fault: ExecutingDouble.Fault) async throws {
        let double = ExecutingDouble(fault)
        await #expect {
            try await RailConformance(adapter: double, market: Fixture.market, now: Fixture.now,
                                      scenarios: [ConformanceScenario("pays", intent: Fixture.intent("1000.00"), expect: .quote)],
                                      execution: ExecutionCheck(polls: 2, counterpart: double.counterpart.observer)).run()
        } throws: { error in
            let violations = (error as? ConformanceFailure)?.violations ?? []
            let reported = violations.contains { $0.contains(fault.rule) }
            if !reported { Issue.record("\(fault): expected a violation containing \"\(fault.rule)\", got \(violations)") }
            return reported
        }
    }
}

/// A rail double that executes against an in-memory counterpart (a ``SubmissionLog``: what
/// "reached" it, when), well-behaved or broken in one way each.
final class ExecutingDouble: RailAdapter, @unchecked Sendable {
    enum Fault: String, Sendable, CaseIterable, CustomStringConvertible {
        case none
        /// Sends, then records its checkpoint.
        case sendBeforeJournal
        /// Resumed from its checkpoint (as after a restart), sends a new submission.
        case doubleSendOnRepeat
        /// Sends, then throws a decline (nothing moved, it claims): a price that lapsed.
        case sendThenThrowOnExpiry
        /// Settles, crediting less than the quote promised.
        case wrongAmountDelivered
        /// Never reports a final state.
        case statusNeverFinal

        static let broken = allCases.filter { $0 != .none }
        var description: String { rawValue }

        /// The words of the kit's violation for this fault.
        var rule: String {
            switch self {
            case .none: ""
            case .sendBeforeJournal: "reached the counterpart before a checkpoint naming it was committed"
            case .doubleSendOnRepeat: "resumed from its checkpoint, the rail sent new submission"
            case .sendThenThrowOnExpiry: "declined (nothing moved) after 1 submission(s) reached the counterpart"
            case .wrongAmountDelivered: "credited 7119.99 CNH, the quote promised 7120.00 CNH"
            case .statusNeverFinal: "expected conformance settled within 2 polls, got in_flight"
            }
        }
    }

    struct Checkpoint: RailCheckpointPayload {
        static let railType = "executing-double"
        static let schemaVersion = 1
        var message: String
        var amount: Money
    }

    let descriptor: RailDescriptor
    let fault: Fault
    let counterpart = SubmissionLog()
    private let quoting: TestRail

    init(_ fault: Fault) {
        self.fault = fault
        quoting = TestRail("executing-double", .quote(fee: "1.00", p50Seconds: 60, p95Seconds: 60))
        descriptor = RailDescriptor(id: "executing-double", displayName: "executing double", capabilities: RailCapabilities(
            kind: .correspondentBanking, corridors: [Corridor(source: .usd, destination: .cnh)], operatingHours: .continuous,
            supportsFixedReceive: true, quoteOnlyReason: nil, quoteValiditySeconds: 60))
    }

    func quote(_ request: QuoteRequest) async throws -> QuoteOutcome {
        guard case .quoted(var quote) = try await quoting.quote(request) else { return try await quoting.quote(request) }
        quote.railID = descriptor.id
        return .quoted(quote)
    }

    func execute(_ request: ExecutionRequest, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        if let recorded = request.resumeFrom {
            if fault == .doubleSendOnRepeat { await counterpart.record("message-\(UUID().uuidString)") }
            return ExecutionReceipt(submission: recorded, status: try await status(of: recorded, at: request.now))
        }
        let message = "message-\(request.paymentID)-\(UUID().uuidString)"
        let submission = RailSubmission(reference: RailReference(kind: "message", value: message),
                                        checkpoint: try RailCheckpoint(Checkpoint(message: message, amount: request.quote.creditorReceives)))
        if fault == .sendBeforeJournal {
            await counterpart.record(message)
            try await recorder.record(.prepared(submission))
        } else {
            try await recorder.record(.prepared(submission))
            await counterpart.record(message)
        }
        if fault == .sendThenThrowOnExpiry {
            throw RailError.declined(RailDecline(.fxQuoteExpired, "the firm price lapsed"))
        }
        try await recorder.record(.submitted(submission.reference))
        return ExecutionReceipt(submission: submission, status: RailPaymentStatus(reference: submission.reference, state: .submitted, observedAt: request.now))
    }

    func status(of submission: RailSubmission, at now: Date) async throws -> RailPaymentStatus {
        let checkpoint = try submission.checkpoint.decode(Checkpoint.self)
        if fault == .statusNeverFinal { return RailPaymentStatus(reference: submission.reference, state: .inFlight, observedAt: now) }
        var credited = checkpoint.amount
        if fault == .wrongAmountDelivered { credited = try credited.subtracting(Money(minorUnits: 1, asset: credited.asset)) }
        return RailPaymentStatus(reference: submission.reference, state: .settled, observedAt: now, credited: credited)
    }
}
