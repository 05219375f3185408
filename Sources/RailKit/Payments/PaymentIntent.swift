import Foundation

/// Which side of a payment is fixed.
public enum FixedSide: String, Sendable, Hashable, Codable, CaseIterable {
    /// The principal the debtor sends is fixed; fees billed to the debtor come on top.
    case send
    /// The amount the creditor receives is fixed (e.g. a supplier invoice in CNH).
    case receive
}

/// The fixed amount of a payment and its side.
public struct PaymentAmount: Sendable, Hashable {
    public var money: Money
    public var fixed: FixedSide

    public init(_ money: Money, fixed: FixedSide) {
        self.money = money
        self.fixed = fixed
    }
}

/// What the payer optimises for when rails compete.
public enum RoutingObjective: Sendable, Hashable {
    /// Lowest total cost; ties go to the faster rail.
    case cheapest
    /// Earliest median arrival; ties go to the cheaper rail.
    case fastest
    /// Lowest cost plus the time value of the money in flight at `annualTimeValueRate`
    /// (0.08 = 8 % a year), charged for the median time to arrive.
    case balanced(annualTimeValueRate: ExactDecimal)

    public var name: String {
        switch self {
        case .cheapest: "cheapest"
        case .fastest: "fastest"
        case .balanced: "balanced"
        }
    }
}

/// A restriction on which configured rails may be used.
public struct RailSelection: Sendable, Hashable, Codable {
    /// If present, only these rails may be used.
    public var allowed: [RailID]?
    /// These rails must not be used.
    public var excluded: [RailID]

    public init(allowed: [RailID]? = nil, excluded: [RailID] = []) {
        self.allowed = allowed
        self.excluded = excluded
    }

    private enum CodingKeys: String, CodingKey { case allowed, excluded }
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        allowed = try container.decodeIfPresent([RailID].self, forKey: .allowed)
        excluded = try container.decodeIfPresent([RailID].self, forKey: .excluded) ?? []
    }
}

/// A payment someone wants to make: who pays whom, how much, in what currencies, by when,
/// and what to optimise. The JSON form is what the CLI's `--request` and the HTTP API accept.
///
/// A value like any struct, its fields kept in one shared box: a routing decision copies the
/// intent into every rail's quote request and into its result, and copying a dozen strings and
/// parties (each reference counted) cost more per rail than some quotes. A copy is one count; a
/// change makes a new box.
public struct PaymentIntent: Sendable, Hashable {
    @usableFromInline
    struct Fields: Sendable, Hashable {
        @usableFromInline var reference: String?
        @usableFromInline var debtor: Party
        @usableFromInline var creditor: Party
        @usableFromInline var sourceCurrency: Currency
        @usableFromInline var destinationCurrency: Currency
        @usableFromInline var amount: PaymentAmount
        @usableFromInline var purpose: String?
        @usableFromInline var remittanceInformation: String?
        @usableFromInline var deadline: Date?
        @usableFromInline var objective: RoutingObjective
        @usableFromInline var rails: RailSelection
        @usableFromInline var chargeBearer: ChargeBearer?
        @usableFromInline var travelRule: TravelRuleData?
    }

    @usableFromInline
    final class Box: Sendable {
        @usableFromInline let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    @usableFromInline
    var box: Box

    private mutating func change(_ edit: (inout Fields) -> Void) {
        var fields = box.fields
        edit(&fields)
        box = Box(fields)
    }

    /// The caller's own reference (an invoice number, say); optional.
    public var reference: String? {
        @inlinable get { box.fields.reference }
        set { change { $0.reference = newValue } }
    }
    public var debtor: Party {
        @inlinable get { box.fields.debtor }
        set { change { $0.debtor = newValue } }
    }
    public var creditor: Party {
        @inlinable get { box.fields.creditor }
        set { change { $0.creditor = newValue } }
    }
    public var sourceCurrency: Currency {
        @inlinable get { box.fields.sourceCurrency }
        set { change { $0.sourceCurrency = newValue } }
    }
    public var destinationCurrency: Currency {
        @inlinable get { box.fields.destinationCurrency }
        set { change { $0.destinationCurrency = newValue } }
    }
    public var amount: PaymentAmount {
        @inlinable get { box.fields.amount }
        set { change { $0.amount = newValue } }
    }
    /// An ISO 20022 external purpose code such as `GDDS` (purchase of goods).
    public var purpose: String? {
        @inlinable get { box.fields.purpose }
        set { change { $0.purpose = newValue } }
    }
    /// Unstructured remittance information (an invoice reference), at most 140 characters.
    public var remittanceInformation: String? {
        @inlinable get { box.fields.remittanceInformation }
        set { change { $0.remittanceInformation = newValue } }
    }
    /// The payment must arrive by this instant (compared with each rail's p95 arrival).
    public var deadline: Date? {
        @inlinable get { box.fields.deadline }
        set { change { $0.deadline = newValue } }
    }
    public var objective: RoutingObjective {
        @inlinable get { box.fields.objective }
        set { change { $0.objective = newValue } }
    }
    public var rails: RailSelection {
        @inlinable get { box.fields.rails }
        set { change { $0.rails = newValue } }
    }
    /// Who bears correspondent-banking charges; the rail's default if nil.
    public var chargeBearer: ChargeBearer? {
        @inlinable get { box.fields.chargeBearer }
        set { change { $0.chargeBearer = newValue } }
    }
    public var travelRule: TravelRuleData? {
        @inlinable get { box.fields.travelRule }
        set { change { $0.travelRule = newValue } }
    }

