import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A request to a counterpart (a bank, a dealer, a partner, a node, a rail in another process).
public struct CounterpartRequest: Sendable {
    public var url: URL
    /// `GET`, `POST`, …
    public var method: String
    public private(set) var headers: [(name: String, value: String)] = []
    public var body: Data?
    /// The whole exchange, the answer's body included, must end within this many seconds.
    public var timeout: TimeInterval

    public init(url: URL, method: String = "GET", timeout: TimeInterval = 30) {
        self.url = url
        self.method = method
        self.timeout = timeout
    }

    /// Sets `name` to `value`, replacing any value it had (names compare case-insensitively).
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append((name, value))
    }

    /// The value of `name`, if set.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A counterpart's answer, read whole (within ``CounterpartHTTP/maximumAnswer``).
public struct CounterpartResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data
}

/// How rails talk HTTP to a counterpart: never following a redirect (an answer elsewhere would
/// carry the request's credentials to another origin; the 3xx comes back as the answer and is an
/// error like any other non-2xx), the whole exchange bounded in time (a slowly dribbled body
/// cannot hold a payment), and the answer bounded in size.
///
/// On AsyncHTTPClient (SwiftNIO), not Foundation's URLSession: on Linux URLSession brings libcurl
/// and some 25 shared libraries that every start of the `switchyard` binary loaded and relocated
/// (about 6 ms of a 22 ms `switchyard quote`), even for commands that never call a counterpart.
public enum CounterpartHTTP {
    /// Answers larger than this are refused (JSON-RPC, pacs.002, RFQ and payout answers are a few KiB).
    public static let maximumAnswer = 4 << 20

    /// Sent when a request names no agent of its own (some firewalls refuse requests without one).
    public static let userAgent = "Switchyard/1"

    /// The clients counterpart calls use, on NIO's shared event loops: one direct, and one for each
    /// egress proxy the environment names. Each is made at its first call and never shut down (it
    /// lives as long as the process).
    static let direct = makeClient(proxy: nil)
    static let viaHTTPSProxy = EgressProxy.fromEnvironment(scheme: "https").map { $0.map(makeClient) }
    static let viaHTTPProxy = EgressProxy.fromEnvironment(scheme: "http").map { $0.map(makeClient) }

    static func makeClient(proxy: HTTPClient.Configuration.Proxy?) -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.proxy = proxy
        // A refused connection is an answer ("not there"), not something to retry until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        // No spans from here: the client's would record the whole URL, and a URL may carry an API key.
        configuration.tracing.tracer = nil
        // The exchange's own limit decides, not a shorter default for connecting.
        configuration.timeout = .init(connect: .seconds(60))
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    /// The client for `url`: through the egress proxy for its scheme, unless the host is exempt.
    /// A proxy variable that is set but not a proxy's address stops every call it would carry
    /// (with the variable's name), rather than going around the proxy.
    static func client(for url: URL) throws(CounterpartHTTPError) -> HTTPClient {
        let proxied: Result<HTTPClient?, CounterpartHTTPError> = switch url.scheme?.lowercased() {
        case "https": viaHTTPSProxy
        case "http": viaHTTPProxy
        default: .success(nil)
        }
        guard let proxy = try proxied.get(), let host = url.host, !EgressProxy.bypasses(host: host) else { return direct }
        return proxy
    }

    /// Sends `request`; the whole exchange must end within `request.timeout` (30 s if not positive).
    /// - Throws: ``CounterpartHTTPError``: too slow, too large, or the transport failed (its
    ///   description never holds the URL, which may carry an API key).
    public static func send(_ request: CounterpartRequest) async throws(CounterpartHTTPError) -> CounterpartResponse {
        let limit = request.timeout > 0 ? request.timeout : 30
        var http = HTTPClientRequest(url: request.url.absoluteString)
        http.method = HTTPMethod(rawValue: request.method)
        http.headers = headers(of: request)
        if let body = request.body { http.body = .bytes(ByteBuffer(bytes: body)) }
        // A little after the limit: the race below decides, so running out of time while still
        // connecting is reported as too slow, not as the pool's cancellation.
        let deadline = NIODeadline.now() + .milliseconds(Int64(limit * 1000) + 1000)
        let outgoing = http, httpClient = try client(for: request.url)
        do {
            // Raced against the limit as a whole: the client's deadline covers the answer's head,
            // this covers its body too.
            let answer = try await withThrowingTaskGroup(of: CounterpartResponse?.self) { group in
                group.addTask {
                    let response = try await httpClient.execute(outgoing, deadline: deadline)
                    let body = try await response.body.collect(upTo: maximumAnswer)
                    return CounterpartResponse(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                                               body: Data(body.readableBytesView))
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(Int(limit * 1000)))
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            guard let answer else { throw CounterpartHTTPError.tooSlow(seconds: limit) }
            return answer
        } catch let error as CounterpartHTTPError {
            throw error
        } catch is NIOTooManyBytesError {
            throw .tooLarge
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout].contains(error) {
            throw .tooSlow(seconds: limit)
        } catch {
            throw isConnecting(error) ? .notConnected(describe(error)) : .transport(describe(error))
        }
    }

    /// Whether `error` is a failure to open a connection (refused, unreachable, no answer to the
    /// handshake): nothing of the request was sent.
    static func isConnecting(_ error: any Error) -> Bool {
        switch error {
        case is NIOConnectionError: return true
        case let error as HTTPClientError: return error == .connectTimeout
        case let error as ChannelError:
            if case .connectTimeout = error { return true }
            return false
        case let error as IOError: return [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode)
        default: return false
        }
    }

    /// ``send(_:)`` for a caller that may not suspend (configuration, which must know a remote
    /// rail before it routes): blocks the calling thread until the answer or the limit, while the
    /// exchange runs on NIO's event loops. Called from a task, it holds that task's thread
    /// meanwhile; on an event loop it would trap (NIO forbids waiting there).
    public static func sendWaiting(_ request: CounterpartRequest) -> Result<CounterpartResponse, CounterpartHTTPError> {
        let limit = request.timeout > 0 ? request.timeout : 30
        let started = NIODeadline.now()
        do {
            let http = try HTTPClient.Request(url: request.url.absoluteString, method: HTTPMethod(rawValue: request.method),
                                              headers: headers(of: request), body: request.body.map { .bytes($0) })
            // The deadline covers the whole exchange here, the body included.
            let response = try client(for: request.url).execute(
                request: http, delegate: ResponseAccumulator(request: http, maxBodySize: maximumAnswer),
                deadline: started + .milliseconds(Int64(limit * 1000))).wait()
            return .success(CounterpartResponse(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                                                body: response.body.map { Data($0.readableBytesView) } ?? Data()))
        } catch let error as CounterpartHTTPError {
            return .failure(error)
        } catch is ResponseAccumulator.ResponseTooBigError {
            return .failure(.tooLarge)
        } catch {
            // Out of time while connecting, the pool cancels the request rather than say so.
            if NIODeadline.now() - started >= .milliseconds(Int64(limit * 1000)) { return .failure(.tooSlow(seconds: limit)) }
            if let error = error as? HTTPClientError, [.deadlineExceeded, .readTimeout].contains(error) {
                return .failure(.tooSlow(seconds: limit))
            }
            return .failure(isConnecting(error) ? .notConnected(describe(error)) : .transport(describe(error)))
        }
    }

    /// The request's headers, with ``userAgent`` unless it names its own.
    static func headers(of request: CounterpartRequest) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in request.headers { headers.add(name: name, value: value) }
        if !headers.contains(name: "User-Agent") { headers.add(name: "User-Agent", value: userAgent) }
        return headers
    }

