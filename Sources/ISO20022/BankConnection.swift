import CounterpartHTTPClient
import Foundation
import Logging
import RailKit
import RailKitSupport

/// A bank's HTTP API for ISO 20022 payments (a correspondent's, a CIPS participant's):
/// `POST {endpoint}/v1/payments` with a pacs.008, and `GET {endpoint}/v1/payments/{uetr}` for the
/// latest pacs.002 or pacs.004.
///
/// The bearer token is sent only in the header and never appears in errors or descriptions.
public struct BankConnection: Sendable, CustomStringConvertible {
    public let endpoint: URL
    private let token: String?
    public let timeout: TimeInterval
    /// Each call is logged at `debug` by method, path and status; never the token or the host's credentials.
    public let logger: Logger

    /// - Throws: ``ValidationError`` for an endpoint that is not `https` (only loopback may be plain `http`).
    public init(endpoint text: String, token: String?, timeout: TimeInterval, logger: Logger) throws(ValidationError) {
        let url = try EndpointURL.parse(text, field: "execution.endpoint")
        endpoint = url
        self.token = token
        self.timeout = timeout
        self.logger = logger
    }

    public var description: String { "BankConnection(\(endpoint.host ?? "?"))" }

    /// Client errors after which the bank may hold the message all the same (a timeout, a
    /// conflict with one it holds, too early, too many requests): followed like a lost answer,
    /// never taken as a refusal.
    public static let outcomeUnknownStatuses: Set<Int> = [408, 409, 425, 429]

    public enum Failure: Error {
        /// Nothing or something may have reached the bank (timeout, connection lost).
        case outcomeUnknown(String)
        /// The bank answered with an HTTP error.
        case http(Int)
        /// The bank accepted (HTTP 2xx) but what it answered is not a message that can be read:
        /// the bank may hold the payment.
        case unreadableAnswer(String)
    }

    /// Sends a pacs.008 and reads the bank's immediate pacs.002.
    public func send(_ message: Data) async throws -> InboundMessage {
        var request = request(path: "v1/payments", method: "POST")
        request.setHeader("Content-Type", "application/xml")
        request.body = message
        guard let body = try await perform(request) else { throw Failure.http(404) }
        do {
            return try InboundMessage(parsing: body)
        } catch {
            // The reader's description may quote the bank's bytes: printable characters only, and short.
            let detail = CounterpartText.sanitized(error.description)
            throw Failure.unreadableAnswer(detail)
        }
    }

    /// The latest message about a payment, or nil if the bank does not know the UETR.
    public func latest(_ uetr: UETR) async throws -> InboundMessage? {
        let request = request(path: "v1/payments/\(uetr.value)", method: "GET")
        guard let body = try await perform(request) else { return nil }
        return try InboundMessage(parsing: body)
    }

    private func request(path: String, method: String) -> CounterpartRequest {
        var request = CounterpartRequest(url: endpoint.appendingPathComponent(path), method: method, timeout: timeout)
        request.setHeader("Accept", "application/xml")
        if let token { request.setHeader("Authorization", "Bearer \(token)") }
        return request
    }

    /// The body of a 2xx answer; nil for 404.
    private func perform(_ request: CounterpartRequest) async throws -> Data? {
        let response: CounterpartResponse
        let path = request.url.path
        do {
            response = try await CounterpartHTTP.send(request)
        } catch {
            logger.debug("bank API call", metadata: ["counterpart": "bank", "http_method": .string(request.method),
                                                     "path": .string(path), "outcome": "transport error"])
            throw Failure.outcomeUnknown(error.description)
        }
        let status = response.status
        logger.debug("bank API call", metadata: ["counterpart": "bank", "http_method": .string(request.method),
                                                 "path": .string(path), "http_status": .stringConvertible(status)])
        if status == 404 { return nil }
        guard (200..<300).contains(status) else { throw Failure.http(status) }
        return response.body
    }
}
