import Foundation
import Hummingbird
import RailKit
import SwitchyardExecutor

extension SwitchyardAPIServer {
    /// A webhook endpoint as clients see it; the secret only in the answers that create or rotate it.
    struct WebhookEndpointResource: Encodable {
        var id: String
        var url: String
        var description: String?
        var enabled: Bool
        var disabledReason: String?
        var createdAt: String
        /// The signing secret (`whsec_…`): shown once, when created or rotated.
        var secret: String?

        init(_ endpoint: WebhookEndpoint, secret: String? = nil) {
            id = endpoint.id
            url = endpoint.url.absoluteString
            description = endpoint.description
            enabled = endpoint.enabled
            disabledReason = endpoint.disabledReason
            createdAt = Timestamp.format(endpoint.createdAt)
            self.secret = secret
        }
    }

    struct WebhookEndpointList: Encodable {
        var data: [WebhookEndpointResource]
    }

    struct CreateWebhookEndpoint: Codable {
        var url: String
        var description: String?
    }

    /// After a rotation the old secret keeps signing this long, beside the new one.
    static let secretOverlap: TimeInterval = 24 * 3600

    func addWebhookRoutes(to router: Router<APIRequestContext>) {
        router.post("/v1/webhook-endpoints") { request, _ in
            let body = try await Self.decode(CreateWebhookEndpoint.self, from: request)
            let url = try Self.webhookURL(body.url)
            if let description = body.description, description.count > 200 {
                throw ProblemDetails.invalid("description", rule: "max_length", "at most 200 characters")
            }
            let now = clock()
            let secret = WebhookSecrets.generate()
            let endpoint = WebhookEndpoint(id: "we_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""), url: url,
                                           description: body.description, secrets: [WebhookSecret(value: secret, createdAt: now)], createdAt: now)
            try await store.createWebhookEndpoint(endpoint)
            var headers = HTTPFields()
            headers[.location] = "/v1/webhook-endpoints/\(endpoint.id)"
            return try Self.json(WebhookEndpointResource(endpoint, secret: secret), status: .created, headers: headers)
        }

        router.get("/v1/webhook-endpoints") { _, _ in
            try Self.json(WebhookEndpointList(data: try await store.webhookEndpoints().map { WebhookEndpointResource($0) }))
        }

        router.delete("/v1/webhook-endpoints/{id}") { _, context in
            let id = try context.parameters.require("id")
            guard try await store.deleteWebhookEndpoint(id: id) else { throw ProblemDetails(.notFound, detail: "No webhook endpoint \(id).") }
            return Response(status: .noContent)
        }

        // A new secret; the old one keeps signing beside it for a day, so the subscriber can switch without losing a delivery.
        router.post("/v1/webhook-endpoints/{id}/rotate-secret") { _, context in
            let id = try context.parameters.require("id")
            guard var endpoint = try await store.webhookEndpoint(id: id) else { throw ProblemDetails(.notFound, detail: "No webhook endpoint \(id).") }
            let now = clock()
            let secret = WebhookSecrets.generate()
            endpoint.secrets = [WebhookSecret(value: secret, createdAt: now)] + endpoint.signingSecrets(at: now).map { old in
                var old = old
                old.expiresAt = min(old.expiresAt ?? .distantFuture, now.addingTimeInterval(Self.secretOverlap))
                return old
            }
            guard try await store.updateWebhookEndpoint(endpoint) else { throw ProblemDetails(.notFound, detail: "No webhook endpoint \(id).") }
            return try Self.json(WebhookEndpointResource(endpoint, secret: secret))
        }
    }

    /// A subscriber URL: absolute https, or http to a loopback host (the sandbox); no credentials in it.
    static func webhookURL(_ text: String) throws -> URL {
        guard text.count <= 2048, let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty, let url = components.url else {
            throw ProblemDetails.invalid("url", rule: "url", "an absolute http(s) URL of at most 2048 characters")
        }
        guard components.user == nil, components.password == nil else {
            throw ProblemDetails.invalid("url", rule: "no_credentials", "no user or password in the URL; verify deliveries by their signature")
        }
        let loopback = host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw ProblemDetails.invalid("url", rule: "https", "https, or http to a loopback host only")
        }
        return url
    }
}
