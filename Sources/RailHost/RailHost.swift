import Foundation
import Hummingbird
import Logging
import NIOCore
import RailKit
import RemoteRailProtocol

/// Serves one ``RailAdapter`` over the out-of-process rail protocol (``RemoteRailProtocol``), so a
/// rail written against RailKit runs in the router's process or in its own, unchanged.
///
/// Execution runs in steps. The adapter runs in the host and is held inside its
/// `record(.prepared(…))` call — before anything of that checkpoint leaves — while the host
/// answers the checkpoint; when the router's next step says it committed it, the call returns and
/// the adapter goes on as it would in process (``ExecutionSessions``). After a restart, or for a
/// step that resumes from another point, the adapter resumes from the router's checkpoint by its
/// own recovery path. `run` serves the routes and runs the adapters: use it, not the router alone.
public struct RailHost: Sendable {
    public let adapter: any RailAdapter
    let token: String
    let logger: Logger
    let sessions: ExecutionSessions
    private let jobs: AsyncStream<ExecutionSessions.Job>

    /// - Parameters:
    ///   - token: the bearer token every request must carry.
    ///   - holdSeconds: how long an adapter is held at a checkpoint for the router to confirm it
    ///     committed it; then it is stopped there (nothing of it sent) and resumes from the
    ///     router's checkpoint when asked.
    public init(adapter: any RailAdapter, token: String, holdSeconds: Int = 60, logger: Logger = Logger(label: "switchyard.rail-host")) {
        precondition(!token.isEmpty, "a rail host requires a bearer token")
        self.adapter = adapter
        self.token = token
        self.logger = logger
        let (jobs, continuation) = AsyncStream.makeStream(of: ExecutionSessions.Job.self)
        self.jobs = jobs
        sessions = ExecutionSessions(jobs: continuation, holdTime: .seconds(holdSeconds))
    }

    /// Serves the protocol on `host:port` (0 picks a free port) and runs the adapters' executions,
    /// until cancelled; `onListening` gets the bound port. Call it once per host.
    public func run(host: String = "127.0.0.1", port: Int = 0, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(router: router(), server: .http1(configuration: .init(idleTimeout: .seconds(60))),
                              configuration: .init(address: .hostname(host, port: port), serverName: "switchyard-rail-host"),
                              onServerRunning: { await onListening($0.localAddress?.port ?? port) }, logger: logger)
        let sessions = self.sessions
        // The adapters' executions are children of this group, beside the server: none outlives `run`.
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                do { try await app.run() } catch {
                    await sessions.shutDown()
                    throw error
                }
                await sessions.shutDown()
            }
            for await job in jobs { group.addTask { await job() } }
        }
    }

    /// The protocol's routes behind the bearer token (executions need ``run(host:port:onListening:)``).
    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let adapter = self.adapter
        let sessions = self.sessions
        router.add(middleware: HostTokenMiddleware(token: token))
        router.get("/v1/rail") { _, _ -> Response in
            Self.json(RemoteRailProtocol.Hello(descriptor: adapter.descriptor, acceptsNotifications: adapter is any RailNotificationReceiver))
        }
        router.post("/v1/quote") { request, _ -> Response in
            await Self.answer {
                let quote = try await Self.decode(QuoteRequest.self, request)
                return Self.json(try await adapter.quote(quote))
            }
        }
        router.post("/v1/execute") { request, _ -> Response in
            await Self.answer {
                let execution = try await Self.decode(ExecutionRequest.self, request)
                return Self.json(try await sessions.step(execution, adapter: adapter))
            }
        }
        router.post("/v1/status") { request, _ -> Response in
            await Self.answer {
                let asked = try await Self.decode(RemoteRailProtocol.StatusRequest.self, request)
                return Self.json(try await adapter.status(of: asked.submission, at: asked.now))
            }
        }
        router.post("/v1/notification") { request, _ -> Response in
            await Self.answer {
                let pushed = try await Self.decode(RemoteRailProtocol.NotificationRequest.self, request)
                guard let receiver = adapter as? any RailNotificationReceiver else {
                    throw RailError.unsupported(operation: "notifications", rail: adapter.descriptor.id)
                }
                return Self.json(try await receiver.acceptNotification(body: pushed.body, headers: pushed.headers, at: pushed.now))
            }
        }
        return router
    }

    /// Decodes a request body (at most 1 MiB) with RailKit's wire coding; a body that does not
    /// decode is the caller's error, said as such.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let body = try await request.body.collect(upTo: 1 << 20)
        do {
            return try RailCoding.decoder().decode(type, from: Data(body.readableBytesView))
        } catch {
            throw RailError.invalidResponse("the request body is not a \(type): \(error)")
        }
    }

    /// A JSON answer in RailKit's wire coding (also for test doubles of a remote rail).
    public static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? RailCoding.encoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The route's answer, or its error as a typed failure: a decline or a bad request is 422, a
    /// counterpart the rail cannot reach 503, anything else 500.
    static func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as RailError {
            let status: HTTPResponse.Status = switch error {
            case .declined, .invalidResponse, .money: .unprocessableContent
            case .unavailable: .serviceUnavailable
            case .misconfigured, .unsupported: .internalServerError
            }
            return json(RemoteRailProtocol.Failure(error: error), status: status)
        } catch {
            return json(RemoteRailProtocol.Failure(error: .unavailable("the rail failed: \(type(of: error))")), status: .internalServerError)
        }
    }
}

/// Refuses a request without the host's bearer token (401 with a typed failure).
struct HostTokenMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let expected: [UInt8]

    init(token: String) { expected = Array("Bearer \(token)".utf8) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let presented = Array((request.headers[.authorization] ?? "").utf8)
        var difference: UInt8 = presented.count == expected.count ? 0 : 1
        for (left, right) in zip(presented, expected) { difference |= left ^ right }
        guard difference == 0 else {
            return RailHost.json(RemoteRailProtocol.Failure(error: .unavailable("Authorization: a valid bearer token is required")), status: .unauthorized)
        }
        return try await next(request, context)
    }
}
