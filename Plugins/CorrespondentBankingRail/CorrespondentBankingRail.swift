import Foundation
import ISO20022
import RailKit
import RailKitSupport

/// One correspondent-banking relationship over SWIFT (ISO 20022 pacs.008, CBPR+).
///
/// Quotes fees by charge bearer (OUR: the debtor is billed everything; SHA: the debtor pays its
/// bank, intermediaries and the beneficiary bank deduct; BEN: everything is deducted), the FX
/// spread tier for the payment's size, and an ETA that starts at the sending bank's next
/// processing window (cut-off, weekends, holidays, DST) and runs in the destination calendar.
///
/// With an `execution` section whose endpoint resolves, it also executes: a CBPR+ pacs.008 to
/// the correspondent's API (UETR as the reference, journaled first), status by polling the
/// bank's pacs.002 / pacs.004 and by signed callback.
public struct CorrespondentBankingRail: ConfigurableRail {
    public static let adapterType = "correspondent-banking"

    public let descriptor: RailDescriptor
    let settings: CorrespondentSettings
    let releaseCalendar: BusinessCalendar
    let latencies: [LatencyProfile]
    let bank: Bank?
    let texts: QuoteTexts

    /// The quote's texts that depend only on the configuration, made once at load: every quote
    /// would otherwise build the same strings again (a routing decision asks every rail).
    struct QuoteTexts: Sendable {
        var senderFee: String
        var processingSource: String
        /// By corridor index.
        var intermediaryFees: [[String]]
        var route: [String]
        var latency: [String]
        /// `OUR (ChrgBr DEBT)` for OUR, SHA and BEN, in that order: found by a switch, where a
        /// dictionary hashed the bearer's raw string for every quote.
        var chargeBearers: [String]

        func chargeBearer(_ bearer: ChargeBearer) -> String {
            switch bearer {
            case .our: chargeBearers[0]
            case .sha: chargeBearers[1]
            case .ben: chargeBearers[2]
            }
        }

        init(settings: CorrespondentSettings, calendar: BusinessCalendar, latencies: [LatencyProfile]) {
            senderFee = "\(settings.sendingBank.name) (\(settings.sendingBank.bic)) sending fee"
            processingSource = "cut-off \(settings.release.cutOff) \(calendar.timeZone.identifier), calendar \(calendar.id): \(settings.release.source)"
            intermediaryFees = settings.corridors.map { $0.intermediaries.map { "intermediary \($0.name) (\($0.bic))" } }
            route = settings.corridors.map { ([settings.sendingBank.bic.code] + $0.intermediaries.map(\.bic.code)).joined(separator: " → ") + " → creditor agent" }
            latency = latencies.map { "p50 \($0.p50.summary), p95 \($0.p95.summary)" }
            chargeBearers = [ChargeBearer.our, .sha, .ben].map { "\($0.rawValue) (ChrgBr \($0.iso20022Code))" }
        }
    }

    /// The correspondent's API, when execution is configured.
    struct Bank: Sendable {
        var settings: CorrespondentSettings.Execution
        var connection: BankConnection
        var callbacks: CallbackVerifier?
    }

    public init(id: RailID, settings: CorrespondentSettings, context: RailConfigurationContext, environment: [String: String]) throws {
        self.settings = settings
        if let execution = settings.execution, let endpoint = execution.endpoint.resolve(environment) {
            let token = execution.tokenEnvironment.flatMap { environment[$0] }
            let secret = execution.callbackSecretEnvironment.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            bank = Bank(settings: execution,
                        connection: try BankConnection(endpoint: endpoint, token: token, timeout: TimeInterval(execution.timeoutSeconds ?? 10),
                                                               logger: context.logger(for: id)),
                        callbacks: secret.map { CallbackVerifier(secret: Data($0.utf8), tolerance: 300) })
        } else {
            bank = nil
        }
        releaseCalendar = try context.calendar(settings.release.calendar, field: "release.calendar")
        var latencies = [LatencyProfile]()
        for (index, corridor) in settings.corridors.enumerated() {
            latencies.append(try corridor.latency.resolve(context, field: "corridors[\(index)].latency"))
            if corridor.source != corridor.destination && corridor.fxSpreadTiers.isEmpty {
                throw ValidationError(field: "corridors[\(index)].fxSpreadTiers", value: "[]", rule: "corridor.fx_tiers_required",
                                      message: "a corridor that converts currencies needs at least one FX spread tier")
            }
        }
        self.latencies = latencies
        texts = QuoteTexts(settings: settings, calendar: releaseCalendar, latencies: latencies)
        descriptor = RailDescriptor(
            id: id, displayName: settings.displayName,
            capabilities: RailCapabilities(
                kind: .correspondentBanking,
                corridors: settings.corridors.map {
                    Corridor(source: $0.source, destination: $0.destination, creditorCountries: $0.creditorCountries,
                             minimum: $0.minimum?.money, maximum: $0.maximum?.money)
                },
                operatingHours: .businessDays(calendarID: releaseCalendar.id, cutOff: settings.release.cutOff),
                supportsFixedReceive: true,
                quoteOnlyReason: bank == nil ? (settings.execution == nil ? "no execution section" : "execution.endpoint is not set") : nil,
                quoteValiditySeconds: settings.quoteValiditySeconds, quoteCallsCounterpart: false))
    }

    public func quote(_ request: QuoteRequest) async throws -> QuoteOutcome {
        try quoteFromConfiguration(request)
    }

