import Foundation
import RailKit
import RailKitSupport

/// A dealer's rate table from configuration (`Config/market/fx-desk.json`): for each currency
/// pair, the spread below mid by size tier, and how long a firm quote holds.
public struct FXRateTable: Decodable, Sendable {
    public struct Pair: Decodable, Sendable {
        public var sell: Currency
        public var buy: Currency
        /// Tiers by the sell-side size, ordered by `upTo` (the last without a cap).
        public var tiers: [SpreadTier]
        public var minimum: ConfiguredMoney?
        public var maximum: ConfiguredMoney?
    }

    public var provider: String
    public var quoteValiditySeconds: Int
    public var pairs: [Pair]

    /// - Throws: ``ConfigurationError`` naming the file and the field.
    public static func load(from file: URL) throws -> FXRateTable {
        try ConfigurationDecoding.decode(FXRateTable.self, from: Data(contentsOf: file), file: file.path)
    }

    /// Prices a request at `mid` less the tier's spread. Rounding favours the dealer: a fixed sell
    /// buys the amount rounded down; a fixed buy costs the amount rounded up.
    public func price(_ request: FXRequest, mid: ExchangeRate, source: String) throws(FXError) -> FXPrice {
        guard let pair = pairs.first(where: { $0.sell == request.sell && $0.buy == request.buy }) else {
            throw .unsupportedPair(sell: request.sell, buy: request.buy)
        }
        guard mid.base == request.sell, mid.quote == request.buy else {
            throw .unavailable("mid rate \(mid) does not match \(request.sell)→\(request.buy)")
        }
        do {
            // The tier is chosen by the sell-side size; a fixed buy is sized at mid.
            let size: Money = switch request.amount {
            case .sell(let money): money
            case .buy(let money): try mid.convert(money, rounding: .ceiling)
            }
            if let minimum = pair.minimum?.money, size < minimum { throw FXError.amountNotQuoted("below \(minimum)") }
            if let maximum = pair.maximum?.money, maximum < size { throw FXError.amountNotQuoted("above \(maximum)") }
            guard let tier = SpreadTier.tier(for: size, in: pair.tiers) else { throw FXError.amountNotQuoted("no spread tier for \(size)") }
            let applied = try rate(belowMid: mid, basisPoints: tier.basisPoints)
            let sell: Money, buy: Money
            switch request.amount {
            case .sell(let money):
                sell = money
                buy = try applied.convert(money, rounding: .down)
            case .buy(let money):
                buy = money
                sell = try applied.convert(money, rounding: .ceiling)
            }
            guard sell.minorUnits > 0, buy.minorUnits > 0 else { throw FXError.amountNotQuoted("too small to convert") }
            return FXPrice(sellAmount: sell, buyAmount: buy, rate: applied, mid: mid,
                           source: "\(provider): mid \(mid.rate) (\(source)) less \(tier.basisPoints) bp [\(tier.source)]")
        } catch let error as FXError {
            throw error
        } catch {
            throw .amountNotQuoted("\(error)")
        }
    }
}
