import EVMKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import RailKit
import RailKitSupport
import SwitchyardAPI
import SwitchyardExecutor
import SwitchyardRouter

/// Switchyard's HTTP API (`switchyard serve`): quotes, payments and their events, rails, bank
/// notifications, health, and the OpenAPI document it answers by (`/openapi.json`).
///
/// The API accepts a payment (checks, then stores it due) and answers at once; the executor
/// service — in the same service group, or another process on the store — executes and follows it.
public struct SwitchyardAPIServer: Sendable {
    /// The configuration's rails and the executor's admission checks.
    public let engine: RoutingEngine
    /// What quotes and pays: an engine for each thread handling requests (by default `engine` alone).
    public let routing: RoutingEngines
    public let executor: PaymentExecutor
    public let store: any SwitchyardStore
    let verifier: APIKeyVerifier
    let clock: @Sendable () -> Date
    /// What `/metrics` exports (the registry swift-metrics was bootstrapped with), if anything.
    let metrics: PrometheusCollectorRegistry?
    /// The quotes this server answered, kept for payment by id (run it as a service beside the server).
    public let quotes: QuoteBook

    /// Request bodies above these sizes are refused with 413 before they are parsed.
    static let maxRequestBody = 64 * 1024
    static let maxNotificationBody = 1 << 20

    /// - Parameters:
    ///   - routing: engines alike to `engine`, one per core (``RoutingEngines``); `engine` alone if nil.
    ///   - keyCache: how long a verified API key is remembered; a revoked key keeps working at most this long.
    public init(engine: RoutingEngine, routing: RoutingEngines? = nil, executor: PaymentExecutor, store: any SwitchyardStore,
                keyCache: Duration = .seconds(10), metrics: PrometheusCollectorRegistry? = nil, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.metrics = metrics
        quotes = QuoteBook(store: store, logger: Logger(label: "switchyard.quotes"))
        self.engine = engine
        self.routing = routing ?? RoutingEngines([engine])
        self.executor = executor
        self.store = store
        self.clock = clock
        verifier = APIKeyVerifier(store: store, cacheFor: keyCache.seconds)
    }

    /// The application: the HTTP server on `host:port` (0 picks a free port) and `services` (the
    /// executor, the store's connection pool) in one service group.
    public func application(host: String, port: Int, services: [any Service], logger: Logger,
                            onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(),
            server: .http1(configuration: .init(idleTimeout: .seconds(60))),
            configuration: .init(address: .hostname(host, port: port), serverName: "switchyard"),
            services: services,
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Every route, behind the problem and API-key middleware.
    public func router() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        // Request ids in every log line (Hummingbird's), a span per request, request counts and
        // latency by route and status; then problems, then the API key.
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: TracingMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: APIKeyMiddleware(verifier: verifier))
        addHealthRoutes(to: router)
        addQuoteRoutes(to: router)
        addPaymentRoutes(to: router)
        addRailRoutes(to: router)
        addWebhookRoutes(to: router)
        return router
    }
}

// MARK: Reading requests and writing answers

extension SwitchyardAPIServer {
    /// The JSON body of `request`, at most 64 KiB, decoded as `Body`, with errors naming the field and rule.
    /// A key the body's type does not have is refused like any bad field.
    static func decode<Body: Codable>(_ type: Body.Type, from request: Request) async throws -> Body {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") || (contentType.hasPrefix("application/") && contentType.contains("+json")) else {
            throw ProblemDetails(.unsupportedMediaType, detail: "Send the body as application/json.")
        }
        let buffer = try await request.body.collect(upTo: maxRequestBody)
        do {
            return try RailCoding.decodeStrictly(Body.self, from: Data(buffer: buffer), what: "this request")
        } catch let error as RailKit.ValidationError {
            throw ProblemDetails(.invalidRequest, detail: "\(error.field): \(error.message)",
                                 errors: [.init(field: error.field, rule: error.rule, message: error.message)])
        } catch let error as DecodingError {
            let failure = DecodingFailure(error)
            let field = failure.field.isEmpty ? "(body)" : failure.field
            let rule: String
            switch error {
            case .keyNotFound: rule = "required"
            case .typeMismatch: rule = "type"
            case .valueNotFound: rule = "not_null"
            default: rule = failure.field.isEmpty ? "json" : "format"
            }
            throw ProblemDetails(.invalidRequest, detail: "\(field): \(failure.message)", errors: [.init(field: field, rule: rule, message: failure.message)])
        }
    }

    /// A JSON answer (sorted keys; amounts are decimal strings).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: try encoder.encode(value))))
    }

    /// A checked payment intent: decoded, then its EVM addresses against their checksums.
    static func checked(_ intent: PaymentIntent, field: String) throws -> PaymentIntent {
        do {
            try intent.checkEVMAddresses()
        } catch {
            let name = field.isEmpty ? error.field : field + "." + error.field
            throw ProblemDetails(.invalidRequest, detail: "\(name): \(error.message)", errors: [.init(field: name, rule: error.rule, message: error.message)])
        }
        return intent
    }
}

/// Turns every error into `application/problem+json`: the API's own problems as they are,
/// Hummingbird's (no route, body too large) in the same form, anything else as a 500 whose
/// details stay in the log.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    /// The request's id (as in the server's log lines) on every answer, for support.
    static let requestID = HTTPField.Name("Request-Id")!

    func handle(_ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            let id = context.requestID
            if !id.isEmpty { response.headers[Self.requestID] = id }
            return response
        } catch let problem as ProblemDetails {
            return try problem.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let problem: ProblemDetails
            switch error.status {
            case .notFound: problem = ProblemDetails(.notFound, detail: "No route \(request.method.rawValue) \(request.uri.path).")
            case .methodNotAllowed: problem = ProblemDetails(.methodNotAllowed, detail: "\(request.uri.path) does not take \(request.method.rawValue).")
            case .contentTooLarge: problem = ProblemDetails(.payloadTooLarge, detail: "The body is larger than this route accepts.")
            case .badRequest: problem = ProblemDetails(.invalidRequest, detail: "The request could not be read.")
            default:
                var generic = ProblemDetails(.internalError, detail: "The request failed.")
                generic.statusCode = error.status.code
                generic.title = error.status.reasonPhrase
                problem = generic
            }
            return try problem.response(from: request, context: context)
        } catch {
            // Never the error's text in the answer: it may name a counterpart's URL or a detail of the store.
            context.logger.error("request failed", metadata: ["error": .string(String(describing: error)), "path": .string(request.uri.path)])
            return try ProblemDetails(.internalError, detail: "The request failed; it is logged under request id \(context.requestID).")
                .response(from: request, context: context)
        }
    }
}
