import RailKit
import Foundation

/// A configured figure with the source it comes from: `{"value": …, "source": "…"}`.
/// Every fee, rate and latency in `Config/` carries its source, so an operator can check and override it.
public struct Sourced<Value: Decodable & Sendable>: Decodable, Sendable {
    public var value: Value
    public var source: String

    private enum CodingKeys: String, CodingKey { case value, source }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decode(Value.self, forKey: .value)
        source = try container.decode(String.self, forKey: .source)
        if source.isBlank {
            throw ValidationError(field: CodingPath.format(decoder.codingPath + [CodingKeys.source]),
                                  value: source, rule: "config.source_required",
                                  message: "every configured figure names its source")
        }
    }
}

/// A fiat amount in configuration: `{"amount": "25.00", "currency": "USD"}`.
public struct ConfiguredMoney: Decodable, Sendable, Hashable {
    public var money: Money

    private enum CodingKeys: String, CodingKey { case amount, currency }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let currency = try container.decode(Currency.self, forKey: .currency)
        let text = try container.decode(String.self, forKey: .amount)
        let field = CodingPath.format(decoder.codingPath + [CodingKeys.amount])
        money = try Money(parsing: text, asset: .fiat(currency), field: field)
    }
}

/// A price in configuration: `{"amount": "0.1500", "currency": "USD"}` (any number of decimals).
public struct ConfiguredPrice: Decodable, Sendable, Hashable {
    public var price: Price

    private enum CodingKeys: String, CodingKey { case amount, currency }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let currency = try container.decode(Currency.self, forKey: .currency)
        let text = try container.decode(String.self, forKey: .amount)
        let value = try ExactDecimal(parsing: text, field: CodingPath.format(decoder.codingPath + [CodingKeys.amount]))
        guard value > .zero else {
            throw ValidationError(field: CodingPath.format(decoder.codingPath + [CodingKeys.amount]), value: text,
                                  rule: "price.not_positive", message: "a price must be greater than zero")
        }
        price = Price(value, currency)
    }
}

/// A fee in configuration: fixed and/or basis points, optional bounds, and its source.
public struct ConfiguredCharge: Decodable, Sendable, Hashable {
    public var description: String?
    public var fixed: ConfiguredMoney?
    public var basisPoints: ExactDecimal?
    public var minimum: ConfiguredMoney?
    public var maximum: ConfiguredMoney?
    public var source: String

    /// The charge, with amounts converted to `currency` at `mid` (rounded up) when configured in another.
    public func charge(kind: CostKind, description fallback: String, bearer: CostBearer, in currency: Currency,
                       market: MarketSnapshot) throws -> Charge {
        func inCurrency(_ configured: ConfiguredMoney?) throws -> Money? {
            guard let money = configured?.money else { return nil }
            guard let from = money.currency, from != currency else { return money }
            return try market.midRate(from: from, to: currency).convert(money, rounding: .ceiling)
        }
        return Charge(kind: kind, description: description ?? fallback, bearer: bearer, fixed: try inCurrency(fixed),
                      basisPoints: basisPoints, minimum: try inCurrency(minimum), maximum: try inCurrency(maximum))
    }
}

/// A spread by size: the first tier whose `upTo` is at least the amount applies (`upTo` absent = no cap).
public struct SpreadTier: Decodable, Sendable, Hashable {
    public var upTo: ConfiguredMoney?
    public var basisPoints: ExactDecimal
    public var source: String

    /// The tier for `amount` (in the tiers' currency) from a list ordered by `upTo`.
    public static func tier(for amount: Money, in tiers: [SpreadTier]) -> SpreadTier? {
        // By index: `first(where:)` copied every tier it looked at (strings retained) per quote.
        for index in tiers.indices {
            guard let cap = tiers[index].upTo?.money, cap.asset == amount.asset, amount > cap else { return tiers[index] }
        }
        return nil
    }
}

/// Applies a margin of `basisPoints` below `mid`, rounded down to `scale` places (the provider
/// keeps the rounding, as a dealer quotes).
public func rate(belowMid mid: ExchangeRate, basisPoints: ExactDecimal, scale: Int = 6) throws -> ExchangeRate {
    let factor = try ExactDecimal(10_000).subtracting(basisPoints).divided(by: ExactDecimal(10_000), scale: 12, rounding: .halfEven)
    let applied = try mid.rate.multiplied(by: factor, scale: scale, rounding: .down)
    return try ExchangeRate(base: mid.base, quote: mid.quote, rate: applied)
}

/// A delay in configuration: `{"seconds": 2}`, `{"businessHours": 4, "calendar": "HK"}` or
/// `{"businessDays": 1, "calendar": "HK"}`.
public struct ConfiguredLatency: Decodable, Sendable, Hashable {
    public var seconds: Int?
    public var businessHours: Int?
    public var businessDays: Int?
    public var calendar: String?

    /// The latency with its calendar resolved.
    public func resolve(_ context: RailConfigurationContext, field: String) throws(ValidationError) -> Latency {
        let set = [seconds, businessHours, businessDays].compactMap { $0 }
        guard set.count == 1, let amount = set.first, amount >= 0 else {
            throw ValidationError(field: field, value: "", rule: "latency.shape",
                                  message: "exactly one of seconds, businessHours, businessDays, not negative")
        }
        if let seconds { return .seconds(seconds) }
        guard let calendar else {
            throw ValidationError(field: field + ".calendar", value: "", rule: "latency.calendar_required",
                                  message: "business-time latencies name a calendar")
        }
        let resolved = try context.calendar(calendar, field: field + ".calendar")
        return businessHours != nil ? .businessHours(amount, calendar: resolved) : .businessDays(amount, calendar: resolved)
    }
}

/// Earliest, p50 and p95 latencies with their source.
public struct ConfiguredLatencyProfile: Decodable, Sendable, Hashable {
    public var earliest: ConfiguredLatency
    public var p50: ConfiguredLatency
    public var p95: ConfiguredLatency
    public var source: String

    public func resolve(_ context: RailConfigurationContext, field: String) throws(ValidationError) -> LatencyProfile {
        LatencyProfile(earliest: try earliest.resolve(context, field: field + ".earliest"),
                       p50: try p50.resolve(context, field: field + ".p50"),
                       p95: try p95.resolve(context, field: field + ".p95"))
    }
}
