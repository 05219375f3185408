import Foundation
import RailKit

/// A ``PaymentStore`` in memory, for unit tests only: nothing survives the process.
public actor InMemoryPaymentStore: PaymentStore {
    private var records = [String: PaymentRecord]()
    private var keys = [String: String]()
    private var entries = [JournalEntry]()
    private var leases = [String: (owner: String, until: Date)]()
    private var quotes = [QuoteID: StoredQuote]()
    private var storedKeys = [String: StoredAPIKey]()
    private var endpoints = [String: WebhookEndpoint]()
    private var deliveries = [Int64: (record: WebhookDeliveryRecord, lease: (owner: String, until: Date)?)]()
    private var nextDeliveryID: Int64 = 1

    public init() {}

    public func create(_ payment: PaymentRecord) throws -> CreateOutcome {
        if let existing = records[payment.id] {
            guard existing.requestHash == payment.requestHash else { throw IdempotencyConflict(key: payment.id, paymentID: existing.id) }
            return .existing(existing)
        }
        if let key = payment.idempotencyKey, let id = keys[key], let existing = records[id] {
            guard existing.requestHash == payment.requestHash else { throw IdempotencyConflict(key: key, paymentID: id) }
            return .existing(existing)
        }
        records[payment.id] = payment
        if let key = payment.idempotencyKey { keys[key] = payment.id }
        return .created(payment)
    }

    public func payment(id: String) -> PaymentRecord? { records[id] }

    public func payment(idempotencyKey: String) -> PaymentRecord? { keys[idempotencyKey].flatMap { records[$0] } }

    public func payments(matching filter: PaymentFilter) -> [PaymentRecord] {
        Array(records.values.filter(filter.matches).sorted { PaymentCursor($0) > PaymentCursor($1) }.prefix(filter.limit))
    }

    public func payment(rail: RailID, reference: RailReference) -> PaymentRecord? {
        records.values.first { $0.railID == rail && $0.submission?.reference == reference }
    }

    public func append(_ event: ExecutionEvent, updating updated: PaymentRecord, at time: Date) throws -> JournalEntry {
        let updated = try checkedVersion(updated)
        let entry = JournalEntry(sequence: Int64(entries.count + 1), paymentID: updated.id, recordedAt: time, attempt: updated.attempt,
                                 railID: updated.railID, event: event)
        entries.append(entry)
        records[updated.id] = updated
        // The outbox, with the event: one delivery per enabled endpoint.
        for endpoint in endpoints.values where endpoint.enabled {
            deliveries[nextDeliveryID] = (WebhookDeliveryRecord(id: nextDeliveryID, endpointID: endpoint.id, journalSequence: entry.sequence,
                                                                paymentID: updated.id, state: .pending, attempts: 0, lastStatus: nil,
                                                                lastError: nil, nextAttemptAt: time), nil)
            nextDeliveryID += 1
        }
        return entry
    }

    public func save(_ payment: PaymentRecord) throws -> PaymentRecord {
        let saved = try checkedVersion(payment)
        records[payment.id] = saved
        return saved
    }

    /// `payment` as the next version, if it was written against the stored one.
    private func checkedVersion(_ payment: PaymentRecord) throws -> PaymentRecord {
        guard let stored = records[payment.id] else { throw RailError.invalidResponse("no payment \(payment.id)") }
        guard stored.version == payment.version else { throw PaymentRecordConflict(paymentID: payment.id, expectedVersion: payment.version) }
        return payment.nextVersion
    }

    public func forgetIdempotencyKeys(createdBefore cutoff: Date) -> Int {
        let forgotten = keys.filter { _, id in records[id].map { $0.state.isFinal && $0.createdAt < cutoff } ?? true }
        for key in forgotten.keys { keys[key] = nil }
        return forgotten.count
    }

    public func journal(of paymentID: String) -> [JournalEntry] { entries.filter { $0.paymentID == paymentID } }

    public func claimDue(owner: String, now: Date, leaseUntil: Date, limit: Int) -> [PaymentRecord] {
        let due = records.values.filter { record in
            guard !record.state.isFinal, let next = record.nextActionAt, next <= now else { return false }
            guard let lease = leases[record.id] else { return true }
            return lease.owner == owner || lease.until <= now
        }.sorted { ($0.nextActionAt!, $0.id) < ($1.nextActionAt!, $1.id) }.prefix(limit)
        for record in due { leases[record.id] = (owner, leaseUntil) }
        return Array(due)
    }

    public func saveQuote(_ quote: StoredQuote) { quotes[quote.quote.id] = quote }

    public func quote(id: QuoteID) -> StoredQuote? { quotes[id] }

    public func lease(paymentID: String, owner: String, now: Date, until: Date) -> Bool {
        if let lease = leases[paymentID], lease.owner != owner, lease.until > now { return false }
        leases[paymentID] = (owner, until)
        return true
    }

    public func releaseLease(paymentID: String, owner: String) {
        if leases[paymentID]?.owner == owner { leases[paymentID] = nil }
    }
}

