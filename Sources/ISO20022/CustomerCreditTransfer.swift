import Foundation
import RailKit
import RailKitSupport

/// A party as a pacs.008 names it: a name, a structured postal address and, for organisations, an LEI.
public struct MessageParty: Sendable, Hashable {
    public var name: String
    public var address: PostalAddress?
    public var lei: LEI?

    public init(name: String, address: PostalAddress? = nil, lei: LEI? = nil) {
        self.name = name
        self.address = address
        self.lei = lei
    }
}

/// An account: an IBAN where the country uses them, otherwise the local number in `Othr/Id`
/// (the US, China and Hong Kong have no IBAN).
public enum MessageAccount: Sendable, Hashable, CustomStringConvertible {
    case iban(IBAN)
    case other(String)

    /// A party's account as a message names it: the IBAN when there is one, else the account
    /// number; nil when the party gave neither.
    public init?(_ details: AccountDetails) {
        if let iban = details.iban { self = .iban(iban) } else if let number = details.accountNumber { self = .other(number) } else { return nil }
    }

    public var description: String {
        switch self {
        case .iban(let iban): iban.electronic
        case .other(let number): number
        }
    }
}

/// How the interbank settlement is made (CBPR+ serial payments; cover payments are not supported).
public enum SettlementMethod: String, Sendable, Hashable, CaseIterable {
    /// The instructed agent debits an account it services for the instructing agent.
    case instructedAgent = "INDA"
    /// The instructing agent credits an account it services for the instructed agent.
    case instructingAgent = "INGA"
}

/// A charge taken by an agent along the chain (`ChrgsInf`).
public struct AgentCharge: Sendable, Hashable {
    public var amount: Money
    public var agent: BIC

    public init(amount: Money, agent: BIC) {
        self.amount = amount
        self.agent = agent
    }
}

/// One FI-to-FI customer credit transfer (pacs.008.001.08) under CBPR+ rules: one transaction
/// per message, agents by BIC, a UETR, charge bearer and time-zone offsets on every date-time.
public struct CustomerCreditTransfer: Sendable, Hashable {
    public var messageID: String
    public var createdAt: Date
    /// The zone whose offset `CreDtTm` is written in (the sending bank's).
    public var timeZone: TimeZone
    public var settlementMethod: SettlementMethod
    public var instructingAgent: BIC
    public var instructedAgent: BIC

    public var instructionID: String
    public var endToEndID: String
    public var transactionID: String
    public var uetr: UETR

    /// What moves between the banks (`IntrBkSttlmAmt`).
    public var settlementAmount: Money
    public var settlementDate: LocalDate
    /// What the debtor instructed (`InstdAmt`), when it differs from the settlement amount in
    /// currency (with ``exchangeRate``) or by charges deducted (CRED).
    public var instructedAmount: Money?
    /// Units of settlement currency per unit of instructed currency (`XchgRate`).
    public var exchangeRate: ExactDecimal?
    public var chargeBearer: ChargeBearer
    public var charges: [AgentCharge]

    public var debtor: MessageParty
    public var debtorAccount: MessageAccount
    public var debtorAgent: BIC
    /// Up to three intermediary agents, in order.
    public var intermediaries: [BIC]
    public var creditorAgent: BIC
    public var creditor: MessageParty
    public var creditorAccount: MessageAccount

    /// An ISO external purpose code (`GDDS`, `SUPP`).
    public var purpose: String?
    /// Unstructured remittance information, at most 140 characters.
    public var remittanceInformation: String?

    public init(messageID: String, createdAt: Date, timeZone: TimeZone, settlementMethod: SettlementMethod,
                instructingAgent: BIC, instructedAgent: BIC, instructionID: String, endToEndID: String,
                transactionID: String, uetr: UETR, settlementAmount: Money, settlementDate: LocalDate,
                instructedAmount: Money? = nil, exchangeRate: ExactDecimal? = nil, chargeBearer: ChargeBearer,
                charges: [AgentCharge] = [], debtor: MessageParty, debtorAccount: MessageAccount, debtorAgent: BIC,
                intermediaries: [BIC] = [], creditorAgent: BIC, creditor: MessageParty, creditorAccount: MessageAccount,
                purpose: String? = nil, remittanceInformation: String? = nil) {
        self.messageID = messageID
        self.createdAt = createdAt
        self.timeZone = timeZone
        self.settlementMethod = settlementMethod
        self.instructingAgent = instructingAgent
        self.instructedAgent = instructedAgent
        self.instructionID = instructionID
        self.endToEndID = endToEndID
        self.transactionID = transactionID
        self.uetr = uetr
        self.settlementAmount = settlementAmount
        self.settlementDate = settlementDate
        self.instructedAmount = instructedAmount
        self.exchangeRate = exchangeRate
        self.chargeBearer = chargeBearer
        self.charges = charges
        self.debtor = debtor
        self.debtorAccount = debtorAccount
        self.debtorAgent = debtorAgent
        self.intermediaries = intermediaries
        self.creditorAgent = creditorAgent
        self.creditor = creditor
        self.creditorAccount = creditorAccount
        self.purpose = purpose
        self.remittanceInformation = remittanceInformation
    }
}
