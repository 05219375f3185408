/// An exact base-10 number: `significand × 10^-scale`, held in a 128-bit integer.
///
/// Money and rates are never binary floating point. Arithmetic that can lose digits
/// (multiplication to a smaller scale, division) takes an explicit ``RoundingRule``;
/// arithmetic that can overflow throws ``ArithmeticOverflow`` instead of trapping.
public struct ExactDecimal: Sendable {
    /// The integer digits, without 16-byte alignment (see ``Int128Halves``).
    private let halves: Int128Halves
    /// How many of the digits are after the decimal point (0...``maxScale``).
    public let scale: Int

    /// The integer digits, signed.
    public var significand: Int128 { halves.value }

    /// The largest scale supported (18 would do for tokens; rates and products need headroom).
    public static let maxScale = 36

    /// Creates `significand × 10^-scale`.
    public init(significand: Int128, scale: Int) {
        precondition((0...Self.maxScale).contains(scale), "scale \(scale) outside 0...\(Self.maxScale)")
        halves = Int128Halves(significand)
        self.scale = scale
    }

    /// Creates a whole number.
    public init(_ integer: Int) {
        self.init(significand: Int128(integer), scale: 0)
    }

    public static let zero = ExactDecimal(0)
    public static let one = ExactDecimal(1)

    public var isZero: Bool { significand == 0 }
    public var isNegative: Bool { significand < 0 }
    public var magnitude: ExactDecimal { ExactDecimal(significand: Int128(significand.magnitude), scale: scale) }
    public var negated: ExactDecimal { ExactDecimal(significand: -significand, scale: scale) }

    /// The same value with trailing fractional zeros removed (`1.500` → `1.5`).
    public var normalized: ExactDecimal {
        var digits = significand
        var newScale = scale
        while newScale > 0, digits % 10 == 0 {
            digits /= 10
            newScale -= 1
        }
        return ExactDecimal(significand: digits, scale: newScale)
    }

    /// The value at `newScale`, exact when `newScale >= scale`, otherwise rounded by `rule`.
    public func rescaled(to newScale: Int, rounding rule: RoundingRule) throws(ArithmeticOverflow) -> ExactDecimal {
        if newScale == scale { return self }
        if newScale > scale {
            let factor = try Self.powerOfTen(newScale - scale)
            let (result, overflow) = significand.multipliedReportingOverflow(by: factor)
            if overflow { throw ArithmeticOverflow(operation: "rescale \(self) to scale \(newScale)") }
            return ExactDecimal(significand: result, scale: newScale)
        }
        let divisor = try Self.powerOfTen(scale - newScale)
        return ExactDecimal(significand: rule.divide(significand, by: divisor), scale: newScale)
    }

    /// The value at `newScale` if that loses no digits, otherwise `nil`.
    public func exactly(atScale newScale: Int) -> ExactDecimal? {
        guard let candidate = try? rescaled(to: newScale, rounding: .down) else { return nil }
        return candidate == self ? candidate : nil
    }

    /// `self × other`, rounded to `resultScale`.
    public func multiplied(
        by other: ExactDecimal, scale resultScale: Int, rounding rule: RoundingRule
    ) throws(ArithmeticOverflow) -> ExactDecimal {
        let (product, overflow) = significand.multipliedReportingOverflow(by: other.significand)
        if overflow { throw ArithmeticOverflow(operation: "\(self) × \(other)") }
        let productScale = scale + other.scale
        if productScale <= Self.maxScale {
            return try ExactDecimal(significand: product, scale: productScale).rescaled(to: resultScale, rounding: rule)
        }
        // Product scale beyond maxScale: divide straight down to the result scale.
        let divisor = try Self.powerOfTen(productScale - resultScale)
        return ExactDecimal(significand: rule.divide(product, by: divisor), scale: resultScale)
    }

