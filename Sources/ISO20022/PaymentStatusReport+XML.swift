import Foundation
import RailKit
import RailKitSupport

extension PaymentStatusReport {
    /// The pacs.002.001.10 `Document` (as a bank, or the simulator, sends it).
    public func document(timeZone: TimeZone) throws(ISO20022Error) -> MessageElement {
        let group = MessageElement("GrpHdr", [
            MessageElement("MsgId", try CustomerCreditTransfer.identifier(messageID, field: "messageID")),
            MessageElement("CreDtTm", ISODateTime.format(createdAt, in: timeZone)),
        ])
        let original = MessageElement("OrgnlGrpInfAndSts", [
            MessageElement("OrgnlMsgId", originalMessageID),
            MessageElement("OrgnlMsgNmId", originalMessageName),
        ])
        var statuses = [MessageElement]()
        for transaction in transactions {
            var children: [MessageElement?] = [
                transaction.originalEndToEndID.map { MessageElement("OrgnlEndToEndId", $0) },
                transaction.originalUETR.map { MessageElement("OrgnlUETR", $0.value) },
                MessageElement("TxSts", transaction.status.rawValue),
            ]
            for reason in transaction.reasons { children.append(try reason.element("StsRsnInf")) }
            children += transaction.charges.map { .charge($0) }
            children.append(transaction.acceptedAt.map { MessageElement("AccptncDtTm", ISODateTime.format($0, in: timeZone)) })
            children.append(transaction.reportingAgent.map { .agent("InstgAgt", $0) })
            children.append(transaction.originalSettlementAmount.map { MessageElement("OrgnlTxRef", [.amount("IntrBkSttlmAmt", $0)]) })
            statuses.append(MessageElement("TxInfAndSts", children))
        }
        return MessageElement("Document", attributes: [.init("xmlns", MessageType.pacs002.namespace)],
                              [MessageElement("FIToFIPmtStsRpt", [group, original] + statuses)])
    }

    /// Reads a pacs.002.001.10. Every transaction must carry a status code (four letters; one
    /// outside the ISO list is kept as sent); a report with none is malformed.
    public init(parsing document: ParsedDocument) throws(ISO20022Error) {
        guard document.namespace == MessageType.pacs002.namespace else {
            throw .malformed("expected a \(MessageType.pacs002.rawValue) Document, found namespace \(document.namespace ?? "none")")
        }
        let root = "FIToFIPmtStsRpt"
        guard let report = document.root.child(root) else { throw .missing(path: root) }
        guard let header = report.child("GrpHdr") else { throw .missing(path: "\(root)/GrpHdr") }
        let created = try header.required("CreDtTm", in: "\(root)/GrpHdr")
        let original = report.child("OrgnlGrpInfAndSts")
        var transactions = [TransactionStatus]()
        for (index, element) in report.children(named: "TxInfAndSts").enumerated() {
            let path = "\(root)/TxInfAndSts[\(index)]"
            transactions.append(try Self.transaction(element, path: path))
        }
        if transactions.isEmpty, let groupStatus = original?.text(at: "GrpSts") {
            // A group-level status (e.g. the whole message rejected) applies to its only transaction.
            let status = try TransactionStatusCode.parse(groupStatus, path: "\(root)/OrgnlGrpInfAndSts/GrpSts")
            transactions.append(TransactionStatus(originalUETR: nil, status: status,
                                                  reasons: try Self.reasons(original!, path: "\(root)/OrgnlGrpInfAndSts")))
        }
        guard !transactions.isEmpty else { throw .missing(path: "\(root)/TxInfAndSts/TxSts") }
        self.init(messageID: try header.required("MsgId", in: "\(root)/GrpHdr"),
                  createdAt: try ISODateTime.parse(created, path: "\(root)/GrpHdr/CreDtTm"),
                  originalMessageID: original?.text(at: "OrgnlMsgId") ?? "",
                  originalMessageName: original?.text(at: "OrgnlMsgNmId") ?? "",
                  transactions: transactions)
    }

    private static func transaction(_ element: MessageElement, path: String) throws(ISO20022Error) -> TransactionStatus {
        let status = try TransactionStatusCode.parse(try element.required("TxSts", in: path), path: "\(path)/TxSts")
        var uetr: UETR?
        if let text = element.text(at: "OrgnlUETR") {
            do { uetr = try UETR(text) } catch { throw .invalidValue(path: "\(path)/OrgnlUETR", value: text, rule: error.rule) }
        }
        let reasons = try reasons(element, path: path)
        if status == .rejected && reasons.isEmpty {
            throw .missing(path: "\(path)/StsRsnInf/Rsn (a rejection must give its reason)")
        }
        return TransactionStatus(
            originalEndToEndID: element.text(at: "OrgnlEndToEndId"), originalUETR: uetr, status: status, reasons: reasons,
            charges: try element.charges(path: path),
            acceptedAt: try element.text(at: "AccptncDtTm").map { text throws(ISO20022Error) in try ISODateTime.parse(text, path: "\(path)/AccptncDtTm") },
            originalSettlementAmount: try element.element(at: ["OrgnlTxRef", "IntrBkSttlmAmt"])?.money(path: "\(path)/OrgnlTxRef/IntrBkSttlmAmt"),
            reportingAgent: try element.child("InstgAgt")?.agentBIC(path: "\(path)/InstgAgt"))
    }

    static func reasons(_ element: MessageElement, path: String, container: String = "StsRsnInf") throws(ISO20022Error) -> [StatusReason] {
        var reasons = [StatusReason]()
        for (index, info) in element.children(named: container).enumerated() {
            let reasonPath = "\(path)/\(container)[\(index)]/Rsn"
            // The bank's free text (Max105Text) is untrusted: XML admits C1 controls and bidi overrides.
            let lines = info.children(named: "AddtlInf").compactMap { $0.text.map { CounterpartText.sanitized($0, maximumLength: 105) } }
            if let code = info.text(at: "Rsn", "Cd") {
                // Kept exactly as sent (an external code is 1–4 characters; a bank's rejection must
                // never be lost because its code is new or oddly written).
                guard (1...4).contains(code.count) else {
                    throw .invalidValue(path: "\(reasonPath)/Cd", value: code, rule: "iso.ExternalStatusReason1Code (1 to 4 characters)")
                }
                reasons.append(StatusReason(code: code, additionalInformation: lines))
            } else if let proprietary = info.text(at: "Rsn", "Prtry") {
                reasons.append(StatusReason(code: proprietary, isProprietary: true, additionalInformation: lines))
            } else if !lines.isEmpty {
                reasons.append(StatusReason(code: "NARR", additionalInformation: lines))
            }
        }
        return reasons
    }
}
