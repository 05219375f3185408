import Foundation
import Logging

/// A payment's reference on its rail: a transaction hash, a UETR. Known before submission.
public struct RailReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What the value is (`tx_hash`, `uetr`, ...).
    public var kind: String
    public var value: String

    public init(kind: String, value: String) {
        self.kind = kind
        self.value = value
    }

    public var description: String { "\(kind):\(value)" }
}

/// What a rail needs to follow a payment it executed: the reference and the rail's checkpoint
/// (for an EVM rail: the signed transaction, sender, recipient, amount, nonce; for a bank rail:
/// the message as sent). Journaled before anything leaves the process, so after a restart the
/// payment can be resent, followed and reconciled from the journal alone.
public struct RailSubmission: Sendable, Hashable, Codable {
    public var reference: RailReference
    public var checkpoint: RailCheckpoint

    public init(reference: RailReference, checkpoint: RailCheckpoint) {
        self.reference = reference
        self.checkpoint = checkpoint
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

/// A charge an agent deducted from the amount in flight, as the counterpart reported it.
public struct DeductedCharge: Sendable, Hashable, Codable {
    public var amount: Money
    /// Who took it (an agent's BIC, a partner's name).
    public var agent: String

    public init(amount: Money, agent: String) {
        self.amount = amount
        self.agent = agent
    }
}

/// One named amount of a payment's receipt (`usd_sold`, `cnh_bought`, `issuer_fee`), in order.
public struct ReceiptLine: Sendable, Hashable, Codable {
    public var name: String
    public var amount: Money

    public init(_ name: String, _ amount: Money) {
        self.name = name
        self.amount = amount
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
    /// What the creditor was credited, where the counterpart reports it.
    public var credited: Money?
    /// What comes back to the debtor, for a return.
    public var returned: Money?
    /// Charges deducted on the way, where the counterpart reports them.
    public var deductedCharges: [DeductedCharge]
    /// The counterpart's own reason codes (ISO 20022 status reasons), exactly as sent.
    public var counterpartReasonCodes: [String]
    /// The counterpart's references beyond ``reference`` (a bank reference, a return id).
    public var counterpartReferences: [RailReference]
    /// Each step's amount, in order, for a receipt.
    public var breakdown: [ReceiptLine]
    /// The exchange rate applied, where the rail converted.
    public var fxRate: ExchangeRate?
    /// How amounts were rounded and anything else a receipt must say, in words.
    public var notes: [String]
    /// For a rail that executes in steps: each step's reference, state and amounts, in order.
    public var legs: [PaymentLeg]
    /// When the counterpart issued this status, where its message says (a pacs.002's `CreDtTm`).
    /// Messages can arrive out of order (a callback delayed, a retry): a status issued before the
    /// one recorded is older news and is not recorded over it. Nil when the counterpart does not say.
    public var reportedAt: Date?

    public init(reference: RailReference, state: RailPaymentState, railCode: String? = nil, reason: RailDecline? = nil,
                observedAt: Date, credited: Money? = nil, returned: Money? = nil, deductedCharges: [DeductedCharge] = [],
                counterpartReasonCodes: [String] = [], counterpartReferences: [RailReference] = [],
                breakdown: [ReceiptLine] = [], fxRate: ExchangeRate? = nil, notes: [String] = [], legs: [PaymentLeg] = [],
                reportedAt: Date? = nil) {
        self.reportedAt = reportedAt
        self.reference = reference
        self.state = state
        self.railCode = railCode
        self.reason = reason
        self.observedAt = observedAt
        self.credited = credited
        self.returned = returned
        self.deductedCharges = deductedCharges
        self.counterpartReasonCodes = counterpartReasonCodes
        self.counterpartReferences = counterpartReferences
        self.breakdown = breakdown
        self.fxRate = fxRate
        self.notes = notes
        self.legs = legs
    }

    /// Where the money is, from the last step that says so (what an operator acts on after a failure).
    public var fundsLocation: String? { legs.last { $0.fundsLocation != nil }?.fundsLocation }

    /// The receipt amount named `name`, if the status carries it.
    public func amount(_ name: String) -> Money? { breakdown.first { $0.name == name }?.amount }
}

/// A state change during execution, recorded before the next step so a crash loses nothing.
public enum ExecutionEvent: Sendable, Hashable {
    /// The reference is fixed and the checkpoint recorded; nothing has been sent for it yet.
    case prepared(RailSubmission)
    /// Handed to the rail (or possibly handed over, if the send's outcome is unknown).
    case submitted(RailReference)
    case statusChanged(RailPaymentStatus)

    /// The reference the event is about.
    public var reference: RailReference {
        switch self {
        case .prepared(let submission): submission.reference
        case .submitted(let reference): reference
        case .statusChanged(let status): status.reference
        }
    }
}

extension ExecutionEvent: Codable {
    private enum CodingKeys: String, CodingKey { case prepared, submitted, statusChanged }

    /// `{"prepared": {...}}`, `{"submitted": {...}}` or `{"statusChanged": {...}}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .prepared(let submission): try container.encode(submission, forKey: .prepared)
        case .submitted(let reference): try container.encode(reference, forKey: .submitted)
        case .statusChanged(let status): try container.encode(status, forKey: .statusChanged)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let submission = try container.decodeIfPresent(RailSubmission.self, forKey: .prepared) {
            self = .prepared(submission)
        } else if let reference = try container.decodeIfPresent(RailReference.self, forKey: .submitted) {
            self = .submitted(reference)
        } else {
            self = .statusChanged(try container.decode(RailPaymentStatus.self, forKey: .statusChanged))
        }
    }
}

/// Where an adapter records its execution events as they happen. The payment executor
/// provides it (and stores what it records); an adapter records its checkpoint before any byte
/// of a submission leaves the process.
public protocol ExecutionRecorder: Sendable {
    func record(_ event: ExecutionEvent) async throws
}

/// A request to carry out a quoted payment. The payment executor has already checked the quote
/// (this rail's, unexpired, pricing this payment), the policy and the rail's capabilities, and
/// makes sure a payment id is executed once; the adapter builds and sends its protocol's messages.
public struct ExecutionRequest: Sendable {
    /// The router's id for the payment; also the idempotency key towards the rail's counterpart.
    public var paymentID: String
    public var intent: PaymentIntent
    public var quote: Quote
    public var now: Date
    /// Set when the executor resumes a payment after a restart whose last checkpoint the rail
    /// reported as ``RailPaymentState/prepared`` (not everything sent yet): the adapter continues
    /// from that checkpoint and repeats no step it recorded.
    public var resumeFrom: RailSubmission?
    /// Carries the payment id and rail in its metadata: log each outbound call and state change here.
    public var logger: Logger

    public init(paymentID: String, intent: PaymentIntent, quote: Quote, now: Date, resumeFrom: RailSubmission? = nil,
                logger: Logger = Logger(label: "switchyard.rail", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.paymentID = paymentID
        self.intent = intent
        self.quote = quote
        self.now = now
        self.resumeFrom = resumeFrom
        self.logger = logger
    }
}

extension ExecutionRequest: Codable {
    private enum CodingKeys: String, CodingKey { case paymentID, intent, quote, now, resumeFrom }

    /// The logger is local to a process and is not carried; a decoded request logs nowhere until given one.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(paymentID: try container.decode(String.self, forKey: .paymentID), intent: try container.decode(PaymentIntent.self, forKey: .intent),
                  quote: try container.decode(Quote.self, forKey: .quote), now: try container.decode(Date.self, forKey: .now),
                  resumeFrom: try container.decodeIfPresent(RailSubmission.self, forKey: .resumeFrom))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(paymentID, forKey: .paymentID)
        try container.encode(intent, forKey: .intent)
        try container.encode(quote, forKey: .quote)
        try container.encode(now, forKey: .now)
        try container.encodeIfPresent(resumeFrom, forKey: .resumeFrom)
    }
}

/// What execution returns once the payment has been handed to the rail.
public struct ExecutionReceipt: Sendable, Hashable, Codable {
    public var submission: RailSubmission
    public var status: RailPaymentStatus

    public var reference: RailReference { submission.reference }

    public init(submission: RailSubmission, status: RailPaymentStatus) {
        self.submission = submission
        self.status = status
    }
}
