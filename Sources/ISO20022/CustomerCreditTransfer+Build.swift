import Foundation
import RailKit
import RailKitSupport

extension CustomerCreditTransfer {
    /// The pacs.008.001.08 `Document`, checked against the CBPR+ rules the schema cannot express.
    ///
    /// - Parameter characterSet: what names, addresses and remittance text may hold: the SWIFT
    ///   set for CBPR+ (the default), or Chinese characters as well for CIPS.
    /// - Throws: ``ISO20022Error`` naming the field and rule; nothing is produced for a message
    ///   that would be refused (a name outside the character set, a charge bearer of CRED
    ///   without charges, more than three intermediaries).
    public func document(characterSet: MessageCharacterSet = .swift) throws(ISO20022Error) -> MessageElement {
        try checkRules()
        let rate: MessageElement? = if let exchangeRate { MessageElement("XchgRate", try Self.baseOneRate(exchangeRate)) } else { nil }
        let remittance: MessageElement? = if let remittanceInformation {
            MessageElement("RmtInf", [MessageElement("Ustrd", try characterSet.sanitize(remittanceInformation, field: "remittanceInformation", maxLength: 140))])
        } else { nil }
        let transaction = MessageElement("CdtTrfTxInf", [
            MessageElement("PmtId", [
                MessageElement("InstrId", try Self.identifier(instructionID, field: "instructionID")),
                MessageElement("EndToEndId", try Self.identifier(endToEndID, field: "endToEndID")),
                MessageElement("TxId", try Self.identifier(transactionID, field: "transactionID")),
                MessageElement("UETR", uetr.value),
            ]),
            .amount("IntrBkSttlmAmt", settlementAmount),
            MessageElement("IntrBkSttlmDt", settlementDate.description),
            instructedAmount.map { .amount("InstdAmt", $0) },
            rate,
            MessageElement("ChrgBr", chargeBearer.iso20022Code),
        ] + charges.map { charge -> MessageElement? in .charge(charge) } + [
            .agent("InstgAgt", instructingAgent),
            .agent("InstdAgt", instructedAgent),
        ] + intermediaries.enumerated().map { index, bic -> MessageElement? in
            .agent("IntrmyAgt\(index + 1)", bic)
        } + [
            try Self.party("Dbtr", debtor, field: "debtor", characterSet: characterSet),
            try Self.account("DbtrAcct", debtorAccount, field: "debtorAccount"),
            .agent("DbtrAgt", debtorAgent),
            .agent("CdtrAgt", creditorAgent),
            try Self.party("Cdtr", creditor, field: "creditor", characterSet: characterSet),
            try Self.account("CdtrAcct", creditorAccount, field: "creditorAccount"),
            purpose.map { MessageElement("Purp", [MessageElement("Cd", $0)]) },
            remittance,
        ])
        let group = MessageElement("GrpHdr", [
            MessageElement("MsgId", try Self.identifier(messageID, field: "messageID")),
            MessageElement("CreDtTm", ISODateTime.format(createdAt, in: timeZone)),
            MessageElement("NbOfTxs", "1"),
            MessageElement("SttlmInf", [MessageElement("SttlmMtd", settlementMethod.rawValue)]),
        ])
        return MessageElement("Document", attributes: [.init("xmlns", MessageType.pacs008.namespace)],
                              [MessageElement("FIToFICstmrCdtTrf", [group, transaction])])
    }

    /// The message as UTF-8 XML.
    public func xml() throws(ISO20022Error) -> Data {
        Data(try document().document().utf8)
    }

    private func checkRules() throws(ISO20022Error) {
        guard settlementAmount.minorUnits > 0, settlementAmount.currency != nil else {
            throw .invalidValue(path: "IntrBkSttlmAmt", value: settlementAmount.description, rule: "iso.amount_positive_fiat")
        }
        if let instructedAmount, instructedAmount.asset != settlementAmount.asset, exchangeRate == nil {
            throw .invalidValue(path: "XchgRate", value: "absent", rule: "cbpr.exchange_rate_required_across_currencies")
        }
        if chargeBearer == .ben && charges.isEmpty {
            throw .invalidValue(path: "ChrgsInf", value: "absent", rule: "cbpr.charges_required_when_CRED")
        }
        guard intermediaries.count <= 3 else {
            throw .invalidValue(path: "IntrmyAgt", value: "\(intermediaries.count)", rule: "cbpr.at_most_three_intermediaries")
        }
        if let purpose, purpose.count != 4 || !purpose.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) {
            throw .invalidValue(path: "Purp/Cd", value: purpose, rule: "iso.external_purpose_code")
        }
    }

    /// A reference we generate: 1–35 SWIFT characters, not starting or ending with `/`, no `//`.
    static func identifier(_ value: String, field: String) throws(ISO20022Error) -> String {
        guard SWIFTText.isReference(value) else {
            throw .unrepresentableText(field: field, rule: "cbpr.reference",
                                       detail: "\"\(value)\" must be 1-35 SWIFT characters, not start or end with '/' nor contain '//'")
        }
        return value
    }

    /// `XchgRate` is a BaseOneRate: at most 10 fractional and 11 total digits. The rate is
    /// informational (the amounts settle), so it is rounded half-even to fit.
    static func baseOneRate(_ rate: ExactDecimal) throws(ISO20022Error) -> String {
        var scale = min(10, rate.normalized.scale)
        while scale >= 0 {
            if let fitted = try? rate.rescaled(to: scale, rounding: .halfEven).normalized,
               String(fitted.significand.magnitude).count <= 11 {
                return fitted.description
            }
            scale -= 1
        }
        throw .invalidValue(path: "XchgRate", value: rate.description, rule: "iso.base_one_rate")
    }

    static func party(_ name: String, _ party: MessageParty, field: String, characterSet: MessageCharacterSet) throws(ISO20022Error) -> MessageElement {
        var children: [MessageElement?] = [MessageElement("Nm", try characterSet.sanitize(party.name, field: "\(field).name", maxLength: 140))]
        if let address = party.address {
            func text(_ value: String?, _ element: String, _ max: Int) throws(ISO20022Error) -> MessageElement? {
                guard let value else { return nil }
                return MessageElement(element, try characterSet.sanitize(value, field: "\(field).address.\(element)", maxLength: max))
            }
            children.append(MessageElement("PstlAdr", [
                try text(address.streetName, "StrtNm", 70),
                try text(address.buildingNumber, "BldgNb", 16),
                try text(address.postCode, "PstCd", 16),
                try text(address.townName, "TwnNm", 35),
                try text(address.countrySubDivision, "CtrySubDvsn", 35),
                MessageElement("Ctry", address.country.code),
            ]))
        }
        if let lei = party.lei {
            children.append(MessageElement("Id", [MessageElement("OrgId", [MessageElement("LEI", lei.code)])]))
        }
        return MessageElement(name, children)
    }

    static func account(_ name: String, _ account: MessageAccount, field: String) throws(ISO20022Error) -> MessageElement {
        switch account {
        case .iban(let iban):
            return MessageElement(name, [MessageElement("Id", [MessageElement("IBAN", iban.electronic)])])
        case .other(let number):
            guard (1...34).contains(number.count), SWIFTText.isValid(number) else {
                throw .unrepresentableText(field: field, rule: "iso.account_number",
                                           detail: "an account number is 1-34 SWIFT characters without leading or trailing spaces")
            }
            return MessageElement(name, [MessageElement("Id", [MessageElement("Othr", [MessageElement("Id", number)])])])
        }
    }
}