    public init(
        reference: String? = nil, debtor: Party, creditor: Party, sourceCurrency: Currency,
        destinationCurrency: Currency, amount: PaymentAmount, purpose: String? = nil,
        remittanceInformation: String? = nil, deadline: Date? = nil, objective: RoutingObjective = .cheapest,
        rails: RailSelection = RailSelection(), chargeBearer: ChargeBearer? = nil, travelRule: TravelRuleData? = nil
    ) throws(ValidationError) {
        box = Box(Fields(
            reference: reference, debtor: debtor, creditor: creditor, sourceCurrency: sourceCurrency,
            destinationCurrency: destinationCurrency, amount: amount, purpose: purpose,
            remittanceInformation: remittanceInformation, deadline: deadline, objective: objective, rails: rails,
            chargeBearer: chargeBearer, travelRule: travelRule))
        try validate()
    }

    public static func == (lhs: PaymentIntent, rhs: PaymentIntent) -> Bool {
        lhs.box === rhs.box || lhs.box.fields == rhs.box.fields
    }

    public func hash(into hasher: inout Hasher) { box.fields.hash(into: &hasher) }

    /// The fixed amount converted to the source currency at `mid` (for limits and thresholds).
    public func sourceEquivalent(mid: ExchangeRate) throws(MoneyError) -> Money {
        amount.fixed == .send ? amount.money : try mid.convert(amount.money, rounding: .halfEven)
    }

    /// 10^18: an amount in minor units must be below it to have at most 18 digits.
    static let maximumMinorUnits: Int128 = 1_000_000_000_000_000_000

    /// Checks the rules no single field can check alone.
    func validate() throws(ValidationError) {
        let expected = amount.fixed == .send ? sourceCurrency : destinationCurrency
        guard amount.money.asset == .fiat(expected) else {
            throw ValidationError(
                field: "amount.currency", value: amount.money.asset.code, rule: "amount.currency_mismatch",
                message: "a fixed-\(amount.fixed.rawValue) amount must be in the \(amount.fixed == .send ? "source" : "destination") currency \(expected)")
        }
        guard amount.money.minorUnits > 0 else {
            throw ValidationError(field: "amount.amount", value: amount.money.decimalValue.description,
                                  rule: "amount.not_positive", message: "the amount must be greater than zero")
        }
        // ISO 20022 amounts (ActiveCurrencyAndAmount) have at most 18 digits: no payment message
        // could carry more, and no rail without a maximum of its own should price it.
        guard amount.money.minorUnits < Self.maximumMinorUnits else {
            throw ValidationError(field: "amount.amount", value: amount.money.decimalValue.description,
                                  rule: "amount.too_many_digits", message: "an amount has at most 18 digits (ISO 20022 ActiveCurrencyAndAmount)")
        }
        if let remittanceInformation, remittanceInformation.count > 140 {
            throw ValidationError(field: "remittanceInformation", value: remittanceInformation,
                                  rule: "remittance.length", message: "at most 140 characters")
        }
        if let purpose, !(1...4).contains(purpose.count) || !purpose.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) {
            throw ValidationError(field: "purpose", value: purpose, rule: "purpose.format",
                                  message: "an ISO 20022 purpose code is 1 to 4 upper-case letters or digits, e.g. GDDS")
        }
        if case .balanced(let rate) = objective, rate.isNegative || rate > ExactDecimal(1) {
            throw ValidationError(field: "objective.annualTimeValueRate", value: rate.description,
                                  rule: "objective.rate_range", message: "an annual rate between 0 and 1 (0.08 = 8 %)")
        }
    }
}

/// Who pays correspondent-banking charges (SWIFT field 71A; ISO 20022 ChargeBearer).
public enum ChargeBearer: String, Sendable, Hashable, Codable, CaseIterable {
    /// The debtor pays all charges (ISO 20022 DEBT).
    case our = "OUR"
    /// Shared: the debtor pays its bank, intermediaries and the creditor's bank deduct (SHAR).
    case sha = "SHA"
    /// The creditor bears all charges, deducted from the amount (CRED).
    case ben = "BEN"
}
