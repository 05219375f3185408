import Foundation

/// Runs each payment id's execution once per adapter instance: concurrent and later calls with
/// the same id get the first call's receipt (or error), so a retried request never pays twice.
///
/// In memory only: across restarts, the journal's `prepared` submission is what prevents a
/// second payment (durable execution replays it).
public actor ExecutionLedger {
    private var receipts = [String: ExecutionReceipt]()
    private var inProgress = [String: Task<ExecutionReceipt, any Error>]()

    public init() {}

    /// Runs `execute` once per payment id; concurrent and later calls get the same result.
    public func once(_ paymentID: String, _ execute: @escaping @Sendable () async throws -> ExecutionReceipt) async throws -> ExecutionReceipt {
        if let receipt = receipts[paymentID] { return receipt }
        if let running = inProgress[paymentID] { return try await running.value }
        let task = Task { try await execute() }
        inProgress[paymentID] = task
        defer { inProgress[paymentID] = nil }
        let receipt = try await task.value
        receipts[paymentID] = receipt
        return receipt
    }
}

extension Quote {
    /// Refuses a quote from another rail or one that has expired, before anything is journaled.
    public func checkExecutable(on rail: RailID, at now: Date) throws(RailError) {
        guard railID == rail else {
            throw .declined(RailDecline(.quoteMismatch, "Quote \(id) is for \(railID), not \(rail)."))
        }
        guard now <= expiresAt else {
            throw .declined(RailDecline(.quoteExpired, "Quote \(id) expired at \(Timestamp.format(expiresAt)); quote again."))
        }
    }
}
