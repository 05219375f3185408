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
        // anything looser can decode to another address than the one typed. Read as bytes: a
        // routing decision parses the payment's wallets on every token rail.
        var text = text
        let parsed = text.withUTF8 { utf8 -> (bytes: [UInt8], upper: Bool, lower: Bool)? in
            guard utf8.count == 42, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") else { return nil }
            var bytes = [UInt8](repeating: 0, count: 20)
            var upper = false, lower = false
            for index in 0..<40 {
                let digit = utf8[2 + index]
                guard let value = Hex.nibble(digit) else { return nil }
                if digit >= UInt8(ascii: "a") { lower = true } else if digit >= UInt8(ascii: "A") { upper = true }
                bytes[index / 2] |= index.isMultiple(of: 2) ? value << 4 : value
            }
            return (bytes, upper, lower)
        }
        guard let parsed else {
            throw fail("evm_address.format", "an EVM address is 0x followed by exactly 40 hexadecimal digits")
        }
        self.bytes = parsed.bytes
        if parsed.upper && parsed.lower && checksummed != text {
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
        let lower = Array(Hex.encode(bytes).utf8)
        let hash = Keccak256.hash(lower)
        var result: [UInt8] = [UInt8(ascii: "0"), UInt8(ascii: "x")]
        result.reserveCapacity(42)
        for (index, digit) in lower.enumerated() {
            let nibble = index.isMultiple(of: 2) ? hash[index / 2] >> 4 : hash[index / 2] & 0x0F
            // A letter a–f is upper-cased by clearing bit 5.
            result.append(digit >= UInt8(ascii: "a") && nibble >= 8 ? digit & ~0x20 : digit)
        }
        return String(decoding: result, as: UTF8.self)
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
