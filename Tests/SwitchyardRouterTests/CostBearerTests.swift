import Foundation
import RailKit
import RailKitSupport
import RailKitTesting
import Testing
@testable import SwitchyardRouter

@Suite("Each cost names who really bears it")
struct CostBearerTests {
    @Test("property: on 200 generated payments, a fixed-receive quote delivers exactly the fixed amount and every cost is the debtor's; a fixed-send quote's deducted costs are the creditor's, its billed costs and FX margin the debtor's")
    func bearers() async throws {
        let configuration = try RepositoryConfiguration.load()
        var random = SeededRandom(seed: 2_718)
        var seen = (receive: 0, send: 0)
        for number in 0..<200 {
            var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
            intent.creditor.accounts.wallets = number.isMultiple(of: 2) ? [] : intent.creditor.accounts.wallets
            intent.chargeBearer = [ChargeBearer.our, .sha, .ben, nil].randomElement(using: &random)!
            let fixedReceive = Bool.random(using: &random)
            let minor = Int128(Int64.random(in: 50_000...200_000_000, using: &random))
            intent.amount = PaymentAmount(Money(minorUnits: minor, asset: .fiat(fixedReceive ? .cnh : .usd)), fixed: fixedReceive ? .receive : .send)
            let result = try await configuration.makeEngine(clock: { Fixture.now }).route(intent)
            for ranked in result.ranked {
                let quote = ranked.quote
                if fixedReceive {
                    seen.receive += 1
                    #expect(quote.creditorReceives == intent.amount.money, "\(ranked.railID): receives \(quote.creditorReceives)")
                    for cost in quote.costs {
                        #expect(cost.bearer == .debtor, "\(ranked.railID) fixed-receive: \(cost.description) (\(cost.collection)) borne by \(cost.bearer)")
                    }
                } else {
                    seen.send += 1
                    for cost in quote.costs where cost.collection == .deducted {
                        #expect(cost.bearer == .creditor, "\(ranked.railID) fixed-send: deducted \(cost.description) borne by \(cost.bearer)")
                    }
                    for cost in quote.costs where cost.collection != .deducted {
                        #expect(cost.bearer == .debtor || intent.chargeBearer == .ben,
                                "\(ranked.railID) fixed-send: \(cost.description) (\(cost.collection)) borne by \(cost.bearer)")
                    }
                }
            }
        }
        #expect(seen.receive > 100 && seen.send > 100, "\(seen)")
    }
}
