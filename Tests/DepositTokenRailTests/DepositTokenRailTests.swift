import DepositTokenRail
import EVMKit
import Foundation
import RailKit
import RailKitSupport
import RailKitTesting
import Testing

enum Fixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let config = repository.appendingPathComponent("Config")
    static let now = Timestamp.parse("2026-11-20T15:00:00Z")!
    static let market = try! AdapterFixtures.market(asOf: now, rates: ["USD/CNH": "7.1200", "USD/HKD": "7.7800"], coinPricesUSD: ["ETH": "3000", "CFX": "0.15"])
    static let base = ChainID(evm: 8453)

    static func rail(settings: Data? = nil) throws -> any RailAdapter {
        let context = RailConfigurationContext(calendars: try AdapterFixtures.calendars(in: config.appendingPathComponent("calendars")))
        guard let settings else {
            return try RailFactory(DepositTokenRail.self, environment: [:]).makeAdapter(id: "jpmd-base", settings: try sampleSettings(),
                                                                                       file: "jpmd-base.json", context: context)
        }
        return try RailFactory(DepositTokenRail.self, environment: [:]).makeAdapter(id: "jpmd-second", settings: settings, file: "second.json", context: context)
    }

    /// `Config/rails/jpmd-base.json` as shipped (no wallet listed), with the sandbox's sample
    /// wallets (`Sandbox/sample-config`) over it, as `--overlay Sandbox/sample-config` loads it.
    static func sampleSettings() throws -> Data {
        try ConfigurationOverlay.apply(Data(contentsOf: repository.appendingPathComponent("Sandbox/sample-config/rails/jpmd-base.json")),
                                       to: Data(contentsOf: config.appendingPathComponent("rails/jpmd-base.json")))
    }

    /// A party with a bank in its own country (`bank` overrides it; an empty string means no bank account).
    static func party(_ name: String, _ country: String, wallet: String?, kind: PartyKind = .institutional, bank: String? = nil) -> Party {
        let bic = bank ?? ["US": "SWYAUS33", "CN": "SWYDCNSH", "SG": "SWYFSGSG"][country] ?? "SWYEHKHH"
        return Party(name: name, country: try! CountryCode(country), kind: kind,
                     accounts: AccountDetails(accountNumber: bic.isEmpty ? nil : "12345678", bic: bic.isEmpty ? nil : try! BIC(bic),
                                              wallets: wallet.map { [Wallet(chain: base, address: try! EVMAddress($0))] } ?? []))
    }

    static func intent(to currency: Currency = .usd, amount: String = "100000.00", creditorWallet: String? = "0x2222222222222222222222222222222222222222",
                       debtorWallet: String? = "0x1111111111111111111111111111111111111111", creditorCountry: String = "HK",
                       creditorBank: String? = nil) -> PaymentIntent {
        try! PaymentIntent(debtor: party("Acme", "US", wallet: debtorWallet),
                           creditor: party("Harbour", creditorCountry, wallet: creditorWallet, bank: creditorBank),
                           sourceCurrency: .usd, destinationCurrency: currency, amount: PaymentAmount(try! .fiat(amount, .usd), fixed: .send))
    }

    static func quote(_ rail: any RailAdapter, _ intent: PaymentIntent) async throws -> QuoteOutcome {
        try await rail.quote(QuoteRequest(quoteID: QuoteID("q1"), intent: intent, now: now, market: market))
    }
}

@Suite("Deposit-token rail")
struct DepositTokenRailTests {
    @Test("passes the conformance kit")
    func conformance() async throws {
        let report = try await RailConformance(adapter: try Fixture.rail(), market: Fixture.market, now: Fixture.now, scenarios: [
            ConformanceScenario("USD to an allowlisted HK wallet", intent: Fixture.intent(), expect: .quote),
            ConformanceScenario("USD to CNH through the HK payout bank", intent: Fixture.intent(to: .cnh, amount: "250000.00", creditorWallet: nil), expect: .quote),
            ConformanceScenario("creditor wallet not allowlisted",
                                intent: Fixture.intent(creditorWallet: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), expect: .decline(.counterpartyNotAllowlisted)),
            ConformanceScenario("debtor wallet not allowlisted",
                                intent: Fixture.intent(debtorWallet: "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"), expect: .decline(.counterpartyNotAllowlisted)),
            ConformanceScenario("no debtor wallet", intent: Fixture.intent(debtorWallet: nil), expect: .decline(.debtorAccountMissing)),
            ConformanceScenario("no creditor wallet", intent: Fixture.intent(creditorWallet: nil), expect: .decline(.creditorAccountMissing)),
            ConformanceScenario("CNH to the mainland", intent: Fixture.intent(to: .cnh, creditorWallet: nil, creditorCountry: "CN"), expect: .decline(.corridorNotSupported)),
            // The payout bank credits a Hong Kong bank account: none, or one elsewhere, is not a delivery it can make.
            ConformanceScenario("CNH payout without a creditor bank account",
                                intent: Fixture.intent(to: .cnh, creditorWallet: nil, creditorBank: ""), expect: .decline(.creditorAccountMissing)),
            ConformanceScenario("CNH payout to a HK resident banking in the US",
                                intent: Fixture.intent(to: .cnh, creditorWallet: nil, creditorBank: "SWYAUS33"), expect: .decline(.corridorNotSupported)),
            ConformanceScenario("CNH payout to a HK resident banking on the mainland",
                                intent: Fixture.intent(to: .cnh, creditorWallet: nil, creditorBank: "SWYDCNSH"), expect: .decline(.corridorNotSupported)),
        ]).run()
        #expect(report.quotes >= 4)
        #expect(report.declines >= 7)
    }

