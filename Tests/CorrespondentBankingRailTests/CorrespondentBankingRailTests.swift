import CorrespondentBankingRail
import Foundation
import RailKit
import RailKitSupport
import RailKitTesting
import Testing

enum Fixture {
    static let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Config")
    static let market = try! AdapterFixtures.market(asOf: Date(timeIntervalSince1970: 0), rates: ["USD/CNH": "7.1200", "USD/CNY": "7.1100", "USD/HKD": "7.7800"], coinPricesUSD: [:])

    static func rail(_ name: String, environment: [String: String] = [:]) throws -> any RailAdapter {
        try AdapterFixtures.adapter(RailFactory(CorrespondentBankingRail.self, environment: environment), id: RailID(name), settingsFile: config.appendingPathComponent("rails/\(name).json"),
                                    calendarDirectory: config.appendingPathComponent("calendars"))
    }

    static func intent(to currency: Currency = .usd, amount: String = "100000.00", country: String = "HK", bearer: ChargeBearer? = nil,
                       fixed: FixedSide = .send, creditorName: String = "Harbour", creditorAccount: String = "012345678901",
                       creditorBank: String = "SWYEHKHH") -> PaymentIntent {
        let debtor = Party(name: "Acme", country: .unitedStates, accounts: AccountDetails(accountNumber: "000123456789", bic: try! BIC("SWYAUS33")))
        let creditor = Party(name: creditorName, country: try! CountryCode(country), accounts: AccountDetails(accountNumber: creditorAccount, bic: try! BIC(creditorBank)))
        let money = try! Money.fiat(amount, fixed == .send ? .usd : currency)
        return try! PaymentIntent(debtor: debtor, creditor: creditor, sourceCurrency: .usd, destinationCurrency: currency,
                                  amount: PaymentAmount(money, fixed: fixed), chargeBearer: bearer)
    }

    static func quote(_ rail: any RailAdapter, _ intent: PaymentIntent, at now: String) async throws -> Quote {
        let outcome = try await rail.quote(QuoteRequest(quoteID: QuoteID("q1"), intent: intent, now: Timestamp.parse(now)!, market: market))
        guard case .quoted(let quote) = outcome else { throw RailError.invalidResponse("expected a quote, got \(outcome)") }
        return quote
    }
}

@Suite("Correspondent-banking rail")
struct CorrespondentBankingRailTests {
    @Test("both configured banks pass the conformance kit", arguments: ["correspondent-bank-a", "correspondent-bank-b"])
    func conformance(bank: String) async throws {
        let report = try await RailConformance(adapter: try Fixture.rail(bank), market: Fixture.market, now: Timestamp.parse("2026-11-18T15:00:00Z")!, scenarios: [
            ConformanceScenario("USD to a HK USD account", intent: Fixture.intent(), expect: .quote),
            ConformanceScenario("USD to CNH in HK, SHA", intent: Fixture.intent(to: .cnh, amount: "250000.00"), expect: .quote),
            ConformanceScenario("USD to CNH in HK, OUR", intent: Fixture.intent(to: .cnh, amount: "5000.00", bearer: .our), expect: .quote),
            ConformanceScenario("USD to CNH in HK, BEN", intent: Fixture.intent(to: .cnh, amount: "5000.00", bearer: .ben), expect: .quote),
            ConformanceScenario("fees larger than the payment", intent: Fixture.intent(amount: "20.00", bearer: .ben), expect: .decline(.amountTooSmallAfterFees)),
            ConformanceScenario("CNH to the mainland", intent: Fixture.intent(to: .cnh, country: "CN"), expect: .decline(.corridorNotSupported)),
            // Where the creditor's account is, not only where the creditor lives: offshore CNH is
            // credited in Hong Kong; sent to a mainland bank it would arrive as onshore CNY.
            ConformanceScenario("CNH for a HK resident banking on the mainland", intent: Fixture.intent(to: .cnh, creditorBank: "SWYDCNSH"),
                                expect: .decline(.corridorNotSupported)),
            ConformanceScenario("USD for a HK resident banking in the US", intent: Fixture.intent(creditorBank: "SWYAUS33"),
                                expect: .decline(.corridorNotSupported)),
            ConformanceScenario("no creditor bank account", intent: {
                var intent = Fixture.intent()
                intent.creditor.accounts = AccountDetails()
                return intent
            }(), expect: .decline(.creditorAccountMissing)),
        ]).run()
        #expect(report.quotes >= 4)
    }

