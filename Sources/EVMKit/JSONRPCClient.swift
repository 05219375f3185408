import CounterpartHTTPClient
import Foundation
import Logging
import RailKitSupport

/// One JSON-RPC call of a batch.
public struct JSONRPCCall: Sendable, Hashable {
    public var method: String
    public var params: [JSONValue]

    public init(_ method: String, _ params: [JSONValue] = []) {
        self.method = method
        self.params = params
    }
}

/// A JSON-RPC 2.0 client over HTTP POST, with a time limit per request and batches.
public struct JSONRPCClient: Sendable {
    public let url: URL
    public let timeout: Duration
    /// Each call is logged at `debug` by method and outcome, never with the URL (it may carry a key).
    public var logger: Logger

    /// `url` is the node's HTTP endpoint. It may carry an API key, so it is never logged or put in an error.
    public init(url: URL, timeout: Duration = .seconds(10),
                logger: Logger = Logger(label: "switchyard.client", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.url = url
        self.timeout = timeout
        self.logger = logger
    }

    private struct Request: Encodable {
        let jsonrpc = "2.0"
        let id: Int
        let method: String
        let params: [JSONValue]
    }

    private struct Response: Decodable {
        let id: JSONValue?
        let result: JSONValue?
        let error: ErrorBody?

        struct ErrorBody: Decodable {
            let code: Int64
            let message: String
            let data: JSONValue?
        }
    }

    /// Calls one method and returns its `result`.
    public func call(_ method: String, _ params: [JSONValue] = []) async throws(EVMClientError) -> JSONValue {
        let body = try encode(Request(id: 1, method: method, params: params))
        do throws(EVMClientError) {
            let data = try await post(body, method: method)
            let response: Response
            do { response = try JSONDecoder().decode(Response.self, from: data) } catch {
                throw EVMClientError.malformedResponse("\(method): not a JSON-RPC response")
            }
            let result = try Self.result(of: response, method: method)
            logger.debug("json-rpc call", metadata: ["counterpart": "node", "method": .string(method), "outcome": "ok"])
            return result
        } catch {
            logger.debug("json-rpc call", metadata: ["counterpart": "node", "method": .string(method), "outcome": .string(error.description)])
            throw error
        }
    }

    /// Sends several calls in one HTTP request; each answer is matched by id and succeeds or fails alone.
    public func batch(_ calls: [JSONRPCCall]) async throws(EVMClientError) -> [Result<JSONValue, EVMClientError>] {
        guard !calls.isEmpty else { return [] }
        let label = "batch(\(calls.map(\.method).joined(separator: ",")))"
        let body = try encode(calls.enumerated().map { Request(id: $0.offset, method: $0.element.method, params: $0.element.params) })
        let data = try await post(body, method: label)
        let responses: [Response]
        do { responses = try JSONDecoder().decode([Response].self, from: data) } catch {
            throw .malformedResponse("\(label): not a JSON-RPC batch response")
        }
        var byID = [Int: Response]()
        for response in responses {
            if case .integer(let id)? = response.id, let index = Int(exactly: id) { byID[index] = response }
        }
        return calls.enumerated().map { index, call in
            guard let response = byID[index] else {
                return .failure(.malformedResponse("\(call.method): no answer in the batch"))
            }
            return Result { () throws(EVMClientError) -> JSONValue in try Self.result(of: response, method: call.method) }
        }
    }

    private static func result(of response: Response, method: String) throws(EVMClientError) -> JSONValue {
        if let error = response.error {
            // The node's words are untrusted: shown sanitised (no control characters, no echoed credentials).
            throw .rpc(method: method, JSONRPCErrorObject(code: error.code, message: CounterpartText.sanitized(error.message), data: error.data))
        }
        return response.result ?? .null
    }

    private func encode(_ value: some Encodable) throws(EVMClientError) -> Data {
        do { return try JSONEncoder().encode(value) } catch {
            throw .malformedResponse("could not encode the request: \(error)")
        }
    }

    private func post(_ body: Data, method: String) async throws(EVMClientError) -> Data {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        var request = CounterpartRequest(url: url, method: "POST", timeout: seconds)
        request.body = body
        request.setHeader("Content-Type", "application/json")
        let response: CounterpartResponse
        do {
            response = try await CounterpartHTTP.send(request)
        } catch .tooSlow {
            throw .timeout(method: method, seconds: seconds)
        } catch {
            // The transport's words never hold the URL (it may carry an API key).
            throw .transport(method: method, detail: error.description)
        }
        guard (200..<300).contains(response.status) else { throw .http(method: method, status: response.status) }
        return response.body
    }
}
