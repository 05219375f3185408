import Foundation
import RailKit
import SwitchyardExecutor
import RailKitSupport

/// The conformance suite every rail adapter's tests run in one call:
///
/// ```swift
/// let report = try await RailConformance(adapter: rail, market: market, now: now, scenarios: scenarios).run()
/// ```
///
/// It checks capabilities (well-formed, limits coherent), every scenario's outcome, each quote's
/// arithmetic (amounts in the right assets, costs summing exactly, value conserved against mid,
/// fixed side honoured, expiry in the future, ETA ordered), that declines are data, that limits
/// and corridors are respected (it derives below-minimum, above-maximum, unsupported-corridor
/// and fixed-receive scenarios from the capabilities), determinism, and that a rail which cannot
/// execute says so consistently. For a rail that executes, it executes the first quoted scenario
/// (and, where the rail supports it, the same payment fixed on the receive side) against the
/// rail's real counterpart through the payment executor, and checks the journal (checkpoint
/// first), idempotency by payment id (repeated and concurrent), resumption from the checkpoint,
/// refusal of an expired or foreign quote, status through to settlement and the amount credited;
/// with an ``ExecutionCheck/counterpart`` observer it compares all of it with what the
/// counterpart actually received (see ``ExecutionCheck``).
/// All violations are collected and thrown together.
public struct RailConformance: Sendable {
    public var adapter: any RailAdapter
    public var market: MarketSnapshot
    public var now: Date
    public var scenarios: [ConformanceScenario]
    public var execution: ExecutionCheck
    /// The rail reads a live counterpart (gas, balances), so two quotes may differ in amounts.
    public var liveCounterpart: Bool

    public init(adapter: any RailAdapter, market: MarketSnapshot, now: Date, scenarios: [ConformanceScenario],
                execution: ExecutionCheck = ExecutionCheck(), liveCounterpart: Bool = false) {
        self.adapter = adapter
        self.market = market
        self.now = now
        self.scenarios = scenarios
        self.execution = execution
        self.liveCounterpart = liveCounterpart
    }

    @discardableResult
    public func run() async throws -> ConformanceReport {
        var run = Run(descriptor: adapter.descriptor)
        checkCapabilities(&run)
        guard scenarios.contains(where: { $0.expectation == .quote }) else {
            run.fail("no scenario expects a quote; give at least one payment the rail carries")
            throw ConformanceFailure(rail: run.descriptor.id, violations: run.violations)
        }
        var all = scenarios
        all += derivedScenarios()
        for scenario in all {
            await check(scenario, &run)
        }
        // Fixed-receive: the amount a fixed-send quote delivers, fixed on the receive side, must be
        // delivered exactly.
        if run.descriptor.capabilities.supportsFixedReceive {
            for scenario in scenarios where scenario.expectation == .quote && scenario.intent.amount.fixed == .send {
                let outcome: QuoteOutcome
                do { outcome = try await adapter.quote(request(scenario.intent, "fixed-receive")) } catch {
                    run.fail("scenario \"\(scenario.name)\": quoting it again for the fixed-receive check threw \(error)")
                    continue
                }
                guard case .quoted(let quote) = outcome else {
                    run.fail("scenario \"\(scenario.name)\": quoted once, declined when quoted again for the fixed-receive check")
                    continue
                }
                var intent = scenario.intent
                intent.amount = PaymentAmount(quote.creditorReceives, fixed: .receive)
                await check(ConformanceScenario("\(scenario.name) (as fixed-receive)", intent: intent, expect: .quote), &run)
            }
        }
        await checkExecution(&run)
        guard run.violations.isEmpty else { throw ConformanceFailure(rail: run.descriptor.id, violations: run.violations) }
        return ConformanceReport(rail: run.descriptor.id, scenarios: all.count, quotes: run.quotes, declines: run.declines, checks: run.checks)
    }

    /// Collected results.
    struct Run {
        var descriptor: RailDescriptor
        var violations = [String]()
        var checks = 0
        var quotes = 0
        var declines = 0

