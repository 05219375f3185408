import RailKit

/// The documented states a client sees: `created → submitted → pending → settled | failed | returned`.
/// Rails report richer states (``RailPaymentState``); each maps onto one of these.
public enum PaymentState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Stored, not yet handed to a rail (nothing has left the process).
    case created
    /// The rail's checkpoint is recorded and the submission handed (or possibly handed) over.
    case submitted
    /// Accepted by the rail, not yet final.
    case pending
    /// Final: the creditor is credited.
    case settled
    /// Final without settling (refused, rejected, or failed with the funds' location in the journal).
    case failed
    /// Came back after settlement.
    case returned

    /// Whether the payment can no longer change state.
    public var isFinal: Bool {
        switch self {
        case .created, .submitted, .pending: false
        case .settled, .failed, .returned: true
        }
    }

    /// The public state for a rail's state.
    public init(_ rail: RailPaymentState) {
        switch rail {
        case .prepared, .submitted: self = .submitted
        case .inFlight: self = .pending
        case .settled: self = .settled
        case .rejected, .failed: self = .failed
        case .returned: self = .returned
        }
    }
}
