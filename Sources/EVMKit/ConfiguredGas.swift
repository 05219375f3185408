import RailKit
import RailKitSupport

/// Gas for one token transfer in configuration, until it is read from the chain.
public struct ConfiguredGas: Decodable, Sendable {
    public var transferGas: Sourced<Int>
    public var gasPriceGwei: Sourced<ExactDecimal>

    /// The network fee of one transfer, paid in `coin` and billed to the debtor in `currency`
    /// at the market's coin price (rounded up to the currency's minor unit).
    ///
    /// - Parameter description: the charge's text, `<coin> gas for one token transfer` unless a
    ///   rail passes its own (made once, at load).
    public func networkFee(coin: Token, market: MarketSnapshot, currency: Currency,
                           description: String? = nil) throws -> (charge: Charge, assumptions: [Assumption]) {
        // Gas × gwei price is exact; one gwei is 10^-9 of the coin. Round up to the coin's base unit.
        let totalGwei = try gasPriceGwei.value.multiplied(
            by: ExactDecimal(transferGas.value), scale: gasPriceGwei.value.scale, rounding: .up)
        let coinValue = try ExactDecimal(significand: totalGwei.significand, scale: totalGwei.scale + 9)
            .rescaled(to: coin.decimals, rounding: .up)
        let (charge, price) = try Charge.networkFee(
            Money(minorUnits: coinValue.significand, asset: .token(coin)), market: market, currency: currency,
            description: description ?? Self.description(coin: coin))
        // Room for the assumptions a rail adds after these, so appending does not copy the array.
        var assumptions = [Assumption]()
        assumptions.reserveCapacity(12)
        assumptions += [
            Assumption("gas_price_gwei", gasPriceGwei.value.description, source: gasPriceGwei.source),
            Assumption("transfer_gas", String(transferGas.value), source: transferGas.source),
            Assumption("\(coin.symbol.lowercased())_price", price.description, source: market.source),
        ]
        return (charge, assumptions)
    }

    /// The network fee's text for `coin`.
    public static func description(coin: Token) -> String { "\(coin.symbol) gas for one token transfer" }
}

