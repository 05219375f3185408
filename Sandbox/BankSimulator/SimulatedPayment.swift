import Foundation
import ISO20022
import RailKit
import RailKitSupport

/// A payment the simulated bank has received, and what will happen to it.
struct SimulatedPayment: Sendable {
    enum Outcome: Sendable {
        case rejected([StatusReason])
        case accepted(Schedule)
    }

    /// When each status is reached, fixed at acceptance from the cut-off and calendars.
    struct Schedule: Sendable {
        var settlementInProcess: Date
        var settled: Date
        /// Nil when the beneficiary bank returns the payment instead of crediting it.
        var credited: Date?
        var deductions: [AgentCharge]
        var returning: (at: Date, reason: StatusReason)?
    }

    var transfer: CustomerCreditTransfer?
    var uetr: UETR?
    var messageID: String
    var endToEndID: String?
    var receivedAt: Date
    var outcome: Outcome
    /// The last state pushed by callback (or answered synchronously).
    var lastNotified: String?

    /// The status code at `now`, or nil once the return has been sent.
    func status(at now: Date) -> TransactionStatusCode? {
        switch outcome {
        case .rejected: return .rejected
        case .accepted(let schedule):
            if let returning = schedule.returning, now >= returning.at { return nil }
            if let credited = schedule.credited, now >= credited { return .acceptedCreditSettlementCompleted }
            if now >= schedule.settled { return .acceptedSettlementCompleted }
            if now >= schedule.settlementInProcess { return .acceptedSettlementInProcess }
            return .acceptedTechnicalValidation
        }
    }

    /// A key that changes whenever the message about this payment would change.
    func stateKey(at now: Date) -> String { status(at: now)?.rawValue ?? "RETURNED" }
}
