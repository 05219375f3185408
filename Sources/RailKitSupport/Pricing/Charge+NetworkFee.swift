import RailKit

extension Charge {
    /// A network fee paid in a chain's coin, billed to the debtor in `currency` at the market's
    /// coin price, rounded up to the currency's minor unit. Returns the price used too.
    public static func networkFee(_ coinAmount: Money, market: MarketSnapshot, currency: Currency,
                                  description: String) throws -> (charge: Charge, price: Price) {
        guard case .token(let coin) = coinAmount.asset else { throw MoneyError.assetMismatch("a network fee is paid in a chain coin, not \(coinAmount.asset.code)") }
        let price = try market.coinPrice(coin.symbol, in: currency)
        let fiat = try coinAmount.decimalValue.multiplied(by: price.amount, scale: currency.minorUnits, rounding: .ceiling)
        let charge = Charge(kind: .networkFee, description: description, bearer: .debtor,
                            fixed: Money(minorUnits: fiat.significand, asset: .fiat(currency)), charged: coinAmount)
        return (charge, price)
    }
}
