import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// How rails talk HTTP to a counterpart (a bank, a dealer, a partner, a node): a session that
/// never follows a redirect (an answer elsewhere would carry the request's credentials to
/// another origin; the 3xx comes back as the answer and is an error like any other non-2xx),
/// the whole exchange bounded in time (a slowly dribbled body cannot hold a payment), and the
/// answer bounded in size.
public enum CounterpartHTTP {
    /// The session every counterpart client uses.
    public static let session = URLSession(configuration: .ephemeral, delegate: RefuseRedirects(), delegateQueue: nil)

    /// Answers larger than this are refused (JSON-RPC, pacs.002, RFQ and payout answers are a few KiB).
    public static let maximumAnswer = 4 << 20

    /// Sends `request`; the whole exchange must end within `request.timeoutInterval` (default 30 s).
    /// - Throws: the transport's error, ``CounterpartHTTPError`` for an answer too slow or too large.
    public static func data(for request: URLRequest, session: URLSession = session) async throws -> (Data, URLResponse) {
        let limit = request.timeoutInterval > 0 ? request.timeoutInterval : 30
        let (data, response) = try await withThrowingTaskGroup(of: (Data, URLResponse)?.self) { group in
            group.addTask { try await session.data(for: request) }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int(limit * 1000)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else { throw CounterpartHTTPError.tooSlow(seconds: limit) }
            return answer
        }
        guard data.count <= maximumAnswer else { throw CounterpartHTTPError.tooLarge(bytes: data.count) }
        return (data, response)
    }
}

/// A counterpart's answer that was refused before it was read.
public enum CounterpartHTTPError: Error, Sendable, CustomStringConvertible {
    case tooSlow(seconds: TimeInterval)
    case tooLarge(bytes: Int)

    public var description: String {
        switch self {
        case .tooSlow(let seconds): "no complete answer within \(Int(seconds)) s"
        case .tooLarge(let bytes): "an answer of \(bytes) bytes, more than \(CounterpartHTTP.maximumAnswer) allowed"
        }
    }
}

/// Answers every redirect with "do not follow": the 3xx itself is the response.
final class RefuseRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
