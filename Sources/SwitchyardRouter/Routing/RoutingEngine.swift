import Foundation
import Logging
import RailKit
import RailKitSupport

/// Where the engine gets mid rates and coin prices for a routing decision.
public protocol MarketDataSource: Sendable {
    func snapshot() async throws -> MarketSnapshot
}

/// Market data fixed at start-up (from `Config/market/`).
public struct StaticMarketData: MarketDataSource {
    public var value: MarketSnapshot
    public init(_ value: MarketSnapshot) { self.value = value }
    public func snapshot() async throws -> MarketSnapshot { value }
}

/// A configured rail: an adapter, or a disabled entry that is listed but never quoted.
public struct RoutedRail: Sendable {
    public var id: RailID
    public var displayName: String
    public var adapter: (any RailAdapter)? { didSet { descriptor = adapter?.descriptor } }
    /// The adapter's descriptor, read once when the rail is configured: a descriptor is a large
    /// value, and reading it through the adapter for every check of every decision copied it each time.
    public private(set) var descriptor: RailDescriptor?
    public var enabled: Bool
    /// Why a disabled rail is disabled, for people.
    public var note: String?

    public init(adapter: any RailAdapter, enabled: Bool = true, note: String? = nil) {
        self.id = adapter.descriptor.id
        self.displayName = adapter.descriptor.displayName
        self.adapter = adapter
        self.descriptor = adapter.descriptor
        self.enabled = enabled
        self.note = note
    }

    public init(disabled id: RailID, displayName: String, note: String?) {
        self.id = id
        self.displayName = displayName
        self.adapter = nil
        self.descriptor = nil
        self.enabled = false
        self.note = note
    }
}

/// A configured rail as the engine reads it in every decision, behind one reference: a step then
/// copies a pointer, not the rail's adapter, descriptor and logger (which cost more than the step).
final class PreparedRail: Sendable {
    /// The configured id and name (what an exclusion before quoting names).
    let id: RailID
    let displayName: String
    let enabled: Bool
    let note: String?
    /// Present exactly when the rail has an adapter.
    let quoting: QuotingRail?
    /// The rail's place among the configured rails in the order of their ids (the adapter's id
    /// where there is one; equal ids share a place): ranking's last tie-break compares these
    /// numbers instead of the id strings.
    let idOrder: Int

    init(_ rail: RoutedRail, idOrder: Int = 0, logger: Logger) {
        id = rail.id
        self.idOrder = idOrder
        displayName = rail.displayName
        enabled = rail.enabled
        note = rail.note
        if let adapter = rail.adapter, let descriptor = rail.descriptor {
            quoting = QuotingRail(adapter: adapter, descriptor: descriptor, logger: logger)
        } else {
            quoting = nil
        }
    }
}

/// A rail that has an adapter, as a decision reads it. The descriptor is stored here, not as an
/// optional: a check then reads it in place through this reference, where unwrapping an optional
/// copied the whole descriptor (4 % of a 300-rail decision, most of it in ranking's tie-breaks).
final class QuotingRail: Sendable {
    let adapter: any RailAdapter
    /// Its id and name are what a quote and a ranking name.
    let descriptor: RailDescriptor
    /// The engine's logger with the adapter's rail id in its metadata.
    let logger: Logger

    /// - Parameter logger: the engine's logger; the rail's id is added.
    init(adapter: any RailAdapter, descriptor: RailDescriptor, logger engineLogger: Logger) {
        self.adapter = adapter
        self.descriptor = descriptor
        logger = Self.logger(from: engineLogger, railID: descriptor.id)
    }

    /// `base` (a decision's own logger) with this rail's id in its metadata.
    func logger(from base: Logger) -> Logger { Self.logger(from: base, railID: descriptor.id) }

    private static func logger(from base: Logger, railID: RailID) -> Logger {
        var logger = base
        logger[metadataKey: "rail"] = .string(railID.rawValue)
        return logger
    }
}

