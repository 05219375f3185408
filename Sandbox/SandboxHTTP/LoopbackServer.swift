import Foundation

/// A sandbox counterpart's HTTP server running in this process on a loopback port, for tests and
/// the sandbox: started, awaited until it listens, stopped by cancelling it.
public final class LoopbackServer: Sendable {
    public let url: URL
    private let task: Task<Void, any Error>

    private init(url: URL, task: Task<Void, any Error>) {
        self.url = url
        self.task = task
    }

    /// Runs `serve` (which calls `onListening` with the bound port once it listens) and returns
    /// then. If `serve` fails first, its error is thrown.
    public static func start(
        _ serve: @escaping @Sendable (_ onListening: @escaping @Sendable (Int) async -> Void) async throws -> Void
    ) async throws -> LoopbackServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            // Ends the stream if the server fails to start, so `start` throws instead of waiting.
            defer { continuation.finish() }
            try await serve { bound in continuation.yield(bound) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            try await task.value
            throw LoopbackServerError.notStarted
        }
        return LoopbackServer(url: URL(string: "http://127.0.0.1:\(bound)")!, task: task)
    }

    /// Stops the server.
    public func stop() { task.cancel() }

    deinit { task.cancel() }
}

public enum LoopbackServerError: Error, CustomStringConvertible {
    case notStarted

    public var description: String { "the server ended before it listened" }
}
