import Crypto
import Foundation
import Hummingbird
import SwitchyardExecutor

/// API key tokens: `syk_<id>_<secret>`, the id public (it finds the stored key), the secret 256
/// random bits of which only a SHA-256 hash is stored.
public enum APIKeyToken {
    /// A new key: the token to show once, and what to store.
    public static func generate(scope: APIKeyScope, label: String?, at now: Date) -> (token: String, stored: StoredAPIKey) {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<8).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        return ("syk_\(id)_\(secret)", StoredAPIKey(id: id, secretHash: hash(secret), scope: scope, label: label, createdAt: now))
    }

    /// The id and secret of a token, or nil when it is not one.
    static func parse(_ token: String) -> (id: String, secret: String)? {
        let parts = token.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "syk", parts[1].count == 16, parts[2].count == 64,
              (parts[1] + parts[2]).allSatisfy(\.isHexDigit) else { return nil }
        return (String(parts[1]), String(parts[2]))
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares two hashes in time that does not depend on where they differ.
    static func equalInConstantTime(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}

/// Verifies API keys against the store, remembering a verified key for a few seconds so a busy
/// client does not cost a store read per request. A revoked key stops working within that time.
actor APIKeyVerifier {
    private let store: any APIKeyStore
    private let cacheFor: TimeInterval
    private var cache = [String: (key: StoredAPIKey, until: Date)]()

    init(store: any APIKeyStore, cacheFor: TimeInterval = 10) {
        self.store = store
        self.cacheFor = cacheFor
    }

    /// The stored key a bearer token names, if its secret matches and it is not revoked.
    func verify(_ token: String, at now: Date) async throws -> StoredAPIKey? {
        guard let (id, secret) = APIKeyToken.parse(token) else { return nil }
        let key: StoredAPIKey?
        if let cached = cache[id], cached.until > now {
            key = cached.key
        } else {
            key = try await store.apiKey(id: id)
            if let key {
                if cache.count > 10_000 { cache.removeAll() }
                cache[id] = (key, now.addingTimeInterval(cacheFor))
            }
        }
        guard let key, key.revokedAt.map({ $0 > now }) ?? true,
              APIKeyToken.equalInConstantTime(APIKeyToken.hash(secret), key.secretHash) else { return nil }
        return key
    }
}

/// Requires an API key (`Authorization: Bearer syk_…`) on every route but the health checks and
/// the rails' notification endpoints (a bank authenticates those with its own signature, checked
/// by its rail); reads need the read scope, writes (POST, DELETE) the write scope.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let verifier: APIKeyVerifier

    static func isOpen(_ path: String) -> Bool {
        path == "/healthz" || path == "/readyz" || (path.hasPrefix("/v1/rails/") && path.hasSuffix("/notifications"))
    }

    func handle(_ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response) async throws -> Response {
        if Self.isOpen(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw ProblemDetails(.unauthorized, detail: "Send an API key as `Authorization: Bearer syk_…` (create one with `switchyard keys create`).")
        }
        guard let key = try await verifier.verify(String(header.dropFirst("Bearer ".count)), at: Date()) else {
            throw ProblemDetails(.unauthorized, detail: "The API key is not valid or was revoked.")
        }
        let needed: APIKeyScope = [.get, .head, .options].contains(request.method) ? .read : .write
        guard key.scope.allows(needed) else {
            throw ProblemDetails(.forbidden, detail: "This key has the \(key.scope.rawValue) scope; \(request.method.rawValue) needs \(needed.rawValue).")
        }
        var context = context
        context.apiKey = key
        context.logger[metadataKey: "api_key"] = .string(key.id)
        return try await next(request, context)
    }
}
