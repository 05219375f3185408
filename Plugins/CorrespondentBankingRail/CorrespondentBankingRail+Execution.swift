import Foundation
import ISO20022
import RailKit
import RailKitSupport

extension CorrespondentBankingRail: RailNotificationReceiver {
    /// Builds the pacs.008 for the quoted payment, records it with its UETR (the checkpoint), and
    /// sends it to the correspondent. The bank's immediate pacs.002 (ACTC or RJCT) is the receipt's status.
    public func execute(_ request: ExecutionRequest, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        guard let bank else { throw RailError.unsupported(operation: "execute", rail: descriptor.id) }
        if let recorded = request.resumeFrom {
            // The checkpoint holds the pacs.008 and its UETR: resuming never builds another
            // message; status asks the bank by UETR (and resends the recorded one if it never arrived).
            return ExecutionReceipt(submission: recorded, status: try await status(of: recorded, at: request.now))
        }
        return try await send(request, bank: bank, recorder: recorder)
    }

    private func send(_ request: ExecutionRequest, bank: Bank, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        // The corridor's settings build the message (the executor has admitted the payment again).
        guard let index = descriptor.capabilities.corridorIndex(serving: request.intent) else {
            throw RailError.declined(RailDecline(.corridorNotSupported, "The quoted corridor is no longer configured on \(descriptor.id)."))
        }
        if let decline = characterSetDecline(request.intent) { throw RailError.declined(decline) }
        let uetr = UETR.random()
        let draft = CreditTransferDraft(settings: settings, execution: bank.settings, corridor: settings.corridors[index],
                                        releaseCalendar: releaseCalendar)
        let transfer = try draft.make(intent: request.intent, quote: request.quote, uetr: uetr, now: request.now)
        let message: Data
        do {
            var document = try transfer.document()
            if bank.settings.businessApplicationHeader ?? false {
                document = BusinessApplicationHeader(from: transfer.instructingAgent, to: transfer.instructedAgent,
                                                     businessMessageID: transfer.messageID, messageType: .pacs008,
                                                     createdAt: request.now).wrap(document, timeZone: releaseCalendar.timeZone)
            }
            message = Data(document.document().utf8)
        } catch {
            throw RailError.declined(RailDecline(.characterSetViolation, error.description))
        }
        let submission = RailSubmission(reference: .uetr(uetr), checkpoint: try RailCheckpoint(CorrespondentCheckpoint(
            uetr: uetr, messageID: transfer.messageID, endToEndID: transfer.endToEndID, settlementAmount: transfer.settlementAmount,
            chargeBearer: transfer.chargeBearer, instructedAgent: transfer.instructedAgent, creditorAgent: transfer.creditorAgent,
            pacs008: String(decoding: message, as: UTF8.self))))
        // Read before any await (see status(of:at:): the release compiler's ownership check).
        let offshoreYuan = transfer.settlementAmount.asset == .fiat(.cnh)
        try await recorder.record(.prepared(submission))
        let log = request.logger
        log.info("pacs.008 recorded; sending to the correspondent", metadata: [
            "uetr": .string(uetr.value), "message_id": .string(transfer.messageID), "amount": .string(transfer.settlementAmount.description),
        ])

        let status: RailPaymentStatus
        switch try await bank.connection.submit(message, reference: submission.reference, counterpart: "bank",
                                                 tokenSetting: "execution.tokenEnvironment", now: request.now, log: log) {
        case .answered(let answer):
            try await recorder.record(.submitted(submission.reference))
            status = try BankStatusMapping.status(answer, reference: submission.reference, uetr: uetr, messageID: transfer.messageID,
                                                  offshoreYuan: offshoreYuan, now: request.now)
        case .outcomeUnknown(let unknown):
            try await recorder.record(.submitted(submission.reference))
            status = unknown
        case .refused(let refused):
            status = refused
        }
        log.info("correspondent answered", metadata: ["uetr": .string(uetr.value), "state": .string(status.state.rawValue),
                                                      "code": .string(status.railCode ?? "-")])
        return ExecutionReceipt(submission: submission, status: status)
    }

    /// Asks the bank for the latest message about the payment. If the bank has never seen it
    /// (the send's outcome was unknown), the journaled pacs.008 is sent again: the bank keys on
    /// the UETR, so a resend cannot pay twice.
    public func status(of submission: RailSubmission, at now: Date) async throws -> RailPaymentStatus {
        guard let bank else { throw RailError.unsupported(operation: "status", rail: descriptor.id) }
        let checkpoint = try submission.checkpoint.decode(CorrespondentCheckpoint.self)
        let uetr = checkpoint.uetr
        guard submission.reference == .uetr(uetr) else {
            throw RailError.invalidResponse("submission \(submission.reference) does not name the checkpoint's UETR \(uetr)")
        }
        // Read once, before any await: the release compiler (6.3.1) crashed on a currency
        // comparison inside the awaiting block (an ownership verifier error in SIL).
        let offshoreYuan = checkpoint.settlementAmount.asset == .fiat(.cnh)
        let messageID = checkpoint.messageID, pacs008 = Data(checkpoint.pacs008.utf8)
        let message = try await bank.connection.latestOrResend(uetr, message: pacs008, counterpart: "bank")
        return try BankStatusMapping.status(message, reference: submission.reference, uetr: uetr, messageID: messageID,
                                            offshoreYuan: offshoreYuan, now: now)
    }

    /// A signed status callback from the bank (pacs.002 or pacs.004).
    public func acceptNotification(body: Data, headers: [String: String], at now: Date) async throws -> RailPaymentStatus {
        guard let verifier = bank?.callbacks else {
            throw RailError.invalidResponse("\(descriptor.id) has no callback secret configured; callbacks are refused")
        }
        do {
            try verifier.verify(body: body, signature: headers["switchyard-signature"], now: now)
        } catch {
            throw RailError.invalidResponse(error.description)
        }
        let message: InboundMessage
        do { message = try InboundMessage(parsing: body) } catch { throw RailError.invalidResponse(error.description) }
        let uetr: UETR? = switch message {
        case .statusReport(let report): report.transactions.first?.originalUETR
        case .paymentReturn(let returned): returned.originalUETR
        }
        guard let uetr else { throw RailError.invalidResponse("callback names no UETR") }
        return try BankStatusMapping.status(message, reference: .uetr(uetr), uetr: uetr, offshoreYuan: deliversOffshoreYuan, now: now)
    }

    /// Whether a callback's CNY means offshore yuan (a callback does not say which payment's
    /// currency it answers for until the executor finds it): when the rail delivers CNH and no
    /// onshore CNY. A rail that delivers both reports a callback's amounts as ISO's CNY.
    var deliversOffshoreYuan: Bool {
        let destinations = settings.corridors.map(\.destination)
        return destinations.contains(.cnh) && !destinations.contains(.cny)
    }

    /// A debtor or creditor name the SWIFT character set cannot carry, as a decline (checked at
    /// quote and again at execution).
    func characterSetDecline(_ intent: PaymentIntent) -> RailDecline? {
        // One name after the other, not from a list built for every quote.
        Self.characterSetDecline(intent.debtor.name, field: "debtor.name") ?? Self.characterSetDecline(intent.creditor.name, field: "creditor.name")
    }

    private static func characterSetDecline(_ text: String, field: String) -> RailDecline? {
        do {
            _ = try SWIFTText.sanitize(text, field: field, maxLength: 140)
            return nil
        } catch {
            return RailDecline(.characterSetViolation, error.description)
        }
    }
}
