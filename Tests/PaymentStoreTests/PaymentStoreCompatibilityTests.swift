import Foundation
import RailKit
import DevChainTesting
import PostgresPaymentStore
@testable import SQLitePaymentStore
import GRDB
import SwitchyardExecutor
import Testing

/// Every ``PaymentStore`` driver passes this one suite (the in-memory store for unit tests, SQLite;
/// PostgreSQL joins it when its driver lands).
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case memory, sqlite, postgres
    var description: String { rawValue }

    /// Runs `body` with a new, empty store of this kind (PostgreSQL: a new database on the test
    /// server that scripts/postgres.sh started, its connection pool running, migrated).
    func withStore(_ body: @Sendable (any SwitchyardStore) async throws -> Void) async throws {
        switch self {
        case .memory: try await body(InMemoryPaymentStore())
        case .sqlite:
            let path = StoreFixture.temporaryFile()
            defer { StoreFixture.removeTemporary(path) }
            try await body(try SQLitePaymentStore(path: path))
        case .postgres:
            let store = try PostgresPaymentStore(url: try await PostgresServer.shared.value.makeDatabase().absoluteString)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.run() }
                try await store.migrate()
                try await body(store)
                group.cancelAll()
            }
        }
    }
}

enum StoreFixture {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-store-\(UUID().uuidString)/payments.sqlite").path
    }

    /// Removes the directory ``temporaryFile()`` made for `path` (the database and its WAL files).
    static func removeTemporary(_ path: String) {
        try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
    }

    static func intent(_ amount: String = "1000.00") -> PaymentIntent {
        try! PaymentIntent(debtor: Party(name: "Acme", country: .unitedStates), creditor: Party(name: "Harbour", country: .hongKong),
                           sourceCurrency: .usd, destinationCurrency: .cnh, amount: PaymentAmount(try! .fiat(amount, .usd), fixed: .send))
    }

    static func quote(_ amount: String = "1000.00", id: String = "q-1") -> Quote {
        let principal = try! Money.fiat(amount, .usd)
        let breakdown = PriceBreakdown(principal: principal, debtorPays: principal, creditorReceives: try! .fiat("7120.00", .cnh), fx: nil,
                                       costs: [], totalCost: .zero(.fiat(.usd)))
        return Quote(id: QuoteID(id), railID: "correspondent-bank-a", firmness: .firm, createdAt: now, expiresAt: now.addingTimeInterval(60),
                     breakdown: breakdown, eta: SettlementEstimate(earliest: now, p50: now, p95: now), assumptions: [])
    }

    static func record(_ id: String, key: String? = nil, hash: String = "h-1", at offset: TimeInterval = 0) -> PaymentRecord {
        PaymentRecord(id: id, idempotencyKey: key, requestHash: hash, intent: intent(), quote: quote(), createdAt: now.addingTimeInterval(offset))
    }
}

@Suite("Payment store compatibility")
struct PaymentStoreCompatibilityTests {
    @Test("a payment is created once by id and by idempotency key; another request under either is a conflict", arguments: StoreKind.allCases)
    func createOnce(kind: StoreKind) async throws {
        try await kind.withStore { store in
            guard case .created(let first) = try await store.create(StoreFixture.record("p-1", key: "k-1")) else { Issue.record("not created"); return }
            #expect(try await store.create(StoreFixture.record("p-1", key: "k-1")) == .existing(first))
            #expect(try await store.create(StoreFixture.record("p-other", key: "k-1")) == .existing(first))
            await #expect(throws: IdempotencyConflict.self) { try await store.create(StoreFixture.record("p-2", key: "k-1", hash: "h-2")) }
            await #expect(throws: IdempotencyConflict.self) { try await store.create(StoreFixture.record("p-1", hash: "h-2")) }
            #expect(try await store.payment(idempotencyKey: "k-1") == first)
            #expect(try await store.payment(id: "p-other") == nil)
            #expect(try await store.payment(id: "p-1") == first)
        }
    }