    @Test("gas: 80,000 gas at 0.05 gwei and 3,000 USD/ETH is 0.000004 ETH, billed as 0.02 USD (rounded up)")
    func gas() async throws {
        guard case .quoted(let quote) = try await Fixture.quote(try Fixture.rail(), Fixture.intent()) else {
            Issue.record("expected a quote")
            return
        }
        let gas = try #require(quote.costs.first { $0.kind == .networkFee })
        #expect(gas.amount == (try .fiat("0.02", .usd)))
        #expect(gas.charged?.minorUnits == 4_000_000_000_000)
        #expect(gas.charged?.decimalValue == (try ExactDecimal(parsing: "0.000004")))
        #expect(quote.creditorReceives == (try .fiat("100000.00", .usd)))
        #expect(quote.debtorPays == (try .fiat("100000.02", .usd)))
        #expect(quote.eta.p50 == Fixture.now.addingTimeInterval(2))
        #expect(quote.eta.p95 == Fixture.now.addingTimeInterval(120))
        #expect(quote.assumptions.contains { $0.name == "token_amount" && $0.value.hasPrefix("100000.000000000000000000 JPMD") })
    }

    @Test("a second instance from other settings: L1 finality changes the ETA, not the code")
    func secondInstance() async throws {
        var json = try JSONSerialization.jsonObject(with: Fixture.sampleSettings()) as! [String: Any]
        var finality = json["finality"] as! [String: Any]
        finality["policy"] = "l1-finality"
        json["finality"] = finality
        json["displayName"] = "JPMD on Base, L1-final"
        let rail = try Fixture.rail(settings: try JSONSerialization.data(withJSONObject: json))
        #expect(rail.descriptor.id == "jpmd-second")
        guard case .quoted(let quote) = try await Fixture.quote(rail, Fixture.intent()) else {
            Issue.record("expected a quote")
            return
        }
        #expect(quote.eta.p50 == Fixture.now.addingTimeInterval(1200))
    }

    @Test("two payout corridors to the same currency keep their own latencies")
    func payoutLatencyPerCorridor() async throws {
        var json = try JSONSerialization.jsonObject(with: Fixture.sampleSettings()) as! [String: Any]
        var corridors = json["corridors"] as! [[String: Any]]
        var singapore = corridors[1]
        singapore["creditorCountries"] = ["SG"]
        var payout = singapore["payout"] as! [String: Any]
        payout["latency"] = ["earliest": ["seconds": 60], "p50": ["seconds": 7200], "p95": ["seconds": 86400], "source": "test"]
        singapore["payout"] = payout
        corridors.append(singapore)
        json["corridors"] = corridors
        let rail = try Fixture.rail(settings: try JSONSerialization.data(withJSONObject: json))
        guard case .quoted(let hongKong) = try await Fixture.quote(rail, Fixture.intent(to: .cnh, creditorWallet: nil)),
              case .quoted(let sg) = try await Fixture.quote(rail, Fixture.intent(to: .cnh, creditorWallet: nil, creditorCountry: "SG")) else {
            Issue.record("expected two quotes")
            return
        }
        // The HK payout bank credits in HK business hours: quoted Friday 23:00 HK, its hour runs
        // Monday 09:00-10:00 HK. The other corridor's payout is configured in wall-clock seconds.
        #expect(hongKong.eta.p50 == Timestamp.parse("2026-11-23T02:00:00Z")!)
        #expect(sg.eta.p50 == Fixture.now.addingTimeInterval(7200))
    }

    @Test("broken settings name the field")
    func brokenSettings() throws {
        var json = try JSONSerialization.jsonObject(with: Fixture.sampleSettings()) as! [String: Any]
        var finality = json["finality"] as! [String: Any]
        finality["policy"] = "instant"
        json["finality"] = finality
        #expect { try Fixture.rail(settings: try JSONSerialization.data(withJSONObject: json)) } throws: {
            ($0 as? ConfigurationError)?.field == "finality.policy"
        }
    }
}

@Suite("Deposit-token node endpoint")
struct NodeEndpointTests {
    @Test("a JSON-RPC node off loopback must be reached over TLS (its URL often carries a key); loopback may be plain http")
    func tlsOffLoopback() throws {
        let context = RailConfigurationContext(calendars: try AdapterFixtures.calendars(in: Fixture.config.appendingPathComponent("calendars")))
        func make(_ url: String) throws -> any RailAdapter {
            try RailFactory(DepositTokenRail.self, environment: ["SWITCHYARD_BASE_RPC_URL": url])
                .makeAdapter(id: "jpmd-base", settings: try Fixture.sampleSettings(), file: "jpmd-base.json", context: context)
        }
        #expect {
            _ = try make("http://10.0.0.5:8545/v1/secret-key")
        } throws: { error in
            "\(error)".contains("network.rpcURL: reached over TLS") && !"\(error)".contains("secret-key")
        }
        _ = try make("http://127.0.0.1:8545")
        _ = try make("https://base-mainnet.example.com/v1/secret-key")
    }
}
