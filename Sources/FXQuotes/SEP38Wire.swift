import Foundation
import RailKit
import RailKitSupport

/// The JSON of a SEP-38 style RFQ API (Stellar SEP-38 "Anchor RFQ"), shared by the client and
/// the sandbox desk: assets as `iso4217:USD`, amounts as decimal strings, `price` as units of
/// the sell asset per unit of the buy asset. `x_rate` (buy per sell, exact) and `x_source` are
/// Switchyard extensions; `POST /quote/{id}/book` is the booking extension.
public enum SEP38Wire {
    public struct PriceResponse: Codable, Sendable {
        public var price: String
        public var total_price: String
        public var sell_amount: String
        public var buy_amount: String
        public var x_rate: String?
        public var x_mid: String?
        public var x_source: String?
    }

    public struct QuoteRequest: Codable, Sendable {
        public var sell_asset: String
        public var buy_asset: String
        public var sell_amount: String?
        public var buy_amount: String?
        public var context: String

        public init(sell_asset: String, buy_asset: String, sell_amount: String?, buy_amount: String?, context: String = "sep31") {
            self.sell_asset = sell_asset
            self.buy_asset = buy_asset
            self.sell_amount = sell_amount
            self.buy_amount = buy_amount
            self.context = context
        }
    }

    public struct QuoteResponse: Codable, Sendable {
        public var id: String
        public var expires_at: String
        public var price: String
        public var total_price: String
        public var sell_asset: String
        public var sell_amount: String
        public var buy_asset: String
        public var buy_amount: String
        public var x_rate: String?
        public var x_mid: String?
        public var x_source: String?
    }

    public struct BookResponse: Codable, Sendable {
        public var deal_id: String
        public var quote_id: String
        public var booked_at: String
        public init(deal_id: String, quote_id: String, booked_at: String) {
            self.deal_id = deal_id
            self.quote_id = quote_id
            self.booked_at = booked_at
        }
    }

    public struct ErrorResponse: Codable, Sendable {
        public var error: String
        public var expired_at: String?
        public init(error: String, expired_at: String? = nil) {
            self.error = error
            self.expired_at = expired_at
        }
    }

    public static func asset(_ currency: Currency) -> String { "iso4217:\(currency.code)" }

    public static func currency(_ asset: String) -> Currency? {
        guard asset.hasPrefix("iso4217:") else { return nil }
        return try? Currency(code: String(asset.dropFirst(8)))
    }

    /// SEP-38 `price`: sell units per one buy unit, 10 places.
    public static func price(_ price: FXPrice) -> String {
        (try? price.sellAmount.decimalValue.divided(by: price.buyAmount.decimalValue, scale: 10, rounding: .halfEven).description) ?? "0"
    }

    public static func response(_ price: FXPrice) -> PriceResponse {
        PriceResponse(price: self.price(price), total_price: self.price(price), sell_amount: price.sellAmount.decimalValue.description,
                      buy_amount: price.buyAmount.decimalValue.description, x_rate: price.rate.rate.description,
                      x_mid: price.mid?.rate.description, x_source: price.source)
    }

    public static func response(_ quote: FirmFXQuote) -> QuoteResponse {
        let price = response(quote.price)
        return QuoteResponse(id: quote.id, expires_at: Timestamp.format(quote.expiresAt), price: price.price, total_price: price.total_price,
                             sell_asset: asset(quote.price.rate.base), sell_amount: price.sell_amount,
                             buy_asset: asset(quote.price.rate.quote), buy_amount: price.buy_amount,
                             x_rate: price.x_rate, x_mid: price.x_mid, x_source: price.x_source)
    }

    /// Reads a price from the wire, exactly: amounts in their currencies' minor units.
    public static func price(sell: Currency, buy: Currency, sellAmount: String, buyAmount: String, rate: String?, mid: String?,
                             source: String?) throws(FXError) -> FXPrice {
        do {
            let sellMoney = try Money(parsing: sellAmount, asset: .fiat(sell), field: "sell_amount")
            let buyMoney = try Money(parsing: buyAmount, asset: .fiat(buy), field: "buy_amount")
            let applied: ExchangeRate
            if let rate {
                applied = try ExchangeRate(base: sell, quote: buy, rate: try ExactDecimal(parsing: rate, field: "x_rate"))
            } else {
                let derived = try buyMoney.decimalValue.divided(by: sellMoney.decimalValue, scale: ExchangeRate.derivedScale, rounding: .halfEven)
                applied = try ExchangeRate(base: sell, quote: buy, rate: derived)
            }
            let midRate = try mid.map { text throws in try ExchangeRate(base: sell, quote: buy, rate: try ExactDecimal(parsing: text, field: "x_mid")) }
            return FXPrice(sellAmount: sellMoney, buyAmount: buyMoney, rate: applied, mid: midRate, source: source ?? "SEP-38 provider")
        } catch {
            throw .unavailable("malformed price from the provider: \(error)")
        }
    }
}