/// Picks the best rail for a payment: eligibility (selection, capabilities, compliance policy)
/// → quotes (config-only rails inline, rails that call a counterpart concurrently under one time
/// limit) → deadline → ranking → explanation.
///
/// Deterministic for the same inputs, clock and quote ids: nothing here reads the wall clock
/// or a random source except through the injected `clock` and `makeQuoteID`.
public struct RoutingEngine: Sendable {
    public var rails: [RoutedRail] {
        didSet {
            prepared = Self.prepare(rails, logger)
            governing = policy.rulesGoverning(rails.compactMap(\.descriptor))
        }
    }
    public var policy: CompliancePolicy { didSet { governing = policy.rulesGoverning(rails.compactMap(\.descriptor)) } }
    public var market: any MarketDataSource
    public var quoteTimeout: Duration
    public var clock: @Sendable () -> Date
    public var makeQuoteID: @Sendable (RailID) -> QuoteID
    public var logger: Logger { didSet { prepared = Self.prepare(rails, logger) } }
    /// `rails` as each decision reads them (with their loggers), in the same order: made when the
    /// rails or the logger change, not for every quote of every decision.
    private var prepared: [PreparedRail]
    /// For each policy rule, whether any configured rail answers to it: a decision evaluates only those.
    private var governing: [Bool]

    public init(
        rails: [RoutedRail], policy: CompliancePolicy, market: any MarketDataSource, quoteTimeout: Duration = .seconds(2),
        clock: @escaping @Sendable () -> Date = { Date() },
        makeQuoteID: @escaping @Sendable (RailID) -> QuoteID = { _ in QuoteID.random() },
        logger: Logger = Logger(label: "switchyard.routing")
    ) {
        self.rails = rails
        self.policy = policy
        self.market = market
        self.quoteTimeout = quoteTimeout
        self.clock = clock
        self.makeQuoteID = makeQuoteID
        self.logger = logger
        prepared = Self.prepare(rails, logger)
        governing = policy.rulesGoverning(rails.compactMap(\.descriptor))
    }

    private static func prepare(_ rails: [RoutedRail], _ logger: Logger) -> [PreparedRail] {
        let ids = rails.map { $0.descriptor?.id ?? $0.id }
        let byID = ids.indices.sorted { ids[$0] < ids[$1] }
        var idOrder = [Int](repeating: 0, count: ids.count)
        for (position, index) in byID.enumerated() {
            idOrder[index] = position > 0 && ids[byID[position - 1]] == ids[index] ? idOrder[byID[position - 1]] : position
        }
        return rails.indices.map { PreparedRail(rails[$0], idOrder: idOrder[$0], logger: logger) }
    }

    /// The decision's log line: what was routed, chosen, ranked and excluded (with reason codes).
    private static func log(_ result: RoutingResult, intent: PaymentIntent, excluded: [ExcludedRail], to logger: Logger) {
        logger.info("routed payment", metadata: [
            "reference": .string(intent.reference ?? "-"),
            "corridor": .string("\(intent.sourceCurrency)->\(intent.destinationCurrency)"),
            "objective": .string(intent.objective.name),
            "chosen": .string(result.chosen?.railID.rawValue ?? "none"),
            "ranked": .array(result.ranked.map { .string($0.railID.rawValue) }),
            "excluded": .dictionary(Dictionary(uniqueKeysWithValues: excluded.map {
                ($0.railID.rawValue, .array($0.reasons.map { .string($0.code.rawValue) }))
            })),
        ])
    }

