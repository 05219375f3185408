import Foundation
import Logging
import PostgresNIO
import RailKit
import ServiceLifecycle
import SwitchyardExecutor

/// The ``PaymentStore`` for several routers on one PostgreSQL database, through PostgresNIO.
///
/// Due work is claimed with `SELECT … FOR UPDATE SKIP LOCKED` and a lease with an expiry, so two
/// processes never move the same payment at once and a dead process's payments are taken over
/// once its lease runs out. Creations with one idempotency key (or payment id) are serialised by
/// a transaction-scoped advisory lock on it. It is a `Service`: run it (its connection pool) in
/// the same service group as what uses it.
public struct PostgresPaymentStore: PaymentStore, Service {
    let client: PostgresClient
    let logger: Logger

    /// Connects to `url` (`postgres://user:password@host:port/database`; TLS is required unless the
    /// host is loopback). Call ``run()`` and then ``migrate()`` before use.
    /// - Throws: ``PaymentStoreError`` naming the host and database, never the password.
    public init(url text: String, logger: Logger = Logger(label: "switchyard.store", factory: { _ in SwiftLogNoOpLogHandler() })) throws(PaymentStoreError) {
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? ""), let host = url.host, !host.isEmpty,
              let user = url.user, !user.isEmpty else {
            throw PaymentStoreError(message: "the database URL must be postgres://user[:password]@host[:port]/database")
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        let loopback = host == "localhost" || host == "::1" || host.hasPrefix("127.")
        var configuration = PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: user, password: url.password, database: database.isEmpty ? nil : database,
            tls: loopback ? .disable : .require(.makeClientConfiguration()))
        configuration.options.maximumConnections = 20
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    /// Runs the connection pool until cancelled (the store is unusable while it is not running).
    public func run() async throws {
        await client.run()
    }

    // MARK: PaymentStore

