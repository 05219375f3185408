import Foundation
import ISO20022
import Logging
import RailKit
import RailKitSupport

extension CIPSRail {
    /// Builds the pacs.008 for the quoted payment, records it with its UETR (the checkpoint), and
    /// sends it to the participant. The participant's immediate pacs.002 (ACTC or RJCT) is the receipt's status.
    public func execute(_ request: ExecutionRequest, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        guard let participantAPI else { throw RailError.unsupported(operation: "execute", rail: descriptor.id) }
        if let recorded = request.resumeFrom {
            // The checkpoint holds the message: resuming never builds another one.
            return ExecutionReceipt(submission: recorded, status: try await status(of: recorded, at: request.now))
        }
        guard let index = descriptor.capabilities.corridorIndex(serving: request.intent) else {
            throw RailError.declined(RailDecline(.corridorNotSupported, "The quoted corridor is no longer configured on \(descriptor.id)."))
        }
        if let decline = deliveryDecline(request.intent, corridor: settings.corridors[index]) { throw RailError.declined(decline) }
        let uetr = UETR.random()
        let transfer = try creditTransfer(request.intent, quote: request.quote, uetr: uetr, now: request.now, execution: participantAPI.settings)
        let message: Data
        do {
            message = Data(try transfer.document(characterSet: .cips).document().utf8)
        } catch {
            throw RailError.declined(RailDecline(.characterSetViolation, error.description))
        }
        let submission = RailSubmission(reference: .uetr(uetr), checkpoint: try RailCheckpoint(CIPSCheckpoint(
            uetr: uetr, messageID: transfer.messageID, settlementAmount: transfer.settlementAmount, participant: transfer.instructedAgent,
            creditorAgent: transfer.creditorAgent, pacs008: String(decoding: message, as: UTF8.self))))
        try await recorder.record(.prepared(submission))
        let log = participantAPI.connection.logger
        log.info("sending pacs.008 over CIPS", metadata: ["uetr": .string(uetr.value), "participant": .string(transfer.instructedAgent.code),
                                                          "amount": .string(transfer.settlementAmount.description)])
        let status: RailPaymentStatus
        switch try await participantAPI.connection.submit(message, reference: submission.reference, counterpart: "participant",
                                                          tokenSetting: "execution.token", now: request.now, log: log) {
        case .answered(let answer):
            try await recorder.record(.submitted(submission.reference))
            status = try BankStatusMapping.status(answer, reference: submission.reference, uetr: uetr, messageID: transfer.messageID, now: request.now)
        case .outcomeUnknown(let unknown):
            try await recorder.record(.submitted(submission.reference))
            status = unknown
        case .refused(let refused):
            status = refused
        }
        log.info("participant answered", metadata: ["uetr": .string(uetr.value), "state": .string(status.state.rawValue),
                                                    "code": .string(status.railCode ?? "-")])
        return ExecutionReceipt(submission: submission, status: status)
    }

    /// The participant's latest message about the payment (one it never received is sent again from the journal).
    public func status(of submission: RailSubmission, at now: Date) async throws -> RailPaymentStatus {
        guard let participantAPI else { throw RailError.unsupported(operation: "status", rail: descriptor.id) }
        let checkpoint = try submission.checkpoint.decode(CIPSCheckpoint.self)
        let uetr = checkpoint.uetr, messageID = checkpoint.messageID, pacs008 = Data(checkpoint.pacs008.utf8)
        guard submission.reference == .uetr(uetr) else {
            throw RailError.invalidResponse("submission \(submission.reference) does not name the checkpoint's UETR \(uetr)")
        }
        let message = try await participantAPI.connection.latestOrResend(uetr, message: pacs008, counterpart: "participant")
        return try BankStatusMapping.status(message, reference: submission.reference, uetr: uetr, messageID: messageID, now: now)
    }

    /// The pacs.008: the sending bank (debtor and instructing agent) converts at the quote's
    /// applied rate and instructs the CIPS participant (instructed agent) to pay the creditor's
    /// mainland bank in CNY. The purpose code and the invoice (`/INV/` in the remittance text, the
    /// SWIFT convention mainland banks read) carry the documentation.
    func creditTransfer(_ intent: PaymentIntent, quote: Quote, uetr: UETR, now: Date,
                        execution: CIPSSettings.Execution) throws -> CustomerCreditTransfer {
        guard let creditorAgent = intent.creditor.accounts.bic, let creditorAccount = MessageAccount(intent.creditor.accounts) else {
            throw RailError.declined(RailDecline(.creditorAccountMissing, "A CIPS payment needs the creditor's bank BIC and account number."))
        }
        guard let debtorAccount = MessageAccount(intent.debtor.accounts) else {
            throw RailError.declined(RailDecline(.debtorAccountMissing, "A CIPS payment needs the debtor's account number or IBAN."))
        }
        guard let method = SettlementMethod(rawValue: execution.settlementMethod) else {
            throw RailError.misconfigured("execution.settlementMethod must be INDA or INGA")
        }
        let bearer = intent.chargeBearer ?? settings.defaultChargeBearer
        var instructed = quote.principal
        var charges = [AgentCharge]()
        if bearer == .ben {
            for fee in quote.costs where fee.kind == .senderBankFee || fee.kind == Self.clearingFee {
                charges.append(AgentCharge(amount: fee.amount, agent: fee.kind == .senderBankFee ? settings.sendingBank.bic : settings.participant.bic))
                instructed = try instructed.subtracting(fee.amount)
            }
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
        let start = try calendar.processingStart(for: now, cutOff: settings.operatingHours.cutOff)
        let invoice = Self.invoiceReference(intent)
        var remittance = invoice.map { "/INV/\($0)" } ?? ""
        if let text = intent.remittanceInformation {
            // Made valid first (transliteration may lengthen it), then cut to the field's 140 characters.
            let valid = try MessageCharacterSet.cips.sanitize(text, field: "remittanceInformation", maxLength: Int.max)
            remittance = String((remittance.isEmpty ? valid : remittance + " " + valid).prefix(140)).trimmingCharacters(in: .whitespaces)
        }
        return CustomerCreditTransfer(
            messageID: "SWYC" + hex.prefix(31), createdAt: now, timeZone: calendar.timeZone, settlementMethod: method,
            instructingAgent: settings.sendingBank.bic, instructedAgent: settings.participant.bic,
            instructionID: "I" + hex.prefix(34), endToEndID: invoice ?? "NOTPROVIDED", transactionID: "T" + hex.prefix(34),
            uetr: uetr, settlementAmount: settlement, settlementDate: calendar.localDate(of: start),
            instructedAmount: settlement.asset == quote.principal.asset && charges.isEmpty ? nil : quote.principal,
            exchangeRate: rate, chargeBearer: bearer, charges: charges,
            debtor: MessageParty(name: intent.debtor.name, address: intent.debtor.address, lei: intent.debtor.lei),
            debtorAccount: debtorAccount, debtorAgent: settings.sendingBank.bic,
            intermediaries: [], creditorAgent: creditorAgent,
            creditor: MessageParty(name: intent.creditor.name, address: intent.creditor.address, lei: intent.creditor.lei),
            creditorAccount: creditorAccount, purpose: intent.purpose, remittanceInformation: remittance.isEmpty ? nil : remittance)
    }
}
