/// An account or contract address on a chain, as the chain writes it (CAIP-10's account address).
///
/// RailKit checks only what holds on every chain plus the `eip155` shape (`0x` and exactly 40
/// hexadecimal digits, nothing else), so a typed address is never read as another one; a
/// protocol library checks the rest where it uses the address (EVMKit the EIP-55 checksum).
public struct ChainAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The address exactly as given.
    public let text: String

    /// Checks `text` as an address on `chain`.
    public init(_ text: String, on chain: ChainID, field: String = "address") throws(ValidationError) {
        if chain.namespace == "eip155" {
            let body = text.utf8.dropFirst(2)
            guard text.hasPrefix("0x"), body.count == 40, body.allSatisfy(Self.isHexDigit) else {
                throw ValidationError(field: field, value: text, rule: "evm_address.format",
                                      message: "an EVM address is 0x followed by 40 hexadecimal digits")
            }
        } else {
            // CAIP-10: 1 to 128 of a-z, A-Z, 0-9, '-', '.', '%'.
            guard (1...128).contains(text.count),
                  text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.%".contains($0)) }) else {
                throw ValidationError(field: field, value: text, rule: "chain_address.format",
                                      message: "an address is 1 to 128 letters, digits, '-', '.' or '%' (CAIP-10)")
            }
        }
        self.text = text
    }

    /// For protocol libraries that build addresses they have already validated.
    public init(uncheckedText text: String) { self.text = text }

    public var description: String { text }

    /// Hex addresses compare without regard to case (EIP-55 case is only a checksum).
    public static func == (lhs: ChainAddress, rhs: ChainAddress) -> Bool { lhs.canonical == rhs.canonical }
    public func hash(into hasher: inout Hasher) { hasher.combine(canonical) }

    private var canonical: String { text.hasPrefix("0x") ? text.lowercased() : text }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    public init(from decoder: any Decoder) throws {
        text = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
