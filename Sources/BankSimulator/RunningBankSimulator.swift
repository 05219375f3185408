import Foundation
import Logging
import RailKit

/// A simulator started in this process on a loopback port, for tests and the sandbox.
///
/// ```swift
/// let simulator = try await RunningBankSimulator.start(settings: settings, calendars: calendars, clock: clock)
/// defer { simulator.stop() }
/// // point a rail at simulator.url
/// ```
public final class RunningBankSimulator: Sendable {
    public let url: URL
    public let bank: SimulatedBank
    public let server: BankSimulatorServer
    private let task: Task<Void, any Error>

    private init(url: URL, bank: SimulatedBank, server: BankSimulatorServer, task: Task<Void, any Error>) {
        self.url = url
        self.bank = bank
        self.server = server
        self.task = task
    }

    /// Starts the HTTP server on `127.0.0.1:port` (0 = a free port) and returns once it listens.
    public static func start(settings: BankSimulatorSettings, calendars: [String: BusinessCalendar], schemaDirectory: URL?,
                             clock: any SimulatorClock, token: String? = nil, callbackURL: URL? = nil, callbackSecret: Data? = nil,
                             port: Int = 0, logger: Logger = Logger(label: "switchyard.bank-simulator")) async throws -> RunningBankSimulator {
        let bank = try SimulatedBank(settings: settings, calendars: calendars,
                                     validator: schemaDirectory.map { SchemaValidator(schemaDirectory: $0) }, clock: clock, logger: logger)
        let server = BankSimulatorServer(bank: bank, token: token, callbackURL: callbackURL, callbackSecret: callbackSecret, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            // Ends the stream if the server fails to start, so `start` throws instead of waiting.
            defer { continuation.finish() }
            try await server.run(port: port) { bound in continuation.yield(bound) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else { throw SimulatorRefusal("the simulator did not start") }
        return RunningBankSimulator(url: URL(string: "http://127.0.0.1:\(bound)")!, bank: bank, server: server, task: task)
    }

    /// Stops the server.
    public func stop() { task.cancel() }

    deinit { task.cancel() }
}