    /// Routes one payment. Throws only if market data cannot be had; a failing rail is reported
    /// in the result, never thrown.
    /// - Parameter decisionLogger: this decision's logger (a request's, with its id), instead of
    ///   ``logger``: the decision is logged there, and each rail's quote request carries it with
    ///   the rail's id. Setting ``logger`` instead would prepare every rail again.
    public func route(_ intent: PaymentIntent, logger decisionLogger: Logger? = nil) async throws -> RoutingResult {
        let now = clock()
        let snapshot = try await market.snapshot()
        var excluded = [RailID: ExcludedRail]()
        // Rails are referred to by their index in `prepared`.
        var candidates = [Int]()
        candidates.reserveCapacity(prepared.count)
        // A fixed-receive payment's amount rules judged at mid, by rail: listed beside the rail's
        // own reason if it does not quote, replaced by the verdicts on its principal if it does.
        var estimates = [Int: [RailDecline]]()

        // What the policy says of this payment, whichever rail carries it: once, not per rail.
        let verdicts = policy.verdicts(for: intent, market: snapshot, now: now, screening: ScreeningKeys(intent), governing: governing)
        for (index, rail) in prepared.enumerated() {
            let judgements = preQuoteJudgements(rail, intent: intent, market: snapshot, now: now, verdicts: verdicts)
            // A fixed-receive payment's amount rules judged at mid are estimates: alone they do not
            // stop the rail quoting, and its quote's principal decides them.
            if judgements.allSatisfy(\.estimated), rail.quoting != nil {
                candidates.append(index)
                if !judgements.isEmpty { estimates[index] = judgements.map(\.decline) }
            } else {
                excluded[rail.id] = ExcludedRail(railID: rail.id, displayName: rail.displayName, kind: rail.quoting?.descriptor.capabilities.kind,
                                                 reasons: judgements.map(\.decline))
            }
        }

        // Config-only rails quote inline (no task, no timer), each outcome judged as it comes and
        // its quote moved on, never copied; the rails that call a counterpart quote concurrently,
        // under one time limit for the group.
        var eligible = [(rail: Int, quote: Quote?)]()
        eligible.reserveCapacity(candidates.count)
        var remote = [(index: Int, operation: @Sendable () async throws -> QuoteOutcome)]()
        for index in candidates {
            let rail = prepared[index].quoting!
            let request = QuoteRequest(quoteID: makeQuoteID(rail.descriptor.id), intent: intent, now: now, market: snapshot,
                                       logger: decisionLogger.map { rail.logger(from: $0) } ?? rail.logger)
            if rail.descriptor.capabilities.quoteCallsCounterpart {
                let adapter = rail.adapter
                remote.append((index, { try await adapter.quote(request) }))
                continue
            }
            // Switched on as it is returned, so the quote is moved on, not copied out of an outcome.
            do {
                switch try await rail.adapter.quote(request) {
                case .quoted(let quote):
                    judge(quote: quote, of: index, intent: intent, market: snapshot, now: now, estimates: estimates[index],
                          eligible: &eligible, excluded: &excluded)
                case .declined(let decline):
                    judge(.finished(.declined(decline)), of: index, intent: intent, market: snapshot, now: now, estimates: estimates[index],
                          eligible: &eligible, excluded: &excluded)
                }
            } catch {
                judge(.failed(error), of: index, intent: intent, market: snapshot, now: now, estimates: estimates[index],
                      eligible: &eligible, excluded: &excluded)
            }
        }
        if !remote.isEmpty {
            for (slot, outcome) in zip(remote, await withTimeLimit(quoteTimeout, operations: remote.map(\.operation))) {
                judge(outcome, of: slot.index, intent: intent, market: snapshot, now: now, estimates: estimates[slot.index],
                      eligible: &eligible, excluded: &excluded)
            }
            // Back in the configuration's order, as ranking had them before quoting was split.
            eligible.sort { $0.rail < $1.rail }
        }

        let (ranked, unscorable) = Ranking.rank(consume eligible, rails: prepared, objective: intent.objective, now: now)
        for (index, error) in unscorable {
            // Only that rail's quote is out of range (its time value overflows exact arithmetic):
            // it is left out saying so, and the others are ranked.
            let descriptor = prepared[index].quoting!.descriptor
            excluded[descriptor.id] = ExcludedRail(railID: descriptor.id, displayName: descriptor.displayName, kind: descriptor.capabilities.kind,
                reasons: [RailDecline(.amountOutOfRange,
                    "The amount is too large to score for the \(intent.objective.name) objective on this rail (\(error)); split the payment.")])
        }
        // Excluded rails keep the configuration's order.
        let excludedInOrder = excluded.isEmpty ? [] : prepared.compactMap { excluded[$0.id] }
        let result = RoutingResult(
            requestedAt: now, intent: intent, market: snapshot, ranked: ranked, excluded: excludedInOrder,
            explanation: Explanation.text(ranked: ranked, excluded: excludedInOrder, objective: intent.objective, now: now))
        Self.log(result, intent: intent, excluded: excludedInOrder, to: decisionLogger ?? logger)
        return result
    }

    /// Reasons a rail is not even asked: disabled, not selected, outside its capabilities, or
    /// excluded by the compliance policy. All reasons are collected, not just the first.
    func preQuoteExclusions(_ rail: RoutedRail, intent: PaymentIntent, market: MarketSnapshot, now: Date) -> [RailDecline] {
        preQuoteJudgements(PreparedRail(rail, logger: logger), intent: intent, market: market, now: now, verdicts: nil).map(\.decline)
    }

