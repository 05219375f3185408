import Foundation
import ISO20022
import RailKit
import RailKitSupport

/// Onshore CNY to a mainland-China bank account over CIPS, China's Cross-border Interbank
/// Payment System, built on the rail SDK alone (RailKit, RailKitSupport, ISO20022) and meant to
/// run in its own process behind `RailHost`.
///
/// The sending bank converts USD or EUR to CNY at its spread tier for the payment's size and
/// instructs a CIPS direct participant with an ISO 20022 pacs.008; the participant clears it
/// through CIPS to the creditor's mainland bank. Quotes price the sending bank's fee, CIPS's
/// processing fee, the beneficiary bank's fee by charge bearer, and an ETA that starts at the
/// next CIPS window on the mainland calendar (holidays closed, make-up working days open).
/// Mainland banks require the purpose of a cross-border RMB payment, and for trade in goods the
/// invoice it pays: a payment without them is declined `PAYMENT_DOCUMENTATION_MISSING`. Names
/// in Chinese characters are carried as written (CIPS messages are in Chinese or English).
public struct CIPSRail: ConfigurableRail {
    public static let adapterType = "cips"

    public let descriptor: RailDescriptor
    let settings: CIPSSettings
    let calendar: BusinessCalendar
    let latencies: [LatencyProfile]
    let participantAPI: ParticipantAPI?

    /// The participant's payment API, when execution is configured.
    struct ParticipantAPI: Sendable {
        var settings: CIPSSettings.Execution
        var connection: BankConnection
    }

