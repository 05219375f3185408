import Foundation

/// A payment's reference on its rail: a transaction hash, a UETR. Known before submission.
public struct RailReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What the value is (`tx_hash`, `uetr`, ...).
    public var kind: String
    public var value: String

    public init(kind: String, value: String) {
        self.kind = kind
        self.value = value
    }

    public static func uetr(_ uetr: UETR) -> RailReference { RailReference(kind: "uetr", value: uetr.value) }
    public static func transactionHash(_ hash: String) -> RailReference { RailReference(kind: "tx_hash", value: hash) }

    public var description: String { "\(kind):\(value)" }
}

/// What a rail needs to follow a payment it executed: the reference and the rail's own record of
/// what it submitted (for an EVM rail: the signed transaction, sender, recipient, amount, nonce).
/// Journaled before anything leaves the process, so after a restart the payment can be resent,
/// followed and reconciled from the journal alone.
public struct RailSubmission: Sendable, Hashable, Codable {
    public var reference: RailReference
    /// Rail-specific fields, as text (amounts as decimal strings), readable in the journal.
    public var details: [String: String]

    public init(reference: RailReference, details: [String: String] = [:]) {
        self.reference = reference
        self.details = details
    }
}

/// The common states of a payment on any rail.
public enum RailPaymentState: String, Sendable, Hashable, Codable {
    /// Prepared, reference assigned, not yet sent.
    case prepared
    /// Handed to the rail.
    case submitted
    /// Accepted/included by the rail, not yet final.
    case inFlight = "in_flight"
    /// Final: the creditor is credited.
    case settled
    /// Refused by the rail; nothing moved.
    case rejected
    /// Came back after settlement (e.g. pacs.004).
    case returned
    /// Failed in a way that needs attention; the status says where the funds are.
    case failed
}

extension RailPaymentState {
    /// Whether the payment can no longer change state (settled, rejected, returned, failed).
    public var isTerminal: Bool {
        switch self {
        case .prepared, .submitted, .inFlight: false
        case .settled, .rejected, .returned, .failed: true
        }
    }
}

/// A snapshot of a payment's state on its rail.
public struct RailPaymentStatus: Sendable, Hashable, Codable {
    public var reference: RailReference
    public var state: RailPaymentState
    /// The rail's own code (an ISO 20022 status, a receipt status).
    public var railCode: String?
    /// For rejections and returns: the reason.
    public var reason: RailDecline?
    public var observedAt: Date
    /// Rail-specific facts as text (amounts as decimal strings with their currency): the amount
    /// credited, charges deducted, the rail's own reason codes.
    public var details: [String: String]
    /// For a rail that executes in steps: each step's reference, state and amounts, in order.
    public var legs: [PaymentLeg]

    public init(reference: RailReference, state: RailPaymentState, railCode: String? = nil,
                reason: RailDecline? = nil, observedAt: Date, details: [String: String] = [:], legs: [PaymentLeg] = []) {
        self.reference = reference
        self.state = state
        self.railCode = railCode
        self.reason = reason
        self.observedAt = observedAt
        self.details = details
        self.legs = legs
    }

    /// Where the money is, from the last step that says so (what an operator acts on after a failure).
    public var fundsLocation: String? { legs.last { $0.fundsLocation != nil }?.fundsLocation }
}

/// A state change during execution, recorded before the next step so a crash loses nothing.
public enum ExecutionEvent: Sendable, Hashable {
    /// The reference is fixed and the submission recorded; nothing has been sent yet.
    case prepared(RailSubmission)
    /// Handed to the rail (or possibly handed over, if the send's outcome is unknown).
    case submitted(RailReference)
    case statusChanged(RailPaymentStatus)
}

/// Where executions record their events (storage implements it; tests can collect them).
public protocol ExecutionJournal: Sendable {
    func record(_ event: ExecutionEvent) async throws
}

/// A request to carry out a quoted payment.
public struct ExecutionRequest: Sendable {
    /// The router's id for the payment; also the idempotency key towards the rail.
    public var paymentID: String
    public var intent: PaymentIntent
    public var quote: Quote
    public var now: Date
    public var journal: any ExecutionJournal

    public init(paymentID: String, intent: PaymentIntent, quote: Quote, now: Date, journal: any ExecutionJournal) {
        self.paymentID = paymentID
        self.intent = intent
        self.quote = quote
        self.now = now
        self.journal = journal
    }
}

/// What execution returns once the payment has been handed to the rail.
public struct ExecutionReceipt: Sendable, Hashable {
    public var submission: RailSubmission
    public var status: RailPaymentStatus

    public var reference: RailReference { submission.reference }

    public init(submission: RailSubmission, status: RailPaymentStatus) {
        self.submission = submission
        self.status = status
    }
}