    /// The reasons a rail may not carry the payment before it quotes, in order, each marked
    /// `estimated` when it judges a fixed-receive payment's amount at mid (the corridor's limits,
    /// the policy's amount limits and travel-rule thresholds): what is sent is known only from the
    /// rail's quote, which judges them again (``sentAmountExclusions(_:quote:on:policy:market:now:)``).
    /// An estimate is listed only beside a reason that stands on its own, so a rail excluded for
    /// another reason still shows every rule the payment seems to break.
    func preQuoteJudgements(_ rail: PreparedRail, intent: PaymentIntent, market: MarketSnapshot, now: Date,
                            verdicts: PolicyVerdicts?) -> [(decline: RailDecline, estimated: Bool)] {
        guard rail.enabled, let quoting = rail.quoting else {
            return [(RailDecline(.railDisabled, "The rail is disabled in the configuration\(rail.note.map { ": \($0)" } ?? ".")"), false)]
        }
        if let allowed = intent.rails.allowed, !allowed.contains(rail.id) {
            return [(RailDecline(.railNotSelected, "The request allows only \(allowed.map(\.rawValue).joined(separator: ", "))."), false)]
        }
        if intent.rails.excluded.contains(rail.id) {
            return [(RailDecline(.railNotSelected, "The request excludes this rail."), false)]
        }
        let fixedReceive = intent.amount.fixed == .receive
        var judgements = [(decline: RailDecline, estimated: Bool)]()
        switch quoting.descriptor.capabilities.admit(intent) {
        case .declined(let decline):
            judgements.append((decline, false))
        case .admitted(let corridorIndex) where fixedReceive:
            // The receive amount at mid against the corridor's limits: an estimate, worth listing
            // beside another reason. Without a mid rate there is no estimate (the rail's quote will say why).
            if let mid = try? market.midRate(from: intent.sourceCurrency, to: intent.destinationCurrency),
               let atMid = try? intent.sourceEquivalent(mid: mid),
               let decline = quoting.descriptor.capabilities.corridors[corridorIndex].limitDecline(principal: atMid, intent: intent, basis: .midEstimate) {
                judgements.append((decline, true))
            }
        case .admitted:
            break
        }
        // Not `verdicts ?? policy.verdicts(...)`: its autoclosure copied the descriptor for every rail.
        let policyJudgements = if let verdicts {
            verdicts.judgements(on: quoting.descriptor)
        } else {
            policy.verdicts(for: intent, on: quoting.descriptor, market: market, now: now).judgements(on: quoting.descriptor)
        }
        for judgement in policyJudgements { judgements.append((judgement.decline, fixedReceive && judgement.dependsOnAmount)) }
        return judgements
    }

    /// Judges one candidate's quote outcome: the quote joins `eligible`, or the rail joins
    /// `excluded` with every reason (`estimates`: its amount rules judged at mid, listed beside a
    /// reason of its own).
    private func judge(_ outcome: consuming TimeLimitOutcome<QuoteOutcome>, of index: Int, intent: PaymentIntent, market: MarketSnapshot,
                       now: Date, estimates: [RailDecline]?, eligible: inout [(rail: Int, quote: Quote?)],
                       excluded: inout [RailID: ExcludedRail]) {
        var reasons = [RailDecline]()
        switch consume outcome {
        case .finished(.quoted(let quote)):
            judge(quote: quote, of: index, intent: intent, market: market, now: now, estimates: estimates, eligible: &eligible, excluded: &excluded)
            return
        case .finished(.declined(let decline)):
            reasons.append(decline)
            reasons += estimates ?? []
        case .failed(RailError.declined(let decline)):
            // A decline thrown from inside pricing (a calendar that ends too soon): its own code and words.
            reasons.append(decline)
            reasons += estimates ?? []
        case .failed(let error) where Self.isOverflow(error):
            // An amount beyond exact arithmetic on this rail: said as such, not "unavailable".
            reasons.append(RailDecline(.amountOutOfRange, "The amount is too large to price on this rail (\(error)); split the payment."))
            reasons += estimates ?? []
        case .failed(let error):
            reasons.append(RailDecline(.railUnavailable, "The rail could not quote: \(error)."))
            reasons += estimates ?? []
        case .timedOut:
            reasons.append(RailDecline(.quoteTimeout, "The rail did not quote within \(quoteTimeout.formatted())."))
            reasons += estimates ?? []
        }
        exclude(index, reasons: reasons, from: &excluded)
    }

