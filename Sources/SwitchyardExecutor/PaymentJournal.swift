import RailKit

/// Where the executor appends every payment's events, in order (a durable store implements it;
/// the CLI prints; tests collect). An event is recorded before the step after it is taken.
public protocol PaymentJournal: Sendable {
    func record(_ event: ExecutionEvent, payment paymentID: String) async throws
}

/// A ``PaymentJournal`` that keeps events in memory, for tests.
public actor CollectingPaymentJournal: PaymentJournal {
    public private(set) var events = [String: [ExecutionEvent]]()

    public init() {}

    public func record(_ event: ExecutionEvent, payment paymentID: String) async throws {
        events[paymentID, default: []].append(event)
    }

    /// The events of one payment, in order.
    public func events(of paymentID: String) -> [ExecutionEvent] { events[paymentID] ?? [] }
}
