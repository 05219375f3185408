import Foundation
import RailKit
import RailKitSupport

/// The compliance rules evaluated for every rail before it is asked to quote.
public struct CompliancePolicy: Sendable {
    public var rules: [PolicyRule] { didSet { prepared = rules.map(PreparedRule.init) } }
    /// `rules` with the rails each governs, behind one reference each: a decision reads every rule,
    /// and copying a rule (its sets and strings) cost more than evaluating it.
    private var prepared: [PreparedRule]
    /// Who wallets are registered to (from a wallet-screening provider or the counterparty's
    /// onboarding): a payment to a wallet registered to a prohibited jurisdiction is excluded
    /// even when the party itself says otherwise.
    public var walletRegistrations: [ChainAddress: WalletRegistration]

    public init(rules: [PolicyRule], walletRegistrations: [ChainAddress: WalletRegistration] = [:]) {
        self.rules = rules
        self.prepared = rules.map(PreparedRule.init)
        self.walletRegistrations = walletRegistrations
    }

    /// Every rule this payment breaks on `rail`, each with its reason code and a sentence.
    /// A rule that cannot be evaluated (say, no mid rate to compare a threshold) excludes the
    /// rail: the policy fails closed.
    ///
    /// - Parameter screening: the payment's parties as screening compares them
    ///   (``ScreeningKeys/init(_:)``), when the caller has them already. A router asking for every
    ///   rail of one payment uses ``verdicts(for:market:now:screening:governing:)`` instead.
    public func exclusions(for intent: PaymentIntent, on rail: RailDescriptor, market: MarketSnapshot, now: Date,
                           screening: ScreeningKeys? = nil) -> [RailDecline] {
        exclusions(for: intent, on: rail, market: market, now: now, screening: screening, sent: nil, only: { _ in true })
    }

    /// The rules that depend on the amount (limits, travel-rule thresholds), judged on what the
    /// debtor will really send on `quote`'s rail: for a fixed-receive payment the quoted principal
    /// at the rail's own rate, not the receive amount at mid — a CNH invoice just under a USD cap at
    /// mid may need more than the cap at the rate the rail applies. (Before a quote these rules
    /// judge a fixed-receive payment's amount at mid, an estimate that never excludes a rail by
    /// itself: ``PolicyVerdicts/judgements(on:)``. A fixed-send payment's amount is what it sends,
    /// judged before quoting: nothing here.)
    public func exclusions(for intent: PaymentIntent, quote: Quote, on rail: RailDescriptor, market: MarketSnapshot, now: Date) -> [RailDecline] {
        guard intent.amount.fixed == .receive else { return [] }
        return exclusions(for: intent, on: rail, market: market, now: now, screening: nil, sent: quote.principal, only: \.dependsOnAmount)
    }

    private func exclusions(for intent: PaymentIntent, on rail: RailDescriptor, market: MarketSnapshot, now: Date,
                            screening: ScreeningKeys?, sent: Money?, only applies: (PolicyRule) -> Bool) -> [RailDecline] {
        verdicts(for: intent, on: rail, market: market, now: now, screening: screening, sent: sent, only: applies).exclusions(on: rail)
    }

    /// The verdicts of the rules that govern `rail` alone (one rail asks: only those are evaluated).
    func verdicts(for intent: PaymentIntent, on rail: RailDescriptor, market: MarketSnapshot, now: Date,
                  screening: ScreeningKeys? = nil, sent: Money? = nil, only applies: (PolicyRule) -> Bool = { _ in true }) -> PolicyVerdicts {
        verdicts(for: intent, market: market, now: now, screening: screening, sent: sent, rail: rail, only: applies)
    }

