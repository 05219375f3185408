import FXQuotes
import Foundation
import RailKit
import RailKitSupport
import SandboxHTTP

/// A dealer started in this process on a loopback port, for tests and the sandbox.
public final class RunningFXDesk: Sendable {
    public let desk: ConfiguredFXProvider
    private let server: LoopbackServer

    public var url: URL { server.url }

    private init(desk: ConfiguredFXProvider, server: LoopbackServer) {
        self.desk = desk
        self.server = server
    }

    /// Starts the RFQ server on `127.0.0.1:port` (0 = a free port) and returns once it listens.
    public static func start(desk: ConfiguredFXProvider, token: String, clock: @escaping @Sendable () -> Date = { Date() },
                             port: Int = 0) async throws -> RunningFXDesk {
        let server = FXDeskServer(desk: desk, token: token, clock: clock)
        return RunningFXDesk(desk: desk, server: try await LoopbackServer.start { try await server.run(port: port, onListening: $0) })
    }

    public func stop() { server.stop() }
}
