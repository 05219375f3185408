import CounterpartHTTPClient
import Foundation
import Logging
import RailKit
import RailKitSupport

/// Why a call to the off-ramp partner failed.
public enum OffRampError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The partner refused (4xx): its code and sentence.
    case refused(status: Int, OffRampWire.Problem)
    /// The call may or may not have reached the partner (timeout, 5xx): retry with the same reference.
    case outcomeUnknown(String)
    /// The partner answered something unreadable.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .refused(let status, let problem): "off-ramp partner refused (HTTP \(status), \(problem.code)): \(problem.error)"
        case .outcomeUnknown(let detail): "off-ramp partner outcome unknown: \(detail)"
        case .invalidResponse(let detail): "off-ramp partner answered badly: \(detail)"
        }
    }
}

/// A client for an off-ramp partner's payout API (``OffRampWire``). The bearer token goes in the
/// header only, never into errors or logs.
public struct OffRampClient: Sendable, CustomStringConvertible {
    public let endpoint: URL
    private let token: String?
    public let timeout: TimeInterval
    /// Each call is logged at `debug` by path and status; never the token.
    public var logger: Logger

    public init(endpoint: URL, token: String?, timeout: TimeInterval = 10, logger: Logger = Logger(label: "switchyard.client", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.endpoint = endpoint
        self.token = token
        self.timeout = timeout
        self.logger = logger
    }

    public var description: String { "OffRampClient(\(endpoint.host ?? "?"))" }

    /// Creates (or, for a known reference, returns) a payout order.
    public func create(_ order: OffRampWire.CreatePayout) async throws(OffRampError) -> OffRampWire.Payout {
        try await call("POST", "v1/payouts", body: order)
    }

    /// Tells the partner which transaction funds the order.
    public func reportFunding(payoutID: String, transactionHash: String) async throws(OffRampError) -> OffRampWire.Payout {
        try await call("POST", "v1/payouts/\(payoutID)/funding", body: OffRampWire.Funding(transactionHash: transactionHash))
    }

    public func payout(id: String) async throws(OffRampError) -> OffRampWire.Payout {
        try await call("GET", "v1/payouts/\(id)", body: Optional<OffRampWire.Funding>.none)
    }

    private func call<Body: Encodable>(_ method: String, _ path: String, body: Body?) async throws(OffRampError) -> OffRampWire.Payout {
        var request = CounterpartRequest(url: endpoint.appendingPathComponent(path), method: method, timeout: timeout)
        if let token { request.setHeader("Authorization", "Bearer \(token)") }
        if let body {
            request.body = try? JSONEncoder().encode(body)
            request.setHeader("Content-Type", "application/json")
        }
        let response: CounterpartResponse
        do { response = try await CounterpartHTTP.send(request) } catch {
            logger.debug("off-ramp call", metadata: ["counterpart": "off_ramp", "http_method": .string(method), "path": .string(path),
                                                     "outcome": "transport error"])
            throw .outcomeUnknown(error.description)
        }
        let status = response.status, data = response.body
        logger.debug("off-ramp call", metadata: ["counterpart": "off_ramp", "http_method": .string(method), "path": .string(path),
                                                 "http_status": .stringConvertible(status)])
        switch status {
        case 200..<300:
            var payout: OffRampWire.Payout
            do { payout = try JSONDecoder().decode(OffRampWire.Payout.self, from: data) } catch {
                throw .invalidResponse("unreadable payout: \(error)")
            }
            // The partner's free text is shown in receipts and logs: sanitised like any counterpart's words.
            payout.reason = payout.reason.map { CounterpartText.sanitized($0) }
            payout.reasonCode = payout.reasonCode.map { CounterpartText.sanitized($0, maximumLength: 64) }
            payout.bankReference = payout.bankReference.map { CounterpartText.sanitized($0, maximumLength: 64) }
            payout.fundsHeldBy = payout.fundsHeldBy.map { CounterpartText.sanitized($0) }
            return payout
        case 400..<500:
            // The partner's words are untrusted: kept sanitised (no control characters, no echoed credentials).
            let problem = (try? JSONDecoder().decode(OffRampWire.Problem.self, from: data)).map {
                OffRampWire.Problem(code: CounterpartText.sanitized($0.code, maximumLength: 64), error: CounterpartText.sanitized($0.error))
            } ?? OffRampWire.Problem(code: "HTTP_\(status)", error: "no problem body")
            throw .refused(status: status, problem)
        default:
            throw .outcomeUnknown("HTTP \(status)")
        }
    }
}
