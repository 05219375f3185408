/// A blockchain, as a CAIP-2 identifier: `namespace:reference` (`eip155:8453` for Base,
/// `eip155:1030` for Conflux eSpace). Chain-agnostic: protocol libraries add their own readings
/// (EVMKit's `ChainID(evm:)` and `evmChainID`).
public struct ChainID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The CAIP-2 namespace (`eip155`): 3 to 8 of `a-z`, `0-9`, `-`.
    public let namespace: String
    /// The chain within the namespace: 1 to 32 of `a-z`, `A-Z`, `0-9`, `-`, `_`.
    public let reference: String

    /// Parses `namespace:reference` (CAIP-2).
    public init(_ text: String, field: String = "chain") throws(ValidationError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let namespaceCharacters: (Character) -> Bool = { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        let referenceCharacters: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        guard parts.count == 2, (3...8).contains(parts[0].count), parts[0].allSatisfy(namespaceCharacters),
              (1...32).contains(parts[1].count), parts[1].allSatisfy(referenceCharacters) else {
            throw ValidationError(field: field, value: text, rule: "chain_id.format",
                                  message: "a chain is a CAIP-2 id such as \"eip155:8453\" (or an EIP-155 chain id number)")
        }
        if parts[0] == "eip155" { try Self.checkEIP155(String(parts[1]), text: text, field: field) }
        self.init(uncheckedNamespace: String(parts[0]), reference: String(parts[1]))
    }

    /// The largest EIP-155 chain id (EIP-2294: floor(2^64 / 2) - 36, so `v` fits in 64 bits).
    public static let maximumEIP155 = UInt64.max / 2 - 36

    /// An EIP-155 reference is a chain id in decimal, 1 to ``maximumEIP155``, without leading zeros
    /// (two spellings of one chain would be two chains here).
    static func checkEIP155(_ reference: String, text: String, field: String) throws(ValidationError) {
        guard reference.utf8.allSatisfy({ (0x30...0x39).contains($0) }), reference.first != "0",
              let value = UInt64(reference), (1...maximumEIP155).contains(value) else {
            throw ValidationError(field: field, value: text, rule: "chain_id.range",
                                  message: "an EIP-155 chain id is a whole number from 1 to \(maximumEIP155) without leading zeros (EIP-2294)")
        }
    }

    /// For protocol libraries that build ids they have already validated.
    public init(uncheckedNamespace namespace: String, reference: String) {
        self.namespace = namespace
        self.reference = reference
    }

    public var description: String { "\(namespace):\(reference)" }

    /// Reads `"eip155:8453"`, or a bare number as an EIP-155 chain id (the form earlier
    /// versions and hand-written intents use).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(UInt64.self) {
            try Self.checkEIP155(String(number), text: String(number), field: CodingPath.format(decoder.codingPath))
            self.init(uncheckedNamespace: "eip155", reference: String(number))
            return
        }
        try self.init(try container.decode(String.self), field: CodingPath.format(decoder.codingPath))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
