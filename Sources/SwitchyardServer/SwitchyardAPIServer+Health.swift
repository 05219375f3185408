import Foundation
import Hummingbird

extension SwitchyardAPIServer {
    struct HealthStatus: Encodable {
        var status: String
    }

    /// The document this server answers by, read from the bundle once.
    static let openAPIDocument: Data? = Bundle.module.url(forResource: "openapi", withExtension: "json").flatMap { try? Data(contentsOf: $0) }

    func addHealthRoutes(to router: Router<APIRequestContext>) {
        // Alive: the process answers.
        router.get("/healthz") { _, _ in try Self.json(HealthStatus(status: "ok")) }
        // Ready: the payment store answers too.
        router.get("/readyz") { _, context in
            do {
                _ = try await store.payment(id: "readiness-probe")
            } catch {
                context.logger.warning("payment store not reachable", metadata: ["error": .string(String(describing: error))])
                throw ProblemDetails(.unavailable, detail: "The payment store is not reachable.")
            }
            return try Self.json(HealthStatus(status: "ready"))
        }
        // Prometheus text format: HTTP requests, quotes by outcome, payment events by state and
        // rail, rail call latency, errors by class, webhook deliveries.
        router.get("/metrics") { _, _ in
            guard let metrics else { throw ProblemDetails(.notFound, detail: "Metrics are not exported by this server.") }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
        }
        router.get("/openapi.json") { _, _ in
            guard let document = Self.openAPIDocument else {
                throw ProblemDetails(.internalError, detail: "The OpenAPI document is missing from this build.")
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: document)))
        }
    }
}
