import Testing
@testable import RailKit
import RailKitTesting

@Suite("Money and conversion")
struct MoneyTests {
    static let axcnh = Token(symbol: "AxCNH", chain: ChainID(uncheckedNamespace: "eip155", reference: "1030"), contract: nil, decimals: 6, denomination: .cnh)

    @Test("property: an amount and a decimal keep every 128-bit value through their two 64-bit halves")
    func halves() {
        var random = SeededRandom(seed: 128)
        let edges: [Int128] = [0, 1, -1, Int128(Int64.max), Int128(Int64.min), Int128(UInt64.max), -Int128(UInt64.max), Int128.max, Int128.min]
        let values = edges + (0..<2_000).map { _ in
            Int128(Int64.random(in: .min ... .max, using: &random)) << Int.random(in: 0...63, using: &random)
                ^ Int128(UInt64.random(in: .min ... .max, using: &random))
        }
        for value in values {
            #expect(Money(minorUnits: value, asset: .fiat(.usd)).minorUnits == value, "\(value)")
            #expect(Money(minorUnits: value, asset: .token(Self.axcnh)).minorUnits == value, "\(value)")
            #expect(ExactDecimal(significand: value, scale: 6).significand == value, "\(value)")
        }
    }

    @Test("amounts respect each currency's minor units")
    func minorUnits() throws {
        #expect(try Money(parsing: "250000.00", asset: .fiat(.usd)).minorUnits == 25_000_000)
        #expect(try Money(parsing: "1500", asset: .fiat(.jpy)).minorUnits == 1500)
        #expect(throws: ValidationError.self) { try Money(parsing: "1.5", asset: .fiat(.jpy)) }
        #expect(try Money(parsing: "1.125", asset: .fiat(try Currency(code: "KWD"))).minorUnits == 1125)
        #expect(try Money(parsing: "12.34", asset: .fiat(.cnh)).description == "12.34 CNH")
        #expect(throws: ValidationError.self) { try Money(parsing: "-1.00", asset: .fiat(.usd)) }
    }

    @Test("unknown or lower-case currency codes are rejected with a hint")
    func currencies() {
        #expect(throws: ValidationError.self) { try Currency(code: "XYZ") }
        #expect {
            try Currency(code: "usd")
        } throws: { ($0 as? ValidationError)?.message.contains("upper case") == true }
    }

    @Test("different assets never add")
    func assetMismatch() throws {
        let usd = try Money.fiat("1.00", .usd)
        let cnh = try Money.fiat("1.00", .cnh)
        #expect(throws: MoneyError.self) { try usd.adding(cnh) }
        #expect(try [usd, usd, usd].sum(in: .fiat(.usd)) == Money.fiat("3.00", .usd))
    }

    @Test("property: CNH to a 6-decimal token and back loses and invents nothing")
    func cnhTokenRoundTrip() throws {
        var random = SeededRandom(seed: 2)
        for _ in 0..<2000 {
            let cnh = Money(minorUnits: Int128(Int64.random(in: 1...10_000_000_000_000, using: &random)), asset: .fiat(.cnh))
            let tokens = try cnh.rebased(to: .token(Self.axcnh))
            #expect(tokens.minorUnits == cnh.minorUnits * 10_000)
            #expect(try tokens.rebased(to: .fiat(.cnh)) == cnh)
        }
    }

    @Test("a token amount with sub-fen dust does not silently become CNH")
    func inexactRebase() throws {
        let dust = Money(minorUnits: 1_234_567, asset: .token(Self.axcnh))  // 1.234567 AxCNH
        #expect(throws: MoneyError.self) { try dust.rebased(to: .fiat(.cnh)) }
        #expect(try dust.rebased(to: .fiat(.cnh), rounding: .down) == Money.fiat("1.23", .cnh))
        #expect(try dust.rebased(to: .fiat(.cnh), rounding: .halfEven) == Money.fiat("1.23", .cnh))
    }

    @Test("conversion rounds half-even and converts back within a unit")
    func conversion() throws {
        let rate = try ExchangeRate(base: .usd, quote: .cnh, rate: ExactDecimal(parsing: "7.1200"))
        #expect(try rate.convert(Money.fiat("100.00", .usd), rounding: .halfEven) == Money.fiat("712.00", .cnh))
        #expect(try rate.convert(Money.fiat("712.00", .cnh), rounding: .halfEven) == Money.fiat("100.00", .usd))
        // 0.125 → 0.12 (even), 0.135 → 0.14 (even) at rate 1.
        let one = try ExchangeRate(base: .usd, quote: .cnh, rate: ExactDecimal(parsing: "0.5"))
        #expect(try one.convert(Money.fiat("0.25", .usd), rounding: .halfEven) == Money.fiat("0.12", .cnh))
        #expect(try one.convert(Money.fiat("0.27", .usd), rounding: .halfEven) == Money.fiat("0.14", .cnh))
        #expect(throws: ValidationError.self) { try ExchangeRate(base: .usd, quote: .cnh, rate: .zero) }
    }
}
