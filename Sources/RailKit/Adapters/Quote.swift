import Foundation

/// What a cost is for. An open set, like ``ReasonCode``.
public struct CostKind: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    // Codable comes from RawRepresentable: a cost kind is its string.

    public static let networkFee = CostKind(rawValue: "network_fee")
    public static let fxMargin = CostKind(rawValue: "fx_margin")
    public static let senderBankFee = CostKind(rawValue: "sender_bank_fee")
    public static let intermediaryBankFee = CostKind(rawValue: "intermediary_bank_fee")
    public static let beneficiaryBankFee = CostKind(rawValue: "beneficiary_bank_fee")
    public static let chargesGuaranteeFee = CostKind(rawValue: "our_charges_fee")
    public static let issuerFee = CostKind(rawValue: "issuer_fee")
    public static let onRampFee = CostKind(rawValue: "on_ramp_fee")
    public static let offRampFee = CostKind(rawValue: "off_ramp_fee")
    public static let payoutFee = CostKind(rawValue: "payout_fee")
}

/// Who bears a cost.
public enum CostBearer: String, Sendable, Hashable, Codable {
    case debtor
    case creditor
}

/// How a cost is collected.
public enum CostCollection: String, Sendable, Hashable, Codable {
    /// Billed to the debtor on top of the principal.
    case billed
    /// Deducted from the amount in flight, so the creditor receives less.
    case deducted
    /// Inside the FX rate (the margin against the mid rate).
    case inRate = "in_rate"
}

/// One itemised cost of a quote.
public struct CostItem: Sendable, Hashable, Codable {
    public var kind: CostKind
    /// Who takes the fee, for people (e.g. "intermediary CITIUS33").
    public var description: String
    /// The cost in the quote's source currency (converted at the mid rate, rounded up so a cost is
    /// never understated). The costs of a quote sum exactly to its ``Quote/totalCost``.
    public var amount: Money
    /// The cost in the asset it is actually charged in (gas in ETH, a fee in CNH), when different.
    public var charged: Money?
    public var bearer: CostBearer
    public var collection: CostCollection

    public init(kind: CostKind, description: String, amount: Money, charged: Money? = nil,
                bearer: CostBearer, collection: CostCollection) {
        self.kind = kind
        self.description = description
        self.amount = amount
        self.charged = charged
        self.bearer = bearer
        self.collection = collection
    }
}

/// The FX applied by a quote and the mid rate it is measured against.
public struct FXDetail: Sendable, Hashable, Codable {
    /// The rate the payment converts at (source → destination).
    public var applied: ExchangeRate
    /// The reference mid rate.
    public var mid: ExchangeRate
    /// `(mid - applied) / mid` in basis points.
    public var marginBasisPoints: ExactDecimal
    /// Where the mid rate came from and when.
    public var midSource: String

    public init(applied: ExchangeRate, mid: ExchangeRate, midSource: String) {
        self.applied = applied
        self.mid = mid
        self.marginBasisPoints = applied.spreadBasisPoints(against: mid)
        self.midSource = midSource
    }
}

/// When a payment is expected to reach the creditor.
public struct SettlementEstimate: Sendable, Hashable, Codable {
    /// The earliest instant the creditor can possibly be credited.
    public var earliest: Date
    /// Median arrival.
    public var p50: Date
    /// 95th-percentile arrival.
    public var p95: Date

    public init(earliest: Date, p50: Date, p95: Date) {
        self.earliest = earliest
        self.p50 = p50
        self.p95 = p95
    }

    /// Seconds from `now` to the median arrival.
    public func p50Seconds(from now: Date) -> Int { Int(p50.timeIntervalSince(now).rounded(.up)) }
    /// Seconds from `now` to the 95th-percentile arrival.
    public func p95Seconds(from now: Date) -> Int { Int(p95.timeIntervalSince(now).rounded(.up)) }
}

/// A fact the quote relied on (a gas price and its source, a calendar, a default charge bearer).
///
/// A figure is kept as data (``Content``) and written as text only when ``value`` is read: most
/// quotes are ranked and dropped without anyone reading their assumptions, and writing them all
/// out was a tenth of a quote's time. Equal and hashed by the text, as the value it stands for.
public struct Assumption: Sendable, Hashable, Codable {
    public var name: String
    /// The value as data, written as text when ``value`` is read.
    public var content: Content
    public var source: String

    /// The value as people and the API read it.
    public var value: String {
        get { content.text }
        set { content = .text(newValue) }
    }

    public init(_ name: String, _ value: String, source: String) {
        self.init(name, .text(value), source: source)
    }

    /// An assumption whose value is a figure, written as text only when read.
    public init(_ name: String, _ content: Content, source: String) {
        self.name = name
        self.content = content
        self.source = source
    }

