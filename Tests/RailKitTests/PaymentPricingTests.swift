import Foundation
import Testing
@testable import RailKit
@testable import RailKitSupport
import RailKitTesting

@Suite("Shared pricing")
struct PaymentPricingTests {
    static let mid = try! ExchangeRate(base: .usd, quote: .cnh, rate: ExactDecimal(parsing: "7.1200"))

    static func pricing(spreadBasisPoints: Int, bps: String, fixedAfter: String) throws -> PaymentPricing {
        let applied = try rate(belowMid: mid, basisPoints: ExactDecimal(spreadBasisPoints))
        return PaymentPricing(
            source: .usd, destination: .cnh, applied: applied, mid: mid, midSource: "test",
            billed: [Charge(kind: .senderBankFee, description: "sender", bearer: .debtor, fixed: try .fiat("25.00", .usd))],
            deductedBeforeConversion: [Charge(kind: .intermediaryBankFee, description: "hop", bearer: .creditor, fixed: try .fiat("20.00", .usd))],
            deductedAfterConversion: [
                Charge(kind: .issuerFee, description: "issuer", bearer: .creditor, basisPoints: try ExactDecimal(parsing: bps)),
                Charge(kind: .beneficiaryBankFee, description: "beneficiary", bearer: .creditor, fixed: try .fiat(fixedAfter, .cnh)),
            ])
    }

    @Test("a worked example: every step's amount")
    func workedExample() throws {
        let breakdown = try Self.pricing(spreadBasisPoints: 50, bps: "10", fixedAfter: "100.00")
            .price(try .fiat("10000.00", .usd), fixed: .send)
        // 10000 - 20 = 9980 USD converted at 7.1200 × (1 - 0.005) = 7.084400 → 70702.31 CNH;
        // issuer 0.1% = 70.70; beneficiary 100.00 → 70531.61 CNH.
        #expect(breakdown.fx?.applied.rate == (try ExactDecimal(parsing: "7.0844")))
        #expect(breakdown.creditorReceives == (try .fiat("70531.61", .cnh)))
        #expect(breakdown.debtorPays == (try .fiat("10025.00", .usd)))
        #expect(breakdown.costs.map(\.kind) == [.senderBankFee, .intermediaryBankFee, .fxMargin, .issuerFee, .beneficiaryBankFee])
        #expect(try breakdown.costs.map(\.amount).sum(in: .fiat(.usd)) == breakdown.totalCost)
    }

    @Test("property: fixed-send and fixed-receive agree, costs sum, value is conserved at mid")
    func properties() throws {
        var random = SeededRandom(seed: 4)
        for _ in 0..<500 {
            let pricing = try Self.pricing(
                spreadBasisPoints: Int.random(in: 0...300, using: &random), bps: String(Int.random(in: 0...50, using: &random)),
                fixedAfter: "\(Int.random(in: 0...200, using: &random)).\(Int.random(in: 10...99, using: &random))")
            let principal = Money(minorUnits: Int128(Int64.random(in: 100_000...10_000_000_000, using: &random)), asset: .fiat(.usd))
            let send = try pricing.price(principal, fixed: .send)
            #expect(send.principal == principal)
            #expect(try send.costs.map(\.amount).sum(in: .fiat(.usd)) == send.totalCost)
            let net = try send.debtorPays.subtracting(send.totalCost)
            let atMid = try Self.mid.convert(send.creditorReceives, rounding: .halfEven)
            #expect(try net.subtracting(atMid).minorUnits.magnitude <= 7)

            // Fixed-receive delivers exactly. It rounds the source side up where fixed-send converted
            // half-even, so it may need at most one cent more principal than fixed-send did.
            let receive = try pricing.price(send.creditorReceives, fixed: .receive)
            #expect(receive.creditorReceives == send.creditorReceives)
            #expect(receive.principal.minorUnits - principal.minorUnits <= 1)
            #expect(try receive.costs.map(\.amount).sum(in: .fiat(.usd)) == receive.totalCost)
        }
    }

    @Test("fees that consume the payment are reported, not priced")
    func consumed() throws {
        let pricing = try Self.pricing(spreadBasisPoints: 0, bps: "0", fixedAfter: "500.00")
        #expect(throws: PricingFailure.self) { try pricing.price(try .fiat("30.00", .usd), fixed: .send) }
    }
}