    public func create(_ payment: PaymentRecord) async throws -> CreateOutcome {
        let json = try StoreCoding.text(payment)
        return try await transaction { connection in
            // One creation per key at a time, across processes: the second waits and then finds the first.
            // The id and the key (in a fixed order, so two creations never wait on each other crosswise).
            for name in Set([payment.id, payment.idempotencyKey].compactMap { $0 }).sorted() {
                try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(name), 0))", logger: logger)
            }
            if let existing = try await Self.record(connection, id: payment.id, logger: logger) {
                guard existing.requestHash == payment.requestHash else { throw IdempotencyConflict(key: payment.id, paymentID: existing.id) }
                return .existing(existing)
            }
            if let key = payment.idempotencyKey {
                let rows = try await connection.query("SELECT request_hash, payment_id FROM idempotency_key WHERE key = \(key)", logger: logger)
                for try await (hash, id) in rows.decode((String, String).self) {
                    guard hash == payment.requestHash, let existing = try await Self.record(connection, id: id, logger: logger) else {
                        throw IdempotencyConflict(key: key, paymentID: id)
                    }
                    return .existing(existing)
                }
            }
            try await connection.query("""
                INSERT INTO payment (id, request_hash, state, rail, created_at, updated_at, next_action_at, rail_reference, record)
                VALUES (\(payment.id), \(payment.requestHash), \(payment.state.rawValue), \(payment.railID.rawValue),
                        \(StoreCoding.millis(payment.createdAt)), \(StoreCoding.millis(payment.updatedAt)), \(payment.nextActionAt.map(StoreCoding.millis)),
                        \(payment.submission?.reference.description), \(json))
                """, logger: logger)
            if let key = payment.idempotencyKey {
                try await connection.query("""
                    INSERT INTO idempotency_key (key, request_hash, payment_id, created_at)
                    VALUES (\(key), \(payment.requestHash), \(payment.id), \(StoreCoding.millis(payment.createdAt)))
                    """, logger: logger)
            }
            return .created(payment)
        }
    }

    public func payment(id: String) async throws -> PaymentRecord? {
        try await client.withConnection { connection in try await Self.record(connection, id: id, logger: logger) }
    }

    public func payment(idempotencyKey: String) async throws -> PaymentRecord? {
        let rows = try await client.query("""
            SELECT p.record FROM idempotency_key k JOIN payment p ON p.id = k.payment_id WHERE k.key = \(idempotencyKey)
            """, logger: logger)
        for try await text in rows.decode(String.self) { return try StoreCoding.record(text) }
        return nil
    }

    public func payments(matching filter: PaymentFilter) async throws -> [PaymentRecord] {
        let states = filter.states.map { $0.map(\.rawValue).sorted() }
        let rows = try await client.query("""
            SELECT record FROM payment
            WHERE (\(states)::text[] IS NULL OR state = ANY(\(states)::text[]))
              AND (\(filter.rail?.rawValue)::text IS NULL OR rail = \(filter.rail?.rawValue))
              AND (\(filter.since.map(StoreCoding.millis))::bigint IS NULL OR created_at >= \(filter.since.map(StoreCoding.millis)))
              AND (\(filter.until.map(StoreCoding.millis))::bigint IS NULL OR created_at < \(filter.until.map(StoreCoding.millis)))
              AND (\(filter.after?.createdAtMillis)::bigint IS NULL
                   OR (created_at, id) < (\(filter.after?.createdAtMillis)::bigint, \(filter.after?.id)::text))
            ORDER BY created_at DESC, id DESC LIMIT \(filter.limit)
            """, logger: logger)
        var records = [PaymentRecord]()
        for try await text in rows.decode(String.self) { records.append(try StoreCoding.record(text)) }
        return records
    }

    public func payment(rail: RailID, reference: RailReference) async throws -> PaymentRecord? {
        let rows = try await client.query("""
            SELECT record FROM payment WHERE rail = \(rail.rawValue) AND rail_reference = \(reference.description)
            """, logger: logger)
        for try await text in rows.decode(String.self) { return try StoreCoding.record(text) }
        return nil
    }

    public func append(_ event: ExecutionEvent, updating updated: PaymentRecord, at time: Date) async throws -> JournalEntry {
        let eventJSON = try StoreCoding.text(event)
        let next = updated.nextVersion
        let recordJSON = try StoreCoding.text(next)
        return try await transaction { connection in
            try await Self.update(connection, next, json: recordJSON, logger: logger)
            let rows = try await connection.query("""
                INSERT INTO journal (payment_id, recorded_at, attempt, rail, event)
                VALUES (\(updated.id), \(StoreCoding.millis(time)), \(updated.attempt), \(updated.railID.rawValue), \(eventJSON))
                RETURNING sequence
                """, logger: logger)
            var sequence: Int64 = 0
            for try await value in rows.decode(Int64.self) { sequence = value }
            // The webhook outbox, in the same transaction: one delivery per enabled endpoint.
            try await connection.query("""
                INSERT INTO webhook_delivery (endpoint_id, journal_sequence, payment_id, state, attempts, next_attempt_at)
                SELECT id, \(sequence), \(updated.id), 'pending', 0, \(StoreCoding.millis(time)) FROM webhook_endpoint WHERE enabled
                """, logger: logger)
            return JournalEntry(sequence: sequence, paymentID: updated.id, recordedAt: time, attempt: updated.attempt,
                                railID: updated.railID, event: event)
        }
    }

    public func save(_ payment: PaymentRecord) async throws -> PaymentRecord {
        let next = payment.nextVersion
        let json = try StoreCoding.text(next)
        try await client.withConnection { connection in try await Self.update(connection, next, json: json, logger: logger) }
        return next
    }

    public func forgetIdempotencyKeys(createdBefore cutoff: Date) async throws -> Int {
        let rows = try await client.query("""
            DELETE FROM idempotency_key WHERE created_at < \(StoreCoding.millis(cutoff))
                AND payment_id IN (SELECT id FROM payment WHERE state IN ('settled', 'failed', 'returned'))
            RETURNING key
            """, logger: logger)
        var forgotten = 0
        for try await _ in rows.decode(String.self) { forgotten += 1 }
        return forgotten
    }

    public func journal(of paymentID: String) async throws -> [JournalEntry] {
        let rows = try await client.query("""
            SELECT sequence, recorded_at, attempt, rail, event FROM journal WHERE payment_id = \(paymentID) ORDER BY sequence
            """, logger: logger)
        var entries = [JournalEntry]()
        for try await (sequence, recordedAt, attempt, rail, event) in rows.decode((Int64, Int64, Int32, String, String).self) {
            entries.append(JournalEntry(sequence: sequence, paymentID: paymentID, recordedAt: StoreCoding.date(recordedAt), attempt: Int(attempt),
                                        railID: try RailID(rail), event: try RailCoding.decoder().decode(ExecutionEvent.self, from: Data(event.utf8))))
        }
        return entries
    }

    public func claimDue(owner: String, now: Date, leaseUntil: Date, limit: Int) async throws -> [PaymentRecord] {
        let nowMillis = StoreCoding.millis(now)
        // Rows another transaction is claiming are skipped, not waited for.
        let rows = try await client.query("""
            WITH due AS (
                SELECT id FROM payment
                WHERE state NOT IN ('settled', 'failed', 'returned') AND next_action_at IS NOT NULL AND next_action_at <= \(nowMillis)
                  AND (lease_owner IS NULL OR lease_owner = \(owner) OR lease_expires_at <= \(nowMillis))
                ORDER BY next_action_at, id
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE payment SET lease_owner = \(owner), lease_expires_at = \(StoreCoding.millis(leaseUntil))
            FROM due WHERE payment.id = due.id
            RETURNING payment.record
            """, logger: logger)
        var records = [PaymentRecord]()
        for try await text in rows.decode(String.self) { records.append(try StoreCoding.record(text)) }
        return records.sorted { ($0.nextActionAt ?? .distantPast, $0.id) < ($1.nextActionAt ?? .distantPast, $1.id) }
    }

    public func lease(paymentID: String, owner: String, now: Date, until: Date) async throws -> Bool {
        let rows = try await client.query("""
            UPDATE payment SET lease_owner = \(owner), lease_expires_at = \(StoreCoding.millis(until))
            WHERE id = \(paymentID) AND (lease_owner IS NULL OR lease_owner = \(owner) OR lease_expires_at <= \(StoreCoding.millis(now)))
            RETURNING id
            """, logger: logger)
        var leased = false
        for try await _ in rows.decode(String.self) { leased = true }
        return leased
    }

    public func releaseLease(paymentID: String, owner: String) async throws {
        try await client.query("""
            UPDATE payment SET lease_owner = NULL, lease_expires_at = NULL WHERE id = \(paymentID) AND lease_owner = \(owner)
            """, logger: logger)
    }

    public func saveQuote(_ quote: StoredQuote) async throws {
        let json = try StoreCoding.text(quote)
        try await client.query("""
            INSERT INTO quote (id, rail, expires_at, record) VALUES (\(quote.quote.id.rawValue), \(quote.quote.railID.rawValue),
                \(StoreCoding.millis(quote.quote.expiresAt)), \(json))
            ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record, expires_at = EXCLUDED.expires_at
            """, logger: logger)
    }

    public func saveQuotes(_ quotes: [StoredQuote]) async throws {
        let rows = zip(quotes, try StoredQuote.records(quotes)).map { ($0.quote.id.rawValue, $0.quote.railID.rawValue, StoreCoding.millis($0.quote.expiresAt), $1) }
        try await transaction { connection in
            for (id, rail, expires, json) in rows {
                try await connection.query("""
                    INSERT INTO quote (id, rail, expires_at, record) VALUES (\(id), \(rail), \(expires), \(json))
                    ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record, expires_at = EXCLUDED.expires_at
                    """, logger: logger)
            }
        }
    }

    public func quote(id: QuoteID) async throws -> StoredQuote? {
        let rows = try await client.query("SELECT record FROM quote WHERE id = \(id.rawValue)", logger: logger)
        for try await text in rows.decode(String.self) { return try RailCoding.decoder().decode(StoredQuote.self, from: Data(text.utf8)) }
        return nil
    }

    // MARK: Helpers

    /// One transaction; the error the body threw comes out as itself (an ``IdempotencyConflict``
    /// stays one), not wrapped in the driver's transaction error.
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let thrown = error.closureError { throw thrown }
            throw error
        }
    }

    /// Writes `next` (a record one version on) over the version before it, or throws.
    private static func update(_ connection: PostgresConnection, _ next: PaymentRecord, json: String, logger: Logger) async throws {
        let rows = try await connection.query("""
            UPDATE payment SET state = \(next.state.rawValue), rail = \(next.railID.rawValue), updated_at = \(StoreCoding.millis(next.updatedAt)),
                next_action_at = \(next.nextActionAt.map(StoreCoding.millis)), rail_reference = \(next.submission?.reference.description), record = \(json),
                version = \(next.version)
            WHERE id = \(next.id) AND version = \(next.version - 1) RETURNING id
            """, logger: logger)
        var updated = 0
        for try await _ in rows.decode(String.self) { updated += 1 }
        guard updated == 1 else {
            guard try await record(connection, id: next.id, logger: logger) != nil else {
                throw RailError.invalidResponse("no payment \(next.id) in the store")
            }
            throw PaymentRecordConflict(paymentID: next.id, expectedVersion: next.version - 1)
        }
    }

    private static func record(_ connection: PostgresConnection, id: String, logger: Logger) async throws -> PaymentRecord? {
        let rows = try await connection.query("SELECT record FROM payment WHERE id = \(id)", logger: logger)
        for try await text in rows.decode(String.self) { return try StoreCoding.record(text) }
        return nil
    }



}

