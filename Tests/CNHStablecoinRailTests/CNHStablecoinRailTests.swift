import CNHStablecoinRail
import EVMKit
import Foundation
import RailKit
import RailKitSupport
import RailKitTesting
import Testing

enum Fixture {
    static let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Config")
    static let now = Timestamp.parse("2026-11-18T03:00:00Z")!  // Wednesday 11:00 HKT
    static let market = try! AdapterFixtures.market(asOf: now, rates: ["USD/CNH": "7.1200", "USD/HKD": "7.7800"], coinPricesUSD: ["ETH": "3000", "CFX": "0.15"])
    static let conflux = ChainID(evm: 1030)

    static func rail() throws -> any RailAdapter {
        try AdapterFixtures.adapter(RailFactory(CNHStablecoinRail.self), id: "axcnh-conflux", settingsFile: config.appendingPathComponent("rails/axcnh-conflux.json"),
                                    calendarDirectory: config.appendingPathComponent("calendars"))
    }

    static func intent(amount: Money = try! .fiat("250000.00", .usd), fixed: FixedSide = .send, country: String = "HK", wallet: Bool = false,
                       destination: Currency = .cnh, bic: String = "SWYEHKHH") -> PaymentIntent {
        let debtor = Party(name: "Acme", country: .unitedStates, accounts: AccountDetails(accountNumber: "000123456789", bic: try! BIC("SWYAUS33")))
        let creditor = Party(name: "Harbour", country: try! CountryCode(country), accounts: AccountDetails(
            accountNumber: "012345678901", bic: try! BIC(bic),
            wallets: wallet ? [Wallet(chain: conflux, address: try! EVMAddress("0x2222222222222222222222222222222222222222"))] : []))
        return try! PaymentIntent(debtor: debtor, creditor: creditor, sourceCurrency: .usd, destinationCurrency: destination,
                                  amount: PaymentAmount(amount, fixed: fixed))
    }

    static func quote(_ intent: PaymentIntent) async throws -> Quote {
        let outcome = try await rail().quote(QuoteRequest(quoteID: QuoteID("q1"), intent: intent, now: now, market: market))
        guard case .quoted(let quote) = outcome else { throw RailError.invalidResponse("expected a quote, got \(outcome)") }
        return quote
    }
}

@Suite("Offshore CNH stablecoin rail")
struct CNHStablecoinRailTests {
    @Test("promises only deliveries it can make: 400 generated creditors (residence, address, bank, IBAN, wallet) against an independent reading of the rule — mainland on any field is excluded, a bank payout only to a Hong Kong account, a missing account says so")
    func deliverability() async throws {
        let seed = UInt64.random(in: 1...1_000_000)
        var random = SeededRandom(seed: seed)
        let rail = try Fixture.rail()
        let countries = ["HK", "US", "DE", "CN", "SG"]
        let banks = ["SWYEHKHH": "HK", "SWYAUS33": "US", "DEUTDEFF": "DE", "BNPAFRPP": "FR", "SWYDCNSH": "CN"]
        let ibans = ["DE89370400440532013000", "FR1420041010050500013M02606", "GB82WEST12345698765432"]
        for index in 0..<400 {
            let residence = countries.randomElement(using: &random)!
            let address = Bool.random(using: &random) ? countries.randomElement(using: &random)! : nil
            let bic = Int.random(in: 0..<6, using: &random) == 0 ? nil : banks.keys.sorted().randomElement(using: &random)!
            let iban = Int.random(in: 0..<4, using: &random) == 0 ? ibans.randomElement(using: &random)! : nil
            let accountNumber = iban == nil && Int.random(in: 0..<5, using: &random) > 0 ? "012345678901" : nil
            let wallet = Int.random(in: 0..<4, using: &random) == 0
            let creditor = Party(name: "Harbour", country: try CountryCode(residence),
                                 address: address.map { PostalAddress(townName: "Town", country: try! CountryCode($0)) },
                                 accounts: AccountDetails(iban: try iban.map { try IBAN($0) }, accountNumber: accountNumber, bic: try bic.map { try BIC($0) },
                                                          wallets: wallet ? [Wallet(chain: Fixture.conflux, address: try ChainAddress("0x2222222222222222222222222222222222222222", on: Fixture.conflux))] : []))
            var intent = Fixture.intent()
            intent.creditor = creditor
            // The rule, read independently: any mainland field excludes; a wallet delivers; else a Hong Kong bank account is needed.
            let ibanCountry = iban.map { String($0.prefix(2)) }
            let expected: ReasonCode?
            if [residence, address, bic.flatMap { banks[$0] }, ibanCountry].contains("CN") {
                expected = .jurisdictionProhibitsStablecoin
            } else if wallet {
                expected = nil
            } else if bic == nil || (accountNumber == nil && iban == nil) {
                expected = .creditorAccountMissing
            } else if banks[bic!] != "HK" || (ibanCountry.map { $0 != "HK" } ?? false) {
                expected = .corridorNotSupported
            } else {
                expected = nil
            }
            let outcome = try await rail.quote(QuoteRequest(quoteID: QuoteID("q-\(index)"), intent: intent, now: Fixture.now, market: Fixture.market))
            let got: ReasonCode? = if case .declined(let decline) = outcome { decline.code } else { nil }
            #expect(got == expected, "seed \(seed), case \(index): residence \(residence), address \(address ?? "-"), bank \(bic ?? "-"), IBAN \(iban ?? "-"), account \(accountNumber ?? "-"), wallet \(wallet): got \(got?.rawValue ?? "a quote"), expected \(expected?.rawValue ?? "a quote")")
        }
    }

