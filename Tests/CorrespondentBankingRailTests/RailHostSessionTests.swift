import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import RailHost
import RailKit
import RailKitSupport
import RailKitTesting
import RemoteRail
import RemoteRailProtocol
import RemoteRailTesting
import SandboxHTTP
import Testing

/// A rail double that logs what its counterpart would see: how often `execute` ran, what it sent,
/// how often it was stopped at its checkpoint; and, as a notification receiver, the header names it was given.
struct LoggingRail: RailNotificationReceiver {
    actor Log {
        var executions = 0, stops = 0
        var sent = [String]()
        var headerNames = [String]()
        func executed() { executions += 1 }
        func stopped() { stops += 1 }
        func send(_ reference: String) { sent.append(reference) }
        func headers(_ names: [String]) { headerNames = names }
    }

    struct Checkpoint: RailCheckpointPayload {
        static let railType = "logging"
        static let schemaVersion = 1
        var transfer: String
    }

    let descriptor = RailDescriptor(id: "logging", displayName: "logging double", capabilities: RailCapabilities(
        kind: .correspondentBanking, corridors: [Corridor(source: .usd, destination: .usd)], operatingHours: .continuous,
        supportsFixedReceive: false, quoteOnlyReason: nil, quoteValiditySeconds: 60))
    let log = Log()

    func quote(_ request: QuoteRequest) async throws -> QuoteOutcome { .declined(RailDecline(.railUnavailable, "not quoting")) }

    func execute(_ request: ExecutionRequest, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        await log.executed()
        if let resumed = request.resumeFrom {
            return ExecutionReceipt(submission: resumed, status: try await status(of: resumed, at: request.now))
        }
        let transfer = "t-\(request.paymentID)"
        let submission = RailSubmission(reference: RailReference(kind: "transfer", value: transfer), checkpoint: try RailCheckpoint(Checkpoint(transfer: transfer)))
        do { try await recorder.record(.prepared(submission)) } catch {
            await log.stopped()
            throw error
        }
        await log.send(transfer)
        try await recorder.record(.submitted(submission.reference))
        return ExecutionReceipt(submission: submission, status: try await status(of: submission, at: request.now))
    }

    func status(of submission: RailSubmission, at now: Date) async throws -> RailPaymentStatus {
        RailPaymentStatus(reference: submission.reference, state: .settled, observedAt: now)
    }

    func acceptNotification(body: Data, headers: [String: String], at now: Date) async throws -> RailPaymentStatus {
        await log.headers(headers.keys.sorted())
        return RailPaymentStatus(reference: RailReference(kind: "transfer", value: "t-1"), state: .settled, observedAt: now)
    }
}

