import Foundation
import RailKit

/// One payment as the store keeps it: what was asked (intent and quote), how far it got (state,
/// the rail's last checkpoint and status) and when the executor should look at it next.
public struct PaymentRecord: Sendable, Hashable, Codable {
    public var id: String
    /// The client's idempotency key, when it gave one.
    public var idempotencyKey: String?
    /// SHA-256 of the canonical request (intent and quote id): the same key with another request is a conflict.
    public var requestHash: String
    public var intent: PaymentIntent
    public var quote: Quote
    public var state: PaymentState
    /// Executions tried (1 once handed to a rail).
    public var attempt: Int
    /// The rail's reference and last checkpoint, once recorded: what resumes and follows the payment.
    public var submission: RailSubmission?
    /// The last status the rail reported.
    public var status: RailPaymentStatus?
    /// Why it ended badly, when it did (the rail's decline or the refusal).
    public var failure: RailDecline?
    public var createdAt: Date
    public var updatedAt: Date
    /// When the executor should next look at it; nil once final.
    public var nextActionAt: Date?
    /// How many times the record was written since it was created (0 when new). A write names the
    /// version it read, so two writers (an executor and a bank's notification, two processes)
    /// cannot overwrite each other unseen: the second gets ``PaymentRecordConflict`` and reads again.
    public var version: Int

    public var railID: RailID { quote.railID }

    public init(id: String, idempotencyKey: String?, requestHash: String, intent: PaymentIntent, quote: Quote, createdAt: Date) {
        self.id = id
        self.idempotencyKey = idempotencyKey
        self.requestHash = requestHash
        self.intent = intent
        self.quote = quote
        state = .created
        attempt = 0
        self.createdAt = createdAt
        updatedAt = createdAt
        nextActionAt = createdAt
        version = 0
    }

    /// Where the money is, from the last status that says so.
    public var fundsLocation: String? { status?.fundsLocation }

    /// This record as its store writes it over the version it was read at.
    public var nextVersion: PaymentRecord {
        var next = self
        next.version += 1
        return next
    }
}

/// One event of a payment's journal, in the order recorded.
public struct JournalEntry: Sendable, Hashable, Codable {
    /// Increases with every entry of the store (the journal's order).
    public var sequence: Int64
    public var paymentID: String
    public var recordedAt: Date
    public var attempt: Int
    public var railID: RailID
    public var event: ExecutionEvent

    public init(sequence: Int64, paymentID: String, recordedAt: Date, attempt: Int, railID: RailID, event: ExecutionEvent) {
        self.sequence = sequence
        self.paymentID = paymentID
        self.recordedAt = recordedAt
        self.attempt = attempt
        self.railID = railID
        self.event = event
    }
}
