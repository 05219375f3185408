import RailKit
import RailKitSupport
/// A 20-byte EVM account address, validated against its EIP-55 mixed-case checksum.
public struct EVMAddress: Sendable, Hashable, CustomStringConvertible {
    /// The 20 address bytes.
    public let bytes: [UInt8]

    /// Parses `0x` + 40 hex digits. All-lower or all-upper case is accepted as un-checksummed;
    /// mixed case must match the EIP-55 checksum exactly (a typo in a checksummed address fails).
    public init(_ text: String, field: String = "address") throws(ValidationError) {
        func fail(_ rule: String, _ message: String) -> ValidationError {
            ValidationError(field: field, value: text, rule: rule, message: message)
        }
        // Exactly `0x` and 40 ASCII hex digits: no second prefix, no sign, no other script's digits —
        // anything looser can decode to another address than the one typed.
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 42, scalars[0] == "0", scalars[1] == "x",
              scalars.dropFirst(2).allSatisfy({ $0.isASCII && $0.properties.isASCIIHexDigit }) else {
            throw fail("evm_address.format", "an EVM address is 0x followed by exactly 40 hexadecimal digits")
        }
        let body = text.dropFirst(2)
        guard let bytes = Hex.decode(String(body)), bytes.count == 20 else {
            throw fail("evm_address.format", "an EVM address is 0x followed by exactly 40 hexadecimal digits")
        }
        self.bytes = bytes
        let letters = body.filter(\.isLetter)
        let mixedCase = letters.contains(where: \.isUppercase) && letters.contains(where: \.isLowercase)
        if mixedCase && checksummed != text {
            throw fail("evm_address.checksum", "mixed-case address fails its EIP-55 checksum (expected \(checksummed))")
        }
    }

    /// Creates an address from 20 raw bytes.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 20, "an EVM address is 20 bytes")
        self.bytes = bytes
    }

    /// Lower-case hex with `0x`.
    public var lowercased: String { "0x" + Hex.encode(bytes) }

    /// The EIP-55 form: a hex letter is upper case when the matching nibble of
    /// keccak256(lower-case hex without 0x) is 8 or more.
    public var checksummed: String {
        let lower = Hex.encode(bytes)
        let hash = Keccak256.hash(lower)
        var result = "0x"
        for (index, character) in lower.enumerated() {
            let nibble = index.isMultiple(of: 2) ? hash[index / 2] >> 4 : hash[index / 2] & 0x0F
            result.append(character.isLetter && nibble >= 8 ? Character(character.uppercased()) : character)
        }
        return result
    }

    public var description: String { checksummed }
}

extension EVMAddress: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try EVMAddress(text, field: CodingPath.format(decoder.codingPath))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(checksummed)
    }
}

extension ChainID {
    /// The CAIP-2 id of an EVM chain, `eip155:<chain id>`.
    public init(evm chainID: UInt64) { self = ChainID(uncheckedNamespace: "eip155", reference: String(chainID)) }

    /// The EIP-155 chain id, for an `eip155` chain.
    public var evmChainID: UInt64? { namespace == "eip155" ? UInt64(reference) : nil }
}

extension EVMAddress {
    /// Reads an address the payment or configuration carries, checking its EIP-55 checksum.
    public init(_ address: ChainAddress, field: String = "address") throws(ValidationError) {
        try self.init(address.text, field: field)
    }

    /// The address as RailKit carries it (EIP-55 mixed case).
    public var chainAddress: ChainAddress { ChainAddress(uncheckedText: checksummed) }
}

extension Wallet {
    /// A wallet on an EVM chain.
    public init(chain: ChainID, address: EVMAddress) {
        self.init(chain: chain, address: address.chainAddress)
    }

    /// The wallet's address as an EVM address (its checksum checked).
    public func evmAddress(field: String = "wallet") throws(ValidationError) -> EVMAddress {
        try EVMAddress(address, field: field)
    }
}

extension RailReference {
    /// A transaction hash as a rail reference.
    public static func transactionHash(_ hash: String) -> RailReference { RailReference(kind: "tx_hash", value: hash) }
}
