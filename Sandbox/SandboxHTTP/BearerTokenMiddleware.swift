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
