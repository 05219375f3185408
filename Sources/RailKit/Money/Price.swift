/// The price of one unit of something (a chain's coin) in a fiat currency. A rate, not an amount
/// to pay, so it may carry more decimals than the currency's minor units (CFX at 0.1500 USD).
public struct Price: Sendable, Hashable, Codable, CustomStringConvertible {
    public var amount: ExactDecimal
    public var currency: Currency

    public init(_ amount: ExactDecimal, _ currency: Currency) {
        self.amount = amount
        self.currency = currency
    }

    public var description: String { "\(amount) \(currency)" }
}

