/// An exact amount of an asset, held in the asset's smallest unit (cents, token base units).
public struct Money: Sendable, Hashable {
    /// What the amount is in.
    public let asset: Asset
    /// The amount, without 16-byte alignment (see ``Int128Halves``).
    private let units: Int128Halves

    /// The amount in smallest units (for USD, cents).
    public var minorUnits: Int128 { units.value }

    public init(minorUnits: Int128, asset: Asset) {
        self.asset = asset
        units = Int128Halves(minorUnits)
    }

    /// Creates an amount from a decimal value that must fit the asset's decimals exactly.
    public init(exactly value: ExactDecimal, asset: Asset, field: String = "amount") throws(ValidationError) {
        guard let scaled = value.exactly(atScale: asset.decimals) else {
            throw ValidationError(
                field: field, value: value.description, rule: "decimal.too_many_decimals",
                message: "\(asset.code) has \(asset.decimals) decimal places; \(value) has more")
        }
        self.init(minorUnits: scaled.significand, asset: asset)
    }

    /// Parses a decimal string such as `"250000.00"`: no more decimals than the asset has,
    /// no exponent, not negative unless `allowNegative`.
    public init(parsing text: String, asset: Asset, field: String = "amount", allowNegative: Bool = false) throws(ValidationError) {
        let value = try ExactDecimal(parsing: text, field: field, maxScale: asset.decimals, allowNegative: allowNegative)
        try self.init(exactly: value, asset: asset, field: field)
    }

    /// Zero of `asset`.
    public static func zero(_ asset: Asset) -> Money { Money(minorUnits: 0, asset: asset) }
    /// A fiat amount from a decimal string (not negative, no more decimals than the currency has).
    public static func fiat(_ text: String, _ currency: Currency) throws(ValidationError) -> Money {
        try Money(parsing: text, asset: .fiat(currency))
    }

    /// The amount as a decimal number with exactly the asset's decimals.
    public var decimalValue: ExactDecimal { ExactDecimal(significand: minorUnits, scale: asset.decimals) }
    public var isZero: Bool { minorUnits == 0 }
    public var isNegative: Bool { minorUnits < 0 }
    public var currency: Currency? { asset.currency }

    /// `self + other`; both must be in the same asset.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        try requireSameAsset(other, "add")
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        if overflow { throw .overflow("\(self) + \(other)") }
        return Money(minorUnits: sum, asset: asset)
    }

    /// `self - other`; both must be in the same asset.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try requireSameAsset(other, "subtract")
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        if overflow { throw .overflow("\(self) - \(other)") }
        return Money(minorUnits: difference, asset: asset)
    }

    /// `self × factor`, rounded to the asset's smallest unit.
    public func multiplied(by factor: ExactDecimal, rounding rule: RoundingRule) throws(MoneyError) -> Money {
        do {
            let product = try decimalValue.multiplied(by: factor, scale: asset.decimals, rounding: rule)
            return Money(minorUnits: product.significand, asset: asset)
        } catch {
            throw .overflow(error.operation)
        }
    }

    /// The same value in another asset with a 1:1 relationship (CNH ↔ a CNH token, USD ↔ JPMD).
    ///
    /// Going to more decimals is always exact. Going to fewer decimals must not drop a unit:
    /// it throws ``MoneyError/inexact(_:)`` unless a `rounding` rule is given.
    public func rebased(to target: Asset, rounding rule: RoundingRule? = nil) throws(MoneyError) -> Money {
        let value = decimalValue
        if let exact = value.exactly(atScale: target.decimals) {
            return Money(minorUnits: exact.significand, asset: target)
        }
        guard let rule else {
            throw .inexact("\(value) \(asset.code) has more precision than \(target.code) (\(target.decimals) decimals); converting would drop a fraction of a unit")
        }
        do {
            return Money(minorUnits: try value.rescaled(to: target.decimals, rounding: rule).significand, asset: target)
        } catch {
            throw .overflow(error.operation)
        }
    }

    private func requireSameAsset(_ other: Money, _ operation: String) throws(MoneyError) {
        guard asset == other.asset else { throw .assetMismatch("cannot \(operation) \(asset.code) and \(other.asset.code)") }
    }
}

extension Money: CustomStringConvertible {
    /// `250000.00 USD`.
    public var description: String { "\(decimalValue) \(asset.code)" }
}

extension Money: Comparable {
    /// Orders amounts of the same asset; amounts of different assets order by asset code first.
    public static func < (lhs: Money, rhs: Money) -> Bool {
        lhs.asset == rhs.asset ? lhs.minorUnits < rhs.minorUnits : lhs.asset.code < rhs.asset.code
    }
}

extension Money: Codable {
    private enum CodingKeys: String, CodingKey { case amount, currency, token }

    /// `{"amount": "250000.00", "currency": "USD"}`: a decimal string, never a JSON number. A token
    /// amount adds the token (`"currency"` is then `SYMBOL@chain`), so it reads back exactly.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(decimalValue.description, forKey: .amount)
        try container.encode(asset.code, forKey: .currency)
        if case .token(let token) = asset { try container.encode(token, forKey: .token) }
    }

    /// Reads what ``encode(to:)`` writes. The amount may carry fewer decimals than the asset, never
    /// more; a sign is kept (amounts in a journal are read back as written).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let path = CodingPath.format(decoder.codingPath)
        let asset: Asset
        if let token = try container.decodeIfPresent(Token.self, forKey: .token) {
            asset = .token(token)
        } else {
            asset = .fiat(try container.decode(Currency.self, forKey: .currency))
        }
        let text = try container.decode(String.self, forKey: .amount)
        try self.init(parsing: text, asset: asset, field: path.isEmpty ? "amount" : path + ".amount", allowNegative: true)
    }
}

/// A failure of money arithmetic.
public enum MoneyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The two amounts are in different assets.
    case assetMismatch(String)
    /// The result does not fit in 128 bits.
    case overflow(String)
    /// The conversion would lose or invent a unit.
    case inexact(String)

    public var description: String {
        switch self {
        case .assetMismatch(let detail): "asset mismatch: \(detail)"
        case .overflow(let detail): "arithmetic overflow: \(detail)"
        case .inexact(let detail): "inexact conversion: \(detail)"
        }
    }
}

extension Sequence where Element == Money {
    /// The exact sum, in `asset` (every element must be in that asset).
    public func sum(in asset: Asset) throws(MoneyError) -> Money {
        var total = Money.zero(asset)
        for amount in self { total = try total.adding(amount) }
        return total
    }
}