    /// Every rule's verdict on this payment, computed once: a rule's answer does not depend on
    /// the rail, only whether it applies to a rail does (its kinds, rails or licensed issuers). A
    /// router asks ``PolicyVerdicts/exclusions(on:)`` for each rail of the payment.
    ///
    /// - Parameter governing: for each rule (in `rules`' order), whether any rail that will ask
    ///   governs it (``rulesGoverning(_:)``); a rule no rail asks about is not evaluated. A rule
    ///   without an entry is evaluated (the policy fails closed).
    public func verdicts(for intent: PaymentIntent, market: MarketSnapshot, now: Date, screening: ScreeningKeys? = nil,
                         governing: [Bool]? = nil) -> PolicyVerdicts {
        verdicts(for: intent, market: market, now: now, screening: screening, sent: nil, governing: governing, only: { _ in true })
    }

    /// For each rule, whether it governs any of `rails` (a router works this out when its rails or
    /// its policy change, so a decision evaluates only the rules its rails answer to).
    public func rulesGoverning(_ rails: [RailDescriptor]) -> [Bool] {
        prepared.map { entry in rails.contains { entry.scope.contains($0) } }
    }

    private func verdicts(for intent: PaymentIntent, market: MarketSnapshot, now: Date, screening: ScreeningKeys?, sent: Money?,
                          governing: [Bool]? = nil, rail: RailDescriptor? = nil, only applies: (PolicyRule) -> Bool) -> PolicyVerdicts {
        let keys = screening ?? (rules.contains { if case .sanctionsScreening = $0 { true } else { false } } ? ScreeningKeys(intent) : nil)
        var declines = [(rule: PreparedRule, decline: RailDecline)]()
        for (index, entry) in prepared.enumerated() {
            guard governing.map({ index >= $0.count || $0[index] }) ?? true, rail.map({ entry.scope.contains($0) }) ?? true,
                  applies(entry.rule) else { continue }
            do {
                if let decline = try verdict(entry.rule, intent: intent, market: market, now: now, screening: keys, sent: sent) {
                    declines.append((entry, decline))
                }
            } catch {
                // The policy fails closed: a rule it cannot evaluate excludes every rail it applies to.
                declines.append((entry, RailDecline(.policyEvaluationFailed,
                                                    "Policy rule \(entry.rule.id) could not be evaluated (\(error)); the rail is excluded until it can.")))
            }
        }
        return PolicyVerdicts(declines: declines)
    }

