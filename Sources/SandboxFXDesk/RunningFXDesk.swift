import FXQuotes
import Foundation
import RailKit

/// A dealer started in this process on a loopback port, for tests and the sandbox.
public final class RunningFXDesk: Sendable {
    public let url: URL
    public let desk: ConfiguredFXProvider
    private let task: Task<Void, any Error>

    private init(url: URL, desk: ConfiguredFXProvider, task: Task<Void, any Error>) {
        self.url = url
        self.desk = desk
        self.task = task
    }

    /// Starts the RFQ server on `127.0.0.1:port` (0 = a free port) and returns once it listens.
    public static func start(desk: ConfiguredFXProvider, clock: @escaping @Sendable () -> Date = { Date() }, port: Int = 0) async throws -> RunningFXDesk {
        let server = FXDeskServer(desk: desk, clock: clock)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            defer { continuation.finish() }
            try await server.run(port: port) { bound in continuation.yield(bound) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else { throw RailError.unavailable("the FX desk did not start") }
        return RunningFXDesk(url: URL(string: "http://127.0.0.1:\(bound)")!, desk: desk, task: task)
    }

    public func stop() { task.cancel() }

    deinit { task.cancel() }
}
