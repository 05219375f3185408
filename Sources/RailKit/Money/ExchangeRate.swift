/// A price of one currency in another: `1 base = rate quote` (e.g. USD/CNH 7.1234).
public struct ExchangeRate: Sendable, Hashable, CustomStringConvertible {
    public let base: Currency
    public let quote: Currency
    /// Units of `quote` per one unit of `base`, exact, strictly positive.
    public let rate: ExactDecimal

    public init(base: Currency, quote: Currency, rate: ExactDecimal) throws(ValidationError) {
        guard rate > .zero else {
            throw ValidationError(field: "rate", value: rate.description, rule: "rate.not_positive",
                                  message: "an exchange rate must be greater than zero")
        }
        self.base = base
        self.quote = quote
        self.rate = rate
    }

    /// The identity rate of a currency against itself.
    public static func identity(_ currency: Currency) -> ExchangeRate {
        try! ExchangeRate(base: currency, quote: currency, rate: .one)
    }

    /// Decimal places kept when a rate is inverted or derived (more than any published rate).
    public static let derivedScale = 12

    /// `1 quote = (1/rate) base`, rounded half-even to ``derivedScale`` places.
    public var inverted: ExchangeRate {
        let inverse = try! ExactDecimal.one.divided(by: rate, scale: Self.derivedScale, rounding: .halfEven)
        return try! ExchangeRate(base: quote, quote: base, rate: inverse)
    }

    /// Converts an amount in `base` (or `quote`, dividing) to the other currency, rounded by `rule`.
    public func convert(_ amount: Money, rounding rule: RoundingRule) throws(MoneyError) -> Money {
        let value = amount.decimalValue
        do {
            if amount.asset == .fiat(base) {
                let result = try value.multiplied(by: rate, scale: quote.minorUnits, rounding: rule)
                return Money(minorUnits: result.significand, asset: .fiat(quote))
            }
            if amount.asset == .fiat(quote) {
                let result = try value.divided(by: rate, scale: base.minorUnits, rounding: rule)
                return Money(minorUnits: result.significand, asset: .fiat(base))
            }
        } catch {
            throw .overflow(error.operation)
        }
        throw .assetMismatch("rate \(self) cannot convert \(amount.asset.code)")
    }

    /// How far `self` is below `mid`, in basis points of `mid` (positive = worse for a seller of base).
    public func spreadBasisPoints(against mid: ExchangeRate) -> ExactDecimal {
        let difference = (try? mid.rate.subtracting(rate)) ?? .zero
        return (try? difference.multiplied(by: ExactDecimal(10_000), scale: 30, rounding: .halfEven)
            .divided(by: mid.rate, scale: 2, rounding: .halfEven)) ?? .zero
    }

    public var description: String { "\(base)/\(quote) \(rate)" }
}

extension ExchangeRate: Codable {
    private enum CodingKeys: String, CodingKey { case base, quote, rate }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(base: try container.decode(Currency.self, forKey: .base), quote: try container.decode(Currency.self, forKey: .quote),
                      rate: try container.decode(ExactDecimal.self, forKey: .rate))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(base, forKey: .base)
        try container.encode(quote, forKey: .quote)
        try container.encode(rate, forKey: .rate)
    }
}
