import Foundation

/// A payment rail: quotes, executes and reports status for payments over one network.
///
/// Every requirement is implemented by every adapter; there are no defaults. A rail that cannot
/// execute yet says so in ``RailCapabilities/canExecute`` and throws
/// ``RailError/unsupported(operation:rail:)`` from ``execute(_:)`` and ``status(of:)``.
public protocol RailAdapter: Sendable {
    /// Identity and capabilities, as data.
    var descriptor: RailDescriptor { get }

    /// Prices a payment. A rail that will not carry it returns ``QuoteOutcome/declined(_:)``;
    /// a rail that cannot answer throws (a ``RailError``).
    func quote(_ request: QuoteRequest) async throws -> QuoteOutcome

    /// Executes a quoted payment. The rail reference is journaled before anything leaves the process.
    func execute(_ request: ExecutionRequest) async throws -> ExecutionReceipt

    /// The current state of a payment previously executed on this rail.
    func status(of reference: RailReference) async throws -> RailPaymentStatus
}
