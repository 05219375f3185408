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
    ///   rail passes its own.
    public func networkFee(coin: Token, market: MarketSnapshot, currency: Currency,
                           description: String? = nil) throws -> (charge: Charge, assumptions: [Assumption]) {
        try prepared(coin: coin, description: description).networkFee(market: market, currency: currency)
    }

    /// What the fee is without the market, worked out once (a rail does this when it loads):
    /// the amount of `coin` one transfer burns, and the texts that say so.
    public func prepared(coin: Token, description: String? = nil) throws -> PreparedGas {
        // Gas × gwei price is exact; one gwei is 10^-9 of the coin. Round up to the coin's base unit.
        let totalGwei = try gasPriceGwei.value.multiplied(
            by: ExactDecimal(transferGas.value), scale: gasPriceGwei.value.scale, rounding: .up)
        let coinValue = try ExactDecimal(significand: totalGwei.significand, scale: totalGwei.scale + 9)
            .rescaled(to: coin.decimals, rounding: .up)
        return PreparedGas(
            coinAmount: Money(minorUnits: coinValue.significand, asset: .token(coin)),
            description: description ?? Self.description(coin: coin),
            configured: [Assumption("gas_price_gwei", gasPriceGwei.value.description, source: gasPriceGwei.source),
                         Assumption("transfer_gas", String(transferGas.value), source: transferGas.source)],
            priceName: "\(coin.symbol.lowercased())_price")
    }

    /// The network fee's text for `coin`.
    public static func description(coin: Token) -> String { "\(coin.symbol) gas for one token transfer" }
}

/// A configured network fee as a rail quotes it: the coin one transfer burns and the texts, made
/// once at load; only the coin's price is read per quote.
public struct PreparedGas: Sendable {
    /// The coin one transfer burns, rounded up to the coin's base unit.
    public let coinAmount: Money
    /// The charge's text.
    public let description: String
    /// The assumptions the configuration alone makes (gas price, gas per transfer).
    let configured: [Assumption]
    /// The name of the coin-price assumption (`eth_price`).
    let priceName: String

    /// The fee billed to the debtor in `currency` at the market's coin price (rounded up to the
    /// currency's minor unit), with the assumptions it rests on (room left for a rail's own).
    public func networkFee(market: MarketSnapshot, currency: Currency) throws -> (charge: Charge, assumptions: [Assumption]) {
        let (charge, price) = try Charge.networkFee(coinAmount, market: market, currency: currency, description: description)
        var assumptions = [Assumption]()
        assumptions.reserveCapacity(10)
        assumptions.append(contentsOf: configured)
        assumptions.append(Assumption(priceName, .price(price), source: market.source))
        return (charge, assumptions)
    }
}
