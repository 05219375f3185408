import Foundation
import Logging
import RailKit

extension PaymentExecutor {
    /// Accepts a payment for execution without executing it here: the same checks as
    /// ``execute(paymentID:intent:quote:idempotencyKey:requestHash:)`` (rail, quote, admission),
    /// then the payment is stored, due now, for the executor service (in this process or any other
    /// on the store) to execute. What an API answers with, before any rail is called.
    ///
    /// - Returns: ``CreateOutcome/created(_:)`` for a new payment, ``CreateOutcome/existing(_:)``
    ///   when the key (or id) already names this request's payment — which is returned as it is
    ///   now, without checks: repeating a request must answer what the first did.
    /// - Throws: ``ExecutionRefused`` (nothing stored), ``IdempotencyConflict``.
    public func accept(paymentID: String, intent: PaymentIntent, quote: Quote, idempotencyKey: String?,
                       requestHash: String? = nil) async throws -> CreateOutcome {
        let hash = try requestHash ?? Self.requestHash(of: QuotedRequest(intent: intent, quoteID: quote.id))
        if let idempotencyKey, let known = try await store.payment(idempotencyKey: idempotencyKey) {
            guard known.requestHash == hash else { throw IdempotencyConflict(key: idempotencyKey, paymentID: known.id) }
            return .existing(known)
        }
        let now = clock()
        _ = try await admit(paymentID: paymentID, intent: intent, quote: quote, at: now)
        let outcome = try await store.create(PaymentRecord(id: paymentID, idempotencyKey: idempotencyKey, requestHash: hash,
                                                           intent: intent, quote: quote, createdAt: now))
        if case .created = outcome {
            logger.info("payment accepted", metadata: ["payment": .string(paymentID), "rail": .string(quote.railID.rawValue),
                                                       "quote": .string(quote.id.rawValue)])
        }
        return outcome
    }

    /// Records a status a rail's counterpart pushed (a bank's signed callback, already
    /// authenticated and parsed by the rail) on the payment it names, as a poll's answer would be.
    /// A late, earlier state never overwrites a final one.
    ///
    /// - Returns: the payment as stored after the notification, or nil when no payment on `railID`
    ///   has that reference (the notification is not ours, or came before the checkpoint).
    public func recordNotification(_ status: RailPaymentStatus, railID: RailID) async throws -> PaymentRecord? {
        guard let record = try await store.payment(rail: railID, reference: status.reference) else { return nil }
        // (A final state, and a status issued later than this one, are kept against it by `append`,
        // for polls and notifications alike.)
        if !Self.sameProgress(status, record.status), try await append(.statusChanged(status), paymentID: record.id, railID: railID) {
            logger.info("payment status changed by notification", metadata: [
                "payment": .string(record.id), "rail": .string(railID.rawValue), "state": .string(status.state.rawValue),
            ])
            try await failOverIfRejected(status, paymentID: record.id)
        }
        return try await store.payment(id: record.id)
    }
}

extension PaymentExecutor {
    /// How long idempotency keys are kept by default: a week (clients retry for hours, not days;
    /// a week leaves room for a long outage and its manual replays).
    public static let defaultKeyRetention = Duration.seconds(7 * 24 * 3600)
    /// Keys are kept at least this long, whatever is configured.
    public static let minimumKeyRetention = Duration.seconds(24 * 3600)

    /// Forgets the idempotency keys of final payments created more than `retention` ago (never
    /// less than ``minimumKeyRetention``); a key forgotten may name a new payment. Payments still
    /// moving keep their keys. Returns how many were forgotten.
    @discardableResult
    public func forgetIdempotencyKeys(keptFor retention: Duration) async throws -> Int {
        let kept = max(retention, Self.minimumKeyRetention)
        return try await store.forgetIdempotencyKeys(createdBefore: clock().addingTimeInterval(-kept.seconds))
    }
}