    /// Judges one candidate's quote: eligible, or excluded with every reason.
    private func judge(quote: consuming Quote, of index: Int, intent: PaymentIntent, market: MarketSnapshot, now: Date,
                       estimates: [RailDecline]?, eligible: inout [(rail: Int, quote: Quote?)], excluded: inout [RailID: ExcludedRail]) {
        var reasons = [RailDecline]()
        if let problem = Self.invalidQuoteReason(quote, intent: intent, now: now) {
            reasons.append(RailDecline(.railUnavailable, "The rail returned an unusable quote: \(problem)."))
            reasons += estimates ?? []
        } else {
            if let deadline = intent.deadline, quote.eta.p95 > deadline {
                reasons.append(RailDecline(.deadlineNotMet,
                    "95% of payments on this rail arrive by \(Timestamp.format(quote.eta.p95)), after the deadline \(Timestamp.format(deadline))."))
            }
            // A fixed-receive payment's limits and thresholds, judged on what the debtor really sends here.
            if intent.amount.fixed == .receive {
                reasons += Self.sentAmountExclusions(intent, quote: quote, on: prepared[index].quoting!.descriptor, policy: policy,
                                                     market: market, now: now)
            }
            if reasons.isEmpty {
                eligible.append((index, consume quote))
                return
            }
        }
        exclude(index, reasons: reasons, from: &excluded)
    }

    private func exclude(_ index: Int, reasons: [RailDecline], from excluded: inout [RailID: ExcludedRail]) {
        let rail = prepared[index].quoting!
        excluded[rail.descriptor.id] = ExcludedRail(railID: rail.descriptor.id, displayName: rail.descriptor.displayName,
                                                    kind: rail.descriptor.capabilities.kind, reasons: reasons)
    }

    /// What a fixed-receive payment breaks once `quote` says what the debtor really sends on this
    /// rail: the corridor's limits and the policy's amount limits and travel-rule thresholds, all of
    /// them (a fixed-send payment was judged on its amount before quoting: nothing here).
    static func sentAmountExclusions(_ intent: PaymentIntent, quote: Quote, on rail: RailDescriptor, policy: CompliancePolicy,
                                     market: MarketSnapshot, now: Date) -> [RailDecline] {
        guard intent.amount.fixed == .receive else { return [] }
        var reasons = [RailDecline]()
        // The corridor's limits only: whether the rail carries the corridor at all was judged before.
        if let index = rail.capabilities.corridorIndex(serving: intent),
           let decline = rail.capabilities.corridors[index].limitDecline(principal: quote.principal, intent: intent, basis: .quoted) {
            reasons.append(decline)
        }
        return reasons + policy.exclusions(for: intent, quote: quote, on: rail, market: market, now: now)
    }

    /// Whether a rail's failure is exact arithmetic overflowing on the amount.
    static func isOverflow(_ error: any Error) -> Bool {
        switch error {
        case MoneyError.overflow, RailError.money(.overflow): true
        default: false
        }
    }

    /// A quote the router must not rank: wrong currencies, costs that do not add up, expired.
    static func invalidQuoteReason(_ quote: Quote, intent: PaymentIntent, now: Date) -> String? {
        // Currencies compared as plain values (a token amount has none), not by building assets.
        if quote.debtorPays.currency != intent.sourceCurrency { return "debtorPays is not in \(intent.sourceCurrency)" }
        if quote.creditorReceives.currency != intent.destinationCurrency { return "creditorReceives is not in \(intent.destinationCurrency)" }
        // Summed in minor units, each item read in place: the items and the total must all be in
        // the source currency, and the sum must neither overflow nor differ from the total.
        let costsAddUp = quote.costs.withUnsafeBufferPointer { items -> Bool in
            var sum: Int128 = 0
            for index in items.indices {
                guard items[index].amount.currency == intent.sourceCurrency else { return false }
                let (next, overflow) = sum.addingReportingOverflow(items[index].amount.minorUnits)
                if overflow { return false }
                sum = next
            }
            return quote.totalCost.currency == intent.sourceCurrency && sum == quote.totalCost.minorUnits
        }
        guard costsAddUp else { return "cost items do not sum to the total cost" }
        if quote.expiresAt <= now { return "the quote has already expired" }
        return nil
    }
}
