import Foundation

/// A token rail's token and chain in configuration.
public struct ConfiguredToken: Decodable, Sendable {
    public var symbol: String
    public var chainId: UInt64
    public var contract: Sourced<EVMAddress>
    public var decimals: Sourced<Int>
    /// The fiat currency one token is redeemable for.
    public var denomination: Currency
    /// The chain's gas coin (`ETH`, `CFX`) and its decimals.
    public var nativeCoin: String
    public var nativeDecimals: Int

    public var chain: ChainID { ChainID(evm: chainId) }

    /// The token, after checking its decimals can hold the denomination's minor units exactly.
    public func token(field: String) throws(ValidationError) -> Token {
        guard (denomination.minorUnits...ExactDecimal.maxScale).contains(decimals.value) else {
            throw ValidationError(
                field: field + ".decimals.value", value: String(decimals.value), rule: "token.decimals",
                message: "must be between \(denomination.minorUnits) (\(denomination) minor units, so no unit is lost) and \(ExactDecimal.maxScale)")
        }
        return Token(symbol: symbol, chain: chain, contract: contract.value, decimals: decimals.value, denomination: denomination)
    }

    /// The chain's gas coin.
    public var nativeToken: Token {
        Token(symbol: nativeCoin, chain: chain, contract: nil, decimals: nativeDecimals, denomination: nil)
    }
}

/// Gas for one token transfer in configuration, until it is read from the chain.
public struct ConfiguredGas: Decodable, Sendable {
    public var transferGas: Sourced<Int>
    public var gasPriceGwei: Sourced<ExactDecimal>

    /// The network fee of one transfer, paid in `coin` and billed to the debtor in `currency`
    /// at the market's coin price (rounded up to the currency's minor unit).
    public func networkFee(coin: Token, market: MarketSnapshot, currency: Currency) throws -> (charge: Charge, assumptions: [Assumption]) {
        // Gas × gwei price is exact; one gwei is 10^-9 of the coin. Round up to the coin's base unit.
        let totalGwei = try gasPriceGwei.value.multiplied(
            by: ExactDecimal(transferGas.value), scale: gasPriceGwei.value.scale, rounding: .up)
        let coinValue = try ExactDecimal(significand: totalGwei.significand, scale: totalGwei.scale + 9)
            .rescaled(to: coin.decimals, rounding: .up)
        let (charge, price) = try Charge.networkFee(
            Money(minorUnits: coinValue.significand, asset: .token(coin)), market: market, currency: currency,
            description: "\(coin.symbol) gas for one token transfer")
        let assumptions = [
            Assumption("gas_price_gwei", gasPriceGwei.value.description, source: gasPriceGwei.source),
            Assumption("transfer_gas", String(transferGas.value), source: transferGas.source),
            Assumption("\(coin.symbol.lowercased())_price", price.description, source: market.source),
        ]
        return (charge, assumptions)
    }
}

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