    @Test("a hundred concurrent creations with one key make exactly one payment", arguments: StoreKind.allCases)
    func concurrentCreations(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let outcomes = try await withThrowingTaskGroup(of: CreateOutcome.self) { group in
                for index in 0..<100 {
                    group.addTask { try await store.create(StoreFixture.record("p-\(index)", key: "one-key")) }
                }
                return try await group.reduce(into: [CreateOutcome]()) { $0.append($1) }
            }
            let created = outcomes.filter { if case .created = $0 { true } else { false } }
            #expect(created.count == 1)
            #expect(Set(outcomes.map(\.payment.id)).count == 1)
            #expect(try await store.payments(matching: PaymentFilter()).count == 1)
        }
    }

    @Test("an event and the state it causes are stored together; the journal keeps their order", arguments: StoreKind.allCases)
    func journal(kind: StoreKind) async throws {
        try await kind.withStore { store in
            var record = try await store.create(StoreFixture.record("p-1")).payment
            let reference = RailReference(kind: "uetr", value: "eb6305c9-1f7f-49de-aed0-16487c27b42d")
            struct Checkpoint: RailCheckpointPayload {
                static let railType = "test"
                static let schemaVersion = 1
                var message: String
            }
            let submission = RailSubmission(reference: reference, checkpoint: try RailCheckpoint(Checkpoint(message: "<pacs.008/>")))
            record.submission = submission
            record.state = .submitted
            record.attempt = 1
            let first = try await store.append(.prepared(submission), updating: record, at: StoreFixture.now)
            record = record.nextVersion
            let status = RailPaymentStatus(reference: reference, state: .settled, railCode: "ACCC", observedAt: StoreFixture.now,
                                           credited: try .fiat("7120.00", .cnh))
            record.status = status
            record.state = .settled
            record.nextActionAt = nil
            let second = try await store.append(.statusChanged(status), updating: record, at: StoreFixture.now.addingTimeInterval(1))
            record = record.nextVersion
            #expect(second.sequence > first.sequence)
            #expect(try await store.payment(id: "p-1") == record)
            #expect(record.version == 2)
            let journal = try await store.journal(of: "p-1")
            #expect(journal.map(\.event) == [.prepared(submission), .statusChanged(status)])
            #expect(journal.allSatisfy { $0.attempt == 1 && $0.railID == "correspondent-bank-a" && $0.paymentID == "p-1" })
            #expect(journal.map(\.recordedAt) == [StoreFixture.now, StoreFixture.now.addingTimeInterval(1)])
            // Found by the rail's reference (a bank's callback names its UETR), on that rail only.
            #expect(try await store.payment(rail: "correspondent-bank-a", reference: reference) == record)
            #expect(try await store.payment(rail: "correspondent-bank-b", reference: reference) == nil)
            #expect(try await store.payment(rail: "correspondent-bank-a", reference: RailReference(kind: "uetr", value: "other")) == nil)
        }
    }

    @Test("payments list newest first, filtered by state, rail and time", arguments: StoreKind.allCases)
    func listing(kind: StoreKind) async throws {
        try await kind.withStore { store in
            for index in 0..<5 { _ = try await store.create(StoreFixture.record("p-\(index)", hash: "h-\(index)", at: TimeInterval(index))) }
            var settled = try #require(try await store.payment(id: "p-3"))
            settled.state = .settled
            try await store.save(settled)
            #expect(try await store.payments(matching: PaymentFilter()).map(\.id) == ["p-4", "p-3", "p-2", "p-1", "p-0"])
            #expect(try await store.payments(matching: PaymentFilter(states: [.settled])).map(\.id) == ["p-3"])
            #expect(try await store.payments(matching: PaymentFilter(states: [.created], limit: 2)).map(\.id) == ["p-4", "p-2"])
            #expect(try await store.payments(matching: PaymentFilter(since: StoreFixture.now.addingTimeInterval(1), until: StoreFixture.now.addingTimeInterval(3))).map(\.id) == ["p-2", "p-1"])
            #expect(try await store.payments(matching: PaymentFilter(rail: "jpmd-base")).isEmpty)
        }
    }

    @Test("pages continue strictly after a cursor, even among payments created in the same millisecond", arguments: StoreKind.allCases)
    func paging(kind: StoreKind) async throws {
        try await kind.withStore { store in
            for index in 0..<3 { _ = try await store.create(StoreFixture.record("p-\(index)", hash: "h-\(index)", at: TimeInterval(index))) }
            for suffix in ["a", "b", "c"] { _ = try await store.create(StoreFixture.record("p-3\(suffix)", hash: "h-3\(suffix)", at: 3)) }
            var seen = [String]()
            var cursor: PaymentCursor?
            repeat {
                let page = try await store.payments(matching: PaymentFilter(after: cursor, limit: 2))
                seen += page.map(\.id)
                cursor = page.count == 2 ? PaymentCursor(page[1]) : nil
            } while cursor != nil
            #expect(seen == ["p-3c", "p-3b", "p-3a", "p-2", "p-1", "p-0"])
            // A payment created while paging (newer than the cursor) does not appear on later pages.
            let first = try await store.payments(matching: PaymentFilter(limit: 2))
            _ = try await store.create(StoreFixture.record("p-new", hash: "h-new", at: 10))
            let next = try await store.payments(matching: PaymentFilter(after: PaymentCursor(first[1]), limit: 10))
            #expect(next.map(\.id) == ["p-3a", "p-2", "p-1", "p-0"])
        }
    }

    @Test("each journal entry writes one webhook delivery per enabled endpoint in its transaction; deliveries are leased, retried, finished",
          arguments: StoreKind.allCases)
    func webhookOutbox(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let now = StoreFixture.now
            let secret = WebhookSecret(value: "whsec_c2VjcmV0", createdAt: now)
            let live = WebhookEndpoint(id: "we_live", url: URL(string: "https://example.com/hooks")!, description: "ledger", secrets: [secret], createdAt: now)
            var off = WebhookEndpoint(id: "we_off", url: URL(string: "https://example.com/off")!, description: nil, secrets: [secret],
                                      createdAt: now.addingTimeInterval(1))
            try await store.createWebhookEndpoint(live)
            try await store.createWebhookEndpoint(off)
            await #expect(throws: (any Error).self) { try await store.createWebhookEndpoint(live) }
            off.enabled = false
            off.disabledReason = "410 Gone"
            #expect(try await store.updateWebhookEndpoint(off))
            #expect(try await store.webhookEndpoints() == [live, off])
            #expect(try await store.webhookEndpoint(id: "we_off") == off)

            var record = try await store.create(StoreFixture.record("p-hook")).payment
            // No event yet, no delivery: creation is not journaled.
            #expect(try await store.webhookDeliveries(paymentID: "p-hook").isEmpty)
            let reference = RailReference(kind: "uetr", value: "00000000-0000-4000-8000-000000000001")
            record.state = .pending
            let status = RailPaymentStatus(reference: reference, state: .inFlight, railCode: "ACSP", observedAt: now)
            record.status = status
            let entry = try await store.append(.statusChanged(status), updating: record, at: now)
            record = record.nextVersion
            let pending = try await store.webhookDeliveries(paymentID: "p-hook")
            #expect(pending.map(\.endpointID) == ["we_live"])
            #expect(pending.first?.journalSequence == entry.sequence && pending.first?.state == .pending)

            let claimed = try await store.claimWebhookDeliveries(owner: "a", now: now, leaseUntil: now.addingTimeInterval(30), limit: 10)
            #expect(claimed.map(\.entry) == [entry])
            #expect(try await store.claimWebhookDeliveries(owner: "b", now: now, leaseUntil: now.addingTimeInterval(30), limit: 10).isEmpty)
            let delivery = try #require(claimed.first)
            // Only the lease holder finishes it.
            try await store.finishWebhookDelivery(id: delivery.id, owner: "b", outcome: .delivered(status: 200, at: now))
            #expect(try await store.webhookDeliveries(paymentID: "p-hook").first?.attempts == 0)
            try await store.finishWebhookDelivery(id: delivery.id, owner: "a", outcome: .retry(status: 503, error: "503", next: now.addingTimeInterval(5)))
            #expect(try await store.claimWebhookDeliveries(owner: "b", now: now.addingTimeInterval(4), leaseUntil: now.addingTimeInterval(30), limit: 10).isEmpty)
            let again = try await store.claimWebhookDeliveries(owner: "b", now: now.addingTimeInterval(5), leaseUntil: now.addingTimeInterval(35), limit: 10)
            #expect(again.map(\.id) == [delivery.id] && again.first?.attempts == 1)
            try await store.finishWebhookDelivery(id: delivery.id, owner: "b", outcome: .delivered(status: 204, at: now.addingTimeInterval(6)))
            let finished = try #require(try await store.webhookDeliveries(paymentID: "p-hook").first)
            #expect(finished.state == .delivered && finished.attempts == 2 && finished.lastStatus == 204 && finished.nextAttemptAt == nil)
            #expect(try await store.claimWebhookDeliveries(owner: "c", now: now.addingTimeInterval(99), leaseUntil: now.addingTimeInterval(130), limit: 10).isEmpty)

            // A second event while the endpoint is deleted leaves nothing pending for it.
            _ = try await store.append(.statusChanged(status), updating: record, at: now.addingTimeInterval(7))
            #expect(try await store.webhookDeliveries(paymentID: "p-hook").filter { $0.state == .pending }.count == 1)
            #expect(try await store.deleteWebhookEndpoint(id: "we_live"))
            #expect(try await !store.deleteWebhookEndpoint(id: "we_live"))
            #expect(try await store.webhookDeliveries(paymentID: "p-hook").map(\.state) == [.delivered])
        }
    }

    @Test("a write names the version it read: a stale one writes nothing (neither record nor event) and says so", arguments: StoreKind.allCases)
    func optimisticConcurrency(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let created = try await store.create(StoreFixture.record("p-v")).payment
            #expect(created.version == 0)
            // Two writers read version 0: a poll that saw the payment pending, a notification that saw it settled.
            let reference = RailReference(kind: "uetr", value: "00000000-0000-4000-8000-0000000000aa")
            var notified = created
            let settled = RailPaymentStatus(reference: reference, state: .settled, railCode: "ACCC", observedAt: StoreFixture.now)
            (notified.status, notified.state, notified.nextActionAt) = (settled, .settled, nil)
            var polled = created
            let pending = RailPaymentStatus(reference: reference, state: .inFlight, railCode: "ACSP", observedAt: StoreFixture.now)
            (polled.status, polled.state) = (pending, .pending)

            try await store.append(.statusChanged(settled), updating: notified, at: StoreFixture.now)
            await #expect(throws: PaymentRecordConflict(paymentID: "p-v", expectedVersion: 0)) {
                try await store.append(.statusChanged(pending), updating: polled, at: StoreFixture.now.addingTimeInterval(1))
            }
            await #expect(throws: PaymentRecordConflict.self) { try await store.save(polled) }
            let stored = try #require(try await store.payment(id: "p-v"))
            #expect(stored.state == .settled && stored.version == 1)
            #expect(try await store.journal(of: "p-v").map(\.event) == [.statusChanged(settled)], "the refused write left an event behind")

            // Read again, written again.
            var rescheduled = stored
            rescheduled.updatedAt = StoreFixture.now.addingTimeInterval(2)
            let saved = try await store.save(rescheduled)
            #expect(saved.version == 2)
            #expect(try await store.payment(id: "p-v") == saved)
            await #expect(throws: (any Error).self) { try await store.save(StoreFixture.record("p-none")) }
        }
    }

    @Test("idempotency keys of final payments older than the cutoff are forgotten; the payments stay; keys of moving payments stay", arguments: StoreKind.allCases)
    func forgettingKeys(kind: StoreKind) async throws {
        try await kind.withStore { store in
            var old = try await store.create(StoreFixture.record("p-old", key: "k-old", hash: "h-old")).payment
            _ = try await store.create(StoreFixture.record("p-moving", key: "k-moving", hash: "h-moving"))
            var young = try await store.create(StoreFixture.record("p-young", key: "k-young", hash: "h-young", at: 100)).payment
            for record in [old, young] {
                var done = record
                (done.state, done.nextActionAt) = (.settled, nil)
                try await store.save(done)
            }
            old = try #require(try await store.payment(id: "p-old"))
            young = try #require(try await store.payment(id: "p-young"))

            #expect(try await store.forgetIdempotencyKeys(createdBefore: StoreFixture.now.addingTimeInterval(50)) == 1)
            #expect(try await store.payment(idempotencyKey: "k-old") == nil)
            #expect(try await store.payment(id: "p-old") == old, "the payment went with its key")
            #expect(try await store.payment(idempotencyKey: "k-moving")?.id == "p-moving", "a payment still moving lost its key")
            #expect(try await store.payment(idempotencyKey: "k-young") == young)
            // The forgotten key now names a new payment.
            let again = try await store.create(StoreFixture.record("p-again", key: "k-old", hash: "h-other", at: 200))
            #expect(again == .created(try #require(try await store.payment(id: "p-again"))))
            #expect(try await store.forgetIdempotencyKeys(createdBefore: StoreFixture.now.addingTimeInterval(50)) == 0)
        }
    }

    @Test("API keys are kept by id with a hash of their secret, listed, and revoked once", arguments: StoreKind.allCases)
    func apiKeys(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let writer = StoredAPIKey(id: "key_w", secretHash: String(repeating: "ab", count: 32), scope: .write, label: "billing", createdAt: StoreFixture.now)
            let reader = StoredAPIKey(id: "key_r", secretHash: String(repeating: "cd", count: 32), scope: .read, label: nil,
                                      createdAt: StoreFixture.now.addingTimeInterval(1))
            try await store.saveAPIKey(writer)
            try await store.saveAPIKey(reader)
            await #expect(throws: (any Error).self) { try await store.saveAPIKey(writer) }
            #expect(try await store.apiKey(id: "key_w") == writer)
            #expect(try await store.apiKey(id: "key_x") == nil)
            #expect(try await store.apiKeys() == [writer, reader])
            #expect(try await store.revokeAPIKey(id: "key_r", at: StoreFixture.now.addingTimeInterval(5)))
            #expect(try await !store.revokeAPIKey(id: "key_r", at: StoreFixture.now.addingTimeInterval(6)))
            #expect(try await !store.revokeAPIKey(id: "key_x", at: StoreFixture.now))
            #expect(try await store.apiKey(id: "key_r")?.revokedAt == StoreFixture.now.addingTimeInterval(5))
        }
    }

    @Test("quotes are kept with their intent and read back by id", arguments: StoreKind.allCases)
    func quotes(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let stored = StoredQuote(quote: StoreFixture.quote(id: "q-kept"), intent: StoreFixture.intent())
            try await store.saveQuote(stored)
            #expect(try await store.quote(id: QuoteID("q-kept")) == stored)
            #expect(try await store.quote(id: QuoteID("q-unknown")) == nil)
            let batch = (1...50).map { StoredQuote(quote: StoreFixture.quote(id: "q-batch-\($0)"), intent: StoreFixture.intent()) }
            try await store.saveQuotes(batch)
            for quote in batch { #expect(try await store.quote(id: quote.quote.id) == quote) }
            // The batch's records, the intent encoded once, are byte for byte what RailCoding writes for each.
            #expect(try StoredQuote.records(batch) == batch.map { String(decoding: try RailCoding.encoder().encode($0), as: UTF8.self) })
        }
    }

    @Test("one payment is leased to one owner at a time, until its lease expires", arguments: StoreKind.allCases)
    func singleLease(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await store.create(StoreFixture.record("p-1"))
            let now = StoreFixture.now
            #expect(try await store.lease(paymentID: "p-1", owner: "a", now: now, until: now.addingTimeInterval(30)))
            #expect(try await store.lease(paymentID: "p-1", owner: "a", now: now, until: now.addingTimeInterval(30)), "the holder may renew")
            #expect(try await !store.lease(paymentID: "p-1", owner: "b", now: now.addingTimeInterval(29), until: now.addingTimeInterval(60)))
            #expect(try await store.lease(paymentID: "p-1", owner: "b", now: now.addingTimeInterval(31), until: now.addingTimeInterval(60)))
            try await store.releaseLease(paymentID: "p-1", owner: "b")
            #expect(try await store.lease(paymentID: "p-1", owner: "a", now: now.addingTimeInterval(32), until: now.addingTimeInterval(60)))
        }
    }

    @Test("due payments are leased to one owner until the lease expires; final ones never", arguments: StoreKind.allCases)
    func leases(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await store.create(StoreFixture.record("p-1"))
            var done = try await store.create(StoreFixture.record("p-2", hash: "h-2")).payment
            done.state = .settled
            done.nextActionAt = nil
            try await store.save(done)
            let now = StoreFixture.now.addingTimeInterval(10)
            #expect(try await store.claimDue(owner: "a", now: now, leaseUntil: now.addingTimeInterval(60), limit: 10).map(\.id) == ["p-1"])
            #expect(try await store.claimDue(owner: "b", now: now, leaseUntil: now.addingTimeInterval(60), limit: 10).isEmpty)
            // A dead owner's lease runs out and another takes over.
            let later = now.addingTimeInterval(61)
            #expect(try await store.claimDue(owner: "b", now: later, leaseUntil: later.addingTimeInterval(60), limit: 10).map(\.id) == ["p-1"])
            try await store.releaseLease(paymentID: "p-1", owner: "a")  // not a's any more: no effect
            #expect(try await store.claimDue(owner: "a", now: later, leaseUntil: later.addingTimeInterval(60), limit: 10).isEmpty)
            try await store.releaseLease(paymentID: "p-1", owner: "b")
            #expect(try await store.claimDue(owner: "a", now: later, leaseUntil: later.addingTimeInterval(60), limit: 10).map(\.id) == ["p-1"])
        }
    }
}