@Suite("RailHost holds an adapter at its checkpoint until the router commits it")
struct RailHostSessionTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func serve(_ rail: LoggingRail, holdSeconds: Int = 60) async throws -> LoopbackServer {
        let host = RailHost(adapter: rail, token: "t", holdSeconds: holdSeconds, logger: quiet)
        return try await LoopbackServer.start { try await host.run(port: 0, onListening: $0) }
    }

    /// One step over the wire, as the router's remote adapter would send it.
    static func step(_ url: URL, paymentID: String, resumeFrom: RailSubmission?) async throws -> RemoteRailProtocol.StepAnswer {
        let (intent, quote) = try Self.payment()
        var request = URLRequest(url: url.appendingPathComponent("v1/execute"))
        request.httpMethod = "POST"
        request.setValue("Bearer t", forHTTPHeaderField: "Authorization")
        request.httpBody = try RailCoding.encoder().encode(ExecutionRequest(paymentID: paymentID, intent: intent, quote: quote, now: Date(timeIntervalSince1970: 1_800_000_000), resumeFrom: resumeFrom))
        let (data, _) = try await URLSession.shared.data(for: request)
        return try RailCoding.decoder().decode(RemoteRailProtocol.StepAnswer.self, from: data)
    }

    static func payment() throws -> (PaymentIntent, Quote) {
        let intent = Fixture.intent()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let money = intent.amount.money
        let breakdown = try PaymentPricing(source: .usd, destination: .usd, applied: .identity(.usd), mid: .identity(.usd), midSource: "test",
                                           billed: [], deductedBeforeConversion: [], deductedAfterConversion: []).price(money, fixed: .send)
        let quote = Quote(id: QuoteID("q-logging"), railID: "logging", firmness: .firm, createdAt: now, expiresAt: now.addingTimeInterval(60),
                          breakdown: breakdown, eta: SettlementEstimate(earliest: now, p50: now, p95: now), assumptions: [])
        return (intent, quote)
    }

    @Test("through the remote adapter the adapter runs once per payment: held at its checkpoint, released by the router's commit, then it sends")
    func runsOncePerPayment() async throws {
        let rail = LoggingRail()
        let server = try await Self.serve(rail)
        defer { server.stop() }
        let remote = try await RemoteRailTesting.configure("logging", url: server.url, token: "t")
        let (intent, quote) = try Self.payment()
        let journal = CollectingRecorder()
        let receipt = try await remote.execute(ExecutionRequest(paymentID: "p1", intent: intent, quote: quote, now: quote.createdAt), recorder: journal)
        #expect(receipt.status.state == .settled)
        let (executions, stops, sent) = (await rail.log.executions, await rail.log.stops, await rail.log.sent)
        #expect(executions == 1 && stops == 0, "the held adapter went on; it was not run again from the checkpoint")
        #expect(sent == ["t-p1"])
        let events = await journal.events
        #expect(events.first == .prepared(receipt.submission) && events.contains(.submitted(receipt.reference)))
    }

    @Test("a checkpoint the router did not commit is never passed: a step that resumes from elsewhere stops the held adapter, and so does the hold time; nothing was sent")
    func uncommittedCheckpointsStop() async throws {
        let rail = LoggingRail()
        let server = try await Self.serve(rail, holdSeconds: 1)
        defer { server.stop() }
        guard case .checkpoint(let first, _) = try await Self.step(server.url, paymentID: "p2", resumeFrom: nil) else { Issue.record("no checkpoint"); return }
        // The router asks again from the start (it never got that answer): the held run is stopped, a new one held.
        guard case .checkpoint(let second, _) = try await Self.step(server.url, paymentID: "p2", resumeFrom: nil) else { Issue.record("no checkpoint"); return }
        #expect(second.reference == first.reference)
        try await Task.sleep(for: .milliseconds(200))
        #expect(await rail.log.stops == 1)
        #expect(await rail.log.sent.isEmpty)
        // Nobody comes back for the second: the hold time stops it too.
        try await Task.sleep(for: .seconds(2))
        #expect(await rail.log.stops == 2)
        #expect(await rail.log.sent.isEmpty)
        // The router resumes from its committed checkpoint later: the adapter's own recovery path, nothing resent.
        guard case .finished(_, let receipt) = try await Self.step(server.url, paymentID: "p2", resumeFrom: second) else { Issue.record("not finished"); return }
        #expect(receipt.submission == second)
        #expect(await rail.log.sent.isEmpty)
    }

    @Test("a pushed notification reaches the rail's process without the router's credentials")
    func notificationHeadersWithheld() async throws {
        let rail = LoggingRail()
        let server = try await Self.serve(rail)
        defer { server.stop() }
        let remote = try await RemoteRailTesting.configure("logging", url: server.url, token: "t")
        _ = try await remote.acceptNotification(body: Data("{}".utf8), headers: [
            "authorization": "Bearer router-key", "cookie": "session=1", "x-api-key": "k", "switchyard-signature": "t=1,v1=ab",
        ], at: Date())
        #expect(await rail.log.headerNames == ["switchyard-signature"])
    }
}
