import BankSimulator
import CorrespondentBankingRail
import Foundation
import Logging
import ISO20022
import RailKit
import RailKitSupport
import RailKitTesting
import SandboxHTTP

/// A correspondent-banking rail wired to a bank simulator on loopback, with a clock the test moves.
struct BankHarness {
    static let sandboxSettings = try! BankSimulatorSettings.load(from: Fixture.config.deletingLastPathComponent().appendingPathComponent("Sandbox/config/bank-simulator.json"))
    static let schemas = Fixture.config.deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/iso20022")
    static let token = "test-bank-token"
    static let secret = "test-callback-secret"

    let simulator: RunningBankSimulator
    let clock: ManualClock
    let rail: any RailAdapter
    /// With `recording`: the proxy between the rail and the bank, recording each pacs.008 by UETR.
    var proxy: RecordingProxy?

    static func start(_ bank: String = "correspondent-bank-a", at start: String, callbackURL: URL? = nil,
                      recording: Bool = false, loseAnswer: @escaping @Sendable (String) -> Int? = { _ in nil },
                      loseRequest: @escaping @Sendable (String) -> Bool = { _ in false }) async throws -> BankHarness {
        let clock = ManualClock(Timestamp.parse(start)!)
        let calendars = try AdapterFixtures.calendars(in: Fixture.config.appendingPathComponent("calendars"))
        let simulator = try await RunningBankSimulator.start(settings: sandboxSettings, calendars: calendars, schemaDirectory: schemas, clock: clock,
                                                             token: token, callbackURL: callbackURL, callbackSecret: Data(secret.utf8))
        let proxy = recording ? try await RecordingProxy.start(forwardingTo: simulator.url, classify: Self.pacs008UETR, loseAnswer: loseAnswer,
                                                               loseRequest: loseRequest) : nil
        let rail = try Fixture.rail(bank, environment: environment(bank, url: proxy?.url ?? simulator.url))
        return BankHarness(simulator: simulator, clock: clock, rail: rail, proxy: proxy)
    }

    /// A pacs.008 on its way to the bank, named by its UETR (read from the XML here, not by the rail's parser).
    @Sendable static func pacs008UETR(method: String, path: String, body: Data) -> String? {
        guard method == "POST", let text = String(data: body, encoding: .utf8), text.contains("pacs.008"),
              let match = text.firstMatch(of: /<UETR>([0-9a-fA-F-]{36})<\/UETR>/) else { return nil }
        return String(match.1)
    }

    /// What the bank received, as the conformance kit reads it.
    var counterpart: CounterpartObserver? {
        proxy.map { proxy in CounterpartObserver { await proxy.recorded().map { ObservedSubmission(key: $0.key, at: $0.at) } } }
    }

    static func environment(_ bank: String, url: URL) -> [String: String] {
        let prefix = bank == "correspondent-bank-a" ? "SWITCHYARD_BANK_A" : "SWITCHYARD_BANK_B"
        return ["\(prefix)_URL": url.absoluteString, "\(prefix)_TOKEN": token, "\(prefix)_CALLBACK_SECRET": secret]
    }

    var now: Date { clock.now() }

    /// Quotes and executes `intent` now.
    func pay(_ intent: PaymentIntent, id: String = UUID().uuidString, journal: CollectingRecorder = CollectingRecorder(),
             logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })) async throws -> ExecutionReceipt {
        let outcome = try await rail.quote(QuoteRequest(quoteID: QuoteID("q-\(id)"), intent: intent, now: now, market: Fixture.market))
        guard case .quoted(let quote) = outcome else { throw RailError.invalidResponse("expected a quote, got \(outcome)") }
        return try await ExecutorHarness.execute(rail, paymentID: id, intent: intent, quote: quote, now: now, market: Fixture.market, recorder: journal, logger: logger)
    }

    /// Moves the bank's clock and polls the rail.
    func status(of receipt: ExecutionReceipt, after seconds: TimeInterval) async throws -> RailPaymentStatus {
        clock.advance(by: seconds)
        return try await rail.status(of: receipt.submission, at: now)
    }

    func stop() {
        proxy?.stop()
        simulator.stop()
    }
}
