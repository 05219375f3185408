import Foundation
import RailKit
import SwitchyardExecutor

/// A payment as clients see it (`GET /v1/payments/{id}`, the answer to `POST /v1/payments`, each
/// item of the listing): only the documented states, the amounts as decimal strings with their
/// currency, the rail's reference once it has one, and — when it ended badly — why, with a
/// reason code, and where the funds are.
public struct PaymentResource: Codable, Sendable, Hashable {
    public var id: String
    /// `created`, `submitted`, `pending`, `settled`, `failed` or `returned`.
    public var state: String
    public var rail: String
    public var quoteId: String
    public var idempotencyKey: String?
    public var reference: String?
    /// Executions tried (failover moves a payment to another rail as a new attempt).
    public var attempt: Int
    public var debtorPays: Money
    public var creditorReceives: Money
    /// The rail's own word for the state (`ACSC`, `mined`, …), when it gave one.
    public var railCode: String?
    /// Why it failed or came back, when it did.
    public var reason: Reason?
    public var credited: Money?
    public var returned: Money?
    public var fundsLocation: String?
    public var createdAt: String
    public var updatedAt: String

    public struct Reason: Codable, Sendable, Hashable {
        public var code: String
        public var message: String
    }

    public init(_ record: PaymentRecord) {
        id = record.id
        state = record.state.rawValue
        rail = record.railID.rawValue
        quoteId = record.quote.id.rawValue
        idempotencyKey = record.idempotencyKey
        reference = record.submission?.reference.description
        attempt = record.attempt
        debtorPays = record.quote.debtorPays
        creditorReceives = record.quote.creditorReceives
        railCode = record.status?.railCode
        reason = (record.failure ?? record.status?.reason).map { Reason(code: $0.code.rawValue, message: $0.message) }
        credited = record.status?.credited
        returned = record.status?.returned
        fundsLocation = record.fundsLocation
        createdAt = Timestamp.format(record.createdAt)
        updatedAt = Timestamp.format(record.updatedAt)
    }
}

/// One entry of a payment's journal as clients see it (`GET /v1/payments/{id}/events`, and the
/// body of a webhook): what happened, in order, on which attempt and rail.
public struct PaymentEventResource: Codable, Sendable, Hashable {
    /// Increases with every event of the store; events of one payment are listed in this order.
    public var sequence: Int64
    public var paymentId: String
    /// `payment.prepared`, `payment.submitted`, `payment.status_changed` (with the state it moved
    /// to) or `payment.attempt_declined` (a rail declined before anything moved; the payment
    /// goes on to the next route).
    public var type: String
    public var recordedAt: String
    public var attempt: Int
    public var rail: String
    public var reference: String
    /// For a status change: the documented payment state it moved to, and the rail's own state and code.
    public var state: String?
    public var railState: String?
    public var railCode: String?
    public var reason: PaymentResource.Reason?
    public var fundsLocation: String?

    public init(_ entry: JournalEntry) {
        sequence = entry.sequence
        paymentId = entry.paymentID
        recordedAt = Timestamp.format(entry.recordedAt)
        attempt = entry.attempt
        rail = entry.railID.rawValue
        reference = entry.event.reference.description
        switch entry.event {
        case .prepared: type = "payment.prepared"
        case .submitted: type = "payment.submitted"
        case .statusChanged(let status) where status.reference.kind == PaymentExecutor.attemptReferenceKind
            && status.railCode == PaymentExecutor.attemptDeclinedCode:
            // One rail declined before anything moved; the payment goes on to another route.
            type = "payment.attempt_declined"
            railState = status.state.rawValue
            railCode = status.railCode
            reason = status.reason.map { PaymentResource.Reason(code: $0.code.rawValue, message: $0.message) }
        case .statusChanged(let status):
            type = "payment.status_changed"
            state = PaymentState(status.state).rawValue
            railState = status.state.rawValue
            railCode = status.railCode
            reason = status.reason.map { PaymentResource.Reason(code: $0.code.rawValue, message: $0.message) }
            fundsLocation = status.fundsLocation
        }
    }
}

/// A page of a listing, newest first; `nextCursor` continues it.
public struct Page<Item: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    public var data: [Item]
    public var nextCursor: String?

    public init(data: [Item], nextCursor: String?) {
        self.data = data
        self.nextCursor = nextCursor
    }
}

/// `POST /v1/payments`: pay a stored quote by id, or an intent (the router quotes and picks, or
/// uses the named rail). The same `Idempotency-Key` with the same body is the same payment.
public struct CreatePaymentRequest: Codable, Sendable, Hashable {
    public var quoteId: String?
    public var intent: PaymentIntent?
    public var rail: String?

    public init(quoteId: String? = nil, intent: PaymentIntent? = nil, rail: String? = nil) {
        self.quoteId = quoteId
        self.intent = intent
        self.rail = rail
    }
}

extension PaymentCursor {
    /// The opaque text clients pass back: base64url of `<millis>:<id>`.
    public var token: String {
        Data("\(createdAtMillis):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Reads ``token``; nil for anything else.
    public init?(token: String) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard token.count <= 400, let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":"), let millis = Int64(text[..<colon]) else { return nil }
        self.init(createdAtMillis: millis, id: String(text[text.index(after: colon)...]))
    }
}

/// What "the same request" means for an idempotency key, on the CLI and over HTTP alike: the
/// stored quote paid, or the intent and the rail asked for (a new quote each time is still the
/// same request). Its ``SwitchyardExecutor/PaymentExecutor/requestHash(of:)`` is stored with the key.
public struct PaymentRequestIdentity: Encodable, Sendable {
    public var intent: PaymentIntent?
    public var rail: String?
    public var quote: String?

    public init(intent: PaymentIntent? = nil, rail: String? = nil, quote: String? = nil) {
        self.intent = intent
        self.rail = rail
        self.quote = quote
    }
}
