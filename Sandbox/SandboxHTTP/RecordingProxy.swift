import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A reverse proxy on loopback in front of a counterpart, for tests: every request is forwarded
/// unchanged, and those `classify` names (a pacs.008, a raw transaction, an FX booking) are
/// recorded with the instant they reached the proxy, before the counterpart saw them — what a
/// conformance test compares with a rail's journal, independent of the rail's word.
public final class RecordingProxy: Sendable {
    /// One request `classify` named, with the instant it arrived.
    public struct Recorded: Sendable, Hashable {
        public var key: String
        public var at: ContinuousClock.Instant
        /// The request body as it arrived (what an independent checker reads).
        public var body: Data
        /// The counterpart's answer as forwarded back (status and body), once it came.
        public var answerStatus: Int?
        public var answer: Data?
    }

    public let url: URL
    private let server: LoopbackServer
    private let log: Log

    actor Log {
        var entries = [Recorded]()
        func append(_ entry: Recorded) -> Int {
            entries.append(entry)
            return entries.count - 1
        }
        func answer(_ index: Int, status: Int, body: Data) {
            entries[index].answerStatus = status
            entries[index].answer = body
        }
    }

    private init(url: URL, server: LoopbackServer, log: Log) {
        self.url = url
        self.server = server
        self.log = log
    }

    /// Starts a proxy forwarding to `target` (its path prefix kept).
    /// - Parameters:
    ///   - classify: the key of a request that is a submission (method, path, body), or nil.
    ///   - loseAnswer: for a submission, an HTTP status to answer *instead of* the counterpart's
    ///     answer, after the counterpart has received and processed it (an answer lost on the way
    ///     back); nil forwards the answer.
    ///   - loseRequest: for a submission, whether it is lost on the way there: never forwarded,
    ///     answered 502 (recorded all the same: it left the sender).
    public static func start(forwardingTo target: URL,
                             classify: @escaping @Sendable (_ method: String, _ path: String, _ body: Data) -> String?,
                             loseAnswer: @escaping @Sendable (_ key: String) -> Int? = { _ in nil },
                             loseRequest: @escaping @Sendable (_ key: String) -> Bool = { _ in false }) async throws -> RecordingProxy {
        let log = Log()
        let router = Router()
        let forward: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let body = Data(try await request.body.collect(upTo: 16 << 20).readableBytesView)
            let path = request.uri.path
            let key = classify(request.method.rawValue, path, body)
            var index: Int?
            if let key {
                index = await log.append(Recorded(key: key, at: .now, body: body))
                if loseRequest(key) { return Response(status: .badGateway) }
            }
            var components = URLComponents(url: target, resolvingAgainstBaseURL: false)!
            components.path = target.path.hasSuffix("/") ? String(target.path.dropLast()) + path : target.path + path
            components.percentEncodedQuery = request.uri.query
            var outbound = URLRequest(url: components.url!)
            outbound.httpMethod = request.method.rawValue
            outbound.timeoutInterval = 30
            for field in request.headers where ![.contentLength, .connection, .transferEncoding].contains(field.name) {
                outbound.addValue(field.value, forHTTPHeaderField: field.name.rawName)
            }
            if !body.isEmpty { outbound.httpBody = body }
            let (answer, response) = try await URLSession.shared.data(for: outbound)
            if let key, let lost = loseAnswer(key) { return Response(status: .init(code: lost)) }
            let http = response as? HTTPURLResponse
            if let index { await log.answer(index, status: http?.statusCode ?? 502, body: answer) }
            var headers = HTTPFields()
            if let type = http?.value(forHTTPHeaderField: "Content-Type") { headers[.contentType] = type }
            return Response(status: .init(code: http?.statusCode ?? 502), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer)))
        }
        for method in [HTTPRequest.Method.get, .post, .put, .delete] {
            router.on("**", method: method, use: forward)
            router.on("/", method: method, use: forward)
        }
        let server = try await LoopbackServer.start(router: router)
        return RecordingProxy(url: server.url, server: server, log: log)
    }

    /// A classifier for a JSON-RPC node: an `eth_sendRawTransaction`, named by its signed bytes
    /// (hex, lower case, no `0x`), read from the request body here, not by the rail's client.
    public static let rawTransaction: @Sendable (_ method: String, _ path: String, _ body: Data) -> String? = { method, _, body in
        guard method == "POST", let call = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              call["method"] as? String == "eth_sendRawTransaction", let raw = (call["params"] as? [Any])?.first as? String else { return nil }
        return String(raw.lowercased().trimmingPrefix("0x"))
    }

    /// The requests recorded so far, in order of arrival.
    public func recorded() async -> [Recorded] { await log.entries }

    public func stop() { server.stop() }
}
