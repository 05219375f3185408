import RailKit
import RailKitSupport
import Foundation

/// Where a rail gets currency conversions, in the style of Stellar SEP-38: an indicative price
/// for quoting, a firm quote (an id and an expiry) when a payment executes, and a booking of that
/// firm quote. Any rail may use one; providers are configuration (a rate table) or a dealer's
/// HTTP RFQ API.
public protocol FXQuoteProvider: Sendable {
    /// A price that is not binding (for quotes shown to the payer).
    func indicativePrice(_ request: FXRequest) async throws(FXError) -> FXPrice
    /// A price the provider honours until ``FirmFXQuote/expiresAt``.
    func firmQuote(_ request: FXRequest) async throws(FXError) -> FirmFXQuote
    /// Books the conversion at a firm quote. Refused with ``FXError/quoteExpired(id:expiredAt:)``
    /// once the quote has expired; booking the same id twice returns the first deal.
    func book(_ quote: FirmFXQuote, at now: Date) async throws(FXError) -> FXDeal
}

/// What to convert: sell a fixed amount, or buy a fixed amount.
public enum FXAmount: Sendable, Hashable {
    case sell(Money)
    case buy(Money)
}

/// A request to convert between two currencies.
public struct FXRequest: Sendable, Hashable {
    public var sell: Currency
    public var buy: Currency
    public var amount: FXAmount
    public var now: Date

    public init(sell: Currency, buy: Currency, amount: FXAmount, now: Date) {
        self.sell = sell
        self.buy = buy
        self.amount = amount
        self.now = now
    }
}

/// A conversion's amounts and rate: `buy = sell × rate`, each side rounded in the provider's favour.
public struct FXPrice: Sendable, Hashable {
    public var sellAmount: Money
    public var buyAmount: Money
    /// Units of the buy currency per unit of the sell currency, spread included.
    public var rate: ExchangeRate
    /// The mid rate the spread was taken from, when the provider discloses it.
    public var mid: ExchangeRate?
    /// Who priced it (for the quote's assumptions and the audit trail).
    public var source: String

    public init(sellAmount: Money, buyAmount: Money, rate: ExchangeRate, mid: ExchangeRate?, source: String) {
        self.sellAmount = sellAmount
        self.buyAmount = buyAmount
        self.rate = rate
        self.mid = mid
        self.source = source
    }
}

/// A binding price with the provider's id for it.
public struct FirmFXQuote: Sendable, Hashable {
    public var id: String
    public var price: FXPrice
    public var expiresAt: Date

    public init(id: String, price: FXPrice, expiresAt: Date) {
        self.id = id
        self.price = price
        self.expiresAt = expiresAt
    }
}

/// A booked conversion: the provider's deal reference and the amounts that will settle.
public struct FXDeal: Sendable, Hashable {
    public var dealID: String
    public var quoteID: String
    public var price: FXPrice
    public var bookedAt: Date

    public init(dealID: String, quoteID: String, price: FXPrice, bookedAt: Date) {
        self.dealID = dealID
        self.quoteID = quoteID
        self.price = price
        self.bookedAt = bookedAt
    }
}

/// Why an FX provider could not price or book.
public enum FXError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The provider does not quote this pair.
    case unsupportedPair(sell: Currency, buy: Currency)
    /// The amount is outside what the provider quotes (too small to price, above its limit).
    case amountNotQuoted(String)
    /// The firm quote's time has passed: quote again.
    case quoteExpired(id: String, expiredAt: Date)
    /// The provider does not know this quote id.
    case unknownQuote(String)
    /// No connection to the provider could be made: nothing reached it.
    case unreachable(String)
    /// The provider's answer was lost or could not be read (too slow, broken off, a 5xx): what
    /// was asked may have been done.
    case unavailable(String)

    public var description: String {
        switch self {
        case .unsupportedPair(let sell, let buy): "no FX price for \(sell)→\(buy)"
        case .amountNotQuoted(let detail): "amount not quoted: \(detail)"
        case .quoteExpired(let id, let expiredAt): "FX quote \(id) expired at \(Timestamp.format(expiredAt)); request a new quote"
        case .unknownQuote(let id): "FX quote \(id) is unknown to the provider"
        case .unreachable(let detail): "FX provider unreachable (nothing sent): \(detail)"
        case .unavailable(let detail): "FX provider unavailable: \(detail)"
        }
    }
}
