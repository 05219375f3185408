import Foundation
import Hummingbird
import NIOCore

/// An RFC 9457 problem (`application/problem+json`): the body every 4xx of a sandbox counterpart
/// without a wire format of its own carries, so a client always learns why.
public enum ProblemResponse {
    public static func make(_ status: HTTPResponse.Status, _ detail: String) -> Response {
        let body: [String: Any] = ["type": "about:blank", "title": status.reasonPhrase, "status": status.code, "detail": detail]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/problem+json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
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
