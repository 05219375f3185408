import Foundation
import RailKit
import RailKitSupport

extension CustomerCreditTransfer {
    /// Reads a pacs.008.001.08 document (as a receiving bank does). Refuses more than one
    /// transaction (CBPR+) and anything this model cannot represent faithfully.
    public init(parsing document: ParsedDocument) throws(ISO20022Error) {
        guard document.namespace == MessageType.pacs008.namespace else {
            throw .malformed("expected a \(MessageType.pacs008.rawValue) Document, found namespace \(document.namespace ?? "none")")
        }
        let root = "FIToFICstmrCdtTrf"
        guard let message = document.root.child(root) else { throw .missing(path: root) }
        let group = "\(root)/GrpHdr"
        guard let header = message.child("GrpHdr") else { throw .missing(path: group) }
        let count = try header.required("NbOfTxs", in: group)
        let transactions = message.children(named: "CdtTrfTxInf")
        guard count == "1", transactions.count == 1, let transaction = transactions.first else {
            throw .invalidValue(path: "\(group)/NbOfTxs", value: count, rule: "cbpr.one_transaction_per_message")
        }
        let tx = "\(root)/CdtTrfTxInf"

        let created = try header.required("CreDtTm", in: group)
        let createdAt = try ISODateTime.parse(created, path: "\(group)/CreDtTm")
        let methodText = try header.required("SttlmInf", "SttlmMtd", in: group)
        guard let method = SettlementMethod(rawValue: methodText) else {
            throw .invalidValue(path: "\(group)/SttlmInf/SttlmMtd", value: methodText, rule: "cbpr.settlement_method_INDA_INGA")
        }
        let uetrText = try transaction.required("PmtId", "UETR", in: tx)
        let uetr: UETR
        do { uetr = try UETR(uetrText) } catch { throw .invalidValue(path: "\(tx)/PmtId/UETR", value: uetrText, rule: error.rule) }

        let bearerText = try transaction.required("ChrgBr", in: tx)
        guard let bearer = ChargeBearer.allCases.first(where: { $0.iso20022Code == bearerText }) else {
            throw .invalidValue(path: "\(tx)/ChrgBr", value: bearerText, rule: "cbpr.charge_bearer_DEBT_SHAR_CRED")
        }
        func agent(_ name: String) throws(ISO20022Error) -> BIC {
            guard let element = transaction.child(name) else { throw .missing(path: "\(tx)/\(name)") }
            return try element.agentBIC(path: "\(tx)/\(name)")
        }
        func amount(_ name: String) throws(ISO20022Error) -> Money? {
            try transaction.child(name)?.money(path: "\(tx)/\(name)")
        }
        guard let settlement = try amount("IntrBkSttlmAmt") else { throw .missing(path: "\(tx)/IntrBkSttlmAmt") }
        let charges = try transaction.charges(path: tx)
        var intermediaries = [BIC]()
        for index in 1...3 {
            guard transaction.child("IntrmyAgt\(index)") != nil else { break }
            intermediaries.append(try agent("IntrmyAgt\(index)"))
        }
        let rate: ExactDecimal?
        if let rateText = transaction.text(at: "XchgRate") {
            do { rate = try ExactDecimal(parsing: rateText) } catch { throw .invalidValue(path: "\(tx)/XchgRate", value: rateText, rule: error.rule) }
        } else {
            rate = nil
        }

        self.init(
            messageID: try header.required("MsgId", in: group), createdAt: createdAt,
            timeZone: Self.zone(ofOffsetIn: created), settlementMethod: method,
            instructingAgent: try agent("InstgAgt"), instructedAgent: try agent("InstdAgt"),
            instructionID: transaction.text(at: "PmtId", "InstrId") ?? "", endToEndID: try transaction.required("PmtId", "EndToEndId", in: tx),
            transactionID: transaction.text(at: "PmtId", "TxId") ?? "", uetr: uetr,
            settlementAmount: settlement,
            settlementDate: try LocalDate.parse(try transaction.required("IntrBkSttlmDt", in: tx), path: "\(tx)/IntrBkSttlmDt"),
            instructedAmount: try amount("InstdAmt"), exchangeRate: rate, chargeBearer: bearer, charges: charges,
            debtor: try Self.readParty(transaction, "Dbtr", in: tx), debtorAccount: try Self.readAccount(transaction, "DbtrAcct", in: tx),
            debtorAgent: try agent("DbtrAgt"), intermediaries: intermediaries, creditorAgent: try agent("CdtrAgt"),
            creditor: try Self.readParty(transaction, "Cdtr", in: tx), creditorAccount: try Self.readAccount(transaction, "CdtrAcct", in: tx),
            purpose: transaction.text(at: "Purp", "Cd"), remittanceInformation: transaction.text(at: "RmtInf", "Ustrd"))
    }

    /// A fixed-offset zone from the offset at the end of an ISO date-time (`…-05:00`, `…Z`).
    static func zone(ofOffsetIn text: String) -> TimeZone {
        guard !text.hasSuffix("Z"), text.count >= 6 else { return TimeZone(identifier: "UTC")! }
        let offset = text.suffix(6)
        let sign = offset.first == "-" ? -1 : 1
        let hours = Int(offset.dropFirst().prefix(2)) ?? 0, minutes = Int(offset.suffix(2)) ?? 0
        return TimeZone(secondsFromGMT: sign * (hours * 3600 + minutes * 60)) ?? TimeZone(identifier: "UTC")!
    }

    static func readParty(_ transaction: MessageElement, _ name: String, in tx: String) throws(ISO20022Error) -> MessageParty {
        guard let element = transaction.child(name) else { throw .missing(path: "\(tx)/\(name)") }
        let partyName = try element.required("Nm", in: "\(tx)/\(name)")
        var address: PostalAddress?
        if let postal = element.child("PstlAdr"), let town = postal.text(at: "TwnNm"), let countryText = postal.text(at: "Ctry") {
            let country: CountryCode
            do { country = try CountryCode(countryText) } catch { throw .invalidValue(path: "\(tx)/\(name)/PstlAdr/Ctry", value: countryText, rule: error.rule) }
            address = PostalAddress(streetName: postal.text(at: "StrtNm"), buildingNumber: postal.text(at: "BldgNb"),
                                    postCode: postal.text(at: "PstCd"), townName: town,
                                    countrySubDivision: postal.text(at: "CtrySubDvsn"), country: country)
        }
        let lei = element.text(at: "Id", "OrgId", "LEI").flatMap { try? LEI($0) }
        return MessageParty(name: partyName, address: address, lei: lei)
    }

    static func readAccount(_ transaction: MessageElement, _ name: String, in tx: String) throws(ISO20022Error) -> MessageAccount {
        guard let id = transaction.element(at: [name, "Id"]) else { throw .missing(path: "\(tx)/\(name)/Id") }
        if let ibanText = id.text(at: "IBAN") {
            do { return .iban(try IBAN(ibanText)) } catch { throw .invalidValue(path: "\(tx)/\(name)/Id/IBAN", value: ibanText, rule: error.rule) }
        }
        guard let number = id.text(at: "Othr", "Id") else { throw .missing(path: "\(tx)/\(name)/Id/Othr/Id") }
        return .other(number)
    }
}
