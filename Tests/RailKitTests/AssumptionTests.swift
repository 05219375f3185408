import Foundation
import RailKit
import Testing

/// An assumption's figure is kept as data and written when read: the text must be what the
/// adapters wrote before (the same quotes byte for byte), and the value behaves as that text.
@Suite("Assumptions written when read")
struct AssumptionTests {
    static let token = Token(symbol: "JPMD", chain: ChainID(uncheckedNamespace: "eip155", reference: "8453"), contract: nil, decimals: 6,
                             denomination: .usd)

    @Test("each figure is written as the adapters wrote it as text")
    func writtenAsBefore() throws {
        // The texts the adapters wrote (and the recorded routing decisions hold).
        #expect(Assumption.Content.decimal(ExactDecimal(significand: 25, scale: 0)).text == "25")
        #expect(Assumption.Content.decimal(ExactDecimal(significand: 5, scale: 1)).text == "0.5")
        #expect(Assumption.Content.decimal(ExactDecimal(significand: -125, scale: 2)).text == "-1.25")
        #expect(Assumption.Content.money(Money(minorUnits: 1_250, asset: .fiat(.usd))).text == "12.50 USD")
        #expect(Assumption.Content.price(Price(ExactDecimal(significand: 712, scale: 2), .usd)).text == "7.12 USD")
        #expect(Assumption.Content.instant(Timestamp.parse("2026-11-20T15:00:00Z")!).text == "2026-11-20T15:00:00Z")
        let fixed = Money(minorUnits: 1_000_000_000, asset: .token(Self.token))
        #expect(Assumption.Content.tokenAmount(fixed, recipient: nil).text == "1000.000000 JPMD (1000000000 base units)")
        #expect(Assumption.Content.tokenAmount(fixed, recipient: "0xAbC").text == "1000.000000 JPMD (1000000000 base units) to 0xAbC")

        // The token amount's formula, as the deposit-token and CNH adapters wrote it, on random amounts.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let tokens = Money(minorUnits: Int128(Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &generator)), asset: .token(Self.token))
            let written = "\(tokens.decimalValue) \(Self.token.symbol) (\(tokens.minorUnits) base units)"
            #expect(Assumption.Content.tokenAmount(tokens, recipient: nil).text == written)
            #expect(Assumption.Content.tokenAmount(tokens, recipient: "0xAbC").text == written + " to 0xAbC")
        }
    }

    @Test("equal, hashed and encoded by its text, whatever it was given as; read back as text")
    func behavesAsText() throws {
        let figure = Assumption("fx_spread_bps", .decimal(ExactDecimal(significand: 25, scale: 0)), source: "tiers")
        let text = Assumption("fx_spread_bps", "25", source: "tiers")
        #expect(figure == text)
        #expect(figure.hashValue == text.hashValue)
        #expect(Set([figure, text]).count == 1)
        #expect(figure != Assumption("fx_spread_bps", "26", source: "tiers"))
        #expect(figure != Assumption("fx_spread_bps", "25", source: "other"))

        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let encoded = try encoder.encode(figure)
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"name":"fx_spread_bps","source":"tiers","value":"25"}"#)
        let decoded = try JSONDecoder().decode(Assumption.self, from: encoded)
        #expect(decoded == figure)
        guard case .text("25") = decoded.content else {
            Issue.record("decoded as \(decoded.content), not text")
            return
        }

        var changed = figure
        changed.value = "30"
        #expect(changed.value == "30")
        #expect(changed == Assumption("fx_spread_bps", "30", source: "tiers"))
    }
}
