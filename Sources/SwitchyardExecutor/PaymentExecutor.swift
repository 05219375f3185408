import Crypto
import Foundation
import Logging
import RailKit

/// The one owner of a payment's lifecycle, for every rail. Adapters build and send their
/// protocol's messages; the executor does what must not differ between rails, on a durable
/// ``PaymentStore``:
///
/// - **Checks before anything is stored**: the quote's rail exists and executes (or says why it
///   only quotes), the quote has not expired and prices this payment, and the admission (the
///   router's policy and the rail's capabilities, against the counterparties as they are now)
///   finds no reason to refuse. Every reason is returned together in ``ExecutionRefused``.
/// - **Exactly once**: a payment id (and a client's idempotency key) names one payment, in this
///   process and in any other sharing the store. Repeating it returns the first execution; reusing
///   it for another request is an ``IdempotencyConflict``. A payment whose rail checkpoint is
///   recorded is never executed again (status follows what it recorded); one that failed before
///   its checkpoint left nothing behind and may be executed again. A payment is executed only
///   under its lease in the store: a concurrent request elsewhere gets ``PaymentInProgress``.
/// - **Failover**: a decline before the checkpoint (nothing moved) moves the payment to the next
///   eligible route (``Rerouting``) as a new attempt, up to a limit; an unknown outcome never moves.
/// - **Resumption**: a payment whose rail reports its checkpoint unfinished (`prepared`) is handed
///   back to the rail with ``ExecutionRequest/resumeFrom``.
/// - **Journaling order**: an adapter's events are appended to the store's journal, with the
///   payment's new state in the same transaction, through a recorder that refuses a submission
///   or status before its checkpoint; the receipt must be the last checkpoint recorded.
/// - **Status**: polls the rail, records each change, follows a payment to a final state within a
///   time budget, and picks up due payments after a restart (``runDue(owner:limit:lease:)``).
public actor PaymentExecutor {
    private let adapters: [RailID: any RailAdapter]
    private let admission: any ExecutionAdmission
    let store: any PaymentStore
    private let observer: (any PaymentJournal)?
    let clock: @Sendable () -> Date
    let logger: Logger
    /// Executions running in this process, so concurrent callers of one payment wait for one execution.
    private var running = [String: Task<ExecutionReceipt, any Error>]()
    private let afterStep: @Sendable (ExecutionStep) -> Void
    private let rerouting: (any Rerouting)?
    private let maxAttempts: Int
    /// This executor's name on the leases it takes, and how long one lasts.
    private let owner: String
    private let leaseDuration: TimeInterval

    /// - Parameters:
    ///   - rerouting: where a payment declined before anything moved finds its next route (the
    ///     router); nil: a decline is final.
    ///   - maxAttempts: executions a payment may have, on any rails, before it fails.
    ///   - owner: this executor's name on the payments it leases while executing them.
    ///   - lease: how long a lease lasts; a process that dies holding one delays its payments this long.
    ///   - afterStep: called after each durable step of an execution; the crash harness kills the
    ///     process there to prove recovery. Nothing else should set it.
    public init(adapters: [any RailAdapter], admission: any ExecutionAdmission, store: any PaymentStore,
                observer: (any PaymentJournal)? = nil, rerouting: (any Rerouting)? = nil, maxAttempts: Int = 3,
                owner: String = "executor-" + UUID().uuidString.lowercased(), lease: Duration = .seconds(30),
                clock: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "switchyard.executor"), afterStep: @escaping @Sendable (ExecutionStep) -> Void = { _ in }) {
        self.afterStep = afterStep
        self.rerouting = rerouting
        self.maxAttempts = max(1, maxAttempts)
        self.owner = owner
        self.leaseDuration = lease.seconds
        self.adapters = Dictionary(adapters.map { ($0.descriptor.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.admission = admission
        self.store = store
        self.observer = observer
        self.clock = clock
        self.logger = logger
    }

    /// Executes `quote` for `intent` as payment `paymentID`, once.
    ///
    /// - Parameters:
    ///   - idempotencyKey: the client's key; the same key with the same request returns the same
    ///     payment (whatever `paymentID` this call proposed).
    ///   - requestHash: what "the same request" means to the client, from ``requestHash(of:)``: for
    ///     a payment asked by intent, the intent (a new quote each time is still the same request);
    ///     by default the intent and this quote's id.
    /// - Throws: ``ExecutionRefused`` (nothing stored or sent), ``IdempotencyConflict``, a
    ///   ``RailError`` from the rail (``RailError/declined(_:)`` when it refused before sending),
    ///   or ``JournalOrderViolation``.
    public func execute(paymentID: String, intent: PaymentIntent, quote: Quote, idempotencyKey: String? = nil,
                        requestHash: String? = nil) async throws -> ExecutionReceipt {
        // A lease token of its own: a second execution of the same payment, even in this process
        // under another proposed id, cannot take the lease this one holds.
        try await execute(paymentID: paymentID, intent: intent, quote: quote, idempotencyKey: idempotencyKey, requestHash: requestHash,
                          leaseOwner: owner + "#" + UUID().uuidString.lowercased())
    }

    private func execute(paymentID: String, intent: PaymentIntent, quote: Quote, idempotencyKey: String?,
                         requestHash: String?, leaseOwner: String) async throws -> ExecutionReceipt {
        let hash = try requestHash ?? Self.requestHash(of: QuotedRequest(intent: intent, quoteID: quote.id))
        let known: PaymentRecord?
        if let idempotencyKey, let byKey = try await store.payment(idempotencyKey: idempotencyKey) {
            guard byKey.requestHash == hash else { throw IdempotencyConflict(key: idempotencyKey, paymentID: byKey.id) }
            known = byKey
        } else {
            known = try await store.payment(id: paymentID)
        }
        let id = known?.id ?? paymentID
        if let known {
            guard known.requestHash == hash else { throw IdempotencyConflict(key: idempotencyKey ?? id, paymentID: id) }
            if let receipt = try Self.receipt(of: known) { return receipt }
        }
        if let task = running[id] { return try await task.value }
        // Registered before the next suspension, so a concurrent call for the same payment waits for this one.
        let task = Task {
            try await self.run(paymentID: id, intent: intent, quote: quote, idempotencyKey: idempotencyKey, hash: hash, leaseOwner: leaseOwner)
        }
        running[id] = task
        defer { running[id] = nil }
        return try await task.value
    }

    /// The receipt of a stored payment that got as far as its checkpoint (nil if it did not);
    /// throws the decline of one that was declined before it.
    private static func receipt(of record: PaymentRecord) throws -> ExecutionReceipt? {
        if let submission = record.submission {
            let status = record.status ?? RailPaymentStatus(reference: submission.reference, state: .submitted,
                                                            railCode: "outcome unknown", observedAt: record.updatedAt)
            return ExecutionReceipt(submission: submission, status: status)
        }
        if record.state == .failed, let failure = record.failure { throw RailError.declined(failure) }
        return nil
    }

    private func run(paymentID: String, intent: PaymentIntent, quote: Quote, idempotencyKey: String?, hash: String,
                     leaseOwner: String) async throws -> ExecutionReceipt {
        let now = clock()
        let (adapter, log) = try await admit(paymentID: paymentID, intent: intent, quote: quote, at: now)

        var record = PaymentRecord(id: paymentID, idempotencyKey: idempotencyKey, requestHash: hash, intent: intent, quote: quote, createdAt: now)
        let created = try await store.create(record)
        record = created.payment
        if case .existing = created, let receipt = try Self.receipt(of: record) { return receipt }
        // One execution at a time across processes: whoever holds the payment's lease executes it.
        guard try await store.lease(paymentID: record.id, owner: leaseOwner, now: now, until: now.addingTimeInterval(leaseDuration)) else {
            throw PaymentInProgress(paymentID: record.id)
        }
        do {
            // Another process may have got as far as its checkpoint (or an attempt) before this one
            // took the lease: continue from the record as it is now.
            if let current = try await store.payment(id: record.id) {
                if let receipt = try Self.receipt(of: current) {
                    try await store.releaseLease(paymentID: record.id, owner: leaseOwner)
                    return receipt
                }
                record = current
            }
            if record.quote != quote {
                // Stored earlier on another route (a failover, or the quote a retry re-priced): continue on this one.
                record.quote = quote
            }
            let paymentID = record.id, attempted = record
            let receipt = try await holdingLease(paymentID, owner: leaseOwner) {
                try await self.attempt(attempted, on: adapter, log: log, at: now)
            }
            try await store.releaseLease(paymentID: paymentID, owner: leaseOwner)
            return receipt
        } catch {
            try? await store.releaseLease(paymentID: record.id, owner: leaseOwner)
            throw error
        }
    }

    /// Runs `body` while renewing the payment's lease every third of its length, so a slow rail
    /// (an FX booking, a node) never lets the lease lapse while this process executes.
    private func holdingLease<Result: Sendable>(_ paymentID: String, owner: String,
                                                _ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        let store = store, clock = clock, duration = leaseDuration, logger = logger
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(duration / 3))
                    let now = clock()
                    if try await !store.lease(paymentID: paymentID, owner: owner, now: now, until: now.addingTimeInterval(duration)) {
                        logger.critical("lost the lease of a payment being executed", metadata: ["payment": .string(paymentID)])
                    }
                }
                return nil
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    /// The checks before anything is stored or sent: the rail executes, the quote is unexpired and
    /// prices this payment, and the admission finds no reason to refuse.
    func admit(paymentID: String, intent: PaymentIntent, quote: Quote, at now: Date) async throws -> (any RailAdapter, Logger) {
        var log = logger
        log[metadataKey: "payment"] = .string(paymentID)
        log[metadataKey: "rail"] = .string(quote.railID.rawValue)
        log[metadataKey: "quote"] = .string(quote.id.rawValue)
        guard let adapter = adapters[quote.railID] else {
            throw refuse(quote.railID, [RailDecline(.railDisabled, "No configured rail \(quote.railID) can execute quote \(quote.id).")], log)
        }
        var reasons = [RailDecline]()
        if let why = adapter.descriptor.capabilities.quoteOnlyReason {
            reasons.append(RailDecline(.railDisabled, "\(quote.railID) only quotes here: \(why)."))
        }
        if now > quote.expiresAt {
            reasons.append(RailDecline(.quoteExpired, "Quote \(quote.id) expired at \(Timestamp.format(quote.expiresAt)); quote again."))
        }
        if let mismatch = Self.quoteMismatch(quote, intent: intent) {
            reasons.append(RailDecline(.quoteMismatch, mismatch))
        }
        reasons += try await admission.refusals(intent, quote: quote, on: adapter.descriptor, at: now)
        guard reasons.isEmpty else { throw refuse(quote.railID, reasons, log) }
        return (adapter, log)
    }

    /// One attempt on the record's quote. A decline before the rail's checkpoint (nothing moved)
    /// is journaled as the attempt's outcome and, when a rerouting is configured and attempts
    /// remain, the payment moves to the next eligible route (a fresh quote) as a new attempt. An
    /// error after the checkpoint (outcome unknown) is never retried on another rail.
    private func attempt(_ stored: PaymentRecord, on adapter: any RailAdapter, log: Logger, at now: Date) async throws -> ExecutionReceipt {
        var record = stored
        guard record.attempt < maxAttempts else {
            let decline = RailDecline(.railUnavailable, "Payment \(record.id) reached its limit of \(maxAttempts) attempts; nothing more is sent.")
            try await recordFailureBeforeSending(record.id, decline: decline)
            throw RailError.declined(decline)
        }
        record.attempt += 1
        record.updatedAt = now
        record = try await store.save(record)
        afterStep(.stored)

        let quote = record.quote
        log.info("executing payment", metadata: ["debtor_pays": .string(quote.debtorPays.description),
                                                  "creditor_receives": .string(quote.creditorReceives.description),
                                                  "attempt": .stringConvertible(record.attempt)])
        let request = ExecutionRequest(paymentID: record.id, intent: record.intent, quote: quote, now: now, logger: log)
        let receipt: ExecutionReceipt
        do {
            let recorder = Recorder(executor: self, paymentID: record.id, railID: quote.railID)
            receipt = try await ExecutorMetrics.railCall(quote.railID, "execute", paymentID: record.id) {
                try await adapter.execute(request, recorder: recorder)
            }
        } catch {
            // Declined with nothing recorded, or with its checkpoint recorded and the attempt reported
            // rejected (a firm FX quote that lapsed before booking): nothing moved, another route may carry it.
            if case RailError.declined(let decline) = error, let current = try await store.payment(id: record.id),
               current.submission == nil || current.status?.state == .rejected,
               let next = await nextRoute(current, after: decline, log: log) {
                return try await attempt(next.record, on: next.adapter, log: next.log, at: clock())
            }
            try await settleFailure(record.id, error: error, log: log)
            throw error
        }
        guard let current = try await store.payment(id: record.id), current.submission == receipt.submission else {
            throw JournalOrderViolation(railID: quote.railID, detail: "the receipt's submission \(receipt.reference) is not the last checkpoint it recorded")
        }
        if current.status != receipt.status {
            try await append(.statusChanged(receipt.status), paymentID: record.id, railID: quote.railID)
        }
        log.info("payment handed to the rail", metadata: ["reference": .string(receipt.reference.description),
                                                           "state": .string(receipt.status.state.rawValue)])
        afterStep(.receiptRecorded)
        // Refused by its counterpart at submission (a bank's RJCT): nothing moved, another route may carry it.
        if receipt.status.state == .rejected, let decline = receipt.status.reason, let latest = try await store.payment(id: record.id),
           latest.status?.state == .rejected, let next = await nextRoute(latest, after: decline, log: log) {
            return try await attempt(next.record, on: next.adapter, log: next.log, at: clock())
        }
        return receipt
    }

    /// Continues a payment whose rail reported its last checkpoint as not fully sent: the adapter
    /// gets the checkpoint and repeats no step it recorded.
    private func resume(_ paymentID: String) async throws -> ExecutionReceipt {
        guard let record = try await store.payment(id: paymentID), let submission = record.submission,
              let adapter = adapters[record.railID] else { throw RailError.invalidResponse("no payment \(paymentID) to resume") }
        var log = logger
        log[metadataKey: "payment"] = .string(paymentID)
        log[metadataKey: "rail"] = .string(record.railID.rawValue)
        log.notice("resuming from the last checkpoint", metadata: ["reference": .string(submission.reference.description)])
        let request = ExecutionRequest(paymentID: paymentID, intent: record.intent, quote: record.quote, now: clock(), resumeFrom: submission, logger: log)
        let recorder = Recorder(executor: self, paymentID: paymentID, railID: record.railID)
        let receipt = try await ExecutorMetrics.railCall(record.railID, "resume", paymentID: paymentID) {
            try await adapter.execute(request, recorder: recorder)
        }
        if let current = try await store.payment(id: paymentID), current.status != receipt.status, current.submission == receipt.submission {
            try await append(.statusChanged(receipt.status), paymentID: paymentID, railID: record.railID)
        }
        return receipt
    }

    /// The next route after an attempt ended with nothing moved, already stored on the payment
    /// (``reroute(_:after:log:)``), or nil when the payment stays where it is: the reason forbids
    /// failover, or there is no route to fail over to (the decline then stands).
    private func nextRoute(_ record: PaymentRecord, after decline: RailDecline, log: Logger) async
        -> (record: PaymentRecord, adapter: any RailAdapter, log: Logger)? {
        guard Self.mayFailOver(decline, counterpartCodes: record.status?.counterpartReasonCodes ?? []) else {
            log.notice("refused for a reason that holds on every route; no failover", metadata: ["code": .string(decline.code.rawValue)])
            return nil
        }
        do {
            return try await reroute(record, after: decline, log: log)
        } catch {
            // No next route after all (it was refused, or quoting failed): the decline stands.
            log.notice("no route to fail over to", metadata: ["error": .string(String(describing: error))])
            return nil
        }
    }

    /// Reasons a refusal stops the payment on every route rather than on its rail: a sanctions
    /// finding, funds held, something to reconcile, money that moved after all, or a policy that
    /// could not be evaluated. (A rail's own jurisdiction rule is not one: the next route is
    /// admitted under the policy again.)
    static let reasonsThatStopThePayment: Set<ReasonCode> = [
        .sanctionsHit, .fundsBlocked, .reconciliationMismatch, .legFailedFundsHeld, .paymentReturned, .policyEvaluationFailed,
    ]

    /// Whether an attempt refused with nothing moved may move to another route. Not for a reason
    /// that holds on every route (``reasonsThatStopThePayment``), nor when the counterpart's own
    /// ISO 20022 reason is regulatory (`RR…`), fraud (`FRAD`), a legal decision (`LEGL`) or a
    /// duplicate (`DUPL`, `AM05`: the counterpart may already hold this payment, and another rail
    /// would pay it again).
    static func mayFailOver(_ decline: RailDecline, counterpartCodes: [String]) -> Bool {
        if reasonsThatStopThePayment.contains(decline.code) { return false }
        // Reason codes are kept as the bank wrote them; `am05` is AM05 here (compared without case).
        return !counterpartCodes.contains { code in
            let code = code.uppercased()
            return code.hasPrefix("RR") || ["FRAD", "LEGL", "DUPL", "AM05"].contains(code)
        }
    }

    /// After an attempt ended with nothing moved: finds the next route under the payment's own
    /// objective (rails tried before excluded) and moves the payment onto it, or returns nil —
    /// writing nothing — when there is no rerouting, no attempt left, or no other eligible rail.
    ///
    /// Two writes: the attempt's outcome on its own rail (the payment taken off that rail's
    /// checkpoint, due again), then the new route. A process stopped between them leaves the
    /// payment due on the route that refused it, which refuses it again and moves on.
    private func reroute(_ record: PaymentRecord, after decline: RailDecline, log: Logger)
        async throws -> (record: PaymentRecord, adapter: any RailAdapter, log: Logger)? {
        guard let rerouting, record.attempt < maxAttempts else { return nil }
        var tried = Set(try await store.journal(of: record.id).compactMap { entry -> RailID? in
            if case .statusChanged(let status) = entry.event, status.reference.kind == Self.attemptReferenceKind { return entry.railID }
            return nil
        })
        tried.insert(record.railID)
        guard let quote = try await rerouting.alternative(for: record.intent, excluding: tried) else {
            log.notice("refused at execution and no other route is eligible", metadata: ["code": .string(decline.code.rawValue)])
            return nil
        }
        let (adapter, nextLog) = try await admit(paymentID: record.id, intent: record.intent, quote: quote, at: clock())
        let now = clock()
        // The attempt's outcome in the journal: a rejection on its rail, with the reason, nothing moved.
        let outcome = RailPaymentStatus(reference: RailReference(kind: Self.attemptReferenceKind, value: String(record.attempt)), state: .rejected,
                                        railCode: Self.attemptDeclinedCode, reason: decline, observedAt: now)
        let declined = try await onLatestRecord(record.id) { latest in
            var declined = latest
            (declined.submission, declined.status, declined.failure) = (nil, nil, nil)
            (declined.state, declined.nextActionAt, declined.updatedAt) = (.created, now, now)
            try await store.append(.statusChanged(outcome), updating: declined, at: now)
            return declined.nextVersion
        }
        try await observer?.record(.statusChanged(outcome), payment: record.id)
        var next = declined
        next.quote = quote
        next = try await store.save(next)
        log.notice("refused at execution; rerouting", metadata: ["code": .string(decline.code.rawValue), "to": .string(quote.railID.rawValue)])
        return (next, adapter, nextLog)
    }

    /// After a status or notification reported an attempt rejected (nothing moved): moves the
    /// payment to its next route, due now for the executor, when failover is allowed.
    func failOverIfRejected(_ status: RailPaymentStatus, paymentID: String) async throws {
        guard status.state == .rejected, let decline = status.reason, let record = try await store.payment(id: paymentID),
              record.status == status, record.submission?.reference == status.reference else { return }
        var log = logger
        log[metadataKey: "payment"] = .string(paymentID)
        log[metadataKey: "rail"] = .string(record.railID.rawValue)
        _ = await nextRoute(record, after: decline, log: log)
    }

    /// The reference kind of journal entries about an attempt rather than a rail's payment.
    public static let attemptReferenceKind = "attempt"
    /// The rail code of an attempt declined before anything was sent, the payment moving on to another route.
    public static let attemptDeclinedCode = "declined at execution"
    /// The rail code of a payment that failed for good before anything was sent.
    public static let failedBeforeSendingCode = "failed before sending"

    /// Journals that a payment failed for good before anything was sent (a decline, a refusal
    /// at execution, no attempts left), with its new state in the same transaction — so the
    /// failure is an event like any other, and subscribers hear of it.
    func recordFailureBeforeSending(_ paymentID: String, decline: RailDecline) async throws {
        let now = clock()
        let (outcome, railID) = try await onLatestRecord(paymentID) { record in
            var failed = record
            failed.state = .failed
            failed.failure = decline
            failed.nextActionAt = nil
            failed.updatedAt = now
            let outcome = RailPaymentStatus(reference: RailReference(kind: Self.attemptReferenceKind, value: String(record.attempt)), state: .rejected,
                                            railCode: Self.failedBeforeSendingCode, reason: decline, observedAt: now)
            try await store.append(.statusChanged(outcome), updating: failed, at: now)
            return (outcome, record.railID)
        }
        ExecutorMetrics.recorded(.statusChanged(outcome), state: PaymentState.failed.rawValue, rail: railID)
        try await observer?.record(.statusChanged(outcome), payment: paymentID)
    }

    /// Runs `write` on the payment's latest record. When another writer (a notification, another
    /// process) changed the record between the read and the write (``PaymentRecordConflict``:
    /// nothing was written), reads it again and decides again, a few times at most.
    func onLatestRecord<T: Sendable>(_ paymentID: String, missing: @autoclosure () -> any Error = RailError.invalidResponse("no payment in the store"),
                                     _ write: (PaymentRecord) async throws -> T) async throws -> T {
        var conflicts = 0
        while true {
            guard let record = try await store.payment(id: paymentID) else { throw missing() }
            do {
                return try await write(record)
            } catch let conflict as PaymentRecordConflict {
                conflicts += 1
                guard conflicts < 8 else { throw conflict }
                logger.debug("payment written by another writer meanwhile; reading it again", metadata: ["payment": .string(paymentID)])
            }
        }
    }

    /// After the rail threw: with a checkpoint recorded the payment stays as recorded and is
    /// followed (never sent again); without one, a decline is final and anything else may be retried.
    private func settleFailure(_ paymentID: String, error: any Error, log: Logger) async throws {
        guard let record = try await store.payment(id: paymentID) else { return }
        if record.submission != nil {
            log.error("execution failed after its checkpoint was recorded; following it", metadata: ["error": .string(String(describing: error))])
            return
        }
        if case RailError.declined(let decline) = error {
            try await recordFailureBeforeSending(record.id, decline: decline)
            log.notice("the rail declined at execution; nothing was sent", metadata: ["code": .string(decline.code.rawValue)])
        }
    }

    private func refuse(_ railID: RailID, _ reasons: [RailDecline], _ log: Logger) -> ExecutionRefused {
        log.notice("execution refused", metadata: ["reasons": .array(reasons.map { .string($0.code.rawValue) })])
        return ExecutionRefused(railID: railID, reasons: reasons)
    }

    /// Why `quote` does not price `intent` (other currencies or another fixed amount), if it does not.
    static func quoteMismatch(_ quote: Quote, intent: PaymentIntent) -> String? {
        guard quote.debtorPays.asset == .fiat(intent.sourceCurrency), quote.creditorReceives.asset == .fiat(intent.destinationCurrency) else {
            return "Quote \(quote.id) is for other currencies than \(intent.sourceCurrency)→\(intent.destinationCurrency)."
        }
        let quoted = intent.amount.fixed == .send ? quote.principal : quote.creditorReceives
        guard quoted == intent.amount.money else {
            return "Quote \(quote.id) prices \(quoted) (\(intent.amount.fixed.rawValue) fixed), not \(intent.amount.money)."
        }
        return nil
    }

    /// A payment asked for by quote: the intent and the quote's id.
    struct QuotedRequest: Encodable {
        var intent: PaymentIntent
        var quoteID: QuoteID
    }

    /// SHA-256 (hex) of the canonical form (sorted-key JSON) of a client's request.
    public static func requestHash(of request: some Encodable) throws -> String {
        let canonical = try RailCoding.encoder().encode(request)
        return SHA256.hash(data: canonical).map { String(format: "%02x", $0) }.joined()
    }

    /// Records an adapter's event after checking it keeps the order (a checkpoint first, then
    /// submissions and statuses about that checkpoint's reference), with the payment's new state
    /// in the same transaction.
    /// - Returns: whether it was recorded (a late status after a final one is not).
    @discardableResult
    func append(_ event: ExecutionEvent, paymentID: String, railID: RailID) async throws -> Bool {
        let recorded = try await onLatestRecord(
            paymentID, missing: JournalOrderViolation(railID: railID, detail: "an event for payment \(paymentID), which is not stored")
        ) { record in
            try await append(event, to: record, railID: railID)
        }
        guard let recorded else { return false }
        ExecutorMetrics.recorded(event, state: recorded.state.rawValue, rail: railID)
        try await observer?.record(event, payment: paymentID)
        switch event {
        case .prepared: afterStep(.checkpointCommitted)
        case .submitted: afterStep(.submissionRecorded)
        case .statusChanged: break
        }
        return true
    }

    /// One try of ``append(_:paymentID:railID:)`` on the record as read: the record written, or
    /// nil when the event is a stale status not to record.
    private func append(_ event: ExecutionEvent, to read: PaymentRecord, railID: RailID) async throws -> PaymentRecord? {
        var record = read
        let paymentID = record.id
        let recorded = record.submission
        switch event {
        case .prepared(let submission):
            if let recorded, recorded.reference != submission.reference {
                throw JournalOrderViolation(railID: railID, detail: "checkpoint for \(submission.reference) after one for \(recorded.reference)")
            }
            record.submission = submission
            record.state = .submitted
        case .submitted(let reference):
            guard recorded?.reference == reference else {
                throw JournalOrderViolation(railID: railID, detail: "submitted \(reference) before recording its checkpoint")
            }
        case .statusChanged(let status):
            guard recorded?.reference == status.reference else {
                throw JournalOrderViolation(railID: railID, detail: "status of \(status.reference) before recording its checkpoint")
            }
            // A final state is never overwritten by an earlier one that arrives late (a poll answered
            // before a callback, a bank retrying an old notification): settled stays settled.
            if let current = record.status, current.state.isTerminal, !status.state.isTerminal || current == status {
                logger.notice("a stale status after a final one was not recorded", metadata: [
                    "payment": .string(paymentID), "state": .string(current.state.rawValue), "stale": .string(status.state.rawValue),
                ])
                return nil
            }
            // A status the counterpart issued before the one recorded (a callback delivered late, an
            // answer overtaken by a notification) is older news: the payment never moves back.
            if let current = record.status, Self.isOlder(status, than: current) {
                logger.info("a status issued before the one recorded was not recorded", metadata: [
                    "payment": .string(paymentID), "recorded": .string(current.railCode ?? current.state.rawValue),
                    "older": .string(status.railCode ?? status.state.rawValue),
                ])
                return nil
            }
            record.status = status
            record.state = PaymentState(status.state)
            record.failure = status.state.isTerminal && status.state != .settled ? status.reason : nil
        }
        let now = clock()
        record.updatedAt = now
        record.nextActionAt = record.state.isFinal ? nil : now.addingTimeInterval(Self.pollInterval(attempt: 0))
        try await store.append(event, updating: record, at: now)
        return record
    }

    /// Seconds until the next status poll: 1, 2, 4 … up to a minute.
    static func pollInterval(attempt: Int) -> TimeInterval { min(60, pow(2, Double(min(attempt, 6)))) }

    /// Asks the rail for the payment's current state and records it if it changed.
    public func status(of paymentID: String) async throws -> RailPaymentStatus {
        guard let record = try await store.payment(id: paymentID), let submission = record.submission else {
            throw RailError.invalidResponse("no executed payment \(paymentID)")
        }
        guard let adapter = adapters[record.railID] else { throw RailError.misconfigured("rail \(record.railID) is not configured here") }
        let now = clock()
        let status = try await ExecutorMetrics.railCall(record.railID, "status", paymentID: paymentID) { try await adapter.status(of: submission, at: now) }
        if let recorded = record.status, Self.isOlder(status, than: recorded) {
            logger.info("status issued before the one recorded; ignored", metadata: [
                "payment": .string(paymentID), "rail": .string(record.railID.rawValue), "code": .string(status.railCode ?? "-"),
            ])
            return recorded
        }
        if !Self.sameProgress(status, record.status), try await append(.statusChanged(status), paymentID: paymentID, railID: record.railID) {
            logger.info("payment status changed", metadata: [
                "payment": .string(paymentID), "rail": .string(record.railID.rawValue), "state": .string(status.state.rawValue),
            ])
            try await failOverIfRejected(status, paymentID: paymentID)
        }
        return status
    }

    /// Polls status until the payment is final or `budget` has passed, calling `pause` between
    /// polls (a sleep, or moving a sandbox counterpart forward in tests). A counterpart that is
    /// unavailable for a poll is asked again within the budget.
    public func follow(paymentID: String, budget: Duration, maxPolls: Int = .max,
                       pause: @escaping @Sendable () async throws -> Void = { try await Task.sleep(for: .seconds(1)) }) async throws -> RailPaymentStatus {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: budget)
        var last: RailPaymentStatus? = try await store.payment(id: paymentID)?.status
        var polls = 0
        while polls < maxPolls {
            do {
                let status = try await self.status(of: paymentID)
                last = status
                if status.state.isTerminal { return status }
            } catch RailError.unavailable(let detail) {
                logger.warning("status unavailable; asking again", metadata: ["payment": .string(paymentID), "detail": .string(detail)])
            }
            polls += 1
            guard clock.now < deadline, polls < maxPolls else { break }
            try await pause()
        }
        guard let last else { throw RailError.unavailable("no status for payment \(paymentID) within the budget") }
        return last
    }

    /// Picks up to `limit` due payments for `owner` (leased for `lease`, by default the executor's
    /// lease) and moves each one step:
    /// a payment with a recorded checkpoint has its status polled; one stored but never handed to
    /// its rail is executed (nothing of it left the process). Returns how many it looked at. Run
    /// after a restart and on a timer, this is what drives payments to a final state.
    @discardableResult
    public func runDue(owner: String, limit: Int = 50, lease: Duration? = nil) async throws -> Int {
        let now = clock()
        let until = now.addingTimeInterval(lease?.seconds ?? leaseDuration)
        // A token per round: two rounds in one process never share a lease.
        let owner = owner + "#" + UUID().uuidString.lowercased()
        let claimed = try await store.claimDue(owner: owner, now: now, leaseUntil: until, limit: limit)
        for record in claimed {
            do {
                if record.submission != nil {
                    let status = try await status(of: record.id)
                    if status.state == .prepared, running[record.id] == nil {
                        // Its rail had not sent everything when the process stopped: continue from the checkpoint.
                        let paymentID = record.id
                        _ = try await holdingLease(paymentID, owner: owner) { try await self.resume(paymentID) }
                    } else if !status.state.isTerminal, var current = try await store.payment(id: record.id) {
                        // No change yet: look again after half the time it has been quiet (1 s to a minute).
                        let quiet = clock().timeIntervalSince(current.updatedAt)
                        current.nextActionAt = clock().addingTimeInterval(min(60, max(1, quiet / 2)))
                        try await reschedule(current)
                    }
                } else {
                    _ = try await execute(paymentID: record.id, intent: record.intent, quote: record.quote, idempotencyKey: record.idempotencyKey,
                                          requestHash: record.requestHash, leaseOwner: owner)
                }
            } catch {
                logger.warning("due payment not moved; retrying later", metadata: ["payment": .string(record.id), "error": .string(String(describing: error))])
                if var current = try await store.payment(id: record.id), !current.state.isFinal {
                    current.nextActionAt = clock().addingTimeInterval(Self.pollInterval(attempt: current.attempt + 2))
                    if let refused = error as? ExecutionRefused, current.submission == nil, let reason = refused.reasons.first {
                        // Refused now (an expired quote, a changed policy): final, and nothing was sent.
                        try await recordFailureBeforeSending(current.id, decline: reason)
                    } else {
                        try await reschedule(current)
                    }
                }
            }
            try await store.releaseLease(paymentID: record.id, owner: owner)
        }
        return claimed.count
    }

    /// Saves a payment's next action time. A record written meanwhile (a notification, another
    /// process) is left as written: that writer scheduled it.
    private func reschedule(_ record: PaymentRecord) async throws {
        do {
            try await store.save(record)
        } catch is PaymentRecordConflict {
            logger.debug("payment written meanwhile; keeping its schedule", metadata: ["payment": .string(record.id)])
        }
    }

    /// Whether `status` was issued by the counterpart before `recorded` was, for the same
    /// submission (both say when): it arrived out of order, and recording it would move the payment
    /// back to an older state. A status without the counterpart's time (a chain's receipt, a poll)
    /// is judged by state alone; one of another attempt is never compared.
    static func isOlder(_ status: RailPaymentStatus, than recorded: RailPaymentStatus) -> Bool {
        guard status.reference == recorded.reference, let issued = status.reportedAt, let recordedIssued = recorded.reportedAt else { return false }
        return issued < recordedIssued
    }

    /// Whether two statuses say the same thing of a payment's progress (its state, the rail's code
    /// and each leg's state): a poll repeating it records nothing.
    static func sameProgress(_ lhs: RailPaymentStatus, _ rhs: RailPaymentStatus?) -> Bool {
        guard let rhs else { return false }
        return lhs.state == rhs.state && lhs.railCode == rhs.railCode && lhs.legs.map(\.state) == rhs.legs.map(\.state)
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval` (for `Date` arithmetic).
    public var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

/// A durable step of an execution, after which the process may die and recovery must still pay
/// exactly once.
public enum ExecutionStep: String, Sendable, CaseIterable {
    /// The payment is stored; nothing was handed to its rail.
    case stored = "stored"
    /// The rail's checkpoint is committed; its submission has not been sent yet.
    case checkpointCommitted = "checkpoint"
    /// The rail reported the submission handed over.
    case submissionRecorded = "submitted"
    /// The receipt's status is recorded.
    case receiptRecorded = "receipt"
}

/// The recorder an adapter gets for one payment: appends to the store's journal in order.
private struct Recorder: ExecutionRecorder {
    let executor: PaymentExecutor
    let paymentID: String
    let railID: RailID

    func record(_ event: ExecutionEvent) async throws {
        try await executor.append(event, paymentID: paymentID, railID: railID)
    }
}

