import Foundation
import Hummingbird
import NIOCore

/// JSON responses of the sandbox counterparts: sorted keys, so answers are stable to read and diff.
public enum JSONResponse {
    public static func make<Body: Encodable>(_ body: Body, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// An RFC 9457 problem (`application/problem+json`): the body every 4xx of a sandbox counterpart
/// without a wire format of its own carries, so a client always learns why.
public enum ProblemResponse {
    public static func make(_ status: HTTPResponse.Status, _ detail: String) -> Response {
        let body: [String: Any] = ["type": "about:blank", "title": status.reasonPhrase, "status": status.code, "detail": detail]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/problem+json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// How the sandbox counterparts serve HTTP/1.1: a connection idle for 30 s is closed, so a client
/// that stops sending (a stalled header or body) cannot hold one open.
public enum SandboxServerConfiguration {
    public static let idleTimeout: TimeAmount = .seconds(30)
}