extension PostgresPaymentStore: APIKeyStore {
    public func saveAPIKey(_ key: StoredAPIKey) async throws {
        try await client.query("""
            INSERT INTO api_key (id, secret_hash, scope, label, created_at, revoked_at)
            VALUES (\(key.id), \(key.secretHash), \(key.scope.rawValue), \(key.label), \(StoreCoding.millis(key.createdAt)), \(key.revokedAt.map(StoreCoding.millis)))
            """, logger: logger)
    }

    public func apiKey(id: String) async throws -> StoredAPIKey? {
        try await keys(client.query("SELECT id, secret_hash, scope, label, created_at, revoked_at FROM api_key WHERE id = \(id)", logger: logger)).first
    }

    public func apiKeys() async throws -> [StoredAPIKey] {
        try await keys(client.query("SELECT id, secret_hash, scope, label, created_at, revoked_at FROM api_key ORDER BY created_at, id", logger: logger))
    }

    public func revokeAPIKey(id: String, at time: Date) async throws -> Bool {
        let rows = try await client.query("""
            UPDATE api_key SET revoked_at = \(StoreCoding.millis(time)) WHERE id = \(id) AND revoked_at IS NULL RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(String.self) { return true }
        return false
    }

    private func keys(_ rows: PostgresRowSequence) async throws -> [StoredAPIKey] {
        var keys = [StoredAPIKey]()
        for try await (id, hash, scope, label, created, revoked) in rows.decode((String, String, String, String?, Int64, Int64?).self) {
            keys.append(StoredAPIKey(id: id, secretHash: hash, scope: APIKeyScope(rawValue: scope) ?? .read, label: label,
                                     createdAt: StoreCoding.date(created), revokedAt: revoked.map(StoreCoding.date)))
        }
        return keys
    }
}

extension PostgresPaymentStore: WebhookStore {
    public func createWebhookEndpoint(_ endpoint: WebhookEndpoint) async throws {
        let json = try StoreCoding.text(endpoint)
        try await client.query("""
            INSERT INTO webhook_endpoint (id, enabled, created_at, record) VALUES (\(endpoint.id), \(endpoint.enabled), \(StoreCoding.millis(endpoint.createdAt)), \(json))
            """, logger: logger)
    }

    public func updateWebhookEndpoint(_ endpoint: WebhookEndpoint) async throws -> Bool {
        let json = try StoreCoding.text(endpoint)
        return try await transaction { connection in
            let rows = try await connection.query("""
                UPDATE webhook_endpoint SET enabled = \(endpoint.enabled), record = \(json) WHERE id = \(endpoint.id) RETURNING id
                """, logger: logger)
            var updated = false
            for try await _ in rows.decode(String.self) { updated = true }
            if updated && !endpoint.enabled {
                try await connection.query("""
                    UPDATE webhook_delivery SET state = 'failed', next_attempt_at = NULL, last_error = 'endpoint disabled'
                    WHERE endpoint_id = \(endpoint.id) AND state = 'pending'
                    """, logger: logger)
            }
            return updated
        }
    }

    public func webhookEndpoint(id: String) async throws -> WebhookEndpoint? {
        let rows = try await client.query("SELECT record FROM webhook_endpoint WHERE id = \(id)", logger: logger)
        for try await text in rows.decode(String.self) { return try RailCoding.decoder().decode(WebhookEndpoint.self, from: Data(text.utf8)) }
        return nil
    }

    public func webhookEndpoints() async throws -> [WebhookEndpoint] {
        let rows = try await client.query("SELECT record FROM webhook_endpoint ORDER BY created_at, id", logger: logger)
        var endpoints = [WebhookEndpoint]()
        for try await text in rows.decode(String.self) { endpoints.append(try RailCoding.decoder().decode(WebhookEndpoint.self, from: Data(text.utf8))) }
        return endpoints
    }

    public func deleteWebhookEndpoint(id: String) async throws -> Bool {
        try await transaction { connection in
            try await connection.query("DELETE FROM webhook_delivery WHERE endpoint_id = \(id) AND state = 'pending'", logger: logger)
            let rows = try await connection.query("DELETE FROM webhook_endpoint WHERE id = \(id) RETURNING id", logger: logger)
            for try await _ in rows.decode(String.self) { return true }
            return false
        }
    }

    public func claimWebhookDeliveries(owner: String, now: Date, leaseUntil: Date, limit: Int) async throws -> [WebhookDelivery] {
        let nowMillis = StoreCoding.millis(now)
        // Rows another dispatcher is claiming are skipped, not waited for.
        let rows = try await client.query("""
            WITH due AS (
                SELECT id FROM webhook_delivery
                WHERE state = 'pending' AND next_attempt_at <= \(nowMillis)
                  AND (lease_owner IS NULL OR lease_owner = \(owner) OR lease_expires_at <= \(nowMillis))
                ORDER BY next_attempt_at, id LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE webhook_delivery d SET lease_owner = \(owner), lease_expires_at = \(StoreCoding.millis(leaseUntil))
                FROM due WHERE d.id = due.id
                RETURNING d.id, d.endpoint_id, d.attempts, d.journal_sequence, d.next_attempt_at
            )
            SELECT c.id, c.endpoint_id, c.attempts, j.sequence, j.payment_id, j.recorded_at, j.attempt, j.rail, j.event
            FROM claimed c JOIN journal j ON j.sequence = c.journal_sequence
            ORDER BY c.next_attempt_at, c.id
            """, logger: logger)
        var deliveries = [WebhookDelivery]()
        for try await (id, endpoint, attempts, sequence, payment, recordedAt, attempt, rail, event)
            in rows.decode((Int64, String, Int32, Int64, String, Int64, Int32, String, String).self) {
            deliveries.append(WebhookDelivery(id: id, endpointID: endpoint, entry: JournalEntry(
                sequence: sequence, paymentID: payment, recordedAt: StoreCoding.date(recordedAt), attempt: Int(attempt), railID: try RailID(rail),
                event: try RailCoding.decoder().decode(ExecutionEvent.self, from: Data(event.utf8))), attempts: Int(attempts)))
        }
        return deliveries
    }

    public func finishWebhookDelivery(id: Int64, owner: String, outcome: WebhookAttemptOutcome) async throws {
        let (state, status, error, next) = outcome.recorded
        try await client.query("""
            UPDATE webhook_delivery SET state = \(state.rawValue), attempts = attempts + 1, last_status = \(status.map(Int32.init)), last_error = \(error),
                next_attempt_at = \(next.map(StoreCoding.millis)), lease_owner = NULL, lease_expires_at = NULL
            WHERE id = \(id) AND lease_owner = \(owner)
            """, logger: logger)
    }

    public func webhookDeliveries(paymentID: String) async throws -> [WebhookDeliveryRecord] {
        let rows = try await client.query("""
            SELECT id, endpoint_id, journal_sequence, payment_id, state, attempts, last_status, last_error, next_attempt_at
            FROM webhook_delivery WHERE payment_id = \(paymentID) ORDER BY journal_sequence, id
            """, logger: logger)
        var records = [WebhookDeliveryRecord]()
        for try await (id, endpoint, sequence, payment, state, attempts, status, error, next)
            in rows.decode((Int64, String, Int64, String, String, Int32, Int32?, String?, Int64?).self) {
            records.append(WebhookDeliveryRecord(id: id, endpointID: endpoint, journalSequence: sequence, paymentID: payment,
                                                 state: WebhookDeliveryRecord.State(rawValue: state) ?? .pending, attempts: Int(attempts),
                                                 lastStatus: status.map(Int.init), lastError: error, nextAttemptAt: next.map(StoreCoding.date)))
        }
        return records
    }
}
