import Foundation

extension PaymentIntent: Codable {
    private enum CodingKeys: String, CodingKey {
        case reference, debtor, creditor, sourceCurrency, destinationCurrency, amount, purpose
        case remittanceInformation, deadline, objective, rails, chargeBearer, travelRule
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let source = try container.decode(Currency.self, forKey: .sourceCurrency)
        let destination = try container.decode(Currency.self, forKey: .destinationCurrency)

        let amount = try container.decode(PaymentAmount.self, forKey: .amount)
        let objective = try container.decodeIfPresent(RoutingObjective.self, forKey: .objective) ?? .cheapest

        var deadline: Date?
        if let text = try container.decodeIfPresent(String.self, forKey: .deadline) {
            guard let parsed = Timestamp.parse(text) else {
                throw ValidationError(field: "deadline", value: text, rule: "timestamp.format",
                                      message: "an ISO 8601 date-time with a time-zone offset, e.g. 2026-11-25T17:00:00+08:00")
            }
            deadline = parsed
        }

        try self.init(
            reference: try container.decodeIfPresent(String.self, forKey: .reference),
            debtor: try container.decode(Party.self, forKey: .debtor),
            creditor: try container.decode(Party.self, forKey: .creditor),
            sourceCurrency: source, destinationCurrency: destination,
            amount: amount,
            purpose: try container.decodeIfPresent(String.self, forKey: .purpose),
            remittanceInformation: try container.decodeIfPresent(String.self, forKey: .remittanceInformation),
            deadline: deadline, objective: objective,
            rails: try container.decodeIfPresent(RailSelection.self, forKey: .rails) ?? RailSelection(),
            chargeBearer: try container.decodeIfPresent(ChargeBearer.self, forKey: .chargeBearer),
            travelRule: try container.decodeIfPresent(TravelRuleData.self, forKey: .travelRule))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(reference, forKey: .reference)
        try container.encode(debtor, forKey: .debtor)
        try container.encode(creditor, forKey: .creditor)
        try container.encode(sourceCurrency, forKey: .sourceCurrency)
        try container.encode(destinationCurrency, forKey: .destinationCurrency)
        try container.encode(amount, forKey: .amount)
        try container.encodeIfPresent(purpose, forKey: .purpose)
        try container.encodeIfPresent(remittanceInformation, forKey: .remittanceInformation)
        try container.encodeIfPresent(deadline.map(Timestamp.format), forKey: .deadline)
        try container.encode(objective, forKey: .objective)
        try container.encode(rails, forKey: .rails)
        try container.encodeIfPresent(chargeBearer, forKey: .chargeBearer)
        try container.encodeIfPresent(travelRule, forKey: .travelRule)
    }
}

extension PaymentAmount: Codable {
    private enum CodingKeys: String, CodingKey { case amount, currency, fixed }

    /// `{"amount": "250000.00", "currency": "USD", "fixed": "send"}`: a positive fiat amount; `fixed` defaults to send.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let fixed = try container.decodeIfPresent(FixedSide.self, forKey: .fixed) ?? .send
        let currency = try container.decode(Currency.self, forKey: .currency)
        let text = try container.decode(String.self, forKey: .amount)
        let money = try Money(parsing: text, asset: .fiat(currency), field: CodingPath.format(decoder.codingPath + [CodingKeys.amount]))
        self.init(money, fixed: fixed)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(money.decimalValue.description, forKey: .amount)
        try container.encode(money.asset.code, forKey: .currency)
        try container.encode(fixed, forKey: .fixed)
    }
}

extension RoutingObjective: Codable {
    private enum CodingKeys: String, CodingKey { case type, annualTimeValueRate }

    /// `"cheapest"`, or `{"type": "balanced", "annualTimeValueRate": "0.08"}`.
    public init(from decoder: any Decoder) throws {
        if let name = try? decoder.singleValueContainer().decode(String.self) {
            self = try Self.objective(named: name, rate: nil)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self = try Self.objective(named: try container.decode(String.self, forKey: .type),
                                  rate: try container.decodeIfPresent(ExactDecimal.self, forKey: .annualTimeValueRate))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .type)
        if case .balanced(let rate) = self { try container.encode(rate, forKey: .annualTimeValueRate) }
    }

    private static func objective(named name: String, rate: ExactDecimal?) throws(ValidationError) -> RoutingObjective {
        switch name {
        case "cheapest": return .cheapest
        case "fastest": return .fastest
        case "balanced":
            guard let rate else {
                throw ValidationError(field: "objective.annualTimeValueRate", value: "", rule: "objective.rate_required",
                                      message: "the balanced objective needs an annual time-value rate, e.g. {\"type\": \"balanced\", \"annualTimeValueRate\": \"0.08\"}")
            }
            return .balanced(annualTimeValueRate: rate)
        default:
            throw ValidationError(field: "objective", value: name, rule: "objective.unknown",
                                  message: "one of cheapest, fastest, balanced")
        }
    }
}
