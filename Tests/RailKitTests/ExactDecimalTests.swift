import Testing
@testable import RailKit
import RailKitTesting

@Suite("Exact decimals")
struct ExactDecimalTests {
    @Test("parses plain decimal notation", arguments: [
        ("0", "0"), ("1", "1"), ("250000", "250000"), ("250000.00", "250000.00"), ("0.000001", "0.000001"),
        ("007.50", "7.50"), ("-12.5", "-12.5"),
    ])
    func parses(text: String, expected: String) throws {
        let value = try ExactDecimal(parsing: text, maxScale: 18, allowNegative: true)
        #expect(value.description == expected)
    }

    @Test("property: the digit-by-digit description is the standard library's digits with the point placed, on 50,000 values to Int128's limits")
    func descriptionAgreesWithStandardLibrary() {
        /// The description as it was first written: the standard library's digits, padded, the point inserted.
        func reference(_ value: ExactDecimal) -> String {
            let digits = String(value.significand.magnitude)
            let sign = value.significand < 0 ? "-" : ""
            guard value.scale > 0 else { return sign + digits }
            let padded = String(repeating: "0", count: max(0, value.scale + 1 - digits.count)) + digits
            let split = padded.index(padded.endIndex, offsetBy: -value.scale)
            return sign + padded[..<split] + "." + padded[split...]
        }
        var random = SeededRandom(seed: 1914)
        var values: [ExactDecimal] = [Int128.max, Int128.min, Int128.min + 1, 0, 1, -1, 10_000_000_000_000_000_000, 9_999_999_999_999_999_999]
            .flatMap { significand in [0, 1, 2, 18, 19, 20, 36].map { ExactDecimal(significand: significand, scale: $0) } }
        for _ in 0..<50_000 {
            let bits = Int.random(in: 1...126, using: &random)
            let magnitude = Int128.random(in: 0...(Int128(1) << bits - 1), using: &random)
            values.append(ExactDecimal(significand: Bool.random(using: &random) ? magnitude : -magnitude, scale: Int.random(in: 0...36, using: &random)))
        }
        for value in values { #expect(value.description == reference(value), "\(value.significand) scale \(value.scale)") }
    }

    @Test("rejects bad input naming the rule", arguments: [
        ("", "decimal.empty"), ("1e3", "decimal.exponent_not_allowed"), ("1E-2", "decimal.exponent_not_allowed"),
        ("+1", "decimal.malformed"), (" 1", "decimal.malformed"), ("1,000", "decimal.malformed"), ("1.", "decimal.malformed"),
        (".5", "decimal.malformed"), ("1.2.3", "decimal.malformed"), ("--1", "decimal.malformed"), ("NaN", "decimal.malformed"),
        ("١٢", "decimal.malformed"), ("-5", "decimal.negative_not_allowed"), ("1.123", "decimal.too_many_decimals"),
        ("1234567890123456789012345678901", "decimal.overflow"),
    ])
    func rejects(text: String, rule: String) {
        #expect {
            _ = try ExactDecimal(parsing: text, field: "amount", maxScale: 2)
        } throws: { error in
            guard let error = error as? ValidationError else { return false }
            return error.rule == rule && error.field == "amount" && error.value == text
        }
    }

    @Test("rounds by each rule", arguments: [
        // value, halfEven, halfUp, down, up, floor, ceiling (to 0 decimals)
        ("2.5", "2", "3", "2", "3", "2", "3"), ("3.5", "4", "4", "3", "4", "3", "4"),
        ("-2.5", "-2", "-3", "-2", "-3", "-3", "-2"), ("2.51", "3", "3", "2", "3", "2", "3"),
        ("-2.49", "-2", "-2", "-2", "-3", "-3", "-2"), ("7", "7", "7", "7", "7", "7", "7"),
    ])
    func rounding(value: String, halfEven: String, halfUp: String, down: String, up: String, floor: String, ceiling: String) throws {
        let decimal = try ExactDecimal(parsing: value, allowNegative: true)
        let expected: [(RoundingRule, String)] = [(.halfEven, halfEven), (.halfUp, halfUp), (.down, down), (.up, up), (.floor, floor), (.ceiling, ceiling)]
        for (rule, result) in expected {
            #expect(try decimal.rescaled(to: 0, rounding: rule).description == result, "\(value) \(rule)")
        }
    }

    @Test("equal values at different scales compare and hash equal")
    func scaleIndependence() throws {
        let a = try ExactDecimal(parsing: "1.50")
        let b = try ExactDecimal(parsing: "1.5")
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(try ExactDecimal(parsing: "1.49") < b)
    }

    @Test("property: formatting then parsing gives the same value; arithmetic is exact")
    func roundTripAndArithmetic() throws {
        var random = SeededRandom(seed: 1)
        for _ in 0..<2000 {
            let a = ExactDecimal(significand: Int128(Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &random)), scale: Int.random(in: 0...8, using: &random))
            let b = ExactDecimal(significand: Int128(Int64.random(in: 1...1_000_000_000, using: &random)), scale: Int.random(in: 0...8, using: &random))
            #expect(try ExactDecimal(parsing: a.description, maxScale: 18, allowNegative: true) == a)
            #expect(try a.adding(b).subtracting(b) == a)
            #expect(try a.adding(b) == b.adding(a))
            // Division rounded half-even is within half a unit of the last place: |q·b − a| ≤ b/2 at scale 10.
            let quotient = try a.divided(by: b, scale: 10, rounding: .halfEven)
            let back = try quotient.multiplied(by: b, scale: 20, rounding: .halfEven)
            let error = try back.subtracting(a).magnitude
            let bound = try b.multiplied(by: ExactDecimal(significand: 5, scale: 11), scale: 20, rounding: .up)
            #expect(error <= bound)
        }
    }

    @Test("overflow throws instead of trapping")
    func overflow() throws {
        let huge = ExactDecimal(significand: Int128.max / 2, scale: 0)
        #expect(throws: ArithmeticOverflow.self) { try huge.multiplied(by: ExactDecimal(10), scale: 0, rounding: .halfEven) }
        #expect(throws: ArithmeticOverflow.self) { try ExactDecimal.one.divided(by: .zero, scale: 2, rounding: .halfEven) }
    }
}