    @Test("passes the conformance kit")
    func conformance() async throws {
        let report = try await RailConformance(adapter: try Fixture.rail(), market: Fixture.market, now: Fixture.now, scenarios: [
            ConformanceScenario("USD to a HK bank account via the off-ramp", intent: Fixture.intent(), expect: .quote),
            ConformanceScenario("USD to a HK company's wallet", intent: Fixture.intent(wallet: true), expect: .quote),
            ConformanceScenario("a CNH invoice, fixed receive", intent: Fixture.intent(amount: try .fiat("1780000.00", .cnh), fixed: .receive), expect: .quote),
            ConformanceScenario("mainland-China resident", intent: Fixture.intent(country: "CN"), expect: .decline(.jurisdictionProhibitsStablecoin)),
            ConformanceScenario("HK resident with a mainland bank account", intent: Fixture.intent(bic: "SWYDCNSH"), expect: .decline(.jurisdictionProhibitsStablecoin)),
            ConformanceScenario("USD to USD", intent: Fixture.intent(destination: .usd), expect: .decline(.corridorNotSupported)),
        ]).run()
        #expect(report.quotes >= 5)
    }

    @Test("fixed-receive delivers exactly; tokens moved are CNH × 10^4 base units")
    func exactTokens() async throws {
        let quote = try await Fixture.quote(Fixture.intent(amount: try .fiat("1780000.00", .cnh), fixed: .receive))
        #expect(quote.creditorReceives == (try .fiat("1780000.00", .cnh)))
        // Off-ramp fee 106.00 CNH, so 1,780,106.00 AxCNH = 1,780,106,000,000 base units move on chain.
        let offRamp = try #require(quote.costs.first { $0.kind == .offRampFee })
        #expect(offRamp.charged == (try .fiat("106.00", .cnh)))
        #expect(quote.assumptions.contains { $0.name == "token_amount" && $0.value == "1780106.000000 AxCNH (1780106000000 base units)" })
    }

    @Test("fixed-send: send × rate − costs, each step shown")
    func fixedSend() async throws {
        let quote = try await Fixture.quote(Fixture.intent(wallet: true))
        // 250,000 USD at 7.12 × (1 − 25 bps) = 7.102200 → 1,775,550.00 CNH; issuer 10 bps = 1,775.55 → 1,773,774.45 CNH.
        #expect(quote.fx?.applied.rate == (try ExactDecimal(parsing: "7.1022")))
        #expect(quote.creditorReceives == (try .fiat("1773774.45", .cnh)))
        #expect(quote.costs.map(\.kind) == [.networkFee, .fxMargin, .issuerFee])
        #expect(quote.eta.p50 == Fixture.now.addingTimeInterval(300))
    }
}
