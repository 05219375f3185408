import Foundation
import Logging
import RailKit

/// The one owner of a payment's lifecycle, for every rail. Adapters build and send their
/// protocol's messages; the executor does what must not differ between rails:
///
/// - **Checks before anything is journaled**: the quote's rail exists and executes (or says why it
///   only quotes), the quote has not expired and prices this payment, and the admission (the
///   router's policy and the rail's capabilities, against the counterparties as they are now)
///   finds no reason to refuse. Every reason is returned together in ``ExecutionRefused``.
/// - **Idempotency by payment id**: concurrent and later calls with the same id get the first
///   execution's receipt; the same id for another quote or intent is a ``PaymentIDConflict``. A
///   failed attempt that recorded no checkpoint left nothing behind and may be tried again; one
///   that did is never executed a second time (status follows what it recorded).
/// - **Journaling order**: the adapter's events go to the ``PaymentJournal`` through a recorder
///   that refuses a submission or status before its checkpoint, and the receipt must be the last
///   checkpoint recorded.
/// - **Status**: polls the rail, records each change, and follows a payment to a final state
///   within a time budget, riding out a counterpart that is briefly unavailable.
///
/// Payments are held in memory here; a durable store takes over that role in the next step.
public actor PaymentExecutor {
    private let adapters: [RailID: any RailAdapter]
    private let admission: any ExecutionAdmission
    private let journal: any PaymentJournal
    private let clock: @Sendable () -> Date
    private let logger: Logger

    /// What one payment id stands for, and how far its execution got.
    private struct Payment {
        enum Phase {
            case running(Task<ExecutionReceipt, any Error>)
            case executed(ExecutionReceipt)
        }

        var quoteID: QuoteID
        var intent: PaymentIntent
        var railID: RailID
        var phase: Phase
        /// The last checkpoint recorded, and the last status: what resumes and follows the payment.
        var submission: RailSubmission?
        var status: RailPaymentStatus?
    }

    private var payments = [String: Payment]()

    public init(adapters: [any RailAdapter], admission: any ExecutionAdmission, journal: any PaymentJournal,
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "switchyard.executor")) {
        self.adapters = Dictionary(adapters.map { ($0.descriptor.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.admission = admission
        self.journal = journal
        self.clock = clock
        self.logger = logger
    }

    /// Executes `quote` for `intent` as payment `paymentID`, once.
    ///
    /// - Throws: ``ExecutionRefused`` (nothing journaled or sent), ``PaymentIDConflict``, a
    ///   ``RailError`` from the rail (``RailError/declined(_:)`` when it refused before sending),
    ///   or ``JournalOrderViolation``.
    public func execute(paymentID: String, intent: PaymentIntent, quote: Quote) async throws -> ExecutionReceipt {
        if let existing = payments[paymentID] {
            guard existing.quoteID == quote.id, existing.intent == intent else { throw PaymentIDConflict(paymentID: paymentID) }
            switch existing.phase {
            case .executed(let receipt): return receipt
            case .running(let task): return try await task.value
            }
        }
        // Registered before the first suspension, so a concurrent call with the same id waits for this one.
        let task = Task { try await self.run(paymentID: paymentID, intent: intent, quote: quote) }
        payments[paymentID] = Payment(quoteID: quote.id, intent: intent, railID: quote.railID, phase: .running(task))
        do {
            let receipt = try await task.value
            payments[paymentID]?.phase = .executed(receipt)
            return receipt
        } catch {
            if let recorded = payments[paymentID]?.submission {
                // Something may have left the process: the payment stays as recorded and is followed, never re-sent.
                let status = payments[paymentID]?.status
                    ?? RailPaymentStatus(reference: recorded.reference, state: .submitted, railCode: "outcome unknown", observedAt: clock())
                payments[paymentID]?.phase = .executed(ExecutionReceipt(submission: recorded, status: status))
                logger.error("execution failed after its checkpoint was recorded; following it", metadata: [
                    "payment": .string(paymentID), "rail": .string(quote.railID.rawValue), "error": .string(String(describing: error)),
                ])
            } else {
                payments[paymentID] = nil
            }
            throw error
        }
    }

    private func run(paymentID: String, intent: PaymentIntent, quote: Quote) async throws -> ExecutionReceipt {
        let now = clock()
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
        reasons += try await admission.refusals(intent, on: adapter.descriptor, at: now)
        guard reasons.isEmpty else { throw refuse(quote.railID, reasons, log) }

        log.info("executing payment", metadata: ["debtor_pays": .string(quote.debtorPays.description),
                                                  "creditor_receives": .string(quote.creditorReceives.description)])
        let request = ExecutionRequest(paymentID: paymentID, intent: intent, quote: quote, now: now, logger: log)
        let receipt = try await adapter.execute(request, recorder: Recorder(executor: self, paymentID: paymentID, railID: quote.railID))
        guard let recorded = payments[paymentID]?.submission, recorded == receipt.submission else {
            throw JournalOrderViolation(railID: quote.railID, detail: "the receipt's submission \(receipt.reference) is not the last checkpoint it recorded")
        }
        if payments[paymentID]?.status != receipt.status {
            try await append(.statusChanged(receipt.status), paymentID: paymentID, railID: quote.railID)
        }
        log.info("payment handed to the rail", metadata: ["reference": .string(receipt.reference.description),
                                                           "state": .string(receipt.status.state.rawValue)])
        return receipt
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

    /// Records an adapter's event after checking it keeps the order: a checkpoint first, then
    /// submissions and statuses about that checkpoint's reference.
    fileprivate func append(_ event: ExecutionEvent, paymentID: String, railID: RailID) async throws {
        let recorded = payments[paymentID]?.submission
        switch event {
        case .prepared(let submission):
            if let recorded, recorded.reference != submission.reference {
                throw JournalOrderViolation(railID: railID, detail: "checkpoint for \(submission.reference) after one for \(recorded.reference)")
            }
        case .submitted(let reference):
            guard recorded?.reference == reference else {
                throw JournalOrderViolation(railID: railID, detail: "submitted \(reference) before recording its checkpoint")
            }
        case .statusChanged(let status):
            guard recorded?.reference == status.reference else {
                throw JournalOrderViolation(railID: railID, detail: "status of \(status.reference) before recording its checkpoint")
            }
        }
        try await journal.record(event, payment: paymentID)
        switch event {
        case .prepared(let submission): payments[paymentID]?.submission = submission
        case .statusChanged(let status): payments[paymentID]?.status = status
        case .submitted: break
        }
    }

    /// The payment's submission (its reference and last checkpoint), once executed.
    public func submission(of paymentID: String) -> RailSubmission? { payments[paymentID]?.submission }

    /// Asks the rail for the payment's current state and records it if it changed.
    public func status(of paymentID: String) async throws -> RailPaymentStatus {
        guard let payment = payments[paymentID], let submission = payment.submission, let adapter = adapters[payment.railID] else {
            throw RailError.invalidResponse("no executed payment \(paymentID)")
        }
        let status = try await adapter.status(of: submission, at: clock())
        if !Self.sameProgress(status, payments[paymentID]?.status) {
            try await journal.record(.statusChanged(status), payment: paymentID)
            logger.info("payment status changed", metadata: [
                "payment": .string(paymentID), "rail": .string(payment.railID.rawValue), "state": .string(status.state.rawValue),
            ])
        }
        payments[paymentID]?.status = status
        return status
    }

    /// Polls status until the payment is final or `budget` has passed, calling `pause` between
    /// polls (a sleep, or moving a sandbox counterpart forward in tests). A counterpart that is
    /// unavailable for a poll is asked again within the budget.
    public func follow(paymentID: String, budget: Duration, maxPolls: Int = .max,
                       pause: @escaping @Sendable () async throws -> Void = { try await Task.sleep(for: .seconds(1)) }) async throws -> RailPaymentStatus {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: budget)
        var last: RailPaymentStatus? = payments[paymentID]?.status
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

    /// Whether two statuses report the same progress (state, code and each leg's state).
    private static func sameProgress(_ lhs: RailPaymentStatus, _ rhs: RailPaymentStatus?) -> Bool {
        guard let rhs else { return false }
        return lhs.state == rhs.state && lhs.railCode == rhs.railCode && lhs.legs.map(\.state) == rhs.legs.map(\.state)
    }
}

/// The recorder an adapter gets for one payment: appends to the executor's journal in order.
private struct Recorder: ExecutionRecorder {
    let executor: PaymentExecutor
    let paymentID: String
    let railID: RailID

    func record(_ event: ExecutionEvent) async throws {
        try await executor.append(event, paymentID: paymentID, railID: railID)
    }
}
