import Foundation
import Hummingbird
import Logging

/// The baseline the API's throughput is measured beside: Hummingbird answering `POST /v1/quotes`
/// by reading the body and returning a fixed JSON document of the real answer's size, with no
/// routing, no store and no middleware. `bare-hummingbird PORT` (0 picks one; the port is printed).
@main
struct BareHummingbird {
    static func main() async throws {
        let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 0
        let answer = ByteBuffer(string: "{\"rails\":[" + Array(repeating: "{\"rail\":\"bare\",\"eligible\":true}", count: 120).joined(separator: ",") + "]}")
        let router = Router()
        router.post("/v1/quotes") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 64 * 1024)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: answer))
        }
        var logger = Logger(label: "bare") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bare"),
                              onServerRunning: { channel in
                                  FileHandle.standardOutput.write(Data("listening on http://127.0.0.1:\(channel.localAddress?.port ?? port)\n".utf8))
                              },
                              logger: logger)
        try await app.runService()
    }
}
