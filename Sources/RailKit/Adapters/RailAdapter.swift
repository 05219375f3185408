import Foundation

/// A payment rail: quotes, executes and reports status for payments over one network.
///
/// Every requirement is implemented by every adapter; there are no defaults. A rail that cannot
/// execute yet says so in ``RailCapabilities/canExecute`` and throws
/// ``RailError/unsupported(operation:rail:)`` from ``execute(_:)`` and ``status(of:at:)``.
public protocol RailAdapter: Sendable {
    /// Identity and capabilities, as data.
    var descriptor: RailDescriptor { get }

    /// Prices a payment. A rail that will not carry it returns ``QuoteOutcome/declined(_:)``;
    /// a rail that cannot answer throws (a ``RailError``).
    func quote(_ request: QuoteRequest) async throws -> QuoteOutcome

    /// Executes a quoted payment. The submission (with its rail reference) is journaled before
    /// anything leaves the process. Executing the same payment id again returns the first
    /// execution's receipt rather than paying twice. A rail that refuses at execution time throws
    /// ``RailError/declined(_:)``.
    func execute(_ request: ExecutionRequest) async throws -> ExecutionReceipt

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
