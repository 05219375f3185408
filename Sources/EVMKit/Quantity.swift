import RailKit
import RailKitSupport

/// Ethereum JSON-RPC's hex encodings: quantities (`0x` + hex without leading zeros) and data
/// (`0x` + an even number of hex digits).
public enum Quantity {
    /// `0x0`, `0x1f`, ...
    public static func hex<Integer: UnsignedInteger & FixedWidthInteger>(_ value: Integer) -> String {
        "0x" + String(value, radix: 16)
    }

    /// Parses a quantity into `Integer`; a value that does not fit or is not hex is an error naming the field.
    public static func parse<Integer: UnsignedInteger & FixedWidthInteger>(
        _ value: JSONValue?, field: String, as: Integer.Type = Integer.self
    ) throws(EVMClientError) -> Integer {
        guard let text = value?.stringValue, text.hasPrefix("0x"), text.count > 2,
              let integer = Integer(text.dropFirst(2), radix: 16) else {
            throw .malformedResponse("\(field): expected a hex quantity fitting \(Integer.self), got \(value.map { "\($0)" } ?? "nothing")")
        }
        return integer
    }

    /// Parses hex data (`0x` alone is empty).
    public static func data(_ value: JSONValue?, field: String) throws(EVMClientError) -> [UInt8] {
        guard let text = value?.stringValue, text.hasPrefix("0x"), let bytes = Hex.decode(text) else {
            throw .malformedResponse("\(field): expected 0x-prefixed hex data")
        }
        return bytes
    }

    public static func dataHex(_ bytes: [UInt8]) -> String { "0x" + Hex.encode(bytes) }

    public static func address(_ value: JSONValue?, field: String) throws(EVMClientError) -> EVMAddress {
        // Nodes answer EIP-55 checksummed or lower case; compare as bytes, never as text.
        let bytes = try data(value, field: field)
        guard bytes.count == 20 else { throw .malformedResponse("\(field): an address is 20 bytes") }
        return EVMAddress(bytes: bytes)
    }
}
