import Foundation
import RailKit

/// Where payments live: records, their journals, idempotency keys and the executor's work queue.
///
/// Small on purpose, like a persistence driver: every implementation (in memory for unit tests,
/// SQLite through GRDB, PostgreSQL) passes the same compatibility suite. Each method is one
/// transaction; a state change and the event that caused it are committed together.
public protocol PaymentStore: Sendable {
    /// Stores a new payment, exactly once:
    /// - a payment with this id or idempotency key and the same request hash → ``CreateOutcome/existing(_:)``;
    /// - the same id or key with another request → ``IdempotencyConflict``;
    /// - otherwise the payment and its key are stored together → ``CreateOutcome/created(_:)``.
    /// Holds under concurrency and across processes sharing the store.
    func create(_ payment: PaymentRecord) async throws -> CreateOutcome

    func payment(id: String) async throws -> PaymentRecord?

    /// The payment an idempotency key names, if any.
    func payment(idempotencyKey: String) async throws -> PaymentRecord?

    /// Payments matching `filter`, newest first.
    func payments(matching filter: PaymentFilter) async throws -> [PaymentRecord]

    /// The payment a rail knows by `reference` (a bank's callback names its UETR, a chain its
    /// transaction hash), once its checkpoint is recorded.
    func payment(rail: RailID, reference: RailReference) async throws -> PaymentRecord?

    /// Appends `event` to the payment's journal and saves `updated` (its state after the event),
    /// in one transaction. Returns the journal entry.
    ///
    /// Optimistic: `updated.version` must be the version stored (the one read); the record is
    /// stored as version + 1. If another writer got there first, throws ``PaymentRecordConflict``
    /// and writes nothing, neither the record nor the event.
    @discardableResult
    func append(_ event: ExecutionEvent, updating updated: PaymentRecord, at time: Date) async throws -> JournalEntry

    /// Saves a payment's record without a journal event (scheduling: its next action time,
    /// attempts), under the same version rule as ``append(_:updating:at:)``. Returns the record as
    /// stored (its version moved on).
    @discardableResult
    func save(_ payment: PaymentRecord) async throws -> PaymentRecord

    /// Forgets the idempotency keys of final payments created before `cutoff` (the payments stay,
    /// with the key they were created under): the key may then name a new payment. Keys of
    /// payments still moving are kept whatever their age. Returns how many keys were forgotten.
    @discardableResult
    func forgetIdempotencyKeys(createdBefore cutoff: Date) async throws -> Int

    /// The payment's journal, in order.
    func journal(of paymentID: String) async throws -> [JournalEntry]

    /// Leases up to `limit` payments that are not final, due by `now` and not leased to another
    /// owner (or whose lease has expired) to `owner` until `leaseUntil`; oldest due first.
    func claimDue(owner: String, now: Date, leaseUntil: Date, limit: Int) async throws -> [PaymentRecord]

    /// Leases one payment to `owner` until `until` if nobody else holds it (or their lease has
    /// expired by `now`); false when another owner holds it. What makes one process execute a
    /// payment at a time.
    func lease(paymentID: String, owner: String, now: Date, until: Date) async throws -> Bool

    /// Gives a lease back (when `owner` still holds it).
    func releaseLease(paymentID: String, owner: String) async throws

    /// Keeps a quote (with the intent it prices) so a payment can be created from it by id before it expires.
    func saveQuote(_ quote: StoredQuote) async throws

    func quote(id: QuoteID) async throws -> StoredQuote?

    /// Keeps several quotes in one transaction (the API writes the quotes it answers in batches).
    func saveQuotes(_ quotes: [StoredQuote]) async throws
}

extension PaymentStore {
    /// One at a time, for stores with no cheaper way.
    public func saveQuotes(_ quotes: [StoredQuote]) async throws {
        for quote in quotes { try await saveQuote(quote) }
    }
}

/// A quote kept for payment by id, with the intent it prices and its expiry.
public struct StoredQuote: Sendable, Hashable, Codable {
    public var quote: Quote
    public var intent: PaymentIntent

