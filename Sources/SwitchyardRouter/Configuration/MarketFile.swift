import Foundation
import RailKit
import RailKitSupport

/// The JSON form of `Config/market/reference-rates.json`.
struct MarketFile: Decodable {
    struct Rate: Decodable {
        var base: Currency
        var quote: Currency
        var rate: ExactDecimal
        var source: String
    }

    struct CoinPrice: Decodable {
        var coin: String
        var price: ConfiguredPrice
        var source: String
    }

    var asOf: String
    var source: String
    var midRates: [Rate]
    var coinPrices: [CoinPrice]

    func snapshot() throws(ValidationError) -> MarketSnapshot {
        guard let asOfDate = Timestamp.parse(asOf) else {
            throw ValidationError(field: "asOf", value: asOf, rule: "timestamp.format", message: "an ISO 8601 date-time with offset")
        }
        var rates = [ExchangeRate]()
        for (index, entry) in midRates.enumerated() {
            do {
                rates.append(try ExchangeRate(base: entry.base, quote: entry.quote, rate: entry.rate))
            } catch {
                throw error.at("midRates[\(index)].rate")
            }
        }
        return MarketSnapshot(asOf: asOfDate, source: "\(source) (as of \(asOf))", midRates: rates,
                              coinPrices: Dictionary(coinPrices.map { ($0.coin, $0.price.price) }, uniquingKeysWith: { first, _ in first }))
    }
}
