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
        guard text.hasPrefix("0x"), text.count == 42 else {
            throw fail("evm_address.format", "an EVM address is 0x followed by 40 hexadecimal digits")
        }
        let body = text.dropFirst(2)
        guard let bytes = Hex.decode(String(body)) else {
            throw fail("evm_address.format", "an EVM address is 0x followed by 40 hexadecimal digits")
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

/// A chain, as a CAIP-2 identifier (`eip155:8453` for Base, `eip155:1030` for Conflux eSpace).
public struct ChainID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The EIP-155 chain id.
    public let evmChainID: UInt64

    public init(evm chainID: UInt64) { self.evmChainID = chainID }

    public var description: String { "eip155:\(evmChainID)" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(UInt64.self) {
            self.init(evm: number)
            return
        }
        let text = try container.decode(String.self)
        guard text.hasPrefix("eip155:"), let number = UInt64(text.dropFirst(7)) else {
            throw ValidationError(
                field: CodingPath.format(decoder.codingPath), value: text,
                rule: "chain_id.format", message: "a chain is an EIP-155 chain id number or \"eip155:<id>\"")
        }
        self.init(evm: number)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