    /// A transport failure in words that never hold the URL (which may carry an API key).
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError: error.shortDescription.lowercased()
        case is NIOConnectionError: "connection failed"
        case let error as IOError: "I/O error \(error.errnoCode)"
        case is CancellationError: "cancelled"
        default: String(describing: type(of: error))
        }
    }
}

/// A counterpart call that did not end in an answer that may be read.
public enum CounterpartHTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No complete answer within the limit.
    case tooSlow(seconds: TimeInterval)
    /// An answer larger than ``CounterpartHTTP/maximumAnswer``.
    case tooLarge
    /// No connection could be opened (refused, unreachable, no answer to connecting): nothing of
    /// the request was sent.
    case notConnected(String)
    /// The connection broke or failed otherwise: the counterpart may or may not have the request.
    case transport(String)

    public var description: String {
        switch self {
        case .tooSlow(let seconds): "no complete answer within \(Int(seconds)) s"
        case .tooLarge: "an answer of more than \(CounterpartHTTP.maximumAnswer) bytes"
        case .notConnected(let detail): "not connected: \(detail)"
        case .transport(let detail): "transport error: \(detail)"
        }
    }
}

/// The egress proxy the environment names, read as curl (and so URLSession on Linux) reads it:
/// `https_proxy` or `HTTPS_PROXY` for https URLs, `http_proxy` for http (never `HTTP_PROXY`,
/// which a CGI request header could set), hosts listed in `no_proxy` or `NO_PROXY` reached
/// directly; loopback hosts are always reached directly (the sandbox and rails served alongside).
enum EgressProxy {
    /// The proxy for `scheme`'s URLs; nil when none is set; a failure naming the variable when
    /// its value is not a proxy's address (`[http://][user:password@]host[:port]`).
    static func fromEnvironment(scheme: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> Result<HTTPClient.Configuration.Proxy?, CounterpartHTTPError> {
        let names = scheme == "https" ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy"]
        guard let (name, text) = names.lazy.compactMap({ name in environment[name].map { (name, $0) } }).first(where: { !$0.1.isEmpty }) else {
            return .success(nil)
        }
        guard let url = URL(string: text.contains("://") ? text : "http://" + text), let host = url.host, !host.isEmpty,
              ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
            return .failure(.notConnected("\(name) is not a proxy address ([http://][user:password@]host[:port]); nothing was sent"))
        }
        let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        if let user = url.user(percentEncoded: false) {
            return .success(.server(host: host, port: port, authorization: .basic(username: user, password: url.password(percentEncoded: false) ?? "")))
        }
        return .success(.server(host: host, port: port))
    }

    /// `no_proxy` (or `NO_PROXY`) as the process started with it: read once, not at every call.
    static let configuredNoProxy = noProxy(in: ProcessInfo.processInfo.environment)

    static func noProxy(in environment: [String: String]) -> String { environment["no_proxy"] ?? environment["NO_PROXY"] ?? "" }

    /// Whether `host` is reached directly: loopback, or matched by the `noProxy` list (`*`, a
    /// host, or a domain with or without its leading dot).
    static func bypasses(host: String, noProxy list: String = configuredNoProxy) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" || host.hasPrefix("127.") { return true }
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !entry.isEmpty {
            if entry == "*" { return true }
            let domain = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
            if host == domain || host.hasSuffix("." + domain) { return true }
        }
        return false
    }
}