    /// `self ÷ divisor`, rounded to `resultScale`.
    /// - Throws: ``ArithmeticOverflow`` on overflow or division by zero.
    public func divided(
        by divisor: ExactDecimal, scale resultScale: Int, rounding rule: RoundingRule
    ) throws(ArithmeticOverflow) -> ExactDecimal {
        guard !divisor.isZero else { throw ArithmeticOverflow(operation: "\(self) ÷ 0") }
        // self/divisor = (s1 / s2) × 10^(scale2 - scale1); scale the numerator so the integer
        // quotient lands at resultScale.
        let shift = resultScale + divisor.scale - scale
        var numerator = significand
        var denominator = divisor.significand
        if shift >= 0 {
            let (scaled, overflow) = numerator.multipliedReportingOverflow(by: try Self.powerOfTen(shift))
            if overflow { throw ArithmeticOverflow(operation: "\(self) ÷ \(divisor)") }
            numerator = scaled
        } else {
            let (scaled, overflow) = denominator.multipliedReportingOverflow(by: try Self.powerOfTen(-shift))
            if overflow { throw ArithmeticOverflow(operation: "\(self) ÷ \(divisor)") }
            denominator = scaled
        }
        return ExactDecimal(significand: rule.divide(numerator, by: denominator), scale: resultScale)
    }

    /// `self + other` at the larger of the two scales.
    public func adding(_ other: ExactDecimal) throws(ArithmeticOverflow) -> ExactDecimal {
        let common = max(scale, other.scale)
        let lhs = try rescaled(to: common, rounding: .down)
        let rhs = try other.rescaled(to: common, rounding: .down)
        let (sum, overflow) = lhs.significand.addingReportingOverflow(rhs.significand)
        if overflow { throw ArithmeticOverflow(operation: "\(self) + \(other)") }
        return ExactDecimal(significand: sum, scale: common)
    }

    /// `self - other` at the larger of the two scales.
    public func subtracting(_ other: ExactDecimal) throws(ArithmeticOverflow) -> ExactDecimal {
        try adding(other.negated)
    }

    /// 10^exponent as an Int128 (exponent 0...38).
    static func powerOfTen(_ exponent: Int) throws(ArithmeticOverflow) -> Int128 {
        guard exponent >= 0, exponent < powersOfTen.count else {
            throw ArithmeticOverflow(operation: "10^\(exponent)")
        }
        return powersOfTen[exponent]
    }

    private static let powersOfTen: [Int128] = {
        var table: [Int128] = [1]
        for _ in 1...38 { table.append(table.last! * 10) }
        return table
    }()
}

/// Raised when exact arithmetic would not fit in 128 bits (or divides by zero).
public struct ArithmeticOverflow: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The operation that overflowed, for the log and the error message.
    public let operation: String
    public var description: String { "arithmetic overflow in \(operation)" }
}

extension ExactDecimal: Comparable, Hashable {
    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool { compare(lhs, rhs) == 0 }
    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool { compare(lhs, rhs) < 0 }

    public func hash(into hasher: inout Hasher) {
        let canonical = normalized
        hasher.combine(canonical.significand)
        hasher.combine(canonical.scale)
    }

