import RailKit
import RailKitSupport
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
        return Token(symbol: symbol, chain: chain, contract: contract.value.chainAddress, decimals: decimals.value, denomination: denomination)
    }

    /// The chain's gas coin.
    public var nativeToken: Token {
        Token(symbol: nativeCoin, chain: chain, contract: nil, decimals: nativeDecimals, denomination: nil)
    }
}

