import Hummingbird
import Logging

extension LoopbackServer {
    /// Serves `router` on a free loopback port (a test's stand-in for a subscriber or a callback
    /// receiver), logging nothing below warnings.
    public static func start(router: Router<BasicRequestContext>) async throws -> LoopbackServer {
        var quiet = Logger(label: "switchyard.loopback")
        quiet.logLevel = .warning
        let responder = router.buildResponder(), logger = quiet
        return try await start { onListening in
            let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                  onServerRunning: { await onListening($0.localAddress?.port ?? 0) }, logger: logger)
            try await app.run()
        }
    }
}
