import Foundation
import Logging
import RailKit
import RailKitSupport

extension BankConnection {
    /// What sending a journaled pacs.008 came to, for the payment.
    public enum Submission: Sendable {
        /// The bank answered (its pacs.002: ACTC or RJCT); the payment is submitted.
        case answered(InboundMessage)
        /// The bank may hold the message — no answer, an unreadable one, a server error or a status
        /// after which it may (``outcomeUnknownStatuses``): the payment is submitted and its status
        /// follows the UETR, never taken as refused.
        case outcomeUnknown(RailPaymentStatus)
        /// Refused outright (HTTP 4xx): the bank holds nothing.
        case refused(RailPaymentStatus)
    }

    /// Sends `message`, the pacs.008 journaled under `reference`, and says what that came to.
    /// - Parameters:
    ///   - counterpart: the bank in status texts ("bank", "participant").
    ///   - tokenSetting: the setting holding the API token, named when the bank refuses it.
    ///   - log: warnings about an unknown outcome go there, with the UETR.
    public func submit(_ message: Data, reference: RailReference, counterpart: String, tokenSetting: String, now: Date,
                       log: Logger) async throws -> Submission {
        let uetr: Logger.MetadataValue = .string(reference.value)
        do {
            return .answered(try await send(message))
        } catch Failure.outcomeUnknown(let detail) {
            // It may have arrived: a status request asks by UETR and resends the journaled message if not.
            log.warning("pacs.008 send outcome unknown; status follows the UETR", metadata: ["uetr": uetr, "detail": .string(detail)])
            return .outcomeUnknown(RailPaymentStatus(reference: reference, state: .submitted, railCode: "send outcome unknown (\(detail))",
                                                     observedAt: now))
        } catch Failure.unreadableAnswer(let detail) {
            // The bank took the message (HTTP 2xx) and answered something unreadable: it may hold the payment.
            log.warning("the \(counterpart) accepted the pacs.008 but its answer is unreadable; status follows the UETR",
                        metadata: ["uetr": uetr, "detail": .string(detail)])
            return .outcomeUnknown(RailPaymentStatus(reference: reference, state: .submitted, railCode: "answer unreadable (outcome unknown)",
                                                     observedAt: now, notes: ["the \(counterpart)'s answer could not be read: \(detail)"]))
        } catch Failure.http(let code) where code >= 500 || Self.outcomeUnknownStatuses.contains(code) {
            // A server error may come after the bank stored the message.
            log.warning("the \(counterpart) answered HTTP \(code); status follows the UETR", metadata: ["uetr": uetr, "http_status": .stringConvertible(code)])
            return .outcomeUnknown(RailPaymentStatus(reference: reference, state: .submitted, railCode: "send outcome unknown (HTTP \(code))",
                                                     observedAt: now))
        } catch Failure.http(let code) {
            let hint = code == 401 || code == 403 ? " (check the API token in \(tokenSetting))" : ""
            return .refused(RailPaymentStatus(reference: reference, state: .rejected, railCode: "HTTP \(code)",
                                              reason: RailDecline(.submissionRejected, "The \(counterpart)'s API refused the message with HTTP \(code)\(hint)."),
                                              observedAt: now))
        }
    }

    /// The latest message about `uetr`, sending the journaled `message` again if the bank has never
    /// seen it (the send's outcome was unknown): the bank keys on the UETR, so a resend cannot pay
    /// twice. A bank that cannot be reached or answers an HTTP error is unavailable; an answer that
    /// cannot be read is invalid.
    public func latestOrResend(_ uetr: UETR, message: Data, counterpart: String) async throws(RailError) -> InboundMessage {
        do {
            if let latest = try await latest(uetr) { return latest }
            return try await send(message)
        } catch Failure.outcomeUnknown(let detail) {
            throw .unavailable("\(counterpart) API unreachable (\(detail))")
        } catch Failure.http(let code) {
            throw .unavailable("\(counterpart) API answered HTTP \(code)")
        } catch Failure.unreadableAnswer(let detail) {
            throw .invalidResponse("the \(counterpart)'s answer could not be read: \(detail)")
        } catch let error as ISO20022Error {
            throw .invalidResponse(error.description)
        } catch {
            throw .unavailable("\(counterpart) API: \(type(of: error))")
        }
    }
}
