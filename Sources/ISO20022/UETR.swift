import RailKit
import RailKitSupport
import Foundation

/// A Unique End-to-end Transaction Reference: a UUID version 4 in lower-case hex, as SWIFT gpi
/// and CBPR+ require (`[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}`).
public struct UETR: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ text: String, field: String = "uetr") throws(ValidationError) {
        guard Self.matchesPattern(text) else {
            throw ValidationError(
                field: field, value: text, rule: "uetr.format",
                message: "a UETR is a lower-case UUID version 4 (xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx)")
        }
        self.value = text
    }

    /// A fresh random UETR (known before the payment is sent, so it can be stored first).
    public static func random() -> UETR {
        try! UETR(UUID().uuidString.lowercased())
    }

    /// Makes a UETR from 16 bytes, setting the version and variant bits (for deterministic tests).
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16)
        var raw = bytes
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        let hex = Hex.encode(raw)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }
        self.value = parts.joined(separator: "-")
    }

    private static func matchesPattern(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.count == 36 else { return false }
        let isHex: (Character) -> Bool = { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
        for (index, character) in characters.enumerated() {
            switch index {
            case 8, 13, 18, 23: if character != "-" { return false }
            case 14: if character != "4" { return false }
            case 19: if !"89ab".contains(character) { return false }
            default: if !isHex(character) { return false }
            }
        }
        return true
    }

    public var description: String { value }
}

extension UETR: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try UETR(text, field: CodingPath.format(decoder.codingPath))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
