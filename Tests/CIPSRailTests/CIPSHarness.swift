import BankSimulator
import CIPSRail
import Foundation
import Logging
import RailHost
import RailKit
import RailKitSupport
import RailKitTesting
import RemoteRail
import RemoteRailTesting
import SandboxHTTP

enum CIPSFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let config = root.appendingPathComponent("Config")
    static let market = try! AdapterFixtures.market(asOf: Date(timeIntervalSince1970: 0),
                                                    rates: ["USD/CNY": "7.1100", "USD/CNH": "7.1200", "EUR/USD": "1.0800", "EUR/CNY": "7.6788"],
                                                    coinPricesUSD: [:])
    /// Wednesday 2026-11-18 10:00 in Shanghai: a China working day, inside CIPS's hours.
    static let workingDay = "2026-11-18T02:00:00Z"

    /// The CIPS rail as `cips-rail` builds it from `Config/remote-rails/cips.json`.
    static func rail(environment: [String: String] = [:]) throws -> any RailAdapter {
        try AdapterFixtures.adapter(RailFactory(CIPSRail.self, environment: environment), id: "cips-participant",
                                    settingsFile: config.appendingPathComponent("remote-rails/cips.json"),
                                    calendarDirectory: config.appendingPathComponent("calendars"))
    }

    /// A US buyer paying a mainland supplier's invoice in CNY.
    static func intent(amount: String = "250000.00", source: Currency = .usd, to currency: Currency = .cny,
                       creditorName: String = "Shenzhen Precision Parts Co Ltd", creditorBank: String = "SWYDCNSH",
                       creditorAccount: String = "6222020200112233", purpose: String? = "GDDS", reference: String? = "INV-2026-0043",
                       bearer: ChargeBearer? = nil, fixed: FixedSide = .send) -> PaymentIntent {
        let debtor = Party(name: "Acme Components Inc", country: .unitedStates,
                           accounts: AccountDetails(accountNumber: "000123456789", bic: try! BIC("SWYAUS33")))
        let creditor = Party(name: creditorName, country: .china,
                             accounts: AccountDetails(accountNumber: creditorAccount, bic: try! BIC(creditorBank)))
        let money = try! Money.fiat(amount, fixed == .send ? source : currency)
        return try! PaymentIntent(reference: reference, debtor: debtor, creditor: creditor, sourceCurrency: source, destinationCurrency: currency,
                                  amount: PaymentAmount(money, fixed: fixed), purpose: purpose,
                                  remittanceInformation: "Invoice \(reference ?? "-") machined parts", chargeBearer: bearer)
    }
}

/// The CIPS rail wired to the sandbox CIPS participant bank on loopback (through a proxy that
/// records each pacs.008 by UETR), with a clock the test moves.
struct CIPSHarness {
    static let participantSettings = try! BankSimulatorSettings.load(
        from: CIPSFixture.root.appendingPathComponent("Sandbox/config/cips-participant-bank.json"))
    static let schemas = CIPSFixture.root.appendingPathComponent("Tests/Fixtures/iso20022")
    static let token = "test-participant-token"

    let participant: RunningBankSimulator
    let proxy: RecordingProxy
    let clock: ManualClock
    let rail: any RailAdapter

    static func start(at start: String = CIPSFixture.workingDay) async throws -> CIPSHarness {
        let clock = ManualClock(Timestamp.parse(start)!)
        let calendars = try AdapterFixtures.calendars(in: CIPSFixture.config.appendingPathComponent("calendars"))
        let participant = try await RunningBankSimulator.start(settings: participantSettings, calendars: calendars, schemaDirectory: schemas,
                                                               clock: clock, token: token,
                                                               logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let proxy = try await RecordingProxy.start(forwardingTo: participant.url, classify: Self.pacs008UETR)
        let rail = try CIPSFixture.rail(environment: ["SWITCHYARD_CIPS_PARTICIPANT_URL": proxy.url.absoluteString,
                                                      "SWITCHYARD_CIPS_PARTICIPANT_TOKEN": token])
        return CIPSHarness(participant: participant, proxy: proxy, clock: clock, rail: rail)
    }

    /// A pacs.008 on its way to the participant, named by its UETR (read from the XML here, not by the rail's parser).
    @Sendable static func pacs008UETR(method: String, path: String, body: Data) -> String? {
        guard method == "POST", let text = String(data: body, encoding: .utf8), text.contains("pacs.008"),
              let match = text.firstMatch(of: /<UETR>([0-9a-fA-F-]{36})<\/UETR>/) else { return nil }
        return String(match.1)
    }

    var counterpart: CounterpartObserver {
        let proxy = proxy
        return CounterpartObserver { await proxy.recorded().map { ObservedSubmission(key: $0.key, at: $0.at) } }
    }

    var now: Date { clock.now() }

    /// The rail served by `RailHost` on loopback, and the router's `remote` adapter reaching it.
    func outOfProcess(token: String = "cips-host-token") async throws -> (RemoteRail, LoopbackServer) {
        let server = try await LoopbackServer.start { try await RailHost(adapter: rail, token: token,
                                                                     logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })).run(port: 0, onListening: $0) }
        return (try await RemoteRailTesting.configure("cips-participant", url: server.url, token: token), server)
    }

    func stop() {
        proxy.stop()
        participant.stop()
    }
}
