/// ISO 20022 ExternalPaymentTransactionStatus1Code: where a payment stands at an agent.
public enum TransactionStatusCode: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Technically valid (syntax and authentication passed).
    case acceptedTechnicalValidation = "ACTC"
    /// Customer profile checks passed.
    case acceptedCustomerProfile = "ACCP"
    /// Accepted for settlement; settlement in process.
    case acceptedSettlementInProcess = "ACSP"
    /// Settled on the debtor's side (interbank settlement done).
    case acceptedSettlementCompleted = "ACSC"
    /// Credited to the creditor's account.
    case acceptedCreditSettlementCompleted = "ACCC"
    /// Accepted with a change (amount, date).
    case acceptedWithChange = "ACWC"
    /// Accepted, funds checked.
    case acceptedFundsChecked = "ACFC"
    /// Accepted, waiting for a posting.
    case acceptedWithoutPosting = "ACWP"
    /// Received, not yet validated.
    case received = "RCVD"
    /// Pending: further checks before a final status.
    case pending = "PDNG"
    /// Blocked (e.g. sanctions) — funds held, not returned.
    case blocked = "BLCK"
    /// Rejected: nothing moved beyond this agent.
    case rejected = "RJCT"
    /// Cancelled after a cancellation request.
    case cancelled = "CANC"

    public var description: String { rawValue }

    /// Reads a status code, refusing anything outside the ISO list.
    public static func parse(_ text: String, path: String) throws(ISO20022Error) -> TransactionStatusCode {
        guard let code = TransactionStatusCode(rawValue: text) else {
            throw .invalidValue(path: path, value: text,
                                rule: "iso.ExternalPaymentTransactionStatus1Code (one of \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return code
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
