import Foundation
import GRDB
import RailKit
import SwitchyardExecutor

/// The embedded ``PaymentStore``: one SQLite file under a data directory, through GRDB, in WAL
/// mode with synchronous commits (`PRAGMA synchronous = FULL`: a committed state change survives
/// a power cut), write transactions taken immediately so processes sharing the file serialise
/// rather than deadlock, and named, versioned migrations applied at open.
public struct SQLitePaymentStore: PaymentStore {
    private let pool: DatabasePool

    /// Opens (creating and migrating as needed) the store at `path`.
    /// - Throws: ``PaymentStoreError`` naming the file when it cannot be opened or migrated.
    public init(path: String) throws(PaymentStoreError) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw PaymentStoreError(message: "cannot open or migrate the payment store at \(path): \(error)")
        }
    }

    /// The migrations applied, in order (for `switchyard status` and tests).
    public func appliedMigrations() async throws -> [String] {
        try await pool.read { db in try Self.migrator.appliedIdentifiers(db).sorted() }
    }

    // MARK: PaymentStore

    public func create(_ payment: PaymentRecord) async throws -> CreateOutcome {
        let json = try StoreCoding.text(payment)
        return try await write { db in
            if let existing = try Self.record(db, id: payment.id) {
                guard existing.requestHash == payment.requestHash else { throw IdempotencyConflict(key: payment.id, paymentID: existing.id) }
                return .existing(existing)
            }
            // Cached statements: a creation is the hot path, and compiling its SQL each time costs more than running it.
            if let key = payment.idempotencyKey,
               let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT request_hash, payment_id FROM idempotency_key WHERE key = ?"),
                                          arguments: [key]) {
                let id: String = row["payment_id"]
                guard row["request_hash"] == payment.requestHash, let existing = try Self.record(db, id: id) else {
                    throw IdempotencyConflict(key: key, paymentID: id)
                }
                return .existing(existing)
            }
            try db.cachedStatement(sql: """
                INSERT INTO payment (id, request_hash, state, rail, created_at, updated_at, next_action_at, rail_reference, record)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [payment.id, payment.requestHash, payment.state.rawValue, payment.railID.rawValue,
                                         StoreCoding.millis(payment.createdAt), StoreCoding.millis(payment.updatedAt), payment.nextActionAt.map(StoreCoding.millis),
                                         payment.submission?.reference.description, json])
            if let key = payment.idempotencyKey {
                try db.cachedStatement(sql: "INSERT INTO idempotency_key (key, request_hash, payment_id, created_at) VALUES (?, ?, ?, ?)")
                    .execute(arguments: [key, payment.requestHash, payment.id, StoreCoding.millis(payment.createdAt)])
            }
            return .created(payment)
        }
    }

    public func payment(id: String) async throws -> PaymentRecord? {
        try await pool.read { db in try Self.record(db, id: id) }
    }

    public func payment(idempotencyKey: String) async throws -> PaymentRecord? {
        try await pool.read { db in
            guard let id = try String.fetchOne(db, sql: "SELECT payment_id FROM idempotency_key WHERE key = ?", arguments: [idempotencyKey]) else {
                return nil
            }
            return try Self.record(db, id: id)
        }
    }

    public func payments(matching filter: PaymentFilter) async throws -> [PaymentRecord] {
        var clauses = [String]()
        var arguments = StatementArguments()
        if let states = filter.states {
            clauses.append("state IN (\(states.map { _ in "?" }.joined(separator: ", ")))")
            for state in states.sorted(by: { $0.rawValue < $1.rawValue }) { _ = arguments.append(contentsOf: [state.rawValue]) }
        }
        if let rail = filter.rail { clauses.append("rail = ?"); _ = arguments.append(contentsOf: [rail.rawValue]) }
        if let since = filter.since { clauses.append("created_at >= ?"); _ = arguments.append(contentsOf: [StoreCoding.millis(since)]) }
        if let until = filter.until { clauses.append("created_at < ?"); _ = arguments.append(contentsOf: [StoreCoding.millis(until)]) }
        if let after = filter.after {
            clauses.append("(created_at < ? OR (created_at = ? AND id < ?))")
            _ = arguments.append(contentsOf: [after.createdAtMillis, after.createdAtMillis, after.id])
        }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        _ = arguments.append(contentsOf: [filter.limit])
        let sql = "SELECT record FROM payment \(whereClause) ORDER BY created_at DESC, id DESC LIMIT ?"
        let bound = arguments
        let texts = try await pool.read { db in try String.fetchAll(db, sql: sql, arguments: bound) }
        return try texts.map(StoreCoding.record)
    }

    public func payment(rail: RailID, reference: RailReference) async throws -> PaymentRecord? {
        let text = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT record FROM payment WHERE rail = ? AND rail_reference = ?",
                                arguments: [rail.rawValue, reference.description])
        }
        return try text.map(StoreCoding.record)
    }

    public func append(_ event: ExecutionEvent, updating updated: PaymentRecord, at time: Date) async throws -> JournalEntry {
        let eventJSON = try StoreCoding.text(event)
        let next = updated.nextVersion
        let recordJSON = try StoreCoding.text(next)
        return try await write { db in
            try Self.update(db, next, json: recordJSON)
            try db.cachedStatement(sql: "INSERT INTO journal (payment_id, recorded_at, attempt, rail, event) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [updated.id, StoreCoding.millis(time), updated.attempt, updated.railID.rawValue, eventJSON])
            let sequence = db.lastInsertedRowID
            // The webhook outbox, in the same transaction: one delivery per enabled endpoint.
            try db.cachedStatement(sql: """
                INSERT INTO webhook_delivery (endpoint_id, journal_sequence, payment_id, state, attempts, next_attempt_at)
                SELECT id, ?, ?, 'pending', 0, ? FROM webhook_endpoint WHERE enabled = 1
                """).execute(arguments: [sequence, updated.id, StoreCoding.millis(time)])
            return JournalEntry(sequence: sequence, paymentID: updated.id, recordedAt: time, attempt: updated.attempt,
                                railID: updated.railID, event: event)
        }
    }

    public func save(_ payment: PaymentRecord) async throws -> PaymentRecord {
        let next = payment.nextVersion
        let json = try StoreCoding.text(next)
        try await write { db in try Self.update(db, next, json: json) }
        return next
    }

    public func forgetIdempotencyKeys(createdBefore cutoff: Date) async throws -> Int {
        try await write { db in
            try db.execute(sql: """
                DELETE FROM idempotency_key WHERE created_at < ?
                    AND payment_id IN (SELECT id FROM payment WHERE state IN ('settled', 'failed', 'returned'))
                """, arguments: [StoreCoding.millis(cutoff)])
            return db.changesCount
        }
    }

    public func journal(of paymentID: String) async throws -> [JournalEntry] {
        // Read as plain values (Sendable), so the read runs off the caller's thread.
        let rows = try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT sequence, recorded_at, attempt, rail, event FROM journal WHERE payment_id = ? ORDER BY sequence",
                             arguments: [paymentID])
                .map { row -> (Int64, Int64, Int, String, String) in (row["sequence"], row["recorded_at"], row["attempt"], row["rail"], row["event"]) }
        }
        return try rows.map { sequence, recordedAt, attempt, rail, event in
            JournalEntry(sequence: sequence, paymentID: paymentID, recordedAt: StoreCoding.date(recordedAt), attempt: attempt, railID: try RailID(rail),
                         event: try RailCoding.decoder().decode(ExecutionEvent.self, from: Data(event.utf8)))
        }
    }

    public func claimDue(owner: String, now: Date, leaseUntil: Date, limit: Int) async throws -> [PaymentRecord] {
        let texts = try await write { db in
            let ids = try String.fetchAll(db, sql: """
                SELECT id FROM payment
                WHERE state NOT IN ('settled', 'failed', 'returned') AND next_action_at IS NOT NULL AND next_action_at <= ?
                  AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at <= ?)
                ORDER BY next_action_at, id LIMIT ?
                """, arguments: [StoreCoding.millis(now), owner, StoreCoding.millis(now), limit])
            var texts = [String]()
            for id in ids {
                try db.execute(sql: "UPDATE payment SET lease_owner = ?, lease_expires_at = ? WHERE id = ?",
                               arguments: [owner, StoreCoding.millis(leaseUntil), id])
                if let text = try String.fetchOne(db, sql: "SELECT record FROM payment WHERE id = ?", arguments: [id]) { texts.append(text) }
            }
            return texts
        }
        return try texts.map(StoreCoding.record)
    }

    public func lease(paymentID: String, owner: String, now: Date, until: Date) async throws -> Bool {
        try await write { db in
            try db.execute(sql: """
                UPDATE payment SET lease_owner = ?, lease_expires_at = ?
                WHERE id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at <= ?)
                """, arguments: [owner, StoreCoding.millis(until), paymentID, owner, StoreCoding.millis(now)])
            return db.changesCount == 1
        }
    }

    public func releaseLease(paymentID: String, owner: String) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE payment SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?",
                           arguments: [paymentID, owner])
        }
    }

    public func saveQuote(_ quote: StoredQuote) async throws {
        let json = try StoreCoding.text(quote)
        try await write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO quote (id, rail, expires_at, record) VALUES (?, ?, ?, ?)",
                           arguments: [quote.quote.id.rawValue, quote.quote.railID.rawValue, StoreCoding.millis(quote.quote.expiresAt), json])
        }
    }

    public func saveQuotes(_ quotes: [StoredQuote]) async throws {
        let rows = zip(quotes, try StoredQuote.records(quotes)).map { ($0.quote.id.rawValue, $0.quote.railID.rawValue, StoreCoding.millis($0.quote.expiresAt), $1) }
        try await write { db in
            let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO quote (id, rail, expires_at, record) VALUES (?, ?, ?, ?)")
            for (id, rail, expires, json) in rows { try statement.execute(arguments: [id, rail, expires, json]) }
        }
    }

    public func quote(id: QuoteID) async throws -> StoredQuote? {
        let text = try await pool.read { db in try String.fetchOne(db, sql: "SELECT record FROM quote WHERE id = ?", arguments: [id.rawValue]) }
        return try text.map { try RailCoding.decoder().decode(StoredQuote.self, from: Data($0.utf8)) }
    }

    // MARK: Helpers

    /// One immediate write transaction: processes sharing the file queue on the lock instead of
    /// upgrading a read lock and failing with SQLITE_BUSY.
    private func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    /// Writes `next` (a record one version on) over the version before it, or throws.
    private static func update(_ db: Database, _ next: PaymentRecord, json: String) throws {
        try db.cachedStatement(sql: """
            UPDATE payment SET state = ?, rail = ?, updated_at = ?, next_action_at = ?, rail_reference = ?, record = ?, version = ?
            WHERE id = ? AND version = ?
            """).execute(arguments: [next.state.rawValue, next.railID.rawValue, StoreCoding.millis(next.updatedAt), next.nextActionAt.map(StoreCoding.millis),
                                     next.submission?.reference.description, json, next.version, next.id, next.version - 1])
        guard db.changesCount == 1 else {
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM payment WHERE id = ?", arguments: [next.id]) != nil else {
                throw RailError.invalidResponse("no payment \(next.id) in the store")
            }
            throw PaymentRecordConflict(paymentID: next.id, expectedVersion: next.version - 1)
        }
    }

    private static func record(_ db: Database, id: String) throws -> PaymentRecord? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT record FROM payment WHERE id = ?"), arguments: [id]).map(StoreCoding.record)
    }



}

extension SQLitePaymentStore: APIKeyStore {
    public func saveAPIKey(_ key: StoredAPIKey) async throws {
        try await write { db in
            try db.execute(sql: "INSERT INTO api_key (id, secret_hash, scope, label, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [key.id, key.secretHash, key.scope.rawValue, key.label, StoreCoding.millis(key.createdAt), key.revokedAt.map(StoreCoding.millis)])
        }
    }

    public func apiKey(id: String) async throws -> StoredAPIKey? {
        try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM api_key WHERE id = ?", arguments: [id]).map(Self.apiKey) }
    }

    public func apiKeys() async throws -> [StoredAPIKey] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_key ORDER BY created_at, id").map(Self.apiKey) }
    }

    public func revokeAPIKey(id: String, at time: Date) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [StoreCoding.millis(time), id])
            return db.changesCount == 1
        }
    }

    private static func apiKey(_ row: Row) -> StoredAPIKey {
        let revoked: Int64? = row["revoked_at"]
        return StoredAPIKey(id: row["id"], secretHash: row["secret_hash"], scope: APIKeyScope(rawValue: row["scope"]) ?? .read,
                            label: row["label"], createdAt: StoreCoding.date(row["created_at"]), revokedAt: revoked.map(StoreCoding.date))
    }
}

extension SQLitePaymentStore: WebhookStore {
    public func createWebhookEndpoint(_ endpoint: WebhookEndpoint) async throws {
        let json = try StoreCoding.text(endpoint)
        try await write { db in
            try db.execute(sql: "INSERT INTO webhook_endpoint (id, enabled, created_at, record) VALUES (?, ?, ?, ?)",
                           arguments: [endpoint.id, endpoint.enabled, StoreCoding.millis(endpoint.createdAt), json])
        }
    }

    public func updateWebhookEndpoint(_ endpoint: WebhookEndpoint) async throws -> Bool {
        let json = try StoreCoding.text(endpoint)
        return try await write { db in
            try db.execute(sql: "UPDATE webhook_endpoint SET enabled = ?, record = ? WHERE id = ?", arguments: [endpoint.enabled, json, endpoint.id])
            guard db.changesCount == 1 else { return false }
            if !endpoint.enabled {
                try db.execute(sql: """
                    UPDATE webhook_delivery SET state = 'failed', next_attempt_at = NULL, last_error = 'endpoint disabled'
                    WHERE endpoint_id = ? AND state = 'pending'
                    """, arguments: [endpoint.id])
            }
            return true
        }
    }

    public func webhookEndpoint(id: String) async throws -> WebhookEndpoint? {
        let text = try await pool.read { db in try String.fetchOne(db, sql: "SELECT record FROM webhook_endpoint WHERE id = ?", arguments: [id]) }
        return try text.map { try RailCoding.decoder().decode(WebhookEndpoint.self, from: Data($0.utf8)) }
    }

    public func webhookEndpoints() async throws -> [WebhookEndpoint] {
        let texts = try await pool.read { db in try String.fetchAll(db, sql: "SELECT record FROM webhook_endpoint ORDER BY created_at, id") }
        return try texts.map { try RailCoding.decoder().decode(WebhookEndpoint.self, from: Data($0.utf8)) }
    }

    public func deleteWebhookEndpoint(id: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM webhook_delivery WHERE endpoint_id = ? AND state = 'pending'", arguments: [id])
            try db.execute(sql: "DELETE FROM webhook_endpoint WHERE id = ?", arguments: [id])
            return db.changesCount == 1
        }
    }

    public func claimWebhookDeliveries(owner: String, now: Date, leaseUntil: Date, limit: Int) async throws -> [WebhookDelivery] {
        let rows = try await write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT d.id, d.endpoint_id, d.attempts, j.sequence, j.payment_id, j.recorded_at, j.attempt, j.rail, j.event
                FROM webhook_delivery d JOIN journal j ON j.sequence = d.journal_sequence
                WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND (d.lease_owner IS NULL OR d.lease_owner = ? OR d.lease_expires_at <= ?)
                ORDER BY d.next_attempt_at, d.id LIMIT ?
                """, arguments: [StoreCoding.millis(now), owner, StoreCoding.millis(now), limit])
            for row in rows {
                try db.execute(sql: "UPDATE webhook_delivery SET lease_owner = ?, lease_expires_at = ? WHERE id = ?",
                               arguments: [owner, StoreCoding.millis(leaseUntil), row["id"] as Int64])
            }
            return rows.map { row -> (Int64, String, Int, Int64, String, Int64, Int, String, String) in
                (row["id"], row["endpoint_id"], row["attempts"], row["sequence"], row["payment_id"], row["recorded_at"], row["attempt"], row["rail"], row["event"])
            }
        }
        return try rows.map { id, endpoint, attempts, sequence, payment, recordedAt, attempt, rail, event in
            WebhookDelivery(id: id, endpointID: endpoint, entry: JournalEntry(
                sequence: sequence, paymentID: payment, recordedAt: StoreCoding.date(recordedAt), attempt: attempt, railID: try RailID(rail),
                event: try RailCoding.decoder().decode(ExecutionEvent.self, from: Data(event.utf8))), attempts: attempts)
        }
    }

    public func finishWebhookDelivery(id: Int64, owner: String, outcome: WebhookAttemptOutcome) async throws {
        let (state, status, error, next) = outcome.recorded
        try await write { db in
            try db.execute(sql: """
                UPDATE webhook_delivery SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?, next_attempt_at = ?,
                    lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ? AND lease_owner = ?
                """, arguments: [state.rawValue, status, error, next.map(StoreCoding.millis), id, owner])
        }
    }

    public func webhookDeliveries(paymentID: String) async throws -> [WebhookDeliveryRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhook_delivery WHERE payment_id = ? ORDER BY journal_sequence, id", arguments: [paymentID]).map { row in
                let next: Int64? = row["next_attempt_at"]
                return WebhookDeliveryRecord(id: row["id"], endpointID: row["endpoint_id"], journalSequence: row["journal_sequence"], paymentID: row["payment_id"],
                                             state: WebhookDeliveryRecord.State(rawValue: row["state"]) ?? .pending, attempts: row["attempts"],
                                             lastStatus: row["last_status"], lastError: row["last_error"], nextAttemptAt: next.map(StoreCoding.date))
            }
        }
    }
}
