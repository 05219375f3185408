import Foundation
import RailKit
import RailKitSupport
import EVMKit
import RailKitTesting
import SwitchyardExecutor
import Testing
@testable import SwitchyardRouter

/// The router checks a payment again when it executes: the policy in force then, the
/// counterparties as they are then. Uses the repository's configuration and real adapters; the
/// CNH rail here only quotes, so the executor always adds `RAIL_DISABLED` ("only quotes here") to
/// its reasons — the other codes are the policy's, which is how these tests tell "let through"
/// from "refused".
@Suite("Policy again at execution")
struct ExecutionPolicyTests {
    static let cnh: RailID = "axcnh-conflux"

    static func engine(_ change: (inout CompliancePolicy) -> Void = { _ in }) throws -> RoutingEngine {
        var engine = try RepositoryConfiguration.load().makeEngine(clock: { Fixture.now })
        change(&engine.policy)
        return engine
    }

    static func cnhQuote(_ intent: PaymentIntent, engine: RoutingEngine) async throws -> Quote {
        let result = try await engine.route(intent)
        return try #require(result.ranked.first { $0.railID == cnh }?.quote, "not ranked: \(result.excluded.map { "\($0.railID) \($0.reasons)" })")
    }

    /// Executes through `engine`'s executor and returns the policy's refusal codes ([] when only
    /// the rail being quote-only stopped it).
    static func refusal(_ intent: PaymentIntent, quote: Quote, engine: RoutingEngine) async throws -> [ReasonCode] {
        let journal = CollectingPaymentJournal()
        let store = InMemoryPaymentStore()
        let executor = engine.makeExecutor(store: store, observer: journal)
        do {
            _ = try await executor.execute(paymentID: "p-\(UUID())", intent: intent, quote: quote)
            Issue.record("the quote-only rail executed")
            return []
        } catch let refused as ExecutionRefused {
            #expect(await journal.events.isEmpty, "a refused payment journaled events")
            #expect(try await store.payments(matching: PaymentFilter()).isEmpty, "a refused payment was stored")
            #expect(refused.reasons.allSatisfy { !$0.message.isEmpty })
            #expect(refused.reasons.first?.code == .railDisabled, "the quote-only rail must be refused as such: \(refused)")
            return refused.reasons.dropFirst().map(\.code)
        }
    }

    @Test("a beneficiary who moved to the mainland after the quote is refused at execution")
    func mainlandAfterQuote() async throws {
        let engine = try Self.engine()
        let intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        let quote = try await Self.cnhQuote(intent, engine: engine)
        #expect(try await Self.refusal(intent, quote: quote, engine: engine) == [])

        var moved = intent
        moved.creditor.country = .china
        #expect(try await Self.refusal(moved, quote: quote, engine: engine) == [.jurisdictionProhibitsStablecoin])
    }

    @Test("a wallet found registered to a mainland resident after the quote is refused at execution")
    func walletRegisteredAfterQuote() async throws {
        var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        intent.creditor.accounts.wallets = [Wallet(chain: ChainID(evm: 1030), address: try EVMAddress("0x00000000000000000000000000000000000c0ffe"))]
        // Quoted while the screening list did not know the wallet...
        let before = try Self.engine { $0.walletRegistrations = [:] }
        let quote = try await Self.cnhQuote(intent, engine: before)
        // ...executed once Config/compliance/policy.json registers it to a mainland company.
        let now = try Self.engine()
        #expect(try await Self.refusal(intent, quote: quote, engine: now) == [.walletRegisteredToProhibitedJurisdiction])
        #expect(try await now.route(intent).reasons(Self.cnh) == [.walletRegisteredToProhibitedJurisdiction])
    }

    @Test("a counterparty reclassified as HK retail after the quote is refused at execution")
    func retailAfterQuote() async throws {
        let engine = try Self.engine()
        var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        let quote = try await Self.cnhQuote(intent, engine: engine)
        intent.creditor.kind = .retail
        #expect(try await Self.refusal(intent, quote: quote, engine: engine) == [.unlicensedStablecoinForRetail])
    }

    @Test("travel-rule thresholds per jurisdiction, applied at execution", arguments: [
        ("US", "999.99", true), ("US", "1000.00", false),   // FATF default USD 1,000
        ("DE", "50.00", false),                            // EU: no threshold
        ("HK", "1020.00", true), ("HK", "1030.00", false),  // HK: HKD 8,000 (7,935.60 vs 8,013.40 HKD)
    ])
    func travelRuleAtExecution(debtorCountry: String, amount: String, passes: Bool) async throws {
        var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        intent.travelRule = nil
        intent.debtor.country = try CountryCode(debtorCountry)
        intent.amount = PaymentAmount(try .fiat(amount, .usd), fixed: .send)
        // Quoted under a policy without the travel rule; executed under the one in force.
        let quote = try await Self.cnhQuote(intent, engine: try Self.engine { $0.rules.removeAll { $0.id == "travel-rule" } })
        let codes = try await Self.refusal(intent, quote: quote, engine: try Self.engine())
        #expect(codes == (passes ? [] : [.travelRuleDataMissing]))
    }

    @Test("a quote for another amount or currency is refused as QUOTE_MISMATCH")
    func mismatchedQuote() async throws {
        let engine = try Self.engine()
        var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        let quote = try await Self.cnhQuote(intent, engine: engine)
        intent.amount = PaymentAmount(try .fiat("250000.01", .usd), fixed: .send)
        #expect(try await Self.refusal(intent, quote: quote, engine: engine) == [.quoteMismatch])
    }
}
