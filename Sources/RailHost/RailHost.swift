import Foundation
import Hummingbird
import Logging
import NIOCore
import RailKit
import RemoteRailProtocol

/// Serves one ``RailAdapter`` over the out-of-process rail protocol (``RemoteRailProtocol``), so a
/// rail written against RailKit runs in the router's process or in its own, unchanged.
///
/// Execution runs in steps: the adapter runs until it records a checkpoint, and the host stops it
/// there (the adapter records its checkpoint before anything of it leaves, so nothing was sent) and
/// answers the checkpoint; the router commits it and asks again with `resumeFrom`, and the adapter
/// continues from it. The host keeps nothing between requests.
public struct RailHost: Sendable {
    public let adapter: any RailAdapter
    let token: String
    let logger: Logger

    /// - Parameter token: the bearer token every request must carry.
    public init(adapter: any RailAdapter, token: String, logger: Logger = Logger(label: "switchyard.rail-host")) {
        precondition(!token.isEmpty, "a rail host requires a bearer token")
        self.adapter = adapter
        self.token = token
        self.logger = logger
    }

    /// Runs until cancelled on `host:port` (0 picks a free port); `onListening` gets the bound port.
    public func run(host: String = "127.0.0.1", port: Int = 0, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(router: router(), server: .http1(configuration: .init(idleTimeout: .seconds(60))),
                              configuration: .init(address: .hostname(host, port: port), serverName: "switchyard-rail-host"),
                              onServerRunning: { await onListening($0.localAddress?.port ?? port) }, logger: logger)
        try await app.run()
    }

    /// The protocol's routes behind the bearer token.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let adapter = self.adapter
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
                return Self.json(try await Self.step(adapter, execution))
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

    /// Runs the adapter to its next checkpoint, or to the end. Once the recorder has stopped the
    /// adapter at a checkpoint, the answer is that checkpoint whatever the adapter then returned or
    /// threw (an adapter may wrap the stop in an error of its own): nothing of it was sent, since an
    /// adapter records its checkpoint before sending.
    static func step(_ adapter: any RailAdapter, _ request: ExecutionRequest) async throws -> RemoteRailProtocol.StepAnswer {
        let recorder = StepRecorder(resumedFrom: request.resumeFrom)
        do {
            let receipt = try await adapter.execute(request, recorder: recorder)
            if let stopped = await recorder.stoppedAt { return .checkpoint(stopped) }
            return .finished(events: await recorder.events, receipt: receipt)
        } catch {
            if let stopped = await recorder.stoppedAt { return .checkpoint(stopped) }
            throw error
        }
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

/// Thrown by the host's recorder when the adapter records a new checkpoint: it stops the adapter
/// there, before anything of that checkpoint is sent.
struct StopAtCheckpoint: Error {
    let submission: RailSubmission
}

/// Collects what an adapter records during one step: the first new checkpoint stops the step;
/// other events are returned with the receipt.
actor StepRecorder: ExecutionRecorder {
    let resumedFrom: RailSubmission?
    private(set) var events = [ExecutionEvent]()
    /// The checkpoint the step stopped at; every later record refuses too.
    private(set) var stoppedAt: RailSubmission?

    init(resumedFrom: RailSubmission?) { self.resumedFrom = resumedFrom }

    func record(_ event: ExecutionEvent) async throws {
        if let stoppedAt { throw StopAtCheckpoint(submission: stoppedAt) }
        if case .prepared(let submission) = event, submission != resumedFrom {
            stoppedAt = submission
            throw StopAtCheckpoint(submission: submission)
        }
        events.append(event)
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
