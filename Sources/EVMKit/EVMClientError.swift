import Foundation

/// A JSON-RPC error object as the node returned it.
public struct JSONRPCErrorObject: Sendable, Hashable, CustomStringConvertible {
    public var code: Int64
    public var message: String
    public var data: JSONValue?

    public init(code: Int64, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// A revert as geth reports it (code 3 with the revert data, or "execution reverted"), decoded.
    public var revertReason: RevertReason? {
        let isRevert = code == 3 || message.lowercased().contains("execution reverted")
        guard isRevert else { return nil }
        if let text = data?.stringValue, let bytes = try? Quantity.data(.string(text), field: "error.data") {
            return RevertReason(data: bytes)
        }
        // No data: keep the node's own wording after the prefix.
        let detail = message.components(separatedBy: "execution reverted").last?
            .trimmingCharacters(in: CharacterSet(charactersIn: ": ")) ?? ""
        return detail.isEmpty ? .empty : .message(detail)
    }

    public var description: String { "JSON-RPC error \(code): \(message)" }
}

/// Everything that can go wrong talking to an EVM node, typed so callers can decide what is
/// retryable (transport, timeout), what is the node refusing (rpc), and what is a revert.
public enum EVMClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No HTTP exchange happened (connection refused, DNS, TLS).
    case transport(method: String, detail: String)
    /// No answer within the time limit; the request may or may not have been processed.
    case timeout(method: String, seconds: Double)
    /// The server answered with a non-2xx HTTP status.
    case http(method: String, status: Int)
    /// The node answered with a JSON-RPC error.
    case rpc(method: String, JSONRPCErrorObject)
    /// The answer is not what the method promises.
    case malformedResponse(String)
    /// The node serves another chain than configured: nothing may be signed for it.
    case wrongChain(expected: UInt64, actual: UInt64)

    /// The revert reason, if the node reported a revert.
    public var revertReason: RevertReason? {
        if case .rpc(_, let error) = self { return error.revertReason }
        return nil
    }

    /// Whether the request may not have reached the node (so a send's outcome is unknown).
    public var outcomeUnknown: Bool {
        switch self {
        case .timeout, .transport, .http, .malformedResponse: true
        case .rpc, .wrongChain: false
        }
    }

    public var description: String {
        switch self {
        case .transport(let method, let detail): "\(method): transport failed: \(detail)"
        case .timeout(let method, let seconds): "\(method): no answer within \(seconds) s"
        case .http(let method, let status): "\(method): HTTP \(status)"
        case .rpc(let method, let error): "\(method): \(error)"
        case .malformedResponse(let detail): "malformed JSON-RPC response: \(detail)"
        case .wrongChain(let expected, let actual): "the node serves chain id \(actual), configured for \(expected)"
        }
    }
}
