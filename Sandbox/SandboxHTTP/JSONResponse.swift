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
