import Hummingbird

/// Refuses every request that does not carry `Authorization: Bearer <token>`, as the partners the
/// sandbox stands for do; the refusal is the counterpart's own problem body (HTTP 401). The
/// comparison takes the same time wherever the tokens differ.
public struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let expected: [UInt8]
    let refusal: @Sendable () -> Response

    /// - Parameters:
    ///   - token: the credential clients must present.
    ///   - refusal: the 401 answer, in the counterpart's problem format.
    public init(token: String, refusal: @escaping @Sendable () -> Response) {
        expected = Array("Bearer \(token)".utf8)
        self.refusal = refusal
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.equal(Array((request.headers[.authorization] ?? "").utf8), expected) else { return refusal() }
        return try await next(request, context)
    }

    /// Constant-time equality (for equal lengths; a length mismatch refuses at once, leaking only the length).
    static func equal(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        guard presented.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(presented, expected) { difference |= left ^ right }
        return difference == 0
    }
}

/// Credentials and identifiers a sandbox counterpart makes up: 128 random bits as 32 hex digits,
/// from the system's secure generator, so no client can guess another's quote, order or token.
public enum SandboxRandom {
    public static func hex128() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(high) + hex(low)
    }
}

/// Gives every 4xx a body: a route that matched nothing, or a method it does not take, answers an
/// RFC 9457 problem rather than an empty 404 or 405 (the counterparts' own 4xx keep their formats).
public struct ProblemBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where (400..<500).contains(error.status.code) {
            return ProblemResponse.make(error.status, error.body ?? "\(request.method) \(request.uri.path): \(error.status.reasonPhrase)")
        }
    }
}
