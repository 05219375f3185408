import Dispatch
import Metrics
import RailKit
import Tracing

/// What the executor measures (swift-metrics; `switchyard serve` exports them for Prometheus):
/// rail call latency, payment events by rail and state, errors by class. Measured here, in the
/// core, so every rail is measured the same way and no adapter needs to.
enum ExecutorMetrics {
    /// Runs a call to a rail, timing it and tracing it as a span (`rail.execute`, `rail.status`).
    static func railCall<Result: Sendable>(_ rail: RailID, _ operation: String, paymentID: String,
                                           _ body: () async throws -> Result) async throws -> Result {
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            Timer(label: "switchyard_rail_call_duration_seconds", dimensions: [("rail", rail.rawValue), ("operation", operation)])
                .recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
        }
        return try await withSpan("rail.\(operation)") { span in
            span.attributes["switchyard.rail"] = rail.rawValue
            span.attributes["switchyard.payment"] = paymentID
            do {
                return try await body()
            } catch {
                Counter(label: "switchyard_errors_total", dimensions: [("class", errorClass(error)), ("rail", rail.rawValue)]).increment()
                throw error
            }
        }
    }

    /// A journaled event: the payment's state after it, by rail.
    static func recorded(_ event: ExecutionEvent, state: String, rail: RailID) {
        Counter(label: "switchyard_payment_events_total", dimensions: [("rail", rail.rawValue), ("state", state)]).increment()
    }

    /// A stable, low-cardinality name for an error.
    static func errorClass(_ error: any Error) -> String {
        switch error {
        case RailError.declined: "rail_declined"
        case RailError.unavailable: "rail_unavailable"
        case RailError.invalidResponse: "rail_invalid_response"
        case RailError.misconfigured: "rail_misconfigured"
        case is ExecutionRefused: "refused"
        case is IdempotencyConflict: "idempotency_conflict"
        case is PaymentInProgress: "in_progress"
        case is JournalOrderViolation: "journal_order"
        case is CancellationError: "cancelled"
        default: "other"
        }
    }
}
