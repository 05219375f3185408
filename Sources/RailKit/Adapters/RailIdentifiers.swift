import Foundation

/// The id of one configured rail instance, e.g. `jpmd-base` or `correspondent-hsbc-hk`.
/// Lower-case letters, digits and hyphens; stable across restarts (quotes and payments refer to it).
public struct RailID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ text: String, field: String = "rail") throws(ValidationError) {
        guard (1...64).contains(text.count),
              text.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            throw ValidationError(field: field, value: text, rule: "rail_id.format",
                                  message: "a rail id is 1 to 64 lower-case letters, digits or hyphens")
        }
        rawValue = text
    }

    /// For literals in code and tests; traps on an invalid id.
    public init(stringLiteral value: String) { try! self.init(value) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(text, field: CodingPath.format(decoder.codingPath))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (lhs: RailID, rhs: RailID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The family a rail belongs to. An open set: a new adapter module may define its own kind.
public struct RailKind: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A bank's tokenized deposit on a chain (JPMD-style).
    public static let depositToken = RailKind(rawValue: "deposit-token")
    /// SWIFT correspondent banking with ISO 20022 messages.
    public static let correspondentBanking = RailKind(rawValue: "correspondent-banking")
    /// A fiat-referenced stablecoin issued outside the banking system (AxCNH-style).
    public static let stablecoin = RailKind(rawValue: "stablecoin")

    public var description: String { rawValue }
}

/// The id of a quote, by which execution refers to it later.
public struct QuoteID: Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
