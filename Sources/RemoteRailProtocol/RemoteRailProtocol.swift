import Foundation
import RailKit

/// The out-of-process rail protocol: JSON over HTTP, RailKit's Codable types as the wire format
/// (``RailCoding``: sorted keys, instants in UTC to the millisecond, amounts as decimal strings).
/// A rail served by `RailHost` in its own process is used by the router's `remote` adapter type
/// exactly as an in-process ``RailAdapter``.
///
/// Every request carries `Authorization: Bearer <token>`.
/// - `GET /v1/rail` → ``Hello``: the protocol version and the rail's descriptor.
/// - `POST /v1/quote` ``QuoteRequest`` → ``QuoteOutcome``.
/// - `POST /v1/execute` ``ExecutionRequest`` → ``StepAnswer``. Execution goes in steps so that
///   the rail's checkpoint is committed in the router's store before anything leaves the remote
///   rail: the rail runs until it records a checkpoint and answers it with the events before it
///   (nothing of it sent); the router records them, commits the checkpoint and asks again with
///   `resumeFrom` set to it; the rail continues from it and repeats nothing it recorded. A rail answers ``StepAnswer/finished(events:receipt:)`` once the
///   payment is handed over. A step repeated (a lost answer) is safe: it resumes from the same checkpoint.
/// - `POST /v1/status` ``StatusRequest`` → ``RailPaymentStatus``.
/// - `POST /v1/notification` ``NotificationRequest`` → ``RailPaymentStatus``: a counterpart's
///   pushed notification (a bank's signed callback), received by the router and handed to the
///   rail to authenticate and read, for a rail whose hello says it takes them.
/// - Any refusal or failure: a non-2xx status with ``Failure`` (a typed ``RailError``).
public enum RemoteRailProtocol {
    /// The version this build speaks; a remote rail that answers another is not used.
    public static let version = "1"

    /// What `GET /v1/rail` answers.
    public struct Hello: Codable, Sendable, Hashable {
        public var protocolVersion: String
        public var descriptor: RailDescriptor
        /// Whether the rail reads its counterpart's pushed notifications (absent: no).
        public var acceptsNotifications: Bool?

        public init(protocolVersion: String = RemoteRailProtocol.version, descriptor: RailDescriptor, acceptsNotifications: Bool? = nil) {
            self.protocolVersion = protocolVersion
            self.descriptor = descriptor
            self.acceptsNotifications = acceptsNotifications
        }
    }

    /// What `POST /v1/notification` takes: the notification as the router received it.
    public struct NotificationRequest: Codable, Sendable, Hashable {
        /// The request body, byte for byte (base64 in JSON): signatures cover these bytes.
        public var body: Data
        /// The request's headers, names in lower case; the router's own credentials are not passed on.
        public var headers: [String: String]
        public var now: Date

        public init(body: Data, headers: [String: String], now: Date) {
            self.body = body
            self.headers = headers
            self.now = now
        }
    }

    /// What `POST /v1/status` takes.
    public struct StatusRequest: Codable, Sendable, Hashable {
        public var submission: RailSubmission
        public var now: Date

        public init(submission: RailSubmission, now: Date) {
            self.submission = submission
            self.now = now
        }
    }

    /// One execution step's outcome.
    public enum StepAnswer: Codable, Sendable, Hashable {
        /// The rail recorded this checkpoint and sent nothing after it: record the events (what
        /// happened since the last checkpoint, in order), commit the checkpoint, then ask again
        /// with `resumeFrom` set to it.
        case checkpoint(RailSubmission, events: [ExecutionEvent])
        /// The payment is handed over: the events after the last checkpoint, in order, and the receipt.
        case finished(events: [ExecutionEvent], receipt: ExecutionReceipt)

        private enum CodingKeys: String, CodingKey { case checkpoint, events, receipt }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .checkpoint(let submission, let events):
                try container.encode(submission, forKey: .checkpoint)
                try container.encode(events, forKey: .events)
            case .finished(let events, let receipt):
                try container.encode(events, forKey: .events)
                try container.encode(receipt, forKey: .receipt)
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let submission = try container.decodeIfPresent(RailSubmission.self, forKey: .checkpoint) {
                self = .checkpoint(submission, events: try container.decodeIfPresent([ExecutionEvent].self, forKey: .events) ?? [])
            } else {
                self = .finished(events: try container.decode([ExecutionEvent].self, forKey: .events),
                                 receipt: try container.decode(ExecutionReceipt.self, forKey: .receipt))
            }
        }
    }

    /// The body of every non-2xx answer.
    public struct Failure: Codable, Sendable, Hashable {
        public var error: RailError
        public init(error: RailError) { self.error = error }
    }
}
