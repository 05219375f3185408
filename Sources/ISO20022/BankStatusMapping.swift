import Foundation
import RailKit
import RailKitSupport

/// Maps what the bank reports (pacs.002 statuses, pacs.004 returns) onto the common payment states.
public enum BankStatusMapping {
    /// - Parameter messageID: the pacs.008's message id, when known: a status for the whole message
    ///   (a group status, without a transaction) counts only for the message it names.
    ///
    /// - Parameter offshoreYuan: the rail delivers CNH (and not onshore CNY), so a message's CNY —
    ///   ISO 20022's only yuan code — is offshore yuan and reported as CNH.
    public static func status(_ message: InboundMessage, reference: RailReference, uetr: UETR, messageID: String? = nil,
                       offshoreYuan: Bool = false, now: Date) throws(RailError) -> RailPaymentStatus {
        switch message {
        case .statusReport(let report):
            // A report about another payment, or about none named (CBPR+ requires OrgnlUETR), is a
            // bank error, not a state of this one — except a group status for this very message.
            let groupStatus = report.transactions.count == 1 && report.transactions[0].originalUETR == nil
                && messageID != nil && report.originalMessageID == messageID ? report.transactions.first : nil
            guard let transaction = report.transactions.first(where: { $0.originalUETR == uetr }) ?? groupStatus else {
                throw .invalidResponse("pacs.002 \(report.messageID) does not report UETR \(uetr)")
            }
            var mapped = status(transaction, reference: reference, offshoreYuan: offshoreYuan, now: now)
            // When the bank issued it: a report that arrives after a later one is not recorded over it.
            mapped.reportedAt = report.createdAt
            return mapped
        case .paymentReturn(let returned):
            guard returned.originalUETR == uetr else {
                throw .invalidResponse("pacs.004 \(returned.messageID) returns UETR \(returned.originalUETR), not \(uetr)")
            }
            return RailPaymentStatus(
                reference: reference, state: .returned, railCode: "pacs.004",
                reason: RailDecline(.paymentReturned, "Returned by the bank: \(describe(returned.reasons)); \(booked(returned.returnedAmount, offshoreYuan)) comes back."),
                observedAt: now, returned: booked(returned.returnedAmount, offshoreYuan), counterpartReasonCodes: returned.reasons.map(\.code),
                counterpartReferences: [RailReference(kind: "return_id", value: returned.returnID)], reportedAt: returned.createdAt)
        }
    }

    public static func status(_ transaction: TransactionStatus, reference: RailReference, offshoreYuan: Bool = false, now: Date) -> RailPaymentStatus {
        let state: RailPaymentState
        var reason: RailDecline?
        var credited: Money?
        var charges = [DeductedCharge]()
        var notes = [String]()
        switch transaction.status {
        case .received, .acceptedTechnicalValidation, .acceptedCustomerProfile, .acceptedFundsChecked,
             .acceptedWithoutPosting, .acceptedWithChange, .pending, .partiallyAccepted, .partiallyAcceptedTechnicalCorrect, .presented:
            state = .submitted
        case .acceptedSettlementInProcess, .acceptedSettlementCompleted, .acceptedClearingProcessed:
            state = .inFlight
        case .acceptedCreditSettlementCompleted:
            state = .settled
            credited = transaction.creditedAmount.map { booked($0, offshoreYuan) }
            charges = transaction.charges.map { DeductedCharge(amount: booked($0.amount, offshoreYuan), agent: $0.agent.code) }
            // What the report does not carry is said to be unknown, never taken as zero.
            if credited == nil { notes.append("credited amount: not reported by the bank (no OrgnlTxRef/IntrBkSttlmAmt)") }
            if charges.isEmpty { notes.append("charges: not reported by the bank (no ChrgsInf)") }
        case .rejected, .cancelled:
            state = .rejected
            reason = RailDecline(.rejectedByBank, "\(transaction.status.rawValue) by the bank: \(describe(transaction.reasons)).")
        case .blocked:
            state = .failed
            reason = RailDecline(.fundsBlocked, "Funds blocked at \(transaction.reportingAgent?.code ?? "an agent"): \(describe(transaction.reasons)).")
        default:
            // A code this rail does not know (an addition to ISO's list, or a cheque or cash code that
            // does not happen on a credit transfer) says nothing final: the payment stays open and the
            // code is kept as the rail's status code.
            state = .submitted
        }
        return RailPaymentStatus(reference: reference, state: state, railCode: transaction.status.rawValue, reason: reason,
                                 observedAt: now, credited: credited, deductedCharges: charges,
                                 counterpartReasonCodes: transaction.reasons.map(\.code), notes: notes)
    }

    /// A message's amount as the payment books it: ISO's CNY as CNH for an offshore-yuan payment.
    private static func booked(_ money: Money, _ offshoreYuan: Bool) -> Money {
        offshoreYuan ? money.bookedAsOffshoreYuan : money
    }

    private static func describe(_ reasons: [StatusReason]) -> String {
        reasons.isEmpty ? "no reason given" : reasons.map(\.description).joined(separator: "; ")
    }
}