    /// The rule's answer for the payment on any rail it governs (its ``PolicyRule/scope``).
    private func verdict(_ rule: PolicyRule, intent: PaymentIntent, market: MarketSnapshot, now: Date,
                         screening: ScreeningKeys?, sent: Money?) throws -> RailDecline? {
        func party(_ role: PartyRole) -> Party { role == .debtor ? intent.debtor : intent.creditor }
        /// What the debtor sends in the source currency: the quoted principal once known, else the
        /// intent's amount (a fixed-receive amount at mid, before any rail has priced it).
        func sourceAmount() throws -> Money {
            if let sent { return sent }
            return try intent.sourceEquivalent(mid: try market.midRate(from: intent.sourceCurrency, to: intent.destinationCurrency))
        }

        switch rule {
        case .prohibitRailKindsForCountries(let id, _, let roles, let countries, let code, let message, let source):
            for role in roles where countries.contains(party(role).country) {
                return RailDecline(code, "\(message) The \(role.rawValue) resides in \(party(role).country). (policy \(id); \(source))")
            }
            // Every other field that places the party in a prohibited jurisdiction: its postal
            // address and its bank (a resident abroad paid into a mainland account is still paid there).
            for role in roles {
                let subject = party(role)
                if let country = subject.address?.country, countries.contains(country) {
                    return RailDecline(code, "\(message) The \(role.rawValue)'s address is in \(country). (policy \(id); \(source))")
                }
                if let bic = subject.accounts.bic, countries.contains(bic.country) {
                    return RailDecline(code, "\(message) The \(role.rawValue)'s bank \(bic) is in \(bic.country). (policy \(id); \(source))")
                }
                if let iban = subject.accounts.iban, countries.contains(iban.country) {
                    return RailDecline(code, "\(message) The \(role.rawValue)'s IBAN is from \(iban.country). (policy \(id); \(source))")
                }
            }
            for role in roles {
                for wallet in party(role).accounts.wallets {
                    guard let registration = walletRegistrations[wallet.address], countries.contains(registration.country) else { continue }
                    return RailDecline(.walletRegisteredToProhibitedJurisdiction,
                        "\(message) The \(role.rawValue)'s wallet \(wallet.address) is registered to \(registration.holder), resident in \(registration.country) (\(registration.source)). (policy \(id); \(source))")
                }
            }
            return nil

        case .travelRule(let id, _, let defaultThreshold, let defaultSource, let jurisdictions):
            let amount = try sourceAmount()
            var triggered: (name: String, threshold: Money, source: String)?
            for role in [PartyRole.debtor, .creditor] {
                let country = party(role).country
                let jurisdiction = jurisdictions.first { $0.countries.contains(country) }
                let threshold = jurisdiction?.threshold ?? defaultThreshold
                let inThresholdCurrency = try market.midRate(from: intent.sourceCurrency, to: try Self.currency(of: threshold))
                    .convert(amount, rounding: .halfEven)
                if inThresholdCurrency >= threshold, triggered == nil {
                    triggered = (jurisdiction?.name ?? "FATF default", threshold, jurisdiction?.source ?? defaultSource)
                }
            }
            guard let triggered else { return nil }
            let missing = screening?.missingTravelRuleFields ?? intent.travelRule?.missingFields ?? ["travelRule"]
            guard !missing.isEmpty else { return nil }
            return RailDecline(.travelRuleDataMissing,
                "Transfers of \(triggered.threshold) or more (\(triggered.name)) must carry originator and beneficiary data; missing: \(missing.joined(separator: ", ")). (policy \(id); \(triggered.source))")

        case .retailRequiresLicensedIssuer(let id, _, let countries, _, let source):
            for role in [PartyRole.debtor, .creditor] where party(role).kind == .retail && countries.contains(party(role).country) {
                return RailDecline(.unlicensedStablecoinForRetail,
                    "The \(role.rawValue) is a retail customer in \(party(role).country), where only licensed issuers' stablecoins may be offered to retail. (policy \(id); \(source))")
            }
            return nil

        case .institutionalPartiesOnly(let id, _, let source):
            for role in [PartyRole.debtor, .creditor] where party(role).kind != .institutional {
                return RailDecline(.counterpartyNotInstitutional,
                    "The \(role.rawValue) is not an institutional client; this rail serves institutional holders only. (policy \(id); \(source))")
            }
            return nil

        case .amountLimit(let id, _, _, let minimum, let maximum, let source):
            let amount = try sourceAmount()
            for (limit, isMaximum) in [(maximum, true), (minimum, false)] {
                guard let limit else { continue }
                let limitInSource = try market.midRate(from: try Self.currency(of: limit), to: intent.sourceCurrency).convert(limit, rounding: .halfEven)
                if isMaximum ? amount > limitInSource : amount < limitInSource {
                    return RailDecline(.policyAmountLimit,
                        "\(amount) is \(isMaximum ? "above the maximum" : "below the minimum") of \(limit) per payment on this rail. (policy \(id); \(source))")
                }
            }
            return nil

        case .sanctionsScreening(let id, let names, let bics, let wallets, let source):
            for role in [PartyRole.debtor, .creditor] {
                let subject = party(role)
                var hits = [String]()
                let key = screening.map { role == .debtor ? $0.debtorName : $0.creditorName } ?? PolicyRule.screeningKey(subject.name)
                if names.contains(key) { hits.append("name") }
                if let bic = subject.accounts.bic, bics.contains(bic.bic8) { hits.append("bank \(bic)") }
                if subject.accounts.wallets.contains(where: { wallets.contains($0.address) }) { hits.append("wallet") }
                if !hits.isEmpty {
                    return RailDecline(.sanctionsHit,
                        "The \(role.rawValue)'s \(hits.joined(separator: ", ")) matches the screening list; the payment needs review before any rail. (policy \(id); \(source))")
                }
            }
            return nil

        case .operatingWindow(let id, _, _, let calendar, let opens, let closes, let source):
            let date = calendar.localDate(of: now)
            let open = try calendar.isBusinessDay(date)
                && now >= calendar.instant(on: date, at: opens) && now < calendar.instant(on: date, at: closes)
            return open ? nil : RailDecline(.outsideOperatingHours,
                "This rail is used only \(opens)-\(closes) \(calendar.timeZone.identifier) on \(calendar.id) business days. (policy \(id); \(source))")
        }
    }