    public init(quote: Quote, intent: PaymentIntent) {
        self.quote = quote
        self.intent = intent
    }
}

/// What ``PaymentStore/create(_:)`` did.
public enum CreateOutcome: Sendable, Hashable {
    case created(PaymentRecord)
    /// The same request was made before: its payment, unchanged.
    case existing(PaymentRecord)

    public var payment: PaymentRecord {
        switch self {
        case .created(let payment), .existing(let payment): payment
        }
    }
}

/// The same idempotency key (or payment id) was used for another request.
public struct IdempotencyConflict: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key (or payment id) that was reused.
    public var key: String
    /// The payment it already names.
    public var paymentID: String

    public init(key: String, paymentID: String) {
        self.key = key
        self.paymentID = paymentID
    }

    public var description: String {
        "idempotency key \(key) was already used for another request (payment \(paymentID)); use a new key for a new payment"
    }
}

/// Which payments to list.
public struct PaymentFilter: Sendable, Hashable {
    public var states: Set<PaymentState>?
    public var rail: RailID?
    /// Created at or after.
    public var since: Date?
    /// Created before.
    public var until: Date?
    /// Only payments after this one in the listing's order (the next page).
    public var after: PaymentCursor?
    public var limit: Int

    public init(states: Set<PaymentState>? = nil, rail: RailID? = nil, since: Date? = nil, until: Date? = nil,
                after: PaymentCursor? = nil, limit: Int = 100) {
        self.states = states
        self.rail = rail
        self.since = since
        self.until = until
        self.after = after
        self.limit = limit
    }

    /// Whether `payment` matches (for stores that filter in memory).
    public func matches(_ payment: PaymentRecord) -> Bool {
        (states?.contains(payment.state) ?? true) && (rail.map { $0 == payment.railID } ?? true)
            && (since.map { payment.createdAt >= $0 } ?? true) && (until.map { payment.createdAt < $0 } ?? true)
            && (after.map { PaymentCursor(payment) < $0 } ?? true)
    }
}

/// A place in the newest-first listing of payments: a payment's creation time (to the
/// millisecond, as stores keep it) and id. Pages continue strictly after it, so a payment
/// created while a client pages is neither skipped nor repeated.
public struct PaymentCursor: Sendable, Hashable, Comparable {
    public var createdAtMillis: Int64
    public var id: String

    public init(createdAtMillis: Int64, id: String) {
        self.createdAtMillis = createdAtMillis
        self.id = id
    }

    /// The cursor just at `payment`.
    public init(_ payment: PaymentRecord) {
        self.init(createdAtMillis: StoreCoding.millis(payment.createdAt), id: payment.id)
    }

    /// Older (later in the listing) compares smaller.
    public static func < (lhs: PaymentCursor, rhs: PaymentCursor) -> Bool {
        (lhs.createdAtMillis, lhs.id) < (rhs.createdAtMillis, rhs.id)
    }
}

extension StoredQuote {
    /// The JSON records of `quotes` (as ``RailCoding`` writes a ``StoredQuote``), encoding an
    /// intent once for a run of quotes that price the same intent (every rail's quote for one
    /// request): the intent is most of a record, and encoding it is most of the cost.
    public static func records(_ quotes: [StoredQuote]) throws -> [String] {
        let encoder = RailCoding.encoder()
        var previous: (intent: PaymentIntent, json: String)?
        return try quotes.map { stored in
            let intentJSON: String
            if let previous, previous.intent == stored.intent {
                intentJSON = previous.json
            } else {
                intentJSON = String(decoding: try encoder.encode(stored.intent), as: UTF8.self)
                previous = (stored.intent, intentJSON)
            }
            // The keys in RailCoding's (sorted) order.
            return "{\"intent\":" + intentJSON + ",\"quote\":" + String(decoding: try encoder.encode(stored.quote), as: UTF8.self) + "}"
        }
    }
}
