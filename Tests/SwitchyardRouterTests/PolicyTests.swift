import CNHStablecoinRail
import CorrespondentBankingRail
import DepositTokenRail
import Foundation
import RailKit
import RailKitSupport
import RailKitTesting
import SwitchyardCommands
import Testing
@testable import SwitchyardRouter

/// The repository's own configuration, with the real adapters.
enum RepositoryConfiguration {
    static let factories = RailModules.factories(environment: [:])

    /// The sandbox's sample data (screening list, wallet registrations, allowlisted wallets) over the shipped files.
    static let overlay = Fixture.repository.appendingPathComponent("Sandbox/sample-config")

    static func load(_ directory: URL = Fixture.config, overlay: URL? = RepositoryConfiguration.overlay) throws(ConfigurationErrors) -> SwitchyardConfiguration {
        try SwitchyardConfiguration.load(from: directory, overlay: overlay, factories: factories)
    }

    static func sample(_ name: String) throws -> PaymentIntent {
        try JSONDecoder().decode(PaymentIntent.self, from: Data(contentsOf: Fixture.config.appendingPathComponent("samples/\(name)")))
    }

    static func route(_ intent: PaymentIntent, at now: Date = Fixture.now) async throws -> RoutingResult {
        try await load().makeEngine(clock: { now }).route(intent)
    }
}

extension RoutingResult {
    func reasons(_ rail: RailID) -> [ReasonCode] {
        excluded.first { $0.railID == rail }?.reasons.map(\.code) ?? []
    }
    func isRanked(_ rail: RailID) -> Bool { ranked.contains { $0.railID == rail } }
}