@Suite("PostgreSQL payment store")
struct PostgresPaymentStoreTests {
    @Test("migrations are named, applied once, and safe to run again (several routers starting together)")
    func migrations() async throws {
        let url = try await PostgresServer.shared.value.makeDatabase().absoluteString
        let store = try PostgresPaymentStore(url: url)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            try await withThrowingTaskGroup(of: Void.self) { starts in
                for _ in 0..<3 { starts.addTask { try await store.migrate() } }
                try await starts.waitForAll()
            }
            #expect(try await store.appliedMigrations() == ["v1: payments, journal, idempotency keys", "v2: quotes", "v3: rail references, API keys", "v4: webhook endpoints and outbox", "v5: payment record versions"])
            group.cancelAll()
        }
    }

    @Test("a URL that is not PostgreSQL is refused without echoing a password")
    func badURL() {
        #expect { try PostgresPaymentStore(url: "mysql://user:secret-pw@db/payments") } throws: {
            ($0 as? PaymentStoreError).map { !$0.message.contains("secret-pw") } == true
        }
    }
}

@Suite("SQLite payment store")
struct SQLitePaymentStoreTests {
    @Test("the file survives the process: a new store on it sees payments and journals; migrations are named and applied once")
    func reopen() async throws {
        let path = StoreFixture.temporaryFile()
        defer { StoreFixture.removeTemporary(path) }
        let first = try SQLitePaymentStore(path: path)
        _ = try await first.create(StoreFixture.record("p-1", key: "k-1"))
        let second = try SQLitePaymentStore(path: path)
        #expect(try await second.payment(idempotencyKey: "k-1")?.id == "p-1")
        #expect(try await second.appliedMigrations() == ["v1: payments, journal, idempotency keys", "v2: quotes", "v3: rail references, API keys", "v4: webhook endpoints and outbox", "v5: payment record versions"])
    }