    /// An assumption's value: text, or a figure written as text when read.
    public enum Content: Sendable {
        case text(String)
        /// A number as ``ExactDecimal`` writes it (`25`, `0.5`).
        case decimal(ExactDecimal)
        /// An instant in RFC 3339 UTC (``Timestamp/format(_:)``).
        case instant(Date)
        /// `7.12 USD`.
        case price(Price)
        /// `12.50 USD`.
        case money(Money)
        /// Tokens with their base units: `1000.000000 JPMD (1000000000 base units)`, then
        /// ` to <recipient>` when there is one.
        case tokenAmount(Money, recipient: String?)

        /// The value as text.
        public var text: String {
            switch self {
            case .text(let text): text
            case .decimal(let decimal): decimal.description
            case .instant(let instant): Timestamp.format(instant)
            case .price(let price): price.description
            case .money(let money): money.description
            case .tokenAmount(let amount, let recipient):
                "\(amount.decimalValue) \(Self.symbol(amount.asset)) (\(amount.minorUnits) base units)" + (recipient.map { " to \($0)" } ?? "")
            }
        }

        /// A token's ticker (a currency's code).
        private static func symbol(_ asset: Asset) -> String {
            switch asset {
            case .token(let token): token.symbol
            case .fiat(let currency): currency.code
            }
        }
    }

    public static func == (lhs: Assumption, rhs: Assumption) -> Bool {
        lhs.name == rhs.name && lhs.source == rhs.source && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(value)
        hasher.combine(source)
    }

    private enum CodingKeys: String, CodingKey { case name, value, source }

    /// `{"name": ..., "value": <text>, "source": ...}`: the value as text, whatever it was given as.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode(String.self, forKey: .name), try container.decode(String.self, forKey: .value),
                  source: try container.decode(String.self, forKey: .source))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(value, forKey: .value)
        try container.encode(source, forKey: .source)
    }
}

/// Whether the rail is bound by the price until expiry.
public enum QuoteFirmness: String, Sendable, Hashable, Codable {
    case firm
    case indicative
}

/// A price: the principal, what the debtor pays, what the creditor receives, and why.
public struct PriceBreakdown: Sendable, Hashable, Codable {
    public var principal: Money
    public var debtorPays: Money
    public var creditorReceives: Money
    public var fx: FXDetail?
    /// Every cost in the source currency; they sum exactly to ``totalCost``.
    public var costs: [CostItem]
    public var totalCost: Money

    public init(principal: Money, debtorPays: Money, creditorReceives: Money, fx: FXDetail?, costs: [CostItem], totalCost: Money) {
        self.principal = principal
        self.debtorPays = debtorPays
        self.creditorReceives = creditorReceives
        self.fx = fx
        self.costs = costs
        self.totalCost = totalCost
    }
}

/// A rail's price and timing for one payment.
public struct Quote: Sendable, Hashable, Codable {
    public var id: QuoteID
    public var railID: RailID
    public var firmness: QuoteFirmness
    public var createdAt: Date
    public var expiresAt: Date
    /// The principal sent, in the source currency.
    public var principal: Money
    /// Everything the debtor is debited: principal plus billed costs (source currency).
    public var debtorPays: Money
    /// What the creditor is credited (destination currency).
    public var creditorReceives: Money
    /// FX, when the currencies differ.
    public var fx: FXDetail?
    public var costs: [CostItem]
    /// The exact sum of ``costs`` (source currency).
    public var totalCost: Money
    public var eta: SettlementEstimate
    public var assumptions: [Assumption]

    public init(id: QuoteID, railID: RailID, firmness: QuoteFirmness, createdAt: Date, expiresAt: Date,
                breakdown: PriceBreakdown, eta: SettlementEstimate, assumptions: [Assumption]) {
        self.id = id
        self.railID = railID
        self.firmness = firmness
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.principal = breakdown.principal
        self.debtorPays = breakdown.debtorPays
        self.creditorReceives = breakdown.creditorReceives
        self.fx = breakdown.fx
        self.costs = breakdown.costs
        self.totalCost = breakdown.totalCost
        self.eta = eta
        self.assumptions = assumptions
    }
}

/// A rail's answer to a quote request: a price, or a reasoned no.
public enum QuoteOutcome: Sendable, Hashable {
    case quoted(Quote)
    case declined(RailDecline)
}

extension QuoteOutcome: Codable {
    private enum CodingKeys: String, CodingKey { case quoted, declined }

    /// `{"quoted": {...}}` or `{"declined": {"code": ..., "message": ...}}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .quoted(let quote): try container.encode(quote, forKey: .quoted)
        case .declined(let decline): try container.encode(decline, forKey: .declined)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let quote = try container.decodeIfPresent(Quote.self, forKey: .quoted) {
            self = .quoted(quote)
        } else {
            self = .declined(try container.decode(RailDecline.self, forKey: .declined))
        }
    }
}
