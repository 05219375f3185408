import Foundation
import RailKit
import RailKitSupport

/// A payment return (pacs.004.001.09): funds of an earlier pacs.008 sent back, with the reason.
public struct PaymentReturn: Sendable, Hashable {
    public var messageID: String
    public var createdAt: Date
    public var settlementMethod: SettlementMethod
    public var returnID: String
    public var originalMessageID: String
    public var originalEndToEndID: String?
    public var originalUETR: UETR
    public var originalSettlementAmount: Money?
    /// What comes back (the original less the returning banks' charges).
    public var returnedAmount: Money
    public var settlementDate: LocalDate
    public var charges: [AgentCharge]
    public var instructingAgent: BIC
    public var instructedAgent: BIC
    public var reasons: [StatusReason]

    public init(messageID: String, createdAt: Date, settlementMethod: SettlementMethod = .instructedAgent, returnID: String,
                originalMessageID: String, originalEndToEndID: String?, originalUETR: UETR, originalSettlementAmount: Money?,
                returnedAmount: Money, settlementDate: LocalDate, charges: [AgentCharge] = [], instructingAgent: BIC,
                instructedAgent: BIC, reasons: [StatusReason]) {
        self.messageID = messageID
        self.createdAt = createdAt
        self.settlementMethod = settlementMethod
        self.returnID = returnID
        self.originalMessageID = originalMessageID
        self.originalEndToEndID = originalEndToEndID
        self.originalUETR = originalUETR
        self.originalSettlementAmount = originalSettlementAmount
        self.returnedAmount = returnedAmount
        self.settlementDate = settlementDate
        self.charges = charges
        self.instructingAgent = instructingAgent
        self.instructedAgent = instructedAgent
        self.reasons = reasons
    }

    /// The pacs.004.001.09 `Document`.
    public func document(timeZone: TimeZone) throws(ISO20022Error) -> MessageElement {
        guard !reasons.isEmpty else { throw .missing(path: "PmtRtr/TxInf/RtrRsnInf (a return must give its reason)") }
        let group = MessageElement("GrpHdr", [
            MessageElement("MsgId", try CustomerCreditTransfer.identifier(messageID, field: "messageID")),
            MessageElement("CreDtTm", ISODateTime.format(createdAt, in: timeZone)),
            MessageElement("NbOfTxs", "1"),
            MessageElement("SttlmInf", [MessageElement("SttlmMtd", settlementMethod.rawValue)]),
        ])
        var reasonElements = [MessageElement]()
        for reason in reasons { reasonElements.append(try reason.element("RtrRsnInf")) }
        let transaction = MessageElement("TxInf", [
            MessageElement("RtrId", try CustomerCreditTransfer.identifier(returnID, field: "returnID")),
            MessageElement("OrgnlGrpInf", [MessageElement("OrgnlMsgId", originalMessageID), MessageElement("OrgnlMsgNmId", MessageType.pacs008.rawValue)]),
            originalEndToEndID.map { MessageElement("OrgnlEndToEndId", $0) },
            MessageElement("OrgnlUETR", originalUETR.value),
            originalSettlementAmount.map { .amount("OrgnlIntrBkSttlmAmt", $0) },
            .amount("RtrdIntrBkSttlmAmt", returnedAmount),
            MessageElement("IntrBkSttlmDt", settlementDate.description),
            MessageElement("ChrgBr", ChargeBearer.ben.iso20022Code),
        ] + charges.map { .charge($0) } + [
            .agent("InstgAgt", instructingAgent),
            .agent("InstdAgt", instructedAgent),
        ] + reasonElements)
        return MessageElement("Document", attributes: [.init("xmlns", MessageType.pacs004.namespace)],
                              [MessageElement("PmtRtr", [group, transaction])])
    }

    /// Reads a pacs.004.001.09 with one returned transaction.
    public init(parsing document: ParsedDocument) throws(ISO20022Error) {
        guard document.namespace == MessageType.pacs004.namespace else {
            throw .malformed("expected a \(MessageType.pacs004.rawValue) Document, found namespace \(document.namespace ?? "none")")
        }
        let root = "PmtRtr"
        guard let message = document.root.child(root) else { throw .missing(path: root) }
        guard let header = message.child("GrpHdr") else { throw .missing(path: "\(root)/GrpHdr") }
        let transactions = message.children(named: "TxInf")
        guard transactions.count == 1, let transaction = transactions.first else {
            throw .invalidValue(path: "\(root)/TxInf", value: "\(transactions.count) transactions", rule: "cbpr.one_transaction_per_message")
        }
        let tx = "\(root)/TxInf"
        let uetrText = try transaction.required("OrgnlUETR", in: tx)
        let uetr: UETR
        do { uetr = try UETR(uetrText) } catch { throw .invalidValue(path: "\(tx)/OrgnlUETR", value: uetrText, rule: error.rule) }
        guard let returned = try transaction.child("RtrdIntrBkSttlmAmt")?.money(path: "\(tx)/RtrdIntrBkSttlmAmt") else {
            throw .missing(path: "\(tx)/RtrdIntrBkSttlmAmt")
        }
        let reasons = try PaymentStatusReport.reasons(transaction, path: tx, container: "RtrRsnInf")
        guard !reasons.isEmpty else { throw .missing(path: "\(tx)/RtrRsnInf/Rsn (a return must give its reason)") }
        let methodText = header.text(at: "SttlmInf", "SttlmMtd") ?? ""
        guard let instructing = transaction.child("InstgAgt"), let instructed = transaction.child("InstdAgt") else {
            throw .missing(path: "\(tx)/InstgAgt and InstdAgt")
        }
        self.init(
            messageID: try header.required("MsgId", in: "\(root)/GrpHdr"),
            createdAt: try ISODateTime.parse(try header.required("CreDtTm", in: "\(root)/GrpHdr"), path: "\(root)/GrpHdr/CreDtTm"),
            settlementMethod: SettlementMethod(rawValue: methodText) ?? .instructedAgent,
            returnID: transaction.text(at: "RtrId") ?? "", originalMessageID: transaction.text(at: "OrgnlGrpInf", "OrgnlMsgId") ?? "",
            originalEndToEndID: transaction.text(at: "OrgnlEndToEndId"), originalUETR: uetr,
            originalSettlementAmount: try transaction.child("OrgnlIntrBkSttlmAmt")?.money(path: "\(tx)/OrgnlIntrBkSttlmAmt"),
            returnedAmount: returned,
            settlementDate: try LocalDate.parse(try transaction.required("IntrBkSttlmDt", in: tx), path: "\(tx)/IntrBkSttlmDt"),
            charges: try transaction.charges(path: tx), instructingAgent: try instructing.agentBIC(path: "\(tx)/InstgAgt"),
            instructedAgent: try instructed.agentBIC(path: "\(tx)/InstdAgt"), reasons: reasons)
    }
}
