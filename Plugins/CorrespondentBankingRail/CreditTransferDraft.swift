import Foundation
import ISO20022
import RailKit
import RailKitSupport

/// Turns a quoted payment into the pacs.008 this relationship sends.
///
/// The sending bank is the debtor agent and instructing agent; the configured correspondent is
/// the instructed agent; the corridor's intermediaries follow in order. Cross-currency payments
/// are converted by the sending bank at the quote's applied rate (`InstdAmt` in the source
/// currency, `XchgRate`, `IntrBkSttlmAmt` in the destination currency). Under BEN the sending
/// bank's fee is deducted before settlement and reported in `ChrgsInf`.
struct CreditTransferDraft {
    let settings: CorrespondentSettings
    let execution: CorrespondentSettings.Execution
    let corridor: CorrespondentSettings.CorridorSettings
    let releaseCalendar: BusinessCalendar

    func make(intent: PaymentIntent, quote: Quote, uetr: UETR, now: Date) throws -> CustomerCreditTransfer {
        guard let creditorAgent = intent.creditor.accounts.bic, let creditorAccount = MessageAccount(intent.creditor.accounts) else {
            throw RailError.declined(RailDecline(.creditorAccountMissing, "A SWIFT payment needs the creditor's bank BIC and account number or IBAN."))
        }
        guard let debtorAccount = MessageAccount(intent.debtor.accounts) else {
            throw RailError.declined(RailDecline(.debtorAccountMissing, "A SWIFT payment needs the debtor's account number or IBAN."))
        }
        guard let method = SettlementMethod(rawValue: execution.settlementMethod) else {
            throw RailError.misconfigured("execution.settlementMethod must be INDA or INGA")
        }
        let bearer = intent.chargeBearer ?? settings.defaultChargeBearer
        var instructed = quote.principal
        var charges = [AgentCharge]()
        if bearer == .ben, let senderFee = quote.costs.first(where: { $0.kind == .senderBankFee }) {
            charges.append(AgentCharge(amount: senderFee.amount, agent: settings.sendingBank.bic))
            instructed = try instructed.subtracting(senderFee.amount)
        }
        var settlement = instructed
        var rate: ExactDecimal?
        if let fx = quote.fx, fx.applied.base != fx.applied.quote {
            // A fixed receive settles what the quote promised the creditor (plus the fees taken
            // after conversion), not the rounded-up principal converted back.
            settlement = intent.amount.fixed == .receive ? try quote.destinationSettlementForFixedReceive()
                : try fx.applied.convert(instructed, rounding: .halfEven)
            rate = fx.applied.rate
        }
        let hex = uetr.value.replacingOccurrences(of: "-", with: "").uppercased()
        let start = try releaseCalendar.processingStart(for: now, cutOff: settings.release.cutOff)
        return CustomerCreditTransfer(
            messageID: "SWY" + hex, createdAt: now, timeZone: releaseCalendar.timeZone, settlementMethod: method,
            instructingAgent: settings.sendingBank.bic, instructedAgent: execution.correspondent.bic,
            instructionID: "I" + hex.prefix(34), endToEndID: Self.endToEndID(intent.reference), transactionID: "T" + hex.prefix(34),
            uetr: uetr, settlementAmount: settlement, settlementDate: releaseCalendar.localDate(of: start),
            instructedAmount: settlement.asset == quote.principal.asset && charges.isEmpty ? nil : quote.principal,
            exchangeRate: rate, chargeBearer: bearer, charges: charges,
            debtor: MessageParty(name: intent.debtor.name, address: intent.debtor.address, lei: intent.debtor.lei),
            debtorAccount: debtorAccount, debtorAgent: settings.sendingBank.bic,
            intermediaries: corridor.intermediaries.map(\.bic), creditorAgent: creditorAgent,
            creditor: MessageParty(name: intent.creditor.name, address: intent.creditor.address, lei: intent.creditor.lei),
            creditorAccount: creditorAccount, purpose: intent.purpose, remittanceInformation: intent.remittanceInformation)
    }

    /// The payer's own reference when it is a valid CBPR+ reference, otherwise `NOTPROVIDED` (the CBPR+ convention).
    static func endToEndID(_ reference: String?) -> String {
        guard let reference, SWIFTText.isReference(reference) else { return "NOTPROVIDED" }
        return reference
    }
}