    /// Why this relationship cannot credit the creditor's account on `corridor`: a SWIFT payment
    /// credits a bank account (the creditor agent's BIC with an account number or IBAN), held in one
    /// of the corridor's countries — offshore CNH to a Hong Kong bank, onshore CNY to a mainland one;
    /// a CNH payment to a mainland bank would arrive as onshore CNY, not what was quoted.
    static func creditorAccountDecline(_ intent: PaymentIntent, corridor: CorrespondentSettings.CorridorSettings) -> RailDecline? {
        let accounts = intent.creditor.accounts
        guard accounts.hasBankAccount else {
            return RailDecline(.creditorAccountMissing,
                "A SWIFT payment credits a bank account: the creditor needs a BIC with an account number or IBAN.")
        }
        guard let countries = corridor.creditorCountries else { return nil }
        return accounts.payoutCountryDecline(countries: countries,
                                             payer: "This relationship's \(corridor.source)→\(corridor.destination) corridor")
    }

    /// The quote, from configuration and the request alone. Synchronous: an async function keeps
    /// its locals in a task-allocated frame, and a quote's many large values were copied into it.
    func quoteFromConfiguration(_ request: QuoteRequest) throws -> QuoteOutcome {
        let intent = request.intent
        let index: Int
        // Capabilities list the corridors in settings order, so the index is the settings' too.
        switch descriptor.capabilities.admit(intent) {
        case .declined(let decline): return .declined(decline)
        case .admitted(let corridorIndex): index = corridorIndex
        }
        if let decline = characterSetDecline(intent) { return .declined(decline) }
        // The corridor's settings are read in place: a copy retained each of its strings and fees, per quote.
        return try quote(request, corridor: settings.corridors[index], index: index)
    }

    private func quote(_ request: QuoteRequest, corridor: borrowing CorrespondentSettings.CorridorSettings, index: Int) throws -> QuoteOutcome {
        let intent = request.intent
        if let decline = Self.creditorAccountDecline(intent, corridor: corridor) { return .declined(decline) }
        let market = request.market
        let source = intent.sourceCurrency
        let destination = intent.destinationCurrency
        let bearer = intent.chargeBearer ?? settings.defaultChargeBearer
        var assumptions = [Assumption]()
        assumptions.reserveCapacity(6)

        let mid = try market.midRate(from: source, to: destination)
        var applied = ExchangeRate.identity(source)
        if source != destination {
            let size = try intent.sourceEquivalent(mid: mid)
            guard let tier = SpreadTier.tier(for: size, in: corridor.fxSpreadTiers) else {
                throw RailError.misconfigured("no FX spread tier for \(size)")
            }
            applied = try rate(belowMid: mid, basisPoints: tier.basisPoints)
            assumptions.append(Assumption("fx_spread_bps", .decimal(tier.basisPoints), source: tier.source))
        }

        let senderFee = try settings.senderFee.charge(
            kind: .senderBankFee, description: texts.senderFee,
            bearer: bearer == .ben ? .creditor : .debtor, in: source, market: market)
        let intermediaryFees = try zip(corridor.intermediaries, texts.intermediaryFees[index]).map { intermediary, description in
            try intermediary.fee.charge(kind: .intermediaryBankFee, description: description,
                                        bearer: bearer == .our ? .debtor : .creditor, in: source, market: market)
        }
        let beneficiaryFee = try corridor.beneficiaryFee.charge(
            kind: .beneficiaryBankFee, description: "beneficiary bank incoming fee", bearer: .creditor,
            in: destination, market: market)

        var billed = [Charge]()
        var beforeConversion = [Charge]()
        var afterConversion = [Charge]()
        // Each fee is moved into its list (`consume`), not copied with its strings.
        switch bearer {
        case .our:
            // The sender's bank guarantees full delivery and bills its OUR fee for the chain.
            billed = [consume senderFee, try settings.ourChargesFee.charge(
                kind: .chargesGuaranteeFee, description: "OUR charges (intermediary and beneficiary fees prepaid)",
                bearer: .debtor, in: source, market: market)]
        case .sha:
            billed = [consume senderFee]
            beforeConversion = consume intermediaryFees
            afterConversion = [consume beneficiaryFee]
        case .ben:
            beforeConversion = [consume senderFee] + consume intermediaryFees
            afterConversion = [consume beneficiaryFee]
        }
        let pricing = PaymentPricing(
            source: source, destination: destination, applied: applied, mid: mid, midSource: market.source,
            billed: billed, deductedBeforeConversion: beforeConversion, deductedAfterConversion: afterConversion)
        let breakdown: PriceBreakdown
        do {
            breakdown = try pricing.price(intent.amount.money, fixed: intent.amount.fixed)
        } catch .consumedByFees(let detail) {
            return .declined(RailDecline(.amountTooSmallAfterFees, "Charges would consume the payment: \(detail)."))
        } catch .money(let error) {
            throw RailError.money(error)
        }

        let start = try releaseCalendar.processingStart(for: request.now, cutOff: settings.release.cutOff)
        let eta = try latencies[index].estimate(from: start)
        assumptions.append(Assumption("charge_bearer", texts.chargeBearer(bearer), source: intent.chargeBearer == nil ? "rail default" : "payment intent"))
        assumptions.append(Assumption("processing_starts", .instant(start), source: texts.processingSource))
        assumptions.append(Assumption("route", texts.route[index], source: "rail configuration"))
        assumptions.append(Assumption("latency", texts.latency[index], source: corridor.latency.source))
        if !intent.creditor.accounts.hasBankAccount {
            assumptions.append(Assumption("creditor_account", "creditor BIC and account not supplied; needed before execution",
                                          source: "payment intent"))
        }
        return .quoted(Quote(
            id: request.quoteID, railID: descriptor.id, firmness: .indicative, createdAt: request.now,
            expiresAt: request.now.addingTimeInterval(TimeInterval(settings.quoteValiditySeconds)),
            breakdown: breakdown, eta: eta, assumptions: assumptions))
    }
}
