import Foundation
import RailKit
import RailKitSupport

/// The status of one transaction in a pacs.002 (`TxInfAndSts`).
public struct TransactionStatus: Sendable, Hashable {
    public var originalEndToEndID: String?
    public var originalUETR: UETR?
    public var status: TransactionStatusCode
    /// Why (always present for RJCT; several reasons are allowed).
    public var reasons: [StatusReason]
    /// Charges taken along the chain (reported with ACCC, so the credited amount can be derived).
    public var charges: [AgentCharge]
    public var acceptedAt: Date?
    /// The interbank settlement amount of the original payment (`OrgnlTxRef/IntrBkSttlmAmt`).
    public var originalSettlementAmount: Money?
    /// The agent that reports the status (`InstgAgt`).
    public var reportingAgent: BIC?

    public init(originalEndToEndID: String? = nil, originalUETR: UETR?, status: TransactionStatusCode,
                reasons: [StatusReason] = [], charges: [AgentCharge] = [], acceptedAt: Date? = nil,
                originalSettlementAmount: Money? = nil, reportingAgent: BIC? = nil) {
        self.originalEndToEndID = originalEndToEndID
        self.originalUETR = originalUETR
        self.status = status
        self.reasons = reasons
        self.charges = charges
        self.acceptedAt = acceptedAt
        self.originalSettlementAmount = originalSettlementAmount
        self.reportingAgent = reportingAgent
    }

    /// What reached the creditor: the settlement amount less the charges reported in its currency.
    public var creditedAmount: Money? {
        guard let settled = originalSettlementAmount else { return nil }
        let deducted = charges.filter { $0.amount.asset == settled.asset }.map(\.amount)
        return try? settled.subtracting(deducted.sum(in: settled.asset))
    }
}

/// A FI-to-FI payment status report (pacs.002.001.10).
public struct PaymentStatusReport: Sendable, Hashable {
    public var messageID: String
    public var createdAt: Date
    public var originalMessageID: String
    /// The original message's name, e.g. `pacs.008.001.08`.
    public var originalMessageName: String
    public var transactions: [TransactionStatus]

    public init(messageID: String, createdAt: Date, originalMessageID: String,
                originalMessageName: String = MessageType.pacs008.rawValue, transactions: [TransactionStatus]) {
        self.messageID = messageID
        self.createdAt = createdAt
        self.originalMessageID = originalMessageID
        self.originalMessageName = originalMessageName
        self.transactions = transactions
    }
}
