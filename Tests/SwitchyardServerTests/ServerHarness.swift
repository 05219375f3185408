import BankSimulator
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Logging
import Metrics
import Prometheus
import RailKit
import RailKitSupport
import RailKitTesting
import SQLitePaymentStore
import SwitchyardAPI
import SwitchyardCommands
import SwitchyardExecutor
import SwitchyardRouter
import SwitchyardServer

/// The API over the repository's configuration on a new SQLite store, with both correspondent
/// banks executing against the bank simulator on loopback (on a manual clock shared with the
/// router), and a read key and a write key.
struct ServerHarness: Sendable {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let config = repository.appendingPathComponent("Config")
    static let bankToken = "test-bank-token"
    static let callbackSecret = "test-callback-secret"

    let simulator: RunningBankSimulator
    let clock: ManualClock
    let store: SQLitePaymentStore
    /// Where the store's database is, removed by ``stop()``.
    let storeDirectory: URL
    let engine: RoutingEngine
    let executor: PaymentExecutor
    let server: SwitchyardAPIServer
    let writeKey: String
    let readKey: String

    static func start(at start: String = "2026-11-18T15:00:00Z", keyCache: Duration = .seconds(10)) async throws -> ServerHarness {
        let clock = ManualClock(Timestamp.parse(start)!)
        let settings = try BankSimulatorSettings.load(from: repository.appendingPathComponent("Sandbox/config/bank-simulator.json"))
        let calendars = try AdapterFixtures.calendars(in: config.appendingPathComponent("calendars"))
        let simulator = try await RunningBankSimulator.start(
            settings: settings, calendars: calendars, schemaDirectory: repository.appendingPathComponent("Tests/Fixtures/iso20022"), clock: clock,
            token: bankToken, callbackSecret: Data(callbackSecret.utf8), logger: quiet)
        var environment = [String: String]()
        for prefix in ["SWITCHYARD_BANK_A", "SWITCHYARD_BANK_B"] {
            environment["\(prefix)_URL"] = simulator.url.absoluteString
            environment["\(prefix)_TOKEN"] = bankToken
            environment["\(prefix)_CALLBACK_SECRET"] = callbackSecret
        }
        let configuration = try SwitchyardConfiguration.load(from: config, overlay: ServerHarness.repository.appendingPathComponent("Sandbox/sample-config"), factories: RailModules.factories(environment: environment))
        var engine = configuration.makeEngine(clock: { clock.now() })
        engine.logger = quiet
        let metrics = Self.metrics
        let storeDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-api-\(UUID().uuidString)")
        let store = try SQLitePaymentStore(path: storeDirectory.appendingPathComponent("payments.sqlite").path)
        let executor = engine.makeExecutor(store: store, logger: quiet)
        let server = SwitchyardAPIServer(engine: engine, executor: executor, store: store, keyCache: keyCache, metrics: metrics, clock: { clock.now() })
        let (writeKey, writer) = APIKeyToken.generate(scope: .write, label: "test writer", at: clock.now())
        let (readKey, reader) = APIKeyToken.generate(scope: .read, label: nil, at: clock.now())
        try await store.saveAPIKey(writer)
        try await store.saveAPIKey(reader)
        return ServerHarness(simulator: simulator, clock: clock, store: store, storeDirectory: storeDirectory, engine: engine, executor: executor,
                             server: server, writeKey: writeKey, readKey: readKey)
    }

    /// swift-metrics is bootstrapped once per process: every harness exports the one registry.
    static let metrics: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Keeps metadata (the request ids answers carry) but prints only what is critical.
    static let serverLogger: Logger = {
        var logger = Logger(label: "test-api") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .critical
        return logger
    }()

    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `body` with a client of the API in process (no socket).
    func withClient<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await server.application(host: "127.0.0.1", port: 0, services: [], logger: Self.serverLogger).test(.router, body)
    }

    func stop() {
        simulator.stop()
        try? FileManager.default.removeItem(at: storeDirectory)
    }

    static func headers(key: String?, idempotencyKey: String? = nil, json: Bool = true) -> HTTPFields {
        var headers = HTTPFields()
        if let key { headers[.authorization] = "Bearer \(key)" }
        if json { headers[.contentType] = "application/json" }
        if let idempotencyKey { headers[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
        return headers
    }

    /// A USD payment to a Hong Kong supplier's account (both banks carry it; the token rails only quote here).
    static func intent(amount: String = "100000.00", reference: String = "INV-1") -> [String: Any] {
        [
            "reference": reference,
            "debtor": ["name": "Acme Components Inc", "country": "US", "accounts": ["accountNumber": "000123456789", "bic": "SWYAUS33"]],
            "creditor": ["name": "Harbour Electronics Supply Ltd", "country": "HK", "accounts": ["accountNumber": "012345678901", "bic": "SWYEHKHH"]],
            "sourceCurrency": "USD", "destinationCurrency": "USD",
            "amount": ["amount": amount, "currency": "USD", "fixed": "send"],
            "purpose": "GDDS", "remittanceInformation": "Invoice \(reference)",
        ]
    }
}

extension ByteBuffer {
    init(json: Any) throws {
        self.init(data: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
    }

    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(buffer: self)) as? [String: Any] else {
            throw RailError.invalidResponse("not a JSON object: \(String(buffer: self))")
        }
        return object
    }
}