    private static func compare(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> Int {
        let common = max(lhs.scale, rhs.scale)
        // If scaling up overflows, that side's magnitude exceeds anything the other can hold.
        guard let left = try? lhs.rescaled(to: common, rounding: .down) else { return lhs.isNegative ? -1 : 1 }
        guard let right = try? rhs.rescaled(to: common, rounding: .down) else { return rhs.isNegative ? 1 : -1 }
        return left.significand < right.significand ? -1 : (left.significand == right.significand ? 0 : 1)
    }
}

extension ExactDecimal: CustomStringConvertible {
    /// Plain decimal notation with exactly `scale` fractional digits, e.g. `-1234.50`.
    /// Written right to left into one stack buffer: every amount in a quote, its explanation and
    /// its JSON goes through here, and a short result then needs no heap at all.
    public var description: String {
        // Int128 has at most 39 digits; with a sign, a point and zeros padded up to the scale (≤ 36): 41.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
            var position = buffer.count
            func put(_ byte: UInt8) {
                position -= 1
                buffer[position] = byte
            }
            var written = 0  // digits so far, least significant first
            var magnitude = significand.magnitude
            repeat {
                // 19 digits at a time: what a UInt64 holds.
                let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10_000_000_000_000_000_000)
                var chunk = UInt64(remainder)
                repeat {
                    if written == scale && scale > 0 { put(UInt8(ascii: ".")) }
                    put(UInt8(ascii: "0") + UInt8(chunk % 10))
                    chunk /= 10
                    written += 1
                } while chunk > 0 || (quotient > 0 && written % 19 != 0)
                magnitude = quotient
            } while magnitude > 0
            // At least one digit before the point.
            while written < scale + 1 {
                if written == scale && scale > 0 { put(UInt8(ascii: ".")) }
                put(UInt8(ascii: "0"))
                written += 1
            }
            if significand < 0 { put(UInt8(ascii: "-")) }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[position...]), as: UTF8.self)
        }
    }
}

extension ExactDecimal {
    /// The rules a decimal string must follow; see ``init(parsing:field:maxScale:allowNegative:)``.
    public enum ParseRule: String, Sendable, Codable {
        case empty = "decimal.empty"
        case malformed = "decimal.malformed"
        case exponent = "decimal.exponent_not_allowed"
        case negative = "decimal.negative_not_allowed"
        case tooManyDecimals = "decimal.too_many_decimals"
        case overflow = "decimal.overflow"
    }

    /// Parses plain decimal notation: an optional `-`, digits, and optionally `.` and more digits.
    ///
    /// Rejected, each with a ``ValidationError`` naming `field` and the rule: an empty string,
    /// exponents (`1e3`), a leading `+`, grouping separators or spaces, more than `maxScale`
    /// fractional digits, a negative value unless `allowNegative`, and values beyond 10^30.
    public init(
        parsing text: String, field: String = "value", maxScale: Int = 18, allowNegative: Bool = false
    ) throws(ValidationError) {
        func fail(_ rule: ParseRule, _ message: String) -> ValidationError {
            ValidationError(field: field, value: text, rule: rule.rawValue, message: message)
        }
        guard !text.isEmpty else { throw fail(.empty, "a decimal number is required") }
        var body = Substring(text)
        var negative = false
        if body.first == "-" {
            negative = true
            body = body.dropFirst()
        }
        if body.contains(where: { $0 == "e" || $0 == "E" }) {
            throw fail(.exponent, "exponent notation is not allowed; write the number out in full")
        }
        let parts = body.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        let isDigits: (Substring) -> Bool = { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard parts.count <= 2, isDigits(parts[0]), parts.count == 1 || isDigits(parts[1]) else {
            throw fail(.malformed, "expected digits with an optional '.' and fractional digits, e.g. 1234.56")
        }
        let fraction = parts.count == 2 ? parts[1] : ""
        if fraction.count > maxScale {
            throw fail(.tooManyDecimals, "at most \(maxScale) decimal places are allowed, got \(fraction.count)")
        }
        let integerPart = parts[0].drop(while: { $0 == "0" })
        if integerPart.count > 30 {
            throw fail(.overflow, "the value is too large (more than 30 integer digits)")
        }
        guard let magnitude = Int128(String(integerPart.isEmpty ? "0" : integerPart) + String(fraction)) else {
            throw fail(.overflow, "the value does not fit in 128 bits")
        }
        if negative && magnitude != 0 && !allowNegative {
            throw fail(.negative, "must not be negative")
        }
        self.init(significand: negative ? -magnitude : magnitude, scale: fraction.count)
    }
}

extension ExactDecimal: Codable {
    /// Decodes from a JSON string (`"1234.56"`), never from a JSON number, which may be binary.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let path = CodingPath.format(decoder.codingPath)
        self = try ExactDecimal(parsing: text, field: path.isEmpty ? "value" : path, maxScale: Self.maxScale, allowNegative: true)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
