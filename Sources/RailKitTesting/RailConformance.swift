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
/// against the rail's real counterpart and checks the journal (submission first), idempotency by
/// payment id, refusal of an expired quote, and status through to settlement (see ``ExecutionCheck``).
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
            for scenario in scenarios where scenario.expectation == .quote {
                guard case .quoted(let quote)? = try? await adapter.quote(request(scenario.intent, "fixed-receive")),
                      var intent = Optional(scenario.intent), intent.amount.fixed == .send else { continue }
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
        guard let scenario = scenarios.first(where: { $0.expectation == .quote }),
              case .quoted(let quote)? = try? await adapter.quote(request(scenario.intent, "execute")) else { return }
        let railID = run.descriptor.id
        if !run.descriptor.capabilities.canExecute {
            // A rail that cannot execute says why, and refuses both operations the same way.
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
            return
        }
        // Execution goes through the payment executor, as it does in the router: the rail's
        // capabilities admit the payment again, and idempotency and journaling order are the executor's.
        let journal = CollectingPaymentJournal()
        let store = InMemoryPaymentStore()
        let executor = PaymentExecutor(adapters: [adapter], admission: CapabilityAdmission(market: market), store: store,
                                       observer: journal, clock: { [now] in now })
        // An expired quote is refused before anything is journaled or sent.
        let late = PaymentExecutor(adapters: [adapter], admission: CapabilityAdmission(market: market), store: store,
                                   observer: journal, clock: { quote.expiresAt.addingTimeInterval(1) })
        do {
            _ = try await late.execute(paymentID: "conformance-expired", intent: scenario.intent, quote: quote)
            run.fail("execute: an expired quote was executed")
        } catch let refused as ExecutionRefused {
            run.expect(refused.reasons.map(\.code).contains(.quoteExpired), "execute: an expired quote must be refused with QUOTE_EXPIRED, got \(refused)")
        } catch {
            run.fail("execute: an expired quote must be refused with QUOTE_EXPIRED, got \(error)")
        }
        run.expect(await journal.events(of: "conformance-expired").isEmpty, "execute: an expired quote journaled events")
        run.expect((try? await store.payment(id: "conformance-expired")) == nil, "execute: an expired quote was stored as a payment")

        do {
            let receipt = try await executor.execute(paymentID: "conformance", intent: scenario.intent, quote: quote)
            let events = await journal.events(of: "conformance")
            // The checkpoint (with its reference) is journaled first, before anything is sent. A
            // rail that executes in legs journals it again as each leg's reference is fixed; the
            // last one journaled is the receipt's.
            let prepared = events.compactMap { if case .prepared(let submission) = $0 { submission } else { nil } }
            if case .prepared(let first)? = events.first {
                run.expect(first.reference == receipt.reference, "execute: the first journaled submission names another reference")
            } else {
                run.fail("execute: the submission (with its reference) must be journaled first, before anything is sent")
            }
            run.expect(prepared.last == receipt.submission, "execute: the last journaled submission is not the receipt's")
            run.expect(events.allSatisfy { $0.reference == receipt.reference }, "execute: journaled events name another reference")
            let written = try RailCoding.encoder().encode(receipt)
            run.expect(try RailCoding.decoder().decode(ExecutionReceipt.self, from: written) == receipt,
                       "execute: the receipt (checkpoint and status) does not read back from JSON unchanged")

            // The same payment id again is the same payment: no second submission.
            let again = try await executor.execute(paymentID: "conformance", intent: scenario.intent, quote: quote)
            run.expect(again.reference == receipt.reference, "execute: a repeated payment id must return the first execution")
            let repeated = await journal.events(of: "conformance").dropFirst(events.count)
            run.expect(!repeated.contains { if case .prepared = $0 { true } else { false } },
                       "execute: a repeated payment id prepared a second submission")

            let advance = execution.advance
            let status = try await executor.follow(paymentID: "conformance", budget: .seconds(120), maxPolls: max(1, execution.polls + 1),
                                                   pause: { try await advance() })
            run.expect(status.reference == receipt.reference, "status: reports a different reference")
            if execution.polls > 0 {
                run.expect(status.state == .settled,
                           "status: expected settled within \(execution.polls) polls, got \(status.state) \(status.reason.map { "(\($0))" } ?? "")")
            }
        } catch {
            run.fail("execute: \(error)")
        }
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

    public init(polls: Int = 0, advance: @escaping @Sendable () async throws -> Void = {}) {
        self.polls = polls
        self.advance = advance
    }
}

/// An ``ExecutionRecorder`` that keeps events in memory, for tests that call an adapter directly.
public actor CollectingRecorder: ExecutionRecorder {
    public private(set) var events = [ExecutionEvent]()
    public init() {}
    public func record(_ event: ExecutionEvent) async throws { events.append(event) }
}