    @Test("a database written before record versions opens migrated: its payments read as version 0 and take writes")
    func versionMigration() async throws {
        let path = StoreFixture.temporaryFile()
        defer { StoreFixture.removeTemporary(path) }
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLitePaymentStore.migrator.migrate(queue, upTo: "v4: webhook endpoints and outbox")
            // A record as v4 wrote it: no version in its JSON.
            var json = try #require(try JSONSerialization.jsonObject(with: Data(StoreCoding.text(StoreFixture.record("p-old")).utf8)) as? [String: Any])
            json["version"] = nil
            let text = String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
            try await queue.write { db in
                try db.execute(sql: """
                    INSERT INTO payment (id, request_hash, state, rail, created_at, updated_at, next_action_at, record)
                    VALUES ('p-old', 'h-1', 'created', 'correspondent-bank-a', 0, 0, 0, ?)
                    """, arguments: [text])
            }
        }
        let store = try SQLitePaymentStore(path: path)
        let old = try #require(try await store.payment(id: "p-old"))
        #expect(old.version == 0)
        var changed = old
        changed.attempt = 1
        #expect(try await store.save(changed).version == 1)
        #expect(try await store.payment(id: "p-old")?.attempt == 1)
    }

    @Test("a store that cannot be opened says which file")
    func unopenable() {
        #expect { try SQLitePaymentStore(path: "/proc/switchyard/payments.sqlite") } throws: {
            ($0 as? PaymentStoreError)?.message.contains("/proc/switchyard/payments.sqlite") == true
        }
    }
}
