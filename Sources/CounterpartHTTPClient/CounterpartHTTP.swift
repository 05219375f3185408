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

    /// The client every counterpart call uses, on NIO's shared event loops; made at the first
    /// call, and never shut down (it lives as long as the process).
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        // A refused connection is an answer ("not there"), not something to retry until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }()

    /// Sends `request`; the whole exchange must end within `request.timeout` (30 s if not positive).
    /// - Throws: ``CounterpartHTTPError``: too slow, too large, or the transport failed (its
    ///   description never holds the URL, which may carry an API key).
    public static func send(_ request: CounterpartRequest) async throws(CounterpartHTTPError) -> CounterpartResponse {
        let limit = request.timeout > 0 ? request.timeout : 30
        var http = HTTPClientRequest(url: request.url.absoluteString)
        http.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        if let body = request.body { http.body = .bytes(ByteBuffer(bytes: body)) }
        let deadline = NIODeadline.now() + .milliseconds(Int64(limit * 1000))
        let outgoing = http
        do {
            // Raced against the limit as a whole: the client's deadline covers the answer's head,
            // this covers its body too.
            let answer = try await withThrowingTaskGroup(of: CounterpartResponse?.self) { group in
                group.addTask {
                    let response = try await client.execute(outgoing, deadline: deadline)
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
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            throw .tooSlow(seconds: limit)
        } catch {
            throw .transport(describe(error))
        }
    }

    /// ``send(_:)`` for a caller that may not suspend (configuration, which must know a remote
    /// rail before it routes): blocks the calling thread, never a task thread's work, since the
    /// exchange runs on NIO's event loops. Must not be called on an event loop.
    public static func sendWaiting(_ request: CounterpartRequest) -> Result<CounterpartResponse, CounterpartHTTPError> {
        let limit = request.timeout > 0 ? request.timeout : 30
        do {
            var headers = HTTPHeaders()
            for (name, value) in request.headers { headers.add(name: name, value: value) }
            let http = try HTTPClient.Request(url: request.url.absoluteString, method: HTTPMethod(rawValue: request.method), headers: headers,
                                              body: request.body.map { .bytes($0) })
            // The deadline covers the whole exchange here, the body included.
            let response = try client.execute(request: http, delegate: ResponseAccumulator(request: http, maxBodySize: maximumAnswer),
                                              deadline: .now() + .milliseconds(Int64(limit * 1000))).wait()
            return .success(CounterpartResponse(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                                                body: response.body.map { Data($0.readableBytesView) } ?? Data()))
        } catch is ResponseAccumulator.ResponseTooBigError {
            return .failure(.tooLarge)
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            return .failure(.tooSlow(seconds: limit))
        } catch {
            return .failure(.transport(describe(error)))
        }
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
    /// The connection failed or broke: the counterpart may or may not have the request.
    case transport(String)

    public var description: String {
        switch self {
        case .tooSlow(let seconds): "no complete answer within \(Int(seconds)) s"
        case .tooLarge: "an answer of more than \(CounterpartHTTP.maximumAnswer) bytes"
        case .transport(let detail): "transport error: \(detail)"
        }
    }
}
