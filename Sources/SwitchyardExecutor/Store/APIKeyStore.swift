import Foundation

/// Where API keys are kept, beside the payments they guard (so several routers on one database
/// share them). Only a hash of each key's secret is stored; the secret is shown once, at creation.
public protocol APIKeyStore: Sendable {
    /// Stores a new key (its id is unique).
    func saveAPIKey(_ key: StoredAPIKey) async throws

    func apiKey(id: String) async throws -> StoredAPIKey?

    /// Every key, oldest first, revoked ones included.
    func apiKeys() async throws -> [StoredAPIKey]

    /// Revokes a key from `time` on; false when there is no such key or it was already revoked.
    func revokeAPIKey(id: String, at time: Date) async throws -> Bool
}

/// What an API key may do.
public enum APIKeyScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// Reads quotes, payments, events and rails.
    case read
    /// Also creates quotes, payments and webhook endpoints.
    case write

    /// Whether a key of this scope may do what `needed` allows.
    public func allows(_ needed: APIKeyScope) -> Bool { self == .write || needed == .read }
}

/// An API key as stored: its public id, a SHA-256 hash of its secret, its scope.
public struct StoredAPIKey: Sendable, Hashable, Codable {
    /// The public part of the key, also in the token: how a request's key is found.
    public var id: String
    /// Lowercase hex SHA-256 of the secret part (a 256-bit random value, so an unsalted hash
    /// cannot be reversed by guessing).
    public var secretHash: String
    public var scope: APIKeyScope
    /// What the key is for, for people listing keys.
    public var label: String?
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: String, secretHash: String, scope: APIKeyScope, label: String?, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.secretHash = secretHash
        self.scope = scope
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
