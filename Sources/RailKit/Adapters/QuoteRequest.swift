import Foundation
import Logging

/// Everything an adapter needs to quote, passed in so quoting is deterministic:
/// the same request gives the same quote.
public struct QuoteRequest: Sendable {
    /// The id the quote must carry (assigned by the router so ids are unique and storable).
    public var quoteID: QuoteID
    public var intent: PaymentIntent
    /// The instant the quote is made at (from the router's injected clock).
    public var now: Date
    public var market: MarketSnapshot
    /// Carries the rail (and the payment, once there is one) in its metadata: log outbound calls here.
    public var logger: Logger

    public init(quoteID: QuoteID, intent: PaymentIntent, now: Date, market: MarketSnapshot,
                logger: Logger = Logger(label: "switchyard.rail", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.quoteID = quoteID
        self.intent = intent
        self.now = now
        self.market = market
        self.logger = logger
    }
}

extension QuoteRequest: Codable {
    private enum CodingKeys: String, CodingKey { case quoteID, intent, now, market }

    /// The logger is local to a process and is not carried.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(quoteID: try container.decode(QuoteID.self, forKey: .quoteID), intent: try container.decode(PaymentIntent.self, forKey: .intent),
                  now: try container.decode(Date.self, forKey: .now), market: try container.decode(MarketSnapshot.self, forKey: .market))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(quoteID, forKey: .quoteID)
        try container.encode(intent, forKey: .intent)
        try container.encode(now, forKey: .now)
        try container.encode(market, forKey: .market)
    }
}

/// Reference mid rates and coin prices at one moment, with their sources.
public struct MarketSnapshot: Sendable, Hashable, Codable {
    public var asOf: Date
    /// Where the figures come from (a feed, or the configuration file and its date).
    public var source: String
    public var midRates: [ExchangeRate]
    /// Prices of chain coins (gas) in a fiat currency, keyed by coin symbol (`ETH`, `CFX`).
    public var coinPrices: [String: Price]

    public init(asOf: Date, source: String, midRates: [ExchangeRate], coinPrices: [String: Price]) {
        self.asOf = asOf
        self.source = source
        self.midRates = midRates
        self.coinPrices = coinPrices
    }

    /// The mid rate `base → quote`: identity, a configured rate, its inverse, or a cross via USD.
    public func midRate(from base: Currency, to quote: Currency) throws(RailError) -> ExchangeRate {
        if base == quote { return .identity(base) }
        if let direct = midRates.first(where: { $0.base == base && $0.quote == quote }) { return direct }
        if let reverse = midRates.first(where: { $0.base == quote && $0.quote == base }) { return reverse.inverted }
        if base != .usd, quote != .usd,
           let first = try? midRate(from: base, to: .usd), let second = try? midRate(from: .usd, to: quote),
           let cross = try? first.rate.multiplied(by: second.rate, scale: ExchangeRate.derivedScale, rounding: .halfEven),
           let rate = try? ExchangeRate(base: base, quote: quote, rate: cross) {
            return rate
        }
        throw .misconfigured("no mid rate for \(base)/\(quote) in the market data (\(source))")
    }

    /// The price of one `coin` in `currency` (converted at mid when quoted in another currency).
    public func coinPrice(_ coin: String, in currency: Currency) throws(RailError) -> Price {
        guard let price = coinPrices[coin] else {
            throw .misconfigured("no \(coin) price in the market data (\(source))")
        }
        if price.currency == currency { return price }
        let rate = try midRate(from: price.currency, to: currency)
        do {
            return Price(try price.amount.multiplied(by: rate.rate, scale: ExchangeRate.derivedScale, rounding: .halfEven), currency)
        } catch {
            throw .money(.overflow(error.operation))
        }
    }
}