extension InMemoryPaymentStore: APIKeyStore {
    public func saveAPIKey(_ key: StoredAPIKey) throws {
        guard storedKeys[key.id] == nil else { throw PaymentStoreError(message: "an API key \(key.id) exists already") }
        storedKeys[key.id] = key
    }

    public func apiKey(id: String) -> StoredAPIKey? { storedKeys[id] }

    public func apiKeys() -> [StoredAPIKey] { storedKeys.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) } }

    public func revokeAPIKey(id: String, at time: Date) -> Bool {
        guard var key = storedKeys[id], key.revokedAt == nil else { return false }
        key.revokedAt = time
        storedKeys[id] = key
        return true
    }
}

extension InMemoryPaymentStore: WebhookStore {
    public func createWebhookEndpoint(_ endpoint: WebhookEndpoint) throws {
        guard endpoints[endpoint.id] == nil else { throw PaymentStoreError(message: "a webhook endpoint \(endpoint.id) exists already") }
        endpoints[endpoint.id] = endpoint
    }

    public func updateWebhookEndpoint(_ endpoint: WebhookEndpoint) -> Bool {
        guard endpoints[endpoint.id] != nil else { return false }
        endpoints[endpoint.id] = endpoint
        return true
    }

    public func webhookEndpoint(id: String) -> WebhookEndpoint? { endpoints[id] }

    public func webhookEndpoints() -> [WebhookEndpoint] { endpoints.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) } }

    public func deleteWebhookEndpoint(id: String) -> Bool {
        guard endpoints.removeValue(forKey: id) != nil else { return false }
        deliveries = deliveries.filter { $0.value.record.endpointID != id || $0.value.record.state != .pending }
        return true
    }

    public func claimWebhookDeliveries(owner: String, now: Date, leaseUntil: Date, limit: Int) -> [WebhookDelivery] {
        let due = deliveries.values.filter { delivery in
            guard delivery.record.state == .pending, let next = delivery.record.nextAttemptAt, next <= now else { return false }
            return delivery.lease.map { $0.owner == owner || $0.until <= now } ?? true
        }.map(\.record).sorted { ($0.nextAttemptAt!, $0.id) < ($1.nextAttemptAt!, $1.id) }.prefix(limit)
        return due.compactMap { record in
            guard let entry = entries.first(where: { $0.sequence == record.journalSequence }) else { return nil }
            deliveries[record.id]?.lease = (owner, leaseUntil)
            return WebhookDelivery(id: record.id, endpointID: record.endpointID, entry: entry, attempts: record.attempts)
        }
    }

    public func finishWebhookDelivery(id: Int64, owner: String, outcome: WebhookAttemptOutcome) {
        guard var delivery = deliveries[id], delivery.lease?.owner == owner else { return }
        delivery.record.attempts += 1
        (delivery.record.state, delivery.record.lastStatus, delivery.record.lastError, delivery.record.nextAttemptAt) = outcome.recorded
        delivery.lease = nil
        deliveries[id] = delivery
    }

    public func webhookDeliveries(paymentID: String) -> [WebhookDeliveryRecord] {
        deliveries.values.map(\.record).filter { $0.paymentID == paymentID }.sorted { ($0.journalSequence, $0.id) < ($1.journalSequence, $1.id) }
    }
}