    public init(id: RailID, settings: CIPSSettings, context: RailConfigurationContext, environment: [String: String]) throws {
        self.settings = settings
        calendar = try context.calendar(settings.operatingHours.calendar, field: "operatingHours.calendar")
        var latencies = [LatencyProfile]()
        for (index, corridor) in settings.corridors.enumerated() {
            latencies.append(try corridor.latency.resolve(context, field: "corridors[\(index)].latency"))
            if corridor.source != corridor.destination && corridor.fxSpreadTiers.isEmpty {
                throw ValidationError(field: "corridors[\(index)].fxSpreadTiers", value: "[]", rule: "corridor.fx_tiers_required",
                                      message: "a corridor that converts currencies needs at least one FX spread tier")
            }
            if corridor.destination != .cny {
                throw ValidationError(field: "corridors[\(index)].destination", value: corridor.destination.code, rule: "cips.onshore_cny",
                                      message: "CIPS credits mainland accounts in onshore CNY")
            }
        }
        for (index, purpose) in settings.documentation.purposes.enumerated()
        where purpose.code.count != 4 || !purpose.code.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) {
            throw ValidationError(field: "documentation.purposes[\(index)].code", value: purpose.code, rule: "purpose.format",
                                  message: "an ISO 20022 purpose code is 4 upper-case letters or digits, e.g. GDDS")
        }
        self.latencies = latencies
        if let execution = settings.execution, let endpoint = execution.endpoint.resolve(environment) {
            participantAPI = ParticipantAPI(
                settings: execution,
                connection: try BankConnection(endpoint: endpoint, token: execution.token?.resolve(environment),
                                               timeout: TimeInterval(execution.timeoutSeconds ?? 10), logger: context.logger(for: id)))
        } else {
            participantAPI = nil
        }
        descriptor = RailDescriptor(
            id: id, displayName: settings.displayName,
            capabilities: RailCapabilities(
                kind: Self.kind,
                corridors: settings.corridors.map {
                    Corridor(source: $0.source, destination: $0.destination, creditorCountries: $0.creditorCountries,
                             minimum: $0.minimum?.money, maximum: $0.maximum?.money)
                },
                operatingHours: .businessDays(calendarID: calendar.id, cutOff: settings.operatingHours.cutOff),
                supportsFixedReceive: true,
                quoteOnlyReason: participantAPI == nil ? (settings.execution == nil ? "no execution section" : "execution.endpoint is not set") : nil,
                quoteValiditySeconds: settings.quoteValiditySeconds, quoteCallsCounterpart: false))
    }

    public func quote(_ request: QuoteRequest) async throws -> QuoteOutcome {
        try quoteFromConfiguration(request)
    }

    /// The quote, from configuration and the request alone.
    func quoteFromConfiguration(_ request: QuoteRequest) throws -> QuoteOutcome {
        let intent = request.intent
        let index: Int
        switch descriptor.capabilities.admit(intent) {
        case .declined(let decline): return .declined(decline)
        case .admitted(let corridorIndex): index = corridorIndex
        }
        let corridor = settings.corridors[index]
        if let decline = deliveryDecline(intent, corridor: corridor) { return .declined(decline) }
        let market = request.market
        let source = intent.sourceCurrency, destination = intent.destinationCurrency
        let bearer = intent.chargeBearer ?? settings.defaultChargeBearer
        var assumptions = [Assumption]()

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
        let debtorSide: CostBearer = bearer == .ben ? .creditor : .debtor
        let senderFee = try settings.senderFee.charge(
            kind: .senderBankFee, description: "\(settings.sendingBank.name) (\(settings.sendingBank.bic)) sending fee",
            bearer: debtorSide, in: source, market: market)
        let clearingFee = try settings.clearingFee.charge(
            kind: Self.clearingFee, description: "CIPS processing fee via \(settings.participant.name)", bearer: debtorSide,
            in: source, market: market)
        let beneficiaryFee = try settings.beneficiaryFee.charge(
            kind: .beneficiaryBankFee, description: "beneficiary bank incoming fee", bearer: .creditor, in: destination, market: market)
        var billed = [Charge](), beforeConversion = [Charge](), afterConversion = [Charge]()
        switch bearer {
        case .our:
            billed = [senderFee, clearingFee, try settings.ourChargesFee.charge(
                kind: .chargesGuaranteeFee, description: "OUR charges (beneficiary bank fee prepaid)", bearer: .debtor,
                in: source, market: market)]
        case .sha:
            billed = [senderFee, clearingFee]
            afterConversion = [beneficiaryFee]
        case .ben:
            beforeConversion = [senderFee, clearingFee]
            afterConversion = [beneficiaryFee]
        }
        let pricing = PaymentPricing(source: source, destination: destination, applied: applied, mid: mid, midSource: market.source,
                                     billed: billed, deductedBeforeConversion: beforeConversion, deductedAfterConversion: afterConversion)
        let breakdown: PriceBreakdown
        do {
            breakdown = try pricing.price(intent.amount.money, fixed: intent.amount.fixed)
        } catch .consumedByFees(let detail) {
            return .declined(RailDecline(.amountTooSmallAfterFees, "Charges would consume the payment: \(detail)."))
        } catch .money(let error) {
            throw RailError.money(error)
        }
        let start = try calendar.processingStart(for: request.now, cutOff: settings.operatingHours.cutOff)
        let eta = try latencies[index].estimate(from: start)
        assumptions.append(Assumption("charge_bearer", "\(bearer.rawValue) (ChrgBr \(bearer.iso20022Code))",
                                      source: intent.chargeBearer == nil ? "rail default" : "payment intent"))
        assumptions.append(Assumption("processing_starts", .instant(start),
                                      source: "CIPS cut-off \(settings.operatingHours.cutOff) \(calendar.timeZone.identifier), calendar \(calendar.id): \(settings.operatingHours.source)"))
        assumptions.append(Assumption("route", "\(settings.sendingBank.bic) → \(settings.participant.bic) → CIPS → creditor agent", source: "rail configuration"))
        assumptions.append(Assumption("latency", "p50 \(latencies[index].p50.summary), p95 \(latencies[index].p95.summary)", source: corridor.latency.source))
        assumptions.append(Assumption("documentation", documentationSummary(intent), source: settings.documentation.source))
        return .quoted(Quote(
            id: request.quoteID, railID: descriptor.id, firmness: .indicative, createdAt: request.now,
            expiresAt: request.now.addingTimeInterval(TimeInterval(settings.quoteValiditySeconds)),
            breakdown: breakdown, eta: eta, assumptions: assumptions))
    }

    /// A cross-border clearing system reached through a participant bank (CIPS).
    public static let kind = RailKind(rawValue: "cips")

    /// CIPS's processing fee: a clearing system's charge, neither the sending nor the beneficiary bank's.
    static let clearingFee = CostKind(rawValue: "clearing_fee")

    /// Why this route cannot deliver the payment: no mainland bank account to credit, names CIPS
    /// cannot carry, or the documentation mainland banks require is missing. Checked at quote and
    /// again before anything is sent.
    func deliveryDecline(_ intent: PaymentIntent, corridor: CIPSSettings.CorridorSettings) -> RailDecline? {
        guard intent.creditor.accounts.hasBankAccount else {
            return RailDecline(.creditorAccountMissing,
                               "A CIPS payment credits a mainland bank account: the creditor needs the bank's BIC with an account number.")
        }
        if let decline = intent.creditor.accounts.payoutCountryDecline(
            countries: corridor.creditorCountries, payer: "This CIPS route's \(corridor.source)→\(corridor.destination) corridor") {
            return decline
        }
        var texts = [("debtor.name", intent.debtor.name, 140), ("creditor.name", intent.creditor.name, 140)]
        if let remittance = intent.remittanceInformation { texts.append(("remittanceInformation", remittance, Int.max)) }
        for (party, address) in [("debtor", intent.debtor.address), ("creditor", intent.creditor.address)] {
            guard let address else { continue }
            let lines = [("streetName", address.streetName, 70), ("buildingNumber", address.buildingNumber, 16), ("postCode", address.postCode, 16),
                         ("townName", address.townName, 35), ("countrySubDivision", address.countrySubDivision, 35)]
            for (name, value, limit) in lines { if let value { texts.append(("\(party).address.\(name)", value, limit)) } }
        }
        for (field, text, limit) in texts {
            do { _ = try MessageCharacterSet.cips.sanitize(text, field: field, maxLength: limit) } catch {
                return RailDecline(.characterSetViolation, error.description)
            }
        }
        return documentationDecline(intent)
    }

    /// Cross-border RMB needs its purpose, and for trade its invoice: the participant and the
    /// creditor's bank check the trade behind the payment before crediting.
    func documentationDecline(_ intent: PaymentIntent) -> RailDecline? {
        let accepted = settings.documentation.purposes.map(\.code).joined(separator: ", ")
        guard let code = intent.purpose else {
            return RailDecline(Self.documentationMissing,
                               "Mainland banks require the purpose of a cross-border RMB payment: set purpose to one of \(accepted).")
        }
        guard let purpose = settings.documentation.purposes.first(where: { $0.code == code }) else {
            return RailDecline(Self.documentationMissing,
                               "Purpose \(code) is not one this CIPS route documents; accepted: \(accepted).")
        }
        if purpose.invoiceReferenceRequired, Self.invoiceReference(intent) == nil {
            return RailDecline(Self.documentationMissing,
                               "A \(purpose.description) payment (\(code)) over CIPS names the invoice it pays: set reference to the invoice number (1-35 letters, digits, '-' and '.').")
        }
        return nil
    }

    /// The payment's invoice number: the payer's reference when a message can carry it.
    static func invoiceReference(_ intent: PaymentIntent) -> String? {
        // What mainland banks read after /INV/ up to the next space or slash: so neither may be in it.
        guard let reference = intent.reference, reference.wholeMatch(of: /[A-Za-z0-9.\-]{1,35}/) != nil else { return nil }
        return reference
    }

    private func documentationSummary(_ intent: PaymentIntent) -> String {
        let purpose = intent.purpose.flatMap { code in settings.documentation.purposes.first { $0.code == code } }
        let invoice = Self.invoiceReference(intent).map { ", invoice \($0)" } ?? ""
        return "purpose \(intent.purpose ?? "-")\(purpose.map { " (\($0.description))" } ?? "")\(invoice)"
    }

    /// The documentation mainland banks require for cross-border RMB is missing or not accepted.
    public static let documentationMissing = ReasonCode(rawValue: "PAYMENT_DOCUMENTATION_MISSING")
}