@Suite("Compliance policy (Config/compliance/policy.json)")
struct PolicyTests {
    @Test("a HK company gets all four enabled rails ranked")
    func hongKongCompany() async throws {
        let result = try await RepositoryConfiguration.route(try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json"))
        #expect(result.ranked.map(\.railID).sorted() == ["axcnh-conflux", "correspondent-bank-a", "correspondent-bank-b", "jpmd-base"])
        #expect(result.excluded.map(\.railID) == ["deposit-token-sandbox", "cips-participant", "ecny-mbridge"])
        #expect(result.reasons("ecny-mbridge") == [.railDisabled])
        #expect(result.reasons("deposit-token-sandbox") == [.railDisabled])
    }

    @Test("a mainland-China beneficiary never gets the stablecoin, whatever else is in order; bank CNY serves it")
    func mainland() async throws {
        // The sample pays a mainland supplier in onshore CNY: served by correspondent banking.
        let result = try await RepositoryConfiguration.route(try RepositoryConfiguration.sample("cn-supplier-usd-cnh.json"))
        #expect(result.isRanked("correspondent-bank-a"))
        #expect(!result.isRanked("axcnh-conflux"))
        #expect(result.reasons("axcnh-conflux").contains(.jurisdictionProhibitsStablecoin))
        // Asked in offshore CNH, the stablecoin's own currency, the policy alone excludes it.
        var cnh = try RepositoryConfiguration.sample("cn-supplier-usd-cnh.json")
        cnh.destinationCurrency = .cnh
        let offshore = try await RepositoryConfiguration.route(cnh)
        #expect(offshore.reasons("axcnh-conflux") == [.jurisdictionProhibitsStablecoin])
    }

    @Test("travel rule: missing data above the threshold excludes; below it passes", arguments: [
        ("999.99", true), ("1000.00", false), ("250000.00", false),
    ])
    func travelRuleThreshold(amount: String, passes: Bool) async throws {
        var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        intent.travelRule = nil
        intent.amount = PaymentAmount(try .fiat(amount, .usd), fixed: .send)
        let result = try await RepositoryConfiguration.route(intent)
        #expect(result.isRanked("axcnh-conflux") == passes)
        #expect(result.reasons("axcnh-conflux") == (passes ? [] : [.travelRuleDataMissing]))
    }

    @Test("travel rule: with complete data the stablecoin stays eligible")
    func travelRuleComplete() async throws {
        let result = try await RepositoryConfiguration.route(try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json"))
        #expect(result.isRanked("axcnh-conflux"))
    }

    @Test("travel rule: an EU originator has no threshold; HK's is HKD 8,000")
    func travelRuleJurisdictions() async throws {
        var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        intent.travelRule = nil
        intent.amount = PaymentAmount(try .fiat("50.00", .usd), fixed: .send)
        intent.debtor.country = try CountryCode("DE")
        let eu = try await RepositoryConfiguration.route(intent)
        #expect(eu.reasons("axcnh-conflux") == [.travelRuleDataMissing])
        #expect(eu.excluded.first { $0.railID == "axcnh-conflux" }?.reasons[0].message.contains("European Union") == true)

        // Both parties in HK: 1,020 USD is 7,935.60 HKD, under HKD 8,000, so no data is needed;
        // 1,030 USD is 8,013.40 HKD, over it.
        intent.debtor.country = .hongKong
        intent.amount = PaymentAmount(try .fiat("1020.00", .usd), fixed: .send)
        #expect(try await RepositoryConfiguration.route(intent).isRanked("axcnh-conflux"))
        intent.amount = PaymentAmount(try .fiat("1030.00", .usd), fixed: .send)
        #expect(try await RepositoryConfiguration.route(intent).reasons("axcnh-conflux") == [.travelRuleDataMissing])
    }

    @Test("HK retail: no unlicensed stablecoin, and deposit tokens are institutional only")
    func retail() async throws {
        var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        intent.creditor.kind = .retail
        let result = try await RepositoryConfiguration.route(intent)
        #expect(result.reasons("axcnh-conflux") == [.unlicensedStablecoinForRetail])
        #expect(result.reasons("jpmd-base") == [.counterpartyNotInstitutional])
        #expect(result.isRanked("correspondent-bank-a"))
    }

    @Test("a sanctions hit excludes every rail; matching ignores case and punctuation")
    func sanctions() async throws {
        var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        intent.creditor.name = "BLOCKED trading co. ltd."
        let result = try await RepositoryConfiguration.route(intent)
        #expect(result.ranked.isEmpty)
        for rail in ["jpmd-base", "correspondent-bank-a", "correspondent-bank-b", "axcnh-conflux"] as [RailID] {
            #expect(result.reasons(rail).contains(.sanctionsHit))
        }
    }

    @Test("a per-rail amount limit from the policy")
    func amountLimit() async throws {
        var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        intent.amount = PaymentAmount(try .fiat("3000000.00", .usd), fixed: .send)
        let result = try await RepositoryConfiguration.route(intent)
        #expect(result.reasons("axcnh-conflux") == [.policyAmountLimit])
        #expect(result.isRanked("jpmd-base"))
    }

    @Test("an operating window excludes a rail outside its hours")
    func operatingWindow() throws {
        let configuration = try RepositoryConfiguration.load()
        let hk = try #require(configuration.calendars["HK"])
        let policy = CompliancePolicy(rules: [.operatingWindow(
            id: "off-ramp-desk", railKinds: [.stablecoin], rails: nil, calendar: hk, opens: try LocalTime("09:00"),
            closes: try LocalTime("17:00"), source: "test")])
        let rail = try #require(configuration.rails.first { $0.id == "axcnh-conflux" }?.adapter).descriptor
        let intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        // Wednesday 11:00 HKT: open. Wednesday 20:00 HKT and Saturday: closed.
        #expect(policy.exclusions(for: intent, on: rail, market: configuration.market, now: Timestamp.parse("2026-11-18T03:00:00Z")!).isEmpty)
        #expect(policy.exclusions(for: intent, on: rail, market: configuration.market, now: Timestamp.parse("2026-11-18T12:00:00Z")!).map(\.code) == [.outsideOperatingHours])
        #expect(policy.exclusions(for: intent, on: rail, market: configuration.market, now: Timestamp.parse("2026-11-21T03:00:00Z")!).map(\.code) == [.outsideOperatingHours])
    }

    @Test("a rule that cannot be evaluated (a limit in a currency with no rate) excludes the rail: the policy fails closed, naming the rule")
    func failsClosed() async throws {
        let rail = TestRail("any-rail", .quote(fee: "1.00", p50Seconds: 60, p95Seconds: 60), honoursCapabilities: false)
        // Fixture.market has no JPY rate: the limit cannot be compared with the payment.
        let policy = CompliancePolicy(rules: [.amountLimit(id: "yen-cap", railKinds: nil, rails: nil, minimum: nil,
                                                           maximum: try .fiat("1000000", .jpy), source: "test")])
        let declines = policy.exclusions(for: Fixture.intent("1000.00"), on: rail.descriptor, market: Fixture.market, now: Fixture.now)
        #expect(declines.map(\.code) == [.policyEvaluationFailed])
        #expect(declines.first?.message.contains("yen-cap") == true, "\(declines)")

        // Through the router: the rail is excluded with that reason, not ranked.
        let engine = RoutingEngine(rails: [RoutedRail(adapter: rail)], policy: policy, market: StaticMarketData(Fixture.market),
                                   quoteTimeout: .seconds(2), clock: { Fixture.now })
        let result = try await engine.route(Fixture.intent("1000.00"))
        #expect(result.ranked.isEmpty)
        #expect(result.excluded.first { $0.railID == "any-rail" }?.reasons.map(\.code) == [.policyEvaluationFailed])
    }

    @Test("the mainland rule reads every field that places the creditor there — postal address and bank BIC here (an IBAN too, for a listed country that issues them) — not only residence", arguments: [
        ("address", "The creditor's address is in CN."), ("bic", "The creditor's bank SWYDCNSHXXX is in CN."),
    ])
    func mainlandSignals(field: String, words: String) async throws {
        let configuration = try RepositoryConfiguration.load()
        var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        switch field {
        case "address": intent.creditor.address?.country = .china
        default: intent.creditor.accounts.bic = try BIC("SWYDCNSHXXX")
        }
        let stablecoin = try #require(configuration.rails.first { $0.id == "axcnh-conflux" }?.adapter?.descriptor)
        // The policy itself, apart from the rail's own check.
        let declines = configuration.policy.exclusions(for: intent, on: stablecoin, market: configuration.market, now: Fixture.now)
        #expect(declines.map(\.code) == [.jurisdictionProhibitsStablecoin])
        #expect(declines.first?.message.contains(words) == true, "\(declines)")
        // The same resident of Hong Kong, banking and living there, is not excluded by it.
        let clean = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        #expect(configuration.policy.exclusions(for: clean, on: stablecoin, market: configuration.market, now: Fixture.now).isEmpty)
    }

    @Test("a fixed-receive payment's limits and travel-rule thresholds are judged on what the debtor really sends on each rail, not on the receive amount at mid: both sides of each boundary")
    func judgedOnTheAmountSent() async throws {
        func fixedReceive(_ cnh: String, travelRule: Bool) throws -> PaymentIntent {
            var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
            intent.amount = PaymentAmount(try .fiat(cnh, .cnh), fixed: .receive)
            if !travelRule { intent.travelRule = nil }
            return intent
        }
        let stablecoin: RailID = "axcnh-conflux"
        // 14,239,000 CNH is 1,999,859.55 USD at mid (7.12): under the 2,000,000 USD exposure cap; the
        // rail's own rate and fees make the principal more than the cap.
        let nearCap = try await RepositoryConfiguration.route(try fixedReceive("14239000.00", travelRule: true))
        #expect(nearCap.reasons(stablecoin) == [.policyAmountLimit], "\(nearCap.explanation)")
        // Well under the cap either way: quoted.
        #expect(try await RepositoryConfiguration.route(try fixedReceive("12000000.00", travelRule: true)).isRanked(stablecoin))

        // 7,050 CNH is 990.17 USD at mid, under FATF's USD 1,000; with the rail's rate and fees the
        // debtor sends more than USD 1,000, so the travel rule applies and its data is missing.
        let nearThreshold = try await RepositoryConfiguration.route(try fixedReceive("7050.00", travelRule: false))
        #expect(nearThreshold.reasons(stablecoin) == [.travelRuleDataMissing], "\(nearThreshold.explanation)")
        // With the data, the same payment is quoted; well under the threshold it needs none.
        #expect(try await RepositoryConfiguration.route(try fixedReceive("7050.00", travelRule: true)).isRanked(stablecoin))
        #expect(try await RepositoryConfiguration.route(try fixedReceive("5000.00", travelRule: false)).isRanked(stablecoin))
    }
}

@Suite("Screening keys")
struct ScreeningKeyTests {
    @Test("property: the ASCII shortcut gives the Unicode path's key on 20,000 random names, and other names take the Unicode path")
    func asciiShortcut() {
        var random = SeededRandom(seed: 66)
        let pieces = ["a", "Z", "7", " ", "  ", ".", ",", "-", "&", "\t", "\r\n", "\u{7F}", "(", "Co.", "Ltd", "é", "深", "²", "ß", "Ⅷ"]
        for _ in 0..<20_000 {
            let name = (0..<Int.random(in: 0...10, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            #expect(PolicyRule.screeningKey(name) == PolicyRule.unicodeScreeningKey(name), "name \(name.debugDescription)")
            #expect((PolicyRule.asciiScreeningKey(name) == nil) == name.utf8.contains { $0 >= 0x80 })
        }
        #expect(PolicyRule.screeningKey("  Blocked Trading Co. Ltd ") == "BLOCKED TRADING CO LTD")
    }
}
