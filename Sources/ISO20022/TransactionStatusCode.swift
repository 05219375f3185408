/// ISO 20022 ExternalPaymentTransactionStatus1Code: where a payment stands at an agent.
///
/// An open set, as the external code list is: ISO adds codes between releases. A well-formed code
/// outside ``listed`` is kept as sent (``isListed`` is false) rather than failing the whole report;
/// what a rail makes of it is the rail's decision (the correspondent rail keeps the payment open).
public struct TransactionStatusCode: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    /// A code as sent; see ``parse(_:path:)`` for reading one from a message.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Technically valid (syntax and authentication passed).
    public static let acceptedTechnicalValidation = Self("ACTC")
    /// Customer profile checks passed.
    public static let acceptedCustomerProfile = Self("ACCP")
    /// Accepted for settlement; settlement in process.
    public static let acceptedSettlementInProcess = Self("ACSP")
    /// Settled on the debtor's side (interbank settlement done).
    public static let acceptedSettlementCompleted = Self("ACSC")
    /// Credited to the creditor's account.
    public static let acceptedCreditSettlementCompleted = Self("ACCC")
    /// Accepted with a change (amount, date).
    public static let acceptedWithChange = Self("ACWC")
    /// Accepted, funds checked.
    public static let acceptedFundsChecked = Self("ACFC")
    /// Accepted, waiting for a posting.
    public static let acceptedWithoutPosting = Self("ACWP")
    /// Accepted by the clearing system, processed.
    public static let acceptedClearingProcessed = Self("ACPD")
    /// Accepted and a cheque issued.
    public static let acceptedAndChequeIssued = Self("ACIS")
    /// Cash picked up by the creditor.
    public static let cashPickedUpByCreditor = Self("CPUC")
    /// Some transactions of a group accepted.
    public static let partiallyAccepted = Self("PART")
    /// Some transactions accepted, technically correct.
    public static let partiallyAcceptedTechnicalCorrect = Self("PATC")
    /// Presented (a cheque or draft).
    public static let presented = Self("PRES")
    /// Received, not yet validated.
    public static let received = Self("RCVD")
    /// Pending: further checks before a final status.
    public static let pending = Self("PDNG")
    /// Blocked (e.g. sanctions) — funds held, not returned.
    public static let blocked = Self("BLCK")
    /// Rejected: nothing moved beyond this agent.
    public static let rejected = Self("RJCT")
    /// Cancelled after a cancellation request.
    public static let cancelled = Self("CANC")

    /// The codes of ISO 20022's ExternalPaymentTransactionStatus1Code list.
    public static let listed: [TransactionStatusCode] = [
        .acceptedTechnicalValidation, .acceptedCustomerProfile, .acceptedSettlementInProcess, .acceptedSettlementCompleted,
        .acceptedCreditSettlementCompleted, .acceptedWithChange, .acceptedFundsChecked, .acceptedWithoutPosting,
        .acceptedClearingProcessed, .acceptedAndChequeIssued, .cashPickedUpByCreditor, .partiallyAccepted,
        .partiallyAcceptedTechnicalCorrect, .presented, .received, .pending, .blocked, .rejected, .cancelled,
    ]

    /// Whether the code is in ``listed``.
    public var isListed: Bool { Self.listed.contains(self) }

    public var description: String { rawValue }

    /// Reads a status code: four upper-case ASCII letters, as every external code is (one not in
    /// ``listed`` is kept). Anything else is not a status code.
    public static func parse(_ text: String, path: String) throws(ISO20022Error) -> TransactionStatusCode {
        guard text.utf8.count == 4, text.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else {
            throw .invalidValue(path: path, value: text, rule: "iso.ExternalPaymentTransactionStatus1Code (four upper-case letters, e.g. ACSP)")
        }
        return TransactionStatusCode(text)
    }
}

/// A reason from ISO 20022's ExternalStatusReason1Code / ExternalReturnReason1Code lists, or a
/// proprietary reason. Codes outside the list are kept (a bank's rejection must never be lost
/// because its reason is new to us) but reported as unlisted.
public struct StatusReason: Sendable, Hashable, CustomStringConvertible {
    /// The ISO code (`AC01`) or the proprietary text.
    public var code: String
    public var isProprietary: Bool
    /// `AddtlInf` lines.
    public var additionalInformation: [String]

    public init(code: String, isProprietary: Bool = false, additionalInformation: [String] = []) {
        self.code = code
        self.isProprietary = isProprietary
        self.additionalInformation = additionalInformation
    }

    /// The ISO definition's name, or a note that the code is proprietary or unlisted.
    public var meaning: String {
        if isProprietary { return "proprietary reason" }
        return Self.names[code] ?? "code not in Switchyard's ISO 20022 reason list"
    }

    public var description: String {
        ([code + " (" + meaning + ")"] + additionalInformation).joined(separator: ": ")
    }

    /// The reason as `<container><Rsn><Cd|Prtry/></Rsn><AddtlInf/>…</container>` (`StsRsnInf`, `RtrRsnInf`).
    func element(_ container: String) throws(ISO20022Error) -> MessageElement {
        var lines = [MessageElement]()
        for line in additionalInformation {
            lines.append(MessageElement("AddtlInf", try SWIFTText.sanitize(line, field: "reason.additionalInformation", maxLength: 105)))
        }
        let reason = isProprietary ? MessageElement("Prtry", code) : MessageElement("Cd", code)
        return MessageElement(container, [MessageElement("Rsn", [reason])] + lines)
    }

    /// Names of the ISO external status and return reason codes seen on cross-border payments.
    public static let names: [String: String] = [
        "AC01": "IncorrectAccountNumber", "AC03": "InvalidCreditorAccountNumber", "AC04": "ClosedAccountNumber",
        "AC06": "BlockedAccount", "AC13": "InvalidDebtorAccountType", "AG01": "TransactionForbidden",
        "AG02": "InvalidBankOperationCode", "AG03": "TransactionNotSupported", "AM01": "ZeroAmount",
        "AM02": "NotAllowedAmount", "AM03": "NotAllowedCurrency", "AM04": "InsufficientFunds",
        "AM05": "Duplication", "AM09": "WrongAmount", "BE01": "InconsistentWithEndCustomer",
        "BE04": "MissingCreditorAddress", "BE05": "UnrecognisedInitiatingParty", "BE06": "UnknownEndCustomer",
        "CNOR": "CreditorBankIsNotRegistered", "CURR": "IncorrectCurrency", "CUST": "RequestedByCustomer",
        "DNOR": "DebtorBankIsNotRegistered", "DT01": "InvalidDate", "DUPL": "DuplicatePayment",
        "FF01": "InvalidFileFormat", "FOCR": "FollowingCancellationRequest", "FRAD": "FraudulentOrigin",
        "MD07": "EndCustomerDeceased", "MS02": "NotSpecifiedReasonCustomerGenerated",
        "MS03": "NotSpecifiedReasonAgentGenerated", "NARR": "Narrative", "RC01": "BankIdentifierIncorrect",
        "RC03": "InvalidDebtorBankIdentifier", "RC04": "InvalidCreditorBankIdentifier",
        "RC08": "InvalidClearingSystemMemberIdentifier", "RR01": "MissingDebtorAccountOrIdentification",
        "RR02": "MissingDebtorNameOrAddress", "RR03": "MissingCreditorNameOrAddress", "RR04": "RegulatoryReason",
        "TM01": "InvalidCutOffTime", "UPAY": "UndueRetrnPayment",
    ]
}
