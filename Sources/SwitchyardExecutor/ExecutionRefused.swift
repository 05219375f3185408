import RailKit

/// Why the executor would not hand a payment to its rail: every reason, each with its
/// machine-readable code. Nothing was journaled or sent.
public struct ExecutionRefused: Error, Sendable, CustomStringConvertible {
    public var railID: RailID
    public var reasons: [RailDecline]

    public init(railID: RailID, reasons: [RailDecline]) {
        self.railID = railID
        self.reasons = reasons
    }

    public var description: String {
        "\(railID) refused at execution: " + reasons.map { "\($0.code.rawValue): \($0.message)" }.joined(separator: "; ")
    }
}


/// Another process (or task) is executing this payment right now: ask again once it is done.
/// Never a second execution.
public struct PaymentInProgress: Error, Sendable, CustomStringConvertible {
    public var paymentID: String
    public init(paymentID: String) { self.paymentID = paymentID }
    public var description: String { "payment \(paymentID) is being executed by another process; ask again shortly" }
}

/// An adapter broke the journaling order the executor guarantees (it reported a submission
/// before recording its checkpoint, or returned a receipt it never recorded).
public struct JournalOrderViolation: Error, Sendable, CustomStringConvertible {
    public var railID: RailID
    public var detail: String
    public var description: String { "\(railID) broke the journaling order: \(detail)" }
}
