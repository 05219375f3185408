import Foundation
import Logging
import RailKit
import RailKitSupport
import SandboxHTTP

/// A simulator started in this process on a loopback port, for tests and the sandbox.
///
/// ```swift
/// let simulator = try await RunningBankSimulator.start(settings: settings, calendars: calendars, clock: clock)
/// defer { simulator.stop() }
/// // point a rail at simulator.url
/// ```
public final class RunningBankSimulator: Sendable {
    public let bank: SimulatedBank
    public let server: BankSimulatorServer
    private let loopback: LoopbackServer

    public var url: URL { loopback.url }

    private init(bank: SimulatedBank, server: BankSimulatorServer, loopback: LoopbackServer) {
        self.bank = bank
        self.server = server
        self.loopback = loopback
    }

    /// Starts the HTTP server on `127.0.0.1:port` (0 = a free port) and returns once it listens.
    public static func start(settings: BankSimulatorSettings, calendars: [String: BusinessCalendar], schemaDirectory: URL?,
                             clock: any SimulatorClock, token: String? = nil, callbackURL: URL? = nil, callbackSecret: Data? = nil,
                             port: Int = 0, logger: Logger = Logger(label: "switchyard.bank-simulator")) async throws -> RunningBankSimulator {
        let bank = try SimulatedBank(settings: settings, calendars: calendars,
                                     validator: schemaDirectory.map { SchemaValidator(schemaDirectory: $0) }, clock: clock, logger: logger)
        let server = BankSimulatorServer(bank: bank, token: token, callbackURL: callbackURL, callbackSecret: callbackSecret, logger: logger)
        return RunningBankSimulator(bank: bank, server: server,
                                    loopback: try await LoopbackServer.start { try await server.run(port: port, onListening: $0) })
    }

    /// Stops the server.
    public func stop() { loopback.stop() }
}