        mutating func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
            checks += 1
            if !condition { violations.append(message()) }
        }

        mutating func fail(_ message: String) { violations.append(message) }
    }

    private func request(_ intent: PaymentIntent, _ tag: String) -> QuoteRequest {
        QuoteRequest(quoteID: QuoteID("conformance-\(tag)"), intent: intent, now: now, market: market)
    }

    private func checkCapabilities(_ run: inout Run) {
        let capabilities = run.descriptor.capabilities
        run.expect(!run.descriptor.displayName.isEmpty, "capabilities: the display name is empty")
        run.expect(!capabilities.corridors.isEmpty, "capabilities: no corridors")
        run.expect(capabilities.quoteValiditySeconds > 0, "capabilities: quoteValiditySeconds must be positive")
        for corridor in capabilities.corridors {
            let name = "\(corridor.source)→\(corridor.destination)"
            if let minimum = corridor.minimum {
                run.expect(minimum.asset == .fiat(corridor.source), "capabilities: \(name) minimum \(minimum) is not in \(corridor.source)")
                run.expect(!minimum.isNegative, "capabilities: \(name) minimum is negative")
            }
            if let maximum = corridor.maximum {
                run.expect(maximum.asset == .fiat(corridor.source), "capabilities: \(name) maximum \(maximum) is not in \(corridor.source)")
            }
            if let minimum = corridor.minimum, let maximum = corridor.maximum {
                run.expect(minimum <= maximum, "capabilities: \(name) minimum \(minimum) exceeds maximum \(maximum)")
            }
        }
    }

    /// Scenarios the capabilities imply: outside each limit, and a corridor the rail lacks.
    private func derivedScenarios() -> [ConformanceScenario] {
        guard let base = scenarios.first(where: { $0.expectation == .quote })?.intent else { return [] }
        let capabilities = adapter.descriptor.capabilities
        var derived = [ConformanceScenario]()
        if let corridor = capabilities.corridor(source: base.sourceCurrency, destination: base.destinationCurrency,
                                                creditorCountry: base.creditor.country) {
            var intent = base
            if let minimum = corridor.minimum, minimum.minorUnits > 1 {
                intent.amount = PaymentAmount(Money(minorUnits: minimum.minorUnits - 1, asset: minimum.asset), fixed: .send)
                derived.append(ConformanceScenario("below the corridor minimum", intent: intent, expect: .decline(.amountBelowMinimum)))
            }
            if let maximum = corridor.maximum {
                intent.amount = PaymentAmount(Money(minorUnits: maximum.minorUnits + 1, asset: maximum.asset), fixed: .send)
                derived.append(ConformanceScenario("above the corridor maximum", intent: intent, expect: .decline(.amountAboveMaximum)))
            }
        }
        // A corridor no rail here serves: JPY to ISK.
        if capabilities.corridor(source: .jpy, destination: try! Currency(code: "ISK"), creditorCountry: base.creditor.country) == nil,
           var intent = try? PaymentIntent(
               debtor: base.debtor, creditor: base.creditor, sourceCurrency: .jpy, destinationCurrency: try! Currency(code: "ISK"),
               amount: PaymentAmount(try! Money.fiat("1000000", .jpy), fixed: .send)) {
            intent.travelRule = base.travelRule
            derived.append(ConformanceScenario("unsupported corridor", intent: intent, expect: .decline(.corridorNotSupported)))
        }
        return derived
    }

    private func check(_ scenario: ConformanceScenario, _ run: inout Run) async {
        let label = "scenario \"\(scenario.name)\""
        let outcome: QuoteOutcome
        do {
            outcome = try await adapter.quote(request(scenario.intent, "1"))
        } catch {
            run.fail("\(label): quote threw \(error); a rail that will not carry a payment must decline as data")
            return
        }
        switch (outcome, scenario.expectation) {
        case (.declined(let decline), .decline(let code)):
            run.declines += 1
            run.expect(decline.code == code, "\(label): declined with \(decline.code), expected \(code)")
            run.expect(!decline.message.isEmpty, "\(label): a decline must say why in words")
        case (.declined(let decline), .quote):
            run.fail("\(label): expected a quote, got a decline \(decline)")
        case (.quoted(let quote), .decline(let code)):
            run.fail("\(label): expected a decline \(code), got quote \(quote.id) for \(quote.debtorPays)")
        case (.quoted(let quote), .quote):
            run.quotes += 1
            checkQuote(quote, scenario.intent, label, &run)
            // Determinism: the same request gives the same quote (for a rail reading a live
            // counterpart, the same principal, costs and ETA by kind: gas prices move between blocks).
            if case .quoted(let again)? = try? await adapter.quote(request(scenario.intent, "1")) {
                if liveCounterpart {
                    run.expect(again.principal == quote.principal || scenario.intent.amount.fixed == .receive,
                               "\(label): quoting the same request twice gave different principals")
                    run.expect(again.costs.map(\.kind) == quote.costs.map(\.kind), "\(label): quoting twice gave different cost items")
                } else {
                    run.expect(again == quote, "\(label): quoting the same request twice gave different quotes")
                }
            } else {
                run.fail("\(label): quoting the same request twice gave a different outcome")
            }
        }
    }

    private func checkQuote(_ quote: Quote, _ intent: PaymentIntent, _ label: String, _ run: inout Run) {
        let source = Asset.fiat(intent.sourceCurrency)
        let destination = Asset.fiat(intent.destinationCurrency)
        let capabilities = run.descriptor.capabilities
        let railID = run.descriptor.id
        run.expect(quote.id == QuoteID("conformance-1"), "\(label): the quote must carry the request's quote id")
        run.expect(quote.railID == railID, "\(label): the quote names rail \(quote.railID), not \(railID)")
        run.expect(quote.createdAt == now, "\(label): createdAt must be the request's now")
        run.expect(quote.expiresAt > now, "\(label): the quote expires at or before it was made")
        run.expect(quote.expiresAt <= now.addingTimeInterval(TimeInterval(capabilities.quoteValiditySeconds)),
                   "\(label): the quote outlives the declared quoteValiditySeconds")
        run.expect(quote.principal.asset == source && quote.debtorPays.asset == source && quote.totalCost.asset == source,
                   "\(label): principal, debtorPays and totalCost must be in \(intent.sourceCurrency)")
        run.expect(quote.creditorReceives.asset == destination, "\(label): creditorReceives must be in \(intent.destinationCurrency)")
        run.expect(quote.principal.minorUnits > 0 && quote.creditorReceives.minorUnits > 0, "\(label): amounts must be positive")
        run.expect(quote.costs.allSatisfy { $0.amount.asset == source }, "\(label): every cost item must be in \(intent.sourceCurrency)")
        run.expect(quote.costs.allSatisfy { !$0.amount.isNegative }, "\(label): a cost item is negative")
        if let sum = try? quote.costs.map(\.amount).sum(in: source) {
            run.expect(sum == quote.totalCost, "\(label): costs sum to \(sum), totalCost says \(quote.totalCost)")
        } else {
            run.fail("\(label): cost items cannot be summed")
        }
        if let billed = try? quote.costs.filter({ $0.collection == .billed }).map(\.amount).sum(in: source),
           let expected = try? quote.principal.adding(billed) {
            run.expect(quote.debtorPays == expected, "\(label): debtorPays \(quote.debtorPays) ≠ principal + billed costs \(expected)")
        }
        switch intent.amount.fixed {
        case .send: run.expect(quote.principal == intent.amount.money, "\(label): fixed-send principal \(quote.principal) ≠ \(intent.amount.money)")
        case .receive: run.expect(quote.creditorReceives == intent.amount.money, "\(label): fixed-receive delivers \(quote.creditorReceives), not exactly \(intent.amount.money)")
        }
        // Value is conserved: what the debtor pays minus the costs is what the creditor gets, at mid,
        // within one minor unit per rounding step.
        if let mid = try? market.midRate(from: intent.sourceCurrency, to: intent.destinationCurrency),
           let receivedAtMid = try? mid.convert(quote.creditorReceives, rounding: .halfEven),
           let net = try? quote.debtorPays.subtracting(quote.totalCost),
           let gap = try? net.subtracting(receivedAtMid) {
            let tolerance = Int128(quote.costs.count + 2)
            run.expect(gap.minorUnits.magnitude <= tolerance.magnitude,
                       "\(label): debtorPays - totalCost = \(net) but creditorReceives at mid is \(receivedAtMid) (gap \(gap))")
            if intent.sourceCurrency == intent.destinationCurrency {
                run.expect(quote.fx == nil, "\(label): no FX detail expected for a same-currency payment")
            } else if let fx = quote.fx {
                run.expect(fx.applied.base == intent.sourceCurrency && fx.applied.quote == intent.destinationCurrency,
                           "\(label): FX rate \(fx.applied) is not \(intent.sourceCurrency)/\(intent.destinationCurrency)")
                run.expect(fx.mid == mid, "\(label): the FX mid \(fx.mid) is not the market's \(mid)")
            } else {
                run.fail("\(label): a cross-currency quote must give its FX rate and mid")
            }
        } else {
            run.fail("\(label): cannot compare the quote with the market mid rate")
        }
        run.expect(quote.eta.earliest >= now, "\(label): earliest settlement is in the past")
        run.expect(quote.eta.earliest <= quote.eta.p50 && quote.eta.p50 <= quote.eta.p95, "\(label): ETA must be earliest ≤ p50 ≤ p95")
        if let corridor = capabilities.corridor(source: intent.sourceCurrency, destination: intent.destinationCurrency,
                                                creditorCountry: intent.creditor.country) {
            if let minimum = corridor.minimum { run.expect(quote.principal >= minimum || intent.amount.fixed == .receive, "\(label): principal below the declared minimum") }
            if let maximum = corridor.maximum { run.expect(quote.principal <= maximum, "\(label): principal above the declared maximum") }
        } else {
            run.fail("\(label): quoted a corridor the capabilities do not declare")
        }
    }

    private func checkExecution(_ run: inout Run) async {
        guard let scenario = scenarios.first(where: { $0.expectation == .quote }) else { return }
        let quote: Quote
        do {
            guard case .quoted(let quoted) = try await adapter.quote(request(scenario.intent, "execute")) else {
                run.fail("execute: the scenario \"\(scenario.name)\" was not quoted again for execution")
                return
            }
            quote = quoted
        } catch {
            run.fail("execute: quoting the scenario \"\(scenario.name)\" again for execution threw \(error)")
            return
        }
        if !run.descriptor.capabilities.canExecute {
            await checkQuoteOnly(scenario, quote, &run)
            return
        }
        // Execution goes through the payment executor, as it does in the router: the rail's
        // capabilities admit the payment again, and idempotency and journaling order are the executor's.
        let journal = TimedJournal()
        let store = InMemoryPaymentStore()
        let executor = PaymentExecutor(adapters: [adapter], admission: CapabilityAdmission(), store: store,
                                       observer: journal, clock: { [now] in now })
        let counterpart = execution.counterpart
        func received() async -> [ObservedSubmission]? {
            guard let counterpart else { return nil }
            return try? await counterpart.submissions()
        }

        // An expired quote, and a quote for another payment, are refused before anything is
        // journaled — and nothing reaches the counterpart.
        let before = await received()
        let late = PaymentExecutor(adapters: [adapter], admission: CapabilityAdmission(), store: store,
                                   observer: journal, clock: { quote.expiresAt.addingTimeInterval(1) })
        do {
            _ = try await late.execute(paymentID: "conformance-expired", intent: scenario.intent, quote: quote)
            run.fail("execute: an expired quote was executed")
        } catch let refused as ExecutionRefused {
            run.expect(refused.reasons.map(\.code).contains(.quoteExpired), "execute: an expired quote must be refused with QUOTE_EXPIRED, got \(refused)")
        } catch {
            run.fail("execute: an expired quote must be refused with QUOTE_EXPIRED, got \(error)")
        }
        var foreign = scenario.intent
        if let other = try? scenario.intent.amount.money.adding(Money(minorUnits: 100, asset: scenario.intent.amount.money.asset)) {
            foreign.amount = PaymentAmount(other, fixed: scenario.intent.amount.fixed)
        }
        do {
            _ = try await executor.execute(paymentID: "conformance-foreign", intent: foreign, quote: quote)
            run.fail("execute: a quote for another payment was executed")
        } catch let refused as ExecutionRefused {
            run.expect(refused.reasons.map(\.code).contains(.quoteMismatch), "execute: a quote for another payment must be refused with QUOTE_MISMATCH, got \(refused)")
        } catch {
            run.fail("execute: a quote for another payment must be refused with QUOTE_MISMATCH, got \(error)")
        }
        for refusedID in ["conformance-expired", "conformance-foreign"] {
            run.expect(await journal.events(of: refusedID).isEmpty, "execute: a refused quote (\(refusedID)) journaled events")
            run.expect((try? await store.payment(id: refusedID)) == nil, "execute: a refused quote (\(refusedID)) was stored as a payment")
        }
        if let before, let after = await received() {
            run.expect(after.count == before.count, "counterpart: an expired or foreign quote sent \(after.count - before.count) submission(s) to the counterpart")
        }

        await checkExecution(of: scenario.intent, quote: quote, paymentID: "conformance", executor: executor, journal: journal, expected: quote.creditorReceives, &run)

        // Fixed-receive, executed: the amount the quote delivered, fixed on the receive side,
        // credited exactly (or within the declared tolerance).
        if run.descriptor.capabilities.supportsFixedReceive, scenario.intent.amount.fixed == .send {
            var intent = scenario.intent
            intent.amount = PaymentAmount(quote.creditorReceives, fixed: .receive)
            do {
                guard case .quoted(let fixed) = try await adapter.quote(request(intent, "execute-fixed-receive")) else {
                    run.fail("execute: the fixed-receive payment of \(quote.creditorReceives) was not quoted")
                    return
                }
                await checkExecution(of: intent, quote: fixed, paymentID: "conformance-fixed-receive", executor: executor, journal: journal,
                                     expected: intent.amount.money, &run)
            } catch {
                run.fail("execute: quoting the fixed-receive payment of \(quote.creditorReceives) threw \(error)")
            }
        }
    }

    /// One payment executed, repeated, and followed, compared with what the counterpart received.
    private func checkExecution(of intent: PaymentIntent, quote: Quote, paymentID: String, executor: PaymentExecutor, journal: TimedJournal,
                                expected: Money, _ run: inout Run) async {
        let label = "execute \(paymentID)"
        let counterpart = execution.counterpart
        let before = (try? await counterpart?.submissions()) ?? []
        let receipt: ExecutionReceipt
        do {
            receipt = try await executor.execute(paymentID: paymentID, intent: intent, quote: quote)
        } catch {
            run.fail("\(label): \(error)")
            // A rail that declines promises that nothing moved: nothing may have reached the counterpart.
            if case RailError.declined = error, let after = try? await counterpart?.submissions(), after.count > before.count {
                run.fail("\(label): declined (nothing moved) after \(after.count - before.count) submission(s) reached the counterpart")
            }
            return
        }
        let entries = await journal.entries(of: paymentID)
        let events = entries.map(\.event)
        // The checkpoint (with its reference) is journaled first, before anything is sent. A rail
        // that executes in legs journals it again as each leg's reference is fixed; the last one
        // journaled is the receipt's.
        let prepared = entries.compactMap { entry -> (submission: RailSubmission, at: ContinuousClock.Instant)? in
            if case .prepared(let submission) = entry.event { return (submission, entry.at) }
            return nil
        }
        if case .prepared(let first)? = events.first {
            run.expect(first.reference == receipt.reference, "\(label): the first journaled submission names another reference")
        } else {
            run.fail("\(label): the submission (with its reference) must be journaled first, before anything is sent")
        }
        run.expect(prepared.last?.submission == receipt.submission, "\(label): the last journaled submission is not the receipt's")
        run.expect(events.allSatisfy { $0.reference == receipt.reference }, "\(label): journaled events name another reference")
        do {
            let written = try RailCoding.encoder().encode(receipt)
            run.expect(try RailCoding.decoder().decode(ExecutionReceipt.self, from: written) == receipt,
                       "\(label): the receipt (checkpoint and status) does not read back from JSON unchanged")
        } catch {
            run.fail("\(label): the receipt does not encode: \(error)")
        }

        // What the counterpart received: each submission named by a checkpoint committed before it arrived.
        var sent = [ObservedSubmission]()
        if let counterpart {
            do {
                sent = Array(try await counterpart.submissions().dropFirst(before.count))
                run.expect(!sent.isEmpty, "\(label): the counterpart received no submission for an executed payment (is the observer in front of it?)")
                for submission in sent {
                    let covered = prepared.contains { $0.at < submission.at && $0.submission.checkpoint.payload.localizedCaseInsensitiveContains(submission.key) }
                    run.expect(covered, "\(label): submission \(submission.key) reached the counterpart before a checkpoint naming it was committed")
                }
            } catch {
                run.fail("\(label): the counterpart's record could not be read: \(error)")
            }
        }

        // The same payment id again, one after another and several at once: the first execution,
        // and no second submission at the counterpart.
        do {
            let again = try await executor.execute(paymentID: paymentID, intent: intent, quote: quote)
            run.expect(again.reference == receipt.reference, "\(label): a repeated payment id must return the first execution")
            let concurrent = try await withThrowingTaskGroup(of: RailReference.self) { group in
                for _ in 0..<3 { group.addTask { try await executor.execute(paymentID: paymentID, intent: intent, quote: quote).reference } }
                return try await group.reduce(into: Set<RailReference>()) { $0.insert($1) }
            }
            run.expect(concurrent == [receipt.reference], "\(label): concurrent repeats returned \(concurrent)")
        } catch {
            run.fail("\(label): repeating the payment id threw \(error)")
        }
        let repeated = await journal.events(of: paymentID).dropFirst(events.count)
        run.expect(!repeated.contains { if case .prepared = $0 { true } else { false } }, "\(label): a repeated payment id prepared a second submission")
        if let counterpart, let after = try? await counterpart.submissions() {
            run.expect(after.count == before.count + sent.count,
                       "\(label): a repeated payment id sent \(after.count - before.count - sent.count) more submission(s) to the counterpart")
        }

        // Resumed from its checkpoint (as after a restart), the rail sends nothing under a new key.
        do {
            let resumed = try await adapter.execute(ExecutionRequest(paymentID: paymentID, intent: intent, quote: quote, now: now,
                                                                     resumeFrom: receipt.submission), recorder: CollectingRecorder())
            run.expect(resumed.reference == receipt.reference, "\(label): resumed from its checkpoint, the rail answered another reference")
        } catch {
            // A rail may refuse to resume a complete checkpoint; it may not send anew.
        }
        if let counterpart, let after = try? await counterpart.submissions() {
            let known = Set(sent.map(\.key))
            let fresh = after.dropFirst(before.count).filter { !known.contains($0.key) }
            run.expect(fresh.isEmpty, "\(label): resumed from its checkpoint, the rail sent new submission(s) \(fresh.map(\.key))")
        }

        do {
            let advance = execution.advance
            let status = try await executor.follow(paymentID: paymentID, budget: .seconds(120), maxPolls: max(1, execution.polls + 1),
                                                   pause: { try await advance() })
            run.expect(status.reference == receipt.reference, "status: reports a different reference")
            if execution.polls > 0 {
                run.expect(status.state == .settled,
                           "status: expected \(paymentID) settled within \(execution.polls) polls, got \(status.state.rawValue)" + (status.reason.map { " (\($0))" } ?? ""))
                if status.state == .settled {
                    checkCredited(status.credited, expected: expected, label: label, &run)
                }
            }
        } catch {
            run.fail("status: \(error)")
        }
    }

    /// The settled amount is what the quote promised, or within the rail's declared tolerance.
    private func checkCredited(_ credited: Money?, expected: Money, label: String, _ run: inout Run) {
        guard let credited else {
            run.fail("\(label): settled without saying what the creditor was credited")
            return
        }
        guard credited.asset == expected.asset, let gap = try? credited.subtracting(expected) else {
            run.fail("\(label): credited \(credited), the quote promised \(expected)")
            return
        }
        if let tolerance = execution.creditedTolerance {
            run.expect(gap.minorUnits.magnitude <= tolerance.amount.minorUnits.magnitude,
                       "\(label): credited \(credited), the quote promised \(expected); more than the declared tolerance \(tolerance.amount) (\(tolerance.reason))")
        } else {
            run.expect(gap.minorUnits == 0, "\(label): credited \(credited), the quote promised \(expected)")
        }
    }

    /// A rail that cannot execute says why, and refuses both operations the same way.
    private func checkQuoteOnly(_ scenario: ConformanceScenario, _ quote: Quote, _ run: inout Run) async {
        let railID = run.descriptor.id
        run.expect(!(run.descriptor.capabilities.quoteOnlyReason ?? "").isEmpty, "capabilities: a quote-only rail must say why")
        let recorder = CollectingRecorder()
        do {
            _ = try await adapter.execute(ExecutionRequest(paymentID: "conformance", intent: scenario.intent, quote: quote, now: now),
                                          recorder: recorder)
            run.fail("execute: capabilities say the rail cannot execute, but execute succeeded")
        } catch let error as RailError {
            run.expect(error == .unsupported(operation: "execute", rail: railID),
                       "execute: expected RailError.unsupported(execute), got \(error)")
        } catch {
            run.fail("execute: expected RailError.unsupported, got \(error)")
        }
        do {
            let checkpoint = try RailCheckpoint(ConformanceProbe())
            _ = try await adapter.status(of: RailSubmission(reference: RailReference(kind: "probe", value: "0"), checkpoint: checkpoint), at: now)
            run.fail("status: capabilities say the rail cannot execute, but status succeeded")
        } catch let error as RailError {
            run.expect(error == .unsupported(operation: "status", rail: railID),
                       "status: expected RailError.unsupported(status), got \(error)")
        } catch {
            run.fail("status: expected RailError.unsupported, got \(error)")
        }
        run.expect(await recorder.events.isEmpty, "execute: a rail that cannot execute recorded events")
    }
}

