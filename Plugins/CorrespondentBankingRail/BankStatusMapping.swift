import Foundation
import ISO20022
import RailKit

/// Maps what the bank reports (pacs.002 statuses, pacs.004 returns) onto the common payment states.
enum BankStatusMapping {
    static func status(_ message: InboundMessage, reference: RailReference, uetr: UETR, now: Date) throws(RailError) -> RailPaymentStatus {
        switch message {
        case .statusReport(let report):
            // A report about another payment is a bank error, not a state of this one.
            guard let transaction = report.transactions.first(where: { $0.originalUETR == uetr })
                ?? (report.transactions.count == 1 && report.transactions[0].originalUETR == nil ? report.transactions.first : nil) else {
                throw .invalidResponse("pacs.002 \(report.messageID) does not report UETR \(uetr)")
            }
            return status(transaction, reference: reference, now: now)
        case .paymentReturn(let returned):
            guard returned.originalUETR == uetr else {
                throw .invalidResponse("pacs.004 \(returned.messageID) returns UETR \(returned.originalUETR), not \(uetr)")
            }
            var details = reasonDetails(returned.reasons)
            details["returned_amount"] = returned.returnedAmount.description
            details["return_id"] = returned.returnID
            details["iso_message"] = MessageType.pacs004.rawValue
            return RailPaymentStatus(
                reference: reference, state: .returned, railCode: "pacs.004",
                reason: RailDecline(.paymentReturned, "Returned by the bank: \(describe(returned.reasons)); \(returned.returnedAmount) comes back."),
                observedAt: now, details: details)
        }
    }

    static func status(_ transaction: TransactionStatus, reference: RailReference, now: Date) -> RailPaymentStatus {
        var details = reasonDetails(transaction.reasons)
        details["iso_message"] = MessageType.pacs002.rawValue
        let state: RailPaymentState
        var reason: RailDecline?
        switch transaction.status {
        case .received, .acceptedTechnicalValidation, .acceptedCustomerProfile, .acceptedFundsChecked,
             .acceptedWithoutPosting, .acceptedWithChange, .pending:
            state = .submitted
        case .acceptedSettlementInProcess, .acceptedSettlementCompleted:
            state = .inFlight
        case .acceptedCreditSettlementCompleted:
            state = .settled
            if let credited = transaction.creditedAmount { details["credited_amount"] = credited.description }
            if !transaction.charges.isEmpty {
                details["charges"] = transaction.charges.map { "\($0.amount) by \($0.agent)" }.joined(separator: "; ")
            }
        case .rejected, .cancelled:
            state = .rejected
            reason = RailDecline(.rejectedByBank, "\(transaction.status.rawValue) by the bank: \(describe(transaction.reasons)).")
        case .blocked:
            state = .failed
            reason = RailDecline(.fundsBlocked, "Funds blocked at \(transaction.reportingAgent?.code ?? "an agent"): \(describe(transaction.reasons)).")
        }
        return RailPaymentStatus(reference: reference, state: state, railCode: transaction.status.rawValue, reason: reason,
                                 observedAt: now, details: details)
    }

    private static func reasonDetails(_ reasons: [StatusReason]) -> [String: String] {
        reasons.isEmpty ? [:] : ["iso_reason_codes": reasons.map(\.code).joined(separator: ",")]
    }

    private static func describe(_ reasons: [StatusReason]) -> String {
        reasons.isEmpty ? "no reason given" : reasons.map(\.description).joined(separator: "; ")
    }
}
