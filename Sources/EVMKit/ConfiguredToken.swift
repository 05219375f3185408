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
        guard (1...ChainID.maximumEIP155).contains(chainId) else {
            throw ValidationError(field: field + ".chainId", value: String(chainId), rule: "chain_id.range",
                                  message: "an EIP-155 chain id is from 1 to \(ChainID.maximumEIP155) (EIP-2294)")
        }
        guard (0...77).contains(nativeDecimals) else {
            throw ValidationError(field: field + ".nativeDecimals", value: String(nativeDecimals), rule: "token.decimals",
                                  message: "must be between 0 and 77 (a uint256 has at most 78 digits)")
        }
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