/// A checkpoint no rail wrote: what the kit hands a quote-only rail's status.
private struct ConformanceProbe: RailCheckpointPayload {
    static let railType = "conformance-probe"
    static let schemaVersion = 1
}

/// How the conformance kit exercises execution for a rail that can execute.
public struct ExecutionCheck: Sendable {
    /// Status polls to wait for settlement; 0 checks only that status answers.
    public var polls: Int
    /// Moves the counterpart forward between polls (mine a block, advance a simulator's clock).
    public var advance: @Sendable () async throws -> Void
    /// What the counterpart received, from its side (a recording proxy, its own books). With it,
    /// the kit checks every submission against the journal: named by a checkpoint committed
    /// before it arrived, never repeated for a repeated payment, none for a refused quote or a
    /// decline. Without it, the kit sees only the rail's word.
    public var counterpart: CounterpartObserver?
    /// How far the credited amount may be from the quote's promise, and why (none: exactly).
    public var creditedTolerance: (amount: Money, reason: String)?

    public init(polls: Int = 0, advance: @escaping @Sendable () async throws -> Void = {}, counterpart: CounterpartObserver? = nil,
                creditedTolerance: (amount: Money, reason: String)? = nil) {
        self.polls = polls
        self.advance = advance
        self.counterpart = counterpart
        self.creditedTolerance = creditedTolerance
    }
}

/// An ``ExecutionRecorder`` that keeps events in memory, for tests that call an adapter directly.
public actor CollectingRecorder: ExecutionRecorder {
    public private(set) var events = [ExecutionEvent]()
    public init() {}
    public func record(_ event: ExecutionEvent) async throws { events.append(event) }
}
