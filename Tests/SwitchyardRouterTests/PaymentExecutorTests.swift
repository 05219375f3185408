import Foundation
import RailKit
import RailKitTesting
import DevChainTesting
import PostgresPaymentStore
import SQLitePaymentStore
@testable import SwitchyardExecutor
import Testing
@testable import SwitchyardRouter

/// A rail double that executes: counts what would reach its counterpart, and can misbehave.
private final class SendingRail: RailAdapter, @unchecked Sendable {
    enum Fault: Sendable { case none, throwAfterCheckpoint, throwBeforeCheckpoint, submitBeforeCheckpoint, unavailableOnce, declineAtExecution, rejectedLater }

    let descriptor: RailDescriptor
    let fault: Fault
    private let lock = NSLock()
    private var _sends = 0
    private var _sentByPayment = [String: Int]()
    private var _statusCalls = 0
    var sends: Int { lock.withLock { _sends } }
    /// What the counterpart received, per payment id.
    var sentByPayment: [String: Int] { lock.withLock { _sentByPayment } }

    let fee: String
    let delay: Duration

    init(_ id: RailID = "sending-rail", fee: String = "1.00", fault: Fault = .none, delay: Duration = .milliseconds(20)) {
        self.fault = fault
        self.fee = fee
        self.delay = delay
        descriptor = RailDescriptor(id: id, displayName: "sending rail \(id)", capabilities: RailCapabilities(
            kind: .correspondentBanking, corridors: [Corridor(source: .usd, destination: .cnh)], operatingHours: .continuous,
            supportsFixedReceive: false, quoteOnlyReason: nil, quoteValiditySeconds: 60))
    }

    struct Checkpoint: RailCheckpointPayload {
        static let railType = "sending-rail"
        static let schemaVersion = 1
        var paymentID: String
    }

    func quote(_ request: QuoteRequest) async throws -> QuoteOutcome {
        try await TestRail(descriptor.id, .quote(fee: fee, p50Seconds: 60, p95Seconds: 60)).quote(request)
    }

    func execute(_ request: ExecutionRequest, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        let reference = RailReference(kind: "test", value: request.paymentID)
        let submission = RailSubmission(reference: reference, checkpoint: try RailCheckpoint(Checkpoint(paymentID: request.paymentID)))
        if fault == .throwBeforeCheckpoint { throw RailError.unavailable("connection refused before anything was recorded") }
        if fault == .declineAtExecution { throw RailError.declined(RailDecline(.insufficientFunds, "the debtor's account holds less than the payment")) }
        if fault == .submitBeforeCheckpoint {
            try await recorder.record(.submitted(reference))
        }
        try await recorder.record(.prepared(submission))
        try await Task.sleep(for: delay)  // a slow counterpart: concurrent callers overlap here
        lock.withLock {
            _sends += 1
            _sentByPayment[request.paymentID, default: 0] += 1
        }
        if fault == .throwAfterCheckpoint { throw RailError.unavailable("the answer was lost") }
        try await recorder.record(.submitted(reference))
        return ExecutionReceipt(submission: submission, status: RailPaymentStatus(reference: reference, state: .submitted, observedAt: request.now))
    }

    func status(of submission: RailSubmission, at now: Date) async throws -> RailPaymentStatus {
        let call = lock.withLock { _statusCalls += 1; return _statusCalls }
        if fault == .unavailableOnce && call == 1 { throw RailError.unavailable("503 from the counterpart") }
        if fault == .rejectedLater {
            // The counterpart accepted the message, then refused the payment (a later RJCT): nothing moved.
            return RailPaymentStatus(reference: submission.reference, state: .rejected, railCode: "RJCT",
                                     reason: RailDecline(.rejectedByBank, "creditor agent not reachable"), observedAt: now, counterpartReasonCodes: ["RC04"])
        }
        return RailPaymentStatus(reference: submission.reference, state: call >= 2 ? .settled : .inFlight, observedAt: now)
    }
}

/// A clock that moves `step` seconds each time it is read (the next process's time passing between polls).
private final class SteppingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private let step: TimeInterval

    init(start: Date, step: TimeInterval) {
        current = start
        self.step = step
    }

    func next() -> Date {
        lock.withLock {
            defer { current = current.addingTimeInterval(step) }
            return current
        }
    }

    func set(_ date: Date) { lock.withLock { current = date } }
}