    /// The fiat currency a threshold or limit is set in (a token amount here is a configuration error).
    private static func currency(of amount: Money) throws(MoneyError) -> Currency {
        guard let currency = amount.currency else {
            throw .assetMismatch("a policy amount must be in a fiat currency, not \(amount.asset.code)")
        }
        return currency
    }
}

/// A compliance policy's verdicts on one payment (``CompliancePolicy/verdicts(for:market:now:screening:governing:)``).
public struct PolicyVerdicts: Sendable {
    /// The rules the payment breaks (or that could not be evaluated), in the policy's order, each
    /// with the rails it governs.
    let declines: [(rule: PreparedRule, decline: RailDecline)]

    /// Every rule this payment breaks on `rail`, in the policy's order: the verdicts of the rules
    /// that apply to the rail. A rule that could not be evaluated excludes every rail it applies to.
    public func exclusions(on rail: RailDescriptor) -> [RailDecline] {
        guard !declines.isEmpty else { return [] }
        return declines.filter { $0.rule.scope.contains(rail) }.map(\.decline)
    }

    /// ``exclusions(on:)``, each with whether its rule depends on the amount sent
    /// (``PolicyRule/dependsOnAmount``): for a fixed-receive payment such a verdict is an estimate
    /// at mid until a quote says what is sent.
    func judgements(on rail: RailDescriptor) -> [(decline: RailDecline, dependsOnAmount: Bool)] {
        guard !declines.isEmpty else { return [] }
        return declines.filter { $0.rule.scope.contains(rail) }.map { ($0.decline, $0.rule.rule.dependsOnAmount) }
    }
}

/// A policy rule with the rails it governs, worked out once.
final class PreparedRule: Sendable {
    let rule: PolicyRule
    let scope: PolicyRule.Scope

    init(_ rule: PolicyRule) {
        self.rule = rule
        scope = rule.scope
    }
}

extension PolicyRule {
    /// The rails a rule governs: its rail kinds, its rails, less its licensed issuers.
    struct Scope: Sendable {
        var kinds: Set<RailKind>?
        var rails: Set<RailID>?
        var exempt: Set<RailID> = []

        func contains(_ rail: RailDescriptor) -> Bool {
            (kinds?.contains(rail.capabilities.kind) ?? true) && (rails?.contains(rail.id) ?? true) && !exempt.contains(rail.id)
        }
    }

    var scope: Scope {
        switch self {
        case .prohibitRailKindsForCountries(_, let kinds, _, _, _, _, _), .travelRule(_, let kinds, _, _, _), .institutionalPartiesOnly(_, let kinds, _):
            Scope(kinds: kinds)
        case .retailRequiresLicensedIssuer(_, let kinds, _, let licensed, _):
            Scope(kinds: kinds, exempt: licensed)
        case .amountLimit(_, let kinds, let rails, _, _, _), .operatingWindow(_, let kinds, let rails, _, _, _, _):
            Scope(kinds: kinds, rails: rails)
        case .sanctionsScreening:
            Scope()
        }
    }
}

/// What the policy reads of a payment that is the same for every rail, so a router computes it
/// once per payment: the party names as sanctions screening compares them (upper case,
/// punctuation and spacing folded) and the travel-rule fields the payment lacks.
public struct ScreeningKeys: Sendable, Hashable {
    public var debtorName: String
    public var creditorName: String
    /// ``TravelRuleData/missingFields``, or `travelRule` when the payment carries none.
    public var missingTravelRuleFields: [String]

    public init(_ intent: PaymentIntent) {
        debtorName = PolicyRule.screeningKey(intent.debtor.name)
        creditorName = PolicyRule.screeningKey(intent.creditor.name)
        missingTravelRuleFields = intent.travelRule?.missingFields ?? ["travelRule"]
    }
}
