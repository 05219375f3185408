import Foundation

/// A payment rail: quotes, executes and reports status for payments over one network.
///
/// Every requirement is implemented by every adapter; there are no defaults. A rail that cannot
/// execute says why in ``RailCapabilities/quoteOnlyReason`` and throws
/// ``RailError/unsupported(operation:rail:)`` from ``execute(_:recorder:)`` and ``status(of:at:)``.
///
/// The lifecycle around a payment is not the adapter's: the router's payment executor checks
/// the quote (this rail's, unexpired, pricing the payment), the policy and the capabilities again
/// at execution, executes each payment id once, keeps the journal and polls status. An adapter
/// builds and reads its protocol's messages and talks to its counterpart.
public protocol RailAdapter: Sendable {
    /// Identity and capabilities, as data. Fixed for the adapter's life: a router reads it once,
    /// when the rail is configured (a rail whose capabilities change is configured again).
    var descriptor: RailDescriptor { get }

    /// Prices a payment. A rail that will not carry it returns ``QuoteOutcome/declined(_:)``;
    /// a rail that cannot answer throws (a ``RailError``).
    func quote(_ request: QuoteRequest) async throws -> QuoteOutcome

    /// Executes a quoted payment. The submission (its rail reference and checkpoint) is recorded
    /// as ``ExecutionEvent/prepared(_:)`` before any byte of it leaves the process; the rail's
    /// counterpart is told the payment id or reference so that a resend cannot pay twice. A rail
    /// that refuses at execution time, before anything was sent, throws ``RailError/declined(_:)``.
    func execute(_ request: ExecutionRequest, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt

    /// The current state of a payment previously executed on this rail, from its journaled submission.
    func status(of submission: RailSubmission, at now: Date) async throws -> RailPaymentStatus
}

/// A rail whose counterpart pushes status changes (a bank's signed callback) as well as
/// answering ``RailAdapter/status(of:at:)`` polls. The router's HTTP server hands each callback
/// to the rail, which authenticates and reads it.
public protocol RailNotificationReceiver: RailAdapter {
    /// Authenticates a pushed notification and returns the status it reports.
    /// - Parameter headers: the request's headers, names in lower case.
    /// - Throws: ``RailError/invalidResponse(_:)`` for an unauthenticated or unreadable notification.
    func acceptNotification(body: Data, headers: [String: String], at now: Date) async throws -> RailPaymentStatus
}
