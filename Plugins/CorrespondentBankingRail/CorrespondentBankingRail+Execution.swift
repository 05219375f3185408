import Foundation
import ISO20022
import RailKit

extension CorrespondentBankingRail: RailNotificationReceiver {
    /// Builds the pacs.008 for the quoted payment, journals it with its UETR, and sends it to
    /// the correspondent. The bank's immediate pacs.002 (ACTC or RJCT) is the receipt's status.
    /// A repeated payment id returns the first execution.
    public func execute(_ request: ExecutionRequest) async throws -> ExecutionReceipt {
        guard let bank else { throw RailError.unsupported(operation: "execute", rail: descriptor.id) }
        return try await ledger.once(request.paymentID) {
            try await send(request, bank: bank)
        }
    }

    private func send(_ request: ExecutionRequest, bank: Bank) async throws -> ExecutionReceipt {
        try request.quote.checkExecutable(on: descriptor.id, at: request.now)
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
        let submission = RailSubmission(reference: .uetr(uetr), details: [
            "message_id": transfer.messageID, "end_to_end_id": transfer.endToEndID,
            "settlement_amount": transfer.settlementAmount.description, "charge_bearer": transfer.chargeBearer.iso20022Code,
            "instructed_agent": transfer.instructedAgent.code, "creditor_agent": transfer.creditorAgent.code,
            "pacs008": String(decoding: message, as: UTF8.self),
        ])
        try await request.journal.record(.prepared(submission))

        let status: RailPaymentStatus
        do {
            let answer = try await bank.connection.send(message)
            try await request.journal.record(.submitted(submission.reference))
            status = try BankStatusMapping.status(answer, reference: submission.reference, uetr: uetr, now: request.now)
        } catch BankConnection.Failure.outcomeUnknown(let detail) {
            // It may have arrived: status() asks the bank and resends the journaled message if not.
            try await request.journal.record(.submitted(submission.reference))
            status = RailPaymentStatus(reference: submission.reference, state: .submitted, railCode: "send outcome unknown (\(detail))",
                                       observedAt: request.now)
        } catch BankConnection.Failure.http(let code) where code >= 500 {
            // A server error may come after the bank stored the message: follow it like an unknown outcome.
            try await request.journal.record(.submitted(submission.reference))
            status = RailPaymentStatus(reference: submission.reference, state: .submitted, railCode: "send outcome unknown (HTTP \(code))",
                                       observedAt: request.now)
        } catch BankConnection.Failure.http(let code) {
            let hint = code == 401 || code == 403 ? " (check the API token in execution.tokenEnvironment)" : ""
            status = RailPaymentStatus(reference: submission.reference, state: .rejected, railCode: "HTTP \(code)",
                                       reason: RailDecline(.submissionRejected, "The bank's API refused the message with HTTP \(code)\(hint)."),
                                       observedAt: request.now)
        }
        try await request.journal.record(.statusChanged(status))
        return ExecutionReceipt(submission: submission, status: status)
    }

    /// Asks the bank for the latest message about the payment. If the bank has never seen it
    /// (the send's outcome was unknown), the journaled pacs.008 is sent again: the bank keys on
    /// the UETR, so a resend cannot pay twice.
    public func status(of submission: RailSubmission, at now: Date) async throws -> RailPaymentStatus {
        guard let bank else { throw RailError.unsupported(operation: "status", rail: descriptor.id) }
        guard submission.reference.kind == "uetr", let uetr = try? UETR(submission.reference.value) else {
            throw RailError.invalidResponse("submission \(submission.reference) is not a UETR")
        }
        do {
            if let message = try await bank.connection.latest(uetr) {
                return try BankStatusMapping.status(message, reference: submission.reference, uetr: uetr, now: now)
            }
            guard let journaled = submission.details["pacs008"] else {
                throw RailError.invalidResponse("the bank does not know UETR \(uetr) and no message was journaled")
            }
            let answer = try await bank.connection.send(Data(journaled.utf8))
            return try BankStatusMapping.status(answer, reference: submission.reference, uetr: uetr, now: now)
        } catch BankConnection.Failure.outcomeUnknown(let detail) {
            throw RailError.unavailable("bank API unreachable (\(detail))")
        } catch BankConnection.Failure.http(let code) {
            throw RailError.unavailable("bank API answered HTTP \(code)")
        } catch let error as ISO20022Error {
            throw RailError.invalidResponse(error.description)
        }
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
        return try BankStatusMapping.status(message, reference: .uetr(uetr), uetr: uetr, now: now)
    }

    /// A debtor or creditor name the SWIFT character set cannot carry, as a decline (checked at
    /// quote and again at execution).
    func characterSetDecline(_ intent: PaymentIntent) -> RailDecline? {
        for (field, text) in [("debtor.name", intent.debtor.name), ("creditor.name", intent.creditor.name)] {
            do { _ = try SWIFTText.sanitize(text, field: field, maxLength: 140) } catch {
                return RailDecline(.characterSetViolation, error.description)
            }
        }
        return nil
    }
}