@Suite("Payment executor")
struct PaymentExecutorTests {
    private static func setUp(_ fault: SendingRail.Fault = .none, clock: @escaping @Sendable () -> Date = { Fixture.now })
        async throws -> (SendingRail, PaymentExecutor, CollectingPaymentJournal, Quote) {
        let rail = SendingRail(fault: fault)
        guard case .quoted(let quote) = try await rail.quote(QuoteRequest(quoteID: QuoteID("q-1"), intent: Fixture.intent(), now: Fixture.now, market: Fixture.market)) else {
            throw RailError.invalidResponse("no quote")
        }
        let journal = CollectingPaymentJournal()
        let executor = PaymentExecutor(adapters: [rail], admission: CapabilityAdmission(), store: InMemoryPaymentStore(),
                                       observer: journal, clock: clock)
        return (rail, executor, journal, quote)
    }

    @Test("concurrent and repeated executions of one payment id reach the counterpart once")
    func idempotent() async throws {
        let (rail, executor, journal, quote) = try await Self.setUp()
        let receipts = try await withThrowingTaskGroup(of: ExecutionReceipt.self) { group in
            for _ in 0..<20 { group.addTask { try await executor.execute(paymentID: "p-1", intent: Fixture.intent(), quote: quote) } }
            return try await group.reduce(into: [ExecutionReceipt]()) { $0.append($1) }
        }
        #expect(rail.sends == 1)
        #expect(Set(receipts.map(\.reference)).count == 1)
        _ = try await executor.execute(paymentID: "p-1", intent: Fixture.intent(), quote: quote)
        #expect(rail.sends == 1)
        let events = await journal.events(of: "p-1")
        #expect(events.count == 3, "prepared, submitted, the receipt's status: \(events)")
        // The same id for another payment is a conflict, not a second payment.
        await #expect(throws: IdempotencyConflict.self) {
            try await executor.execute(paymentID: "p-1", intent: Fixture.intent("2000000.00"), quote: quote)
        }
    }

    @Test("a failure after the checkpoint is never executed again; one before it may be retried")
    func failures() async throws {
        let (rail, executor, journal, quote) = try await Self.setUp(.throwAfterCheckpoint)
        await #expect(throws: RailError.self) { try await executor.execute(paymentID: "p-2", intent: Fixture.intent(), quote: quote) }
        let again = try await executor.execute(paymentID: "p-2", intent: Fixture.intent(), quote: quote)
        #expect(rail.sends == 1, "a retry after the checkpoint must not send again")
        #expect(again.status.state == .submitted && again.status.railCode == "outcome unknown")
        #expect(await journal.events(of: "p-2").count == 1)

        let (early, retrying, _, earlyQuote) = try await Self.setUp(.throwBeforeCheckpoint)
        await #expect(throws: RailError.self) { try await retrying.execute(paymentID: "p-3", intent: Fixture.intent(), quote: earlyQuote) }
        await #expect(throws: RailError.self) { try await retrying.execute(paymentID: "p-3", intent: Fixture.intent(), quote: earlyQuote) }
        #expect(early.sends == 0)
    }

    @Test("an expired quote, a quote for another amount and a quote-only rail are refused with every reason, nothing journaled")
    func refusals() async throws {
        let (rail, late, journal, quote) = try await Self.setUp(clock: { Fixture.now.addingTimeInterval(3600) })
        do {
            _ = try await late.execute(paymentID: "p-4", intent: Fixture.intent("2000000.00"), quote: quote)
            Issue.record("executed")
        } catch let refused as ExecutionRefused {
            #expect(refused.reasons.map(\.code) == [.quoteExpired, .quoteMismatch])
        }
        #expect(rail.sends == 0)
        #expect(await journal.events.isEmpty)
        let quoteOnly = PaymentExecutor(adapters: [TestRail("sending-rail", .fail)], admission: CapabilityAdmission(),
                                        store: InMemoryPaymentStore(), observer: journal, clock: { Fixture.now })
        await #expect(throws: ExecutionRefused.self) { try await quoteOnly.execute(paymentID: "p-5", intent: Fixture.intent(), quote: quote) }
    }

    @Test("a rail that reports a submission before its checkpoint is stopped")
    func order() async throws {
        let (_, executor, journal, quote) = try await Self.setUp(.submitBeforeCheckpoint)
        await #expect(throws: JournalOrderViolation.self) { try await executor.execute(paymentID: "p-6", intent: Fixture.intent(), quote: quote) }
        #expect(await journal.events.isEmpty)
    }

    @Test("follow rides out an unavailable counterpart and records each change until final")
    func follow() async throws {
        let (_, executor, journal, quote) = try await Self.setUp(.unavailableOnce)
        _ = try await executor.execute(paymentID: "p-7", intent: Fixture.intent(), quote: quote)
        let status = try await executor.follow(paymentID: "p-7", budget: .seconds(10), pause: {})
        #expect(status.state == .settled)
        let states = await journal.events(of: "p-7").compactMap { if case .statusChanged(let status) = $0 { status.state } else { nil } }
        #expect(states == [.submitted, .settled])
    }

    @Test("across a restart on SQLite: a payment whose checkpoint was recorded is never sent again, and the next process follows it to final")
    func restart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-restart-\(UUID().uuidString)/payments.sqlite").path
        let crashed = SendingRail(fault: .throwAfterCheckpoint)
        guard case .quoted(let quote) = try await crashed.quote(QuoteRequest(quoteID: QuoteID("q-1"), intent: Fixture.intent(), now: Fixture.now, market: Fixture.market)) else {
            Issue.record("no quote")
            return
        }
        let first = PaymentExecutor(adapters: [crashed], admission: CapabilityAdmission(),
                                    store: try SQLitePaymentStore(path: path), clock: { Fixture.now })
        await #expect(throws: RailError.self) {
            try await first.execute(paymentID: "p-restart", intent: Fixture.intent(), quote: quote, idempotencyKey: "key-restart")
        }
        #expect(crashed.sends == 1)

        // A new process: a new store on the same file, a new rail instance, the same request repeated.
        let restarted = SendingRail()
        let store = try SQLitePaymentStore(path: path)
        let ticking = SteppingClock(start: Fixture.now.addingTimeInterval(5), step: 30)
        let second = PaymentExecutor(adapters: [restarted], admission: CapabilityAdmission(), store: store,
                                     clock: { ticking.next() })
        let receipt = try await second.execute(paymentID: "another-id", intent: Fixture.intent(), quote: quote, idempotencyKey: "key-restart")
        #expect(receipt.reference.value == "p-restart")
        #expect(restarted.sends == 0, "the repeated request must not reach the counterpart again")
        #expect(try await store.payment(id: "p-restart")?.state == .submitted)
        for _ in 0..<3 { try await second.runDue(owner: "second") }
        let record = try #require(try await store.payment(id: "p-restart"))
        #expect(record.state == .settled, "\(record)")
        let journal = try await store.journal(of: "p-restart").map(\.event)
        #expect(journal.first.map { if case .prepared = $0 { true } else { false } } == true)
        #expect(restarted.sends == 0)
    }

    @Test("two executors on one PostgreSQL database: 200 payments, none sent twice, all final; a dead executor's leased payments are taken over when its lease runs out")
    func twoExecutorsOnPostgres() async throws {
        let url = try await PostgresServer.shared.value.makeDatabase().absoluteString
        let first = try PostgresPaymentStore(url: url), second = try PostgresPaymentStore(url: url), dead = try PostgresPaymentStore(url: url)
        let rail = SendingRail()  // one counterpart both executors talk to
        guard case .quoted(var quote) = try await rail.quote(QuoteRequest(quoteID: QuoteID("q-many"), intent: Fixture.intent(), now: Fixture.now, market: Fixture.market)) else {
            Issue.record("no quote")
            return
        }
        quote.expiresAt = Fixture.now.addingTimeInterval(3600)  // a firm quote that outlives the run
        try await withThrowingTaskGroup(of: Void.self) { pools in
            for store in [first, second, dead] { pools.addTask { try await store.run() } }
            try await first.migrate()
            // 200 payments stored (as an API would accept them), none executed yet.
            for index in 0..<200 {
                let intent = Fixture.intent()
                _ = try await first.create(PaymentRecord(id: "bulk-\(index)", idempotencyKey: nil, requestHash: "h-\(index)", intent: intent,
                                                         quote: quote, createdAt: Fixture.now))
            }
            // A process that claims five and dies holding their leases (ten seconds).
            let stranded = try await dead.claimDue(owner: "dead", now: Fixture.now, leaseUntil: Fixture.now.addingTimeInterval(10), limit: 5)
            #expect(stranded.count == 5)

            let executors = [("first", first), ("second", second)].map { name, store in
                let clock = SteppingClock(start: Fixture.now, step: 0.1)
                return (name, PaymentExecutor(adapters: [rail], admission: CapabilityAdmission(), store: store,
                                              clock: { clock.next() }))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (name, executor) in executors {
                    group.addTask {
                        for _ in 0..<200 {
                            if try await first.payments(matching: PaymentFilter(states: [.created, .submitted, .pending], limit: 1)).isEmpty { return }
                            try await executor.runDue(owner: name, limit: 20, lease: .seconds(30))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let all = try await first.payments(matching: PaymentFilter(limit: 1000))
            #expect(all.count == 200)
            #expect(all.allSatisfy { $0.state == .settled }, "\(all.filter { $0.state != .settled }.map { "\($0.id) \($0.state) \($0.failure?.description ?? "")" })")
            let sent = rail.sentByPayment
            #expect(sent.count == 200 && sent.values.allSatisfy { $0 == 1 }, "sent twice: \(sent.filter { $0.value > 1 })")
            for record in stranded {
                #expect(try await first.journal(of: record.id).count >= 2, "\(record.id) was not taken over")
            }
            pools.cancelAll()
        }
    }

    @Test("a bank's reason that forbids failover counts however the bank wrote it: am05, Dupl and rr04 stop the payment like AM05, DUPL and RR04")
    func failoverReasonsWithoutCase() {
        let rejected = RailDecline(.rejectedByBank, "RJCT by the bank")
        for code in ["am05", "Dupl", "rr04", "frad", "LEGL", "AM05"] {
            #expect(!PaymentExecutor.mayFailOver(rejected, counterpartCodes: [code]), "\(code)")
        }
        #expect(PaymentExecutor.mayFailOver(rejected, counterpartCodes: ["rc04"]))
    }

    @Test("failover: a rail that declines before anything moved re-routes to the next route as a new attempt; an unknown outcome never does")
    func failover() async throws {
        let declining = SendingRail("cheap-rail", fee: "1.00", fault: .declineAtExecution)
        let backup = SendingRail("backup-rail", fee: "5.00")
        let engine = Fixture.engine([declining, backup])
        let store = InMemoryPaymentStore()
        let executor = engine.makeExecutor(store: store)
        let best = try #require(try await engine.route(Fixture.intent()).chosen)
        #expect(best.railID == "cheap-rail")
        let receipt = try await executor.execute(paymentID: "p-failover", intent: Fixture.intent(), quote: best.quote)
        #expect(declining.sends == 0 && backup.sends == 1)
        let record = try #require(try await store.payment(id: "p-failover"))
        #expect(record.railID == "backup-rail" && record.attempt == 2 && receipt.reference.value == "p-failover")
        let journal = try await store.journal(of: "p-failover")
        guard case .statusChanged(let outcome) = journal.first?.event else { Issue.record("the declined attempt is not journaled first: \(journal)"); return }
        #expect(outcome.reason?.code == .insufficientFunds && outcome.reference == RailReference(kind: "attempt", value: "1"))
        #expect(journal.first?.railID == "cheap-rail" && journal.first?.attempt == 1)
        #expect(journal.dropFirst().allSatisfy { $0.railID == "backup-rail" && $0.attempt == 2 })

        // An unknown outcome (the rail may have the payment) stays on its rail.
        let unknown = SendingRail("cheap-rail", fee: "1.00", fault: .throwAfterCheckpoint)
        let other = SendingRail("backup-rail", fee: "5.00")
        let cautious = Fixture.engine([unknown, other])
        let quote = try #require(try await cautious.route(Fixture.intent()).chosen?.quote)
        await #expect(throws: RailError.self) {
            try await cautious.makeExecutor(store: store).execute(paymentID: "p-unknown", intent: Fixture.intent(), quote: quote)
        }
        #expect(unknown.sends == 1 && other.sends == 0)
        #expect(try await store.payment(id: "p-unknown")?.railID == "cheap-rail")

        // With every rail declining, the payment fails with the last reason after its attempts, nothing sent.
        let both = [SendingRail("cheap-rail", fault: .declineAtExecution), SendingRail("backup-rail", fee: "5.00", fault: .declineAtExecution)]
        let none = Fixture.engine(both)
        let first = try #require(try await none.route(Fixture.intent()).chosen?.quote)
        await #expect(throws: RailError.self) {
            try await none.makeExecutor(store: store).execute(paymentID: "p-none", intent: Fixture.intent(), quote: first)
        }
        let failed = try #require(try await store.payment(id: "p-none"))
        #expect(failed.state == .failed && failed.failure?.code == .insufficientFunds && failed.attempt == 2)
        #expect(both.allSatisfy { $0.sends == 0 })
    }

    @Test("failover after a later rejection: a poll finds the attempt rejected (nothing moved), the payment moves to the next route due now, and the next round executes it there; a regulatory rejection stays")
    func failoverAfterLaterRejection() async throws {
        for (codes, moves) in [(["RC04"], true), (["RR04"], false)] {
            let rejecting = SendingRail("cheap-rail", fee: "1.00", fault: .rejectedLater)
            let backup = SendingRail("backup-rail", fee: "5.00")
            let engine = Fixture.engine([rejecting, backup])
            let store = InMemoryPaymentStore()
            let executor = engine.makeExecutor(store: store)
            let quote = try #require(try await engine.route(Fixture.intent()).chosen?.quote)
            _ = try await executor.execute(paymentID: "p-later", intent: Fixture.intent(), quote: quote)
            #expect(rejecting.sends == 1)

            if moves {
                // A poll: the rail's status answers RJCT RC04.
                #expect(try await executor.status(of: "p-later").state == .rejected)
            } else {
                // A bank's callback: RJCT RR04.
                let rejected = RailPaymentStatus(reference: RailReference(kind: "test", value: "p-later"), state: .rejected, railCode: "RJCT",
                                                 reason: RailDecline(.rejectedByBank, "refused"), observedAt: Fixture.now, counterpartReasonCodes: codes)
                _ = try await executor.recordNotification(rejected, railID: "cheap-rail")
            }
            let record = try #require(try await store.payment(id: "p-later"))
            if moves {
                #expect(record.railID == "backup-rail" && record.state == .created && record.submission == nil, "\(record.railID) \(record.state)")
                #expect(try await executor.runDue(owner: "test") == 1)
                #expect(backup.sends == 1 && rejecting.sends == 1)
                let moved = try #require(try await store.payment(id: "p-later"))
                #expect(moved.railID == "backup-rail" && moved.attempt == 2 && moved.state == .submitted)
            } else {
                #expect(record.railID == "cheap-rail" && record.state == .failed, "a regulatory rejection was routed around")
                #expect(try await executor.runDue(owner: "test") == 0)
                #expect(backup.sends == 0)
            }
        }
    }

    @Test("two processes on one store: while one executes a payment, the other gets a distinct in-progress answer, never a second execution")
    func inProgressAcrossProcesses() async throws {
        let rail = SendingRail(delay: .milliseconds(300))
        guard case .quoted(let quote) = try await rail.quote(QuoteRequest(quoteID: QuoteID("q-busy"), intent: Fixture.intent(), now: Fixture.now, market: Fixture.market)) else {
            Issue.record("no quote")
            return
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-busy-\(UUID().uuidString)/payments.sqlite").path
        let first = PaymentExecutor(adapters: [rail], admission: CapabilityAdmission(), store: try SQLitePaymentStore(path: path),
                                    clock: { Fixture.now })
        let second = PaymentExecutor(adapters: [rail], admission: CapabilityAdmission(), store: try SQLitePaymentStore(path: path),
                                     clock: { Fixture.now })
        // Whichever process takes the payment first executes it; the other is told it is in progress.
        let outcomes = await withTaskGroup(of: String.self) { group in
            for (executor, id) in [(first, "p-busy"), (second, "p-other")] {
                group.addTask {
                    do {
                        return try await executor.execute(paymentID: id, intent: Fixture.intent(), quote: quote, idempotencyKey: "busy-key").reference.value
                    } catch is PaymentInProgress {
                        return "in progress"
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == "in progress" }.count == 1, "\(outcomes)")
        let winner = try #require(outcomes.first { $0 != "in progress" })
        // Asked again once it is done, the other process gets the same payment.
        for executor in [first, second] {
            let again = try await executor.execute(paymentID: "p-late", intent: Fixture.intent(), quote: quote, idempotencyKey: "busy-key")
            #expect(again.reference.value == winner)
        }
        #expect(rail.sends == 1)
    }

    @Test("one key sent twice at once under different proposed ids, in one process: one execution, the other waits or is told it is in progress")
    func sameKeyConcurrentlyInOneProcess() async throws {
        let rail = SendingRail(delay: .milliseconds(200))
        guard case .quoted(let quote) = try await rail.quote(QuoteRequest(quoteID: QuoteID("q-twice"), intent: Fixture.intent(), now: Fixture.now, market: Fixture.market)) else {
            Issue.record("no quote")
            return
        }
        let executor = PaymentExecutor(adapters: [rail], admission: CapabilityAdmission(), store: InMemoryPaymentStore(),
                                       clock: { Fixture.now })
        let outcomes = await withTaskGroup(of: String.self) { group in
            for id in ["proposed-a", "proposed-b"] {
                group.addTask {
                    do {
                        return try await executor.execute(paymentID: id, intent: Fixture.intent(), quote: quote, idempotencyKey: "same-key").reference.value
                    } catch is PaymentInProgress {
                        return "in progress"
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(rail.sends == 1, "\(outcomes)")
        #expect(outcomes.allSatisfy { $0 == "in progress" || $0.hasPrefix("proposed-") }, "\(outcomes)")
        #expect(Set(outcomes.filter { $0 != "in progress" }).count == 1, "\(outcomes)")
    }

    @Test("idempotency keys of final payments are kept at least a day, then forgotten; a payment still moving keeps its key")
    func keyRetention() async throws {
        let clock = SteppingClock(start: Fixture.now, step: 0)
        let (rail, executor, _, quote) = try await Self.setUp(clock: { clock.next() })
        _ = try await executor.execute(paymentID: "p-k", intent: Fixture.intent(), quote: quote, idempotencyKey: "k-1")
        clock.set(Fixture.now.addingTimeInterval(30 * 86_400))
        #expect(try await executor.forgetIdempotencyKeys(keptFor: .seconds(3600)) == 0, "a payment still moving lost its key")
        clock.set(Fixture.now)
        #expect(try await executor.follow(paymentID: "p-k", budget: .seconds(5), pause: {}).state == .settled)

        clock.set(Fixture.now.addingTimeInterval(23 * 3600))
        #expect(try await executor.forgetIdempotencyKeys(keptFor: .seconds(3600)) == 0, "kept less than a day")
        _ = try await executor.execute(paymentID: "p-other", intent: Fixture.intent(), quote: quote, idempotencyKey: "k-1")
        #expect(rail.sends == 1, "the key still names the first payment")

        clock.set(Fixture.now.addingTimeInterval(25 * 3600))
        #expect(try await executor.forgetIdempotencyKeys(keptFor: .seconds(3600)) == 1)
        await #expect(throws: ExecutionRefused.self, "the forgotten key names a new payment: its old quote is checked again (and has expired)") {
            try await executor.execute(paymentID: "p-new", intent: Fixture.intent(), quote: quote, idempotencyKey: "k-1")
        }
        #expect(rail.sends == 1)
    }

    @Test("a poll's stale answer written after a notification's final state, by another writer in between, is refused by the store and not recorded: settled stays settled")
    func concurrentWritersNeverOverwriteUnseen() async throws {
        let rail = SendingRail()
        guard case .quoted(let quote) = try await rail.quote(QuoteRequest(quoteID: QuoteID("q-1"), intent: Fixture.intent(), now: Fixture.now, market: Fixture.market)) else {
            throw RailError.invalidResponse("no quote")
        }
        let shared = InMemoryPaymentStore()
        let notifier = PaymentExecutor(adapters: [rail], admission: CapabilityAdmission(), store: shared, clock: { Fixture.now })
        let reference = RailReference(kind: "test", value: "p-race")
        let settled = RailPaymentStatus(reference: reference, state: .settled, railCode: "credited", observedAt: Fixture.now)
        // Between the poller's read and its write, the bank's callback settles the payment through another executor.
        let interleaving = InterleavingStore(base: shared) { event in
            guard case .statusChanged(let status) = event, status.state == .inFlight else { return }
            _ = try await notifier.recordNotification(settled, railID: rail.descriptor.id)
        }
        let poller = PaymentExecutor(adapters: [rail], admission: CapabilityAdmission(), store: interleaving, clock: { Fixture.now })
        _ = try await poller.execute(paymentID: "p-race", intent: Fixture.intent(), quote: quote)
        let polled = try await poller.status(of: "p-race")
        #expect(polled.state == .inFlight, "the rail's first status answer is in flight")
        #expect(interleaving.interleaved, "the other writer did not write in between")

        let record = try #require(try await shared.payment(id: "p-race"))
        #expect(record.state == .settled && record.status == settled, "a stale in-flight status overwrote the final one: \(record.state)")
        let states = try await shared.journal(of: "p-race").compactMap { entry -> RailPaymentState? in
            if case .statusChanged(let status) = entry.event { return status.state }
            return nil
        }
        #expect(states == [.submitted, .settled], "\(states)")
    }
}

/// A store that lets another writer in once, between an executor's read of a record and its
/// write (what a notification arriving mid-poll, or another process, does).
private final class InterleavingStore: PaymentStore, @unchecked Sendable {
    let base: any PaymentStore
    let between: @Sendable (ExecutionEvent) async throws -> Void
    private let lock = NSLock()
    private var done = false
    var interleaved: Bool { lock.withLock { done } }

    init(base: any PaymentStore, between: @escaping @Sendable (ExecutionEvent) async throws -> Void) {
        self.base = base
        self.between = between
    }

    func append(_ event: ExecutionEvent, updating updated: PaymentRecord, at time: Date) async throws -> JournalEntry {
        let first = lock.withLock { () -> Bool in
            guard !done, case .statusChanged(let status) = event, status.state == .inFlight else { return false }
            done = true
            return true
        }
        if first { try await between(event) }
        return try await base.append(event, updating: updated, at: time)
    }

    func create(_ payment: PaymentRecord) async throws -> CreateOutcome { try await base.create(payment) }
    func payment(id: String) async throws -> PaymentRecord? { try await base.payment(id: id) }
    func payment(idempotencyKey: String) async throws -> PaymentRecord? { try await base.payment(idempotencyKey: idempotencyKey) }
    func payments(matching filter: PaymentFilter) async throws -> [PaymentRecord] { try await base.payments(matching: filter) }
    func payment(rail: RailID, reference: RailReference) async throws -> PaymentRecord? { try await base.payment(rail: rail, reference: reference) }
    func save(_ payment: PaymentRecord) async throws -> PaymentRecord { try await base.save(payment) }
    func forgetIdempotencyKeys(createdBefore cutoff: Date) async throws -> Int { try await base.forgetIdempotencyKeys(createdBefore: cutoff) }
    func journal(of paymentID: String) async throws -> [JournalEntry] { try await base.journal(of: paymentID) }
    func claimDue(owner: String, now: Date, leaseUntil: Date, limit: Int) async throws -> [PaymentRecord] {
        try await base.claimDue(owner: owner, now: now, leaseUntil: leaseUntil, limit: limit)
    }
    func lease(paymentID: String, owner: String, now: Date, until: Date) async throws -> Bool {
        try await base.lease(paymentID: paymentID, owner: owner, now: now, until: until)
    }
    func releaseLease(paymentID: String, owner: String) async throws { try await base.releaseLease(paymentID: paymentID, owner: owner) }
    func saveQuote(_ quote: StoredQuote) async throws { try await base.saveQuote(quote) }
    func quote(id: QuoteID) async throws -> StoredQuote? { try await base.quote(id: id) }
}
