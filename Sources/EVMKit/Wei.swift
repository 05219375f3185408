import RailKit
/// An on-chain amount in the chain's smallest unit (wei, or a token's base units), up to 2^128 - 1.
///
/// Stored as two 64-bit halves rather than a `UInt128` on purpose: with Swift 6.3 on Linux x86_64,
/// an `async` function taking a 16-byte-aligned value (a `UInt128`, or a struct holding only one)
/// crashed on resumption here (a jump to null in `swift_job_run`). Async APIs take `Wei`.
public struct Wei: Sendable, Hashable, Comparable, CustomStringConvertible {
    private let high: UInt64
    private let low: UInt64

    public init(_ amount: UInt128) {
        high = UInt64(truncatingIfNeeded: amount >> 64)
        low = UInt64(truncatingIfNeeded: amount)
    }

    public var amount: UInt128 { UInt128(high) << 64 | UInt128(low) }

    public static func < (lhs: Wei, rhs: Wei) -> Bool { lhs.amount < rhs.amount }
    public var description: String { String(amount) }
}

extension Wei: Codable {
    /// A decimal string: base units exceed what JSON numbers carry exactly.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let amount = UInt128(text) else {
            throw ValidationError(field: CodingPath.format(decoder.codingPath), value: text, rule: "wei.format",
                                  message: "a whole number of base units, as a decimal string")
        }
        self.init(amount)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
