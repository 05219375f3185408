import Foundation

/// Webhook subscriptions and their durable outbox, beside the payments.
///
/// A store that conforms writes one pending delivery per enabled endpoint in the same
/// transaction as each journal entry (``PaymentStore/append(_:updating:at:)``): an event is never
/// lost by a crash, and never delivered before the state it reports is committed. A dispatcher
/// claims due deliveries under a lease (several processes never send one at once), and records
/// each attempt's outcome.
public protocol WebhookStore: Sendable {
    /// Stores a new endpoint (its id is unique).
    func createWebhookEndpoint(_ endpoint: WebhookEndpoint) async throws

    /// Replaces a stored endpoint (its secrets after a rotation; enabled or not); false when there is none.
    func updateWebhookEndpoint(_ endpoint: WebhookEndpoint) async throws -> Bool

    func webhookEndpoint(id: String) async throws -> WebhookEndpoint?

    /// Every endpoint, oldest first.
    func webhookEndpoints() async throws -> [WebhookEndpoint]

    /// Deletes an endpoint and the deliveries still pending for it; false when there is none.
    func deleteWebhookEndpoint(id: String) async throws -> Bool

    /// Leases up to `limit` pending deliveries due by `now` (not leased to another owner, or
    /// whose lease expired) to `owner` until `leaseUntil`, oldest due first, with the journal
    /// entry each reports.
    func claimWebhookDeliveries(owner: String, now: Date, leaseUntil: Date, limit: Int) async throws -> [WebhookDelivery]

    /// Records an attempt's outcome on a delivery `owner` holds, and gives its lease back.
    func finishWebhookDelivery(id: Int64, owner: String, outcome: WebhookAttemptOutcome) async throws

    /// The deliveries of one payment's events, in the journal's order (for inspection and tests).
    func webhookDeliveries(paymentID: String) async throws -> [WebhookDeliveryRecord]
}

/// Everything `switchyard serve` keeps: payments, API keys and webhooks, in one store.
public typealias SwitchyardStore = PaymentStore & APIKeyStore & WebhookStore

/// A subscriber's URL and the secrets its deliveries are signed with.
public struct WebhookEndpoint: Sendable, Hashable, Codable {
    public var id: String
    public var url: URL
    public var description: String?
    /// Newest first. Every unexpired secret signs each delivery, so a subscriber rotating its
    /// secret verifies with either while it switches.
    public var secrets: [WebhookSecret]
    public var enabled: Bool
    /// Why it was disabled (the subscriber answered 410 Gone), when it was.
    public var disabledReason: String?
    public var createdAt: Date

    public init(id: String, url: URL, description: String?, secrets: [WebhookSecret], enabled: Bool = true, disabledReason: String? = nil,
                createdAt: Date) {
        self.id = id
        self.url = url
        self.description = description
        self.secrets = secrets
        self.enabled = enabled
        self.disabledReason = disabledReason
        self.createdAt = createdAt
    }

    /// The secrets that still sign at `now`.
    public func signingSecrets(at now: Date) -> [WebhookSecret] {
        secrets.filter { $0.expiresAt.map { $0 > now } ?? true }
    }
}

/// A signing secret: `whsec_` and base64 of 32 random bytes (the Standard Webhooks form).
public struct WebhookSecret: Sendable, Hashable, Codable {
    public var value: String
    public var createdAt: Date
    /// Set when a newer secret replaced it: it keeps signing until then.
    public var expiresAt: Date?

    public init(value: String, createdAt: Date, expiresAt: Date? = nil) {
        self.value = value
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A delivery claimed for sending: which endpoint, the journal entry it reports, attempts so far.
public struct WebhookDelivery: Sendable, Hashable {
    public var id: Int64
    public var endpointID: String
    public var entry: JournalEntry
    public var attempts: Int

    public init(id: Int64, endpointID: String, entry: JournalEntry, attempts: Int) {
        self.id = id
        self.endpointID = endpointID
        self.entry = entry
        self.attempts = attempts
    }
}

/// How one attempt ended.
public enum WebhookAttemptOutcome: Sendable, Hashable {
    /// The subscriber answered 2xx.
    case delivered(status: Int, at: Date)
    /// Not delivered (a status, a timeout, a refused connection): try again at `next`.
    case retry(status: Int?, error: String, next: Date)
    /// Not delivered and not to be tried again (out of attempts, or the endpoint is gone).
    case failed(status: Int?, error: String, at: Date)

    /// What a store records: the delivery's state after the attempt, the answer's status, the
    /// error, and when to try next.
    public var recorded: (state: WebhookDeliveryRecord.State, status: Int?, error: String?, next: Date?) {
        switch self {
        case .delivered(let status, _): (.delivered, status, nil, nil)
        case .retry(let status, let error, let next): (.pending, status, error, next)
        case .failed(let status, let error, _): (.failed, status, error, nil)
        }
    }
}

/// A delivery as stored, for inspection.
public struct WebhookDeliveryRecord: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        case pending, delivered, failed
    }

    public var id: Int64
    public var endpointID: String
    public var journalSequence: Int64
    public var paymentID: String
    public var state: State
    public var attempts: Int
    public var lastStatus: Int?
    public var lastError: String?
    public var nextAttemptAt: Date?

    public init(id: Int64, endpointID: String, journalSequence: Int64, paymentID: String, state: State, attempts: Int, lastStatus: Int?,
                lastError: String?, nextAttemptAt: Date?) {
        self.id = id
        self.endpointID = endpointID
        self.journalSequence = journalSequence
        self.paymentID = paymentID
        self.state = state
        self.attempts = attempts
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.nextAttemptAt = nextAttemptAt
    }
}