    @Test("onshore CNY is credited to a mainland bank only; the decline names the bank and its country")
    func onshoreCNYToMainlandBanks() async throws {
        let rail = try Fixture.rail("correspondent-bank-a")
        let now = "2026-11-18T15:00:00Z"
        _ = try await Fixture.quote(rail, Fixture.intent(to: .cny, country: "CN", creditorBank: "SWYDCNSH"), at: now)
        let outcome = try await rail.quote(QuoteRequest(quoteID: QuoteID("q1"), intent: Fixture.intent(to: .cny, country: "CN", creditorBank: "SWYEHKHH"),
                                                        now: Timestamp.parse(now)!, market: Fixture.market))
        guard case .declined(let decline) = outcome else { Issue.record("expected a decline, got \(outcome)"); return }
        #expect(decline.code == .corridorNotSupported)
        #expect(decline.message == "This relationship's USD→CNY corridor pays out to bank accounts in CN only; the creditor's account is with SWYEHKHH in HK.",
                "\(decline.message)")
    }

    @Test("OUR, SHA and BEN deliver different amounts for the same payment")
    func chargeBearers() async throws {
        let rail = try Fixture.rail("correspondent-bank-a")
        let at = "2026-11-18T15:00:00Z"
        let sha = try await Fixture.quote(rail, Fixture.intent(bearer: .sha), at: at)
        let our = try await Fixture.quote(rail, Fixture.intent(bearer: .our), at: at)
        let ben = try await Fixture.quote(rail, Fixture.intent(bearer: .ben), at: at)
        // Bank A: sender 35, OUR fee 25, no intermediary on USD→USD, beneficiary bank 15.
        #expect(sha.debtorPays == (try .fiat("100035.00", .usd)))
        #expect(sha.creditorReceives == (try .fiat("99985.00", .usd)))
        #expect(our.debtorPays == (try .fiat("100060.00", .usd)))
        #expect(our.creditorReceives == (try .fiat("100000.00", .usd)))
        #expect(ben.debtorPays == (try .fiat("100000.00", .usd)))
        #expect(ben.creditorReceives == (try .fiat("99950.00", .usd)))
        // With an intermediary (USD→CNH via the CNH clearing bank) SHA deducts 20 USD before conversion.
        let cnh = try await Fixture.quote(rail, Fixture.intent(to: .cnh, amount: "250000.00"), at: at)
        let hop = try #require(cnh.costs.first { $0.kind == .intermediaryBankFee })
        #expect(hop.amount == (try .fiat("20.00", .usd)))
        #expect(hop.collection == .deducted)
        // 249,980 USD at 7.12 × (1 − 0.8 %) = 7.063040 → 1,765,618.74 CNH; minus the beneficiary bank's
        // 15 USD = 106.80 CNH at mid → 1,765,511.94 CNH.
        #expect(cnh.fx?.applied.rate == (try ExactDecimal(parsing: "7.06304")))
        #expect(cnh.creditorReceives == (try .fiat("1765511.94", .cnh)))
    }

    @Test("FX spread tier follows the payment size")
    func spreadTiers() async throws {
        let rail = try Fixture.rail("correspondent-bank-a")
        let small = try await Fixture.quote(rail, Fixture.intent(to: .cnh, amount: "5000.00"), at: "2026-11-18T15:00:00Z")
        let large = try await Fixture.quote(rail, Fixture.intent(to: .cnh, amount: "2000000.00"), at: "2026-11-18T15:00:00Z")
        #expect(small.fx?.marginBasisPoints == ExactDecimal(250))
        #expect(large.fx?.marginBasisPoints == ExactDecimal(40))
    }

    @Test("Friday after the cut-off is processed Monday; the ETA runs in HK business hours")
    func fridayAfterCutOff() async throws {
        let rail = try Fixture.rail("correspondent-bank-a")
        // Friday 2026-11-20 17:30 ET (after the 17:00 cut-off) → Monday 09:00 ET = Monday 22:00 HKT, after HK closes;
        // 3 HK business hours → Tuesday 12:00 HKT = 04:00Z.
        let quote = try await Fixture.quote(rail, Fixture.intent(), at: "2026-11-20T22:30:00Z")
        #expect(quote.assumptions.contains { $0.name == "processing_starts" && $0.value == "2026-11-23T14:00:00Z" })
        #expect(quote.eta.p50 == Timestamp.parse("2026-11-24T04:00:00Z"))
        // Half an hour earlier, before the cut-off, it starts at once (and lands Monday in HK).
        let early = try await Fixture.quote(rail, Fixture.intent(), at: "2026-11-20T21:30:00Z")
        #expect(early.assumptions.contains { $0.name == "processing_starts" && $0.value == "2026-11-20T21:30:00Z" })
        #expect(early.eta.p50 == Timestamp.parse("2026-11-23T04:00:00Z"))
    }

    @Test("a US holiday delays the release")
    func usHoliday() async throws {
        // Wednesday before Thanksgiving, after the cut-off → Friday 27th.
        let quote = try await Fixture.quote(try Fixture.rail("correspondent-bank-a"), Fixture.intent(), at: "2026-11-25T23:00:00Z")
        #expect(quote.assumptions.contains { $0.name == "processing_starts" && $0.value == "2026-11-27T14:00:00Z" })
    }

    @Test("a HK holiday delays arrival")
    func hkHoliday() async throws {
        // Wednesday 2026-09-30 10:00 ET, before the cut-off; HK is closed by then and Thursday 1 Oct is National Day:
        // day 0 is Friday 2 Oct, so one business day is Monday 5 Oct 17:00 HKT.
        let quote = try await Fixture.quote(try Fixture.rail("correspondent-bank-a"), Fixture.intent(to: .cnh), at: "2026-09-30T14:00:00Z")
        #expect(quote.eta.p50 == Timestamp.parse("2026-10-05T09:00:00Z"))
    }

    @Test("the cut-off moves with daylight saving time")
    func dstWeek() async throws {
        let rail = try Fixture.rail("correspondent-bank-a")
        // 21:30Z is 17:30 EDT on Friday 30 Oct (after the cut-off) but 16:30 EST on Monday 2 Nov (before it).
        let friday = try await Fixture.quote(rail, Fixture.intent(), at: "2026-10-30T21:30:00Z")
        #expect(friday.assumptions.contains { $0.name == "processing_starts" && $0.value == "2026-11-02T14:00:00Z" })
        let monday = try await Fixture.quote(rail, Fixture.intent(), at: "2026-11-02T21:30:00Z")
        #expect(monday.assumptions.contains { $0.name == "processing_starts" && $0.value == "2026-11-02T21:30:00Z" })
    }

    @Test("fixed-receive delivers the invoiced amount exactly under SHA")
    func fixedReceive() async throws {
        let quote = try await Fixture.quote(try Fixture.rail("correspondent-bank-b"), Fixture.intent(to: .cnh, amount: "1780000.00", fixed: .receive), at: "2026-11-18T15:00:00Z")
        #expect(quote.creditorReceives == (try .fiat("1780000.00", .cnh)))
        #expect(try quote.costs.map(\.amount).sum(in: .fiat(.usd)) == quote.totalCost)
    }
}
