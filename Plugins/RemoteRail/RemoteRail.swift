import CounterpartHTTPClient
import Foundation
import RailKit
import RailKitSupport
import RemoteRailProtocol

/// A rail that runs in another process (or on another host, any language), spoken to over the
/// out-of-process rail protocol (``RemoteRailProtocol``): an operator adds it by configuration
/// alone (`"adapter": "remote"` and a settings file with its URL and token).
///
/// The remote rail's checkpoints are recorded here, in the router's journal, before the step that
/// sends anything: each step that records a checkpoint stops there, and the next step resumes from
/// it. A remote rail that is down or answers what cannot be read is `RAIL_UNAVAILABLE` with the
/// reason; its answers are bounded in size and time like any counterpart's.
public struct RemoteRail: ConfigurableRail {
    public static let adapterType = "remote"
    /// Building one asks the remote rail for its descriptor.
    public static let buildingContactsCounterpart = true

    public struct Settings: Decodable, Sendable {
        /// The remote rail's base URL; `https` unless on loopback.
        var url: SettingValue
        /// The bearer token it requires.
        var token: SettingValue
        /// The time limit for one call (default 30 s).
        var timeoutSeconds: Int?
    }

    public let descriptor: RailDescriptor
    /// The remote rail's own id: its quotes name it there, and the configured id here.
    let remoteID: RailID
    /// The protocol version the remote rail answered with at start, or nil when it did not answer.
    public let protocolVersion: String?
    let endpoint: URL
    let token: String
    let timeout: TimeInterval
    /// Why the rail cannot be used, when it could not be reached or speaks another version at start.
    let unusable: String?
    /// Whether the remote rail reads its counterpart's pushed notifications (its hello says so).
    let acceptsNotifications: Bool

    public init(id: RailID, settings: Settings, context: RailConfigurationContext, environment: [String: String]) throws {
        guard let text = settings.url.resolve(environment) else {
            throw ValidationError(field: "url", value: "", rule: "remote.url", message: "the remote rail's URL is not set")
        }
        endpoint = try EndpointURL.parse(text, field: "url")
        guard let token = settings.token.resolve(environment) else {
            throw ValidationError(field: "token", value: "", rule: "remote.token", message: "the remote rail's bearer token is not set")
        }
        self.token = token
        let seconds = settings.timeoutSeconds ?? 30
        guard (1...300).contains(seconds) else {
            throw ValidationError(field: "timeoutSeconds", value: String(seconds), rule: "remote.timeout", message: "1 to 300 seconds")
        }
        timeout = TimeInterval(seconds)
        // The descriptor is the remote rail's own, under the id configured here.
        switch Self.hello(endpoint: endpoint, token: token, timeout: min(timeout, 10)) {
        case .success(let hello) where hello.protocolVersion == RemoteRailProtocol.version:
            var descriptor = hello.descriptor
            remoteID = descriptor.id
            descriptor.id = id
            // Quoting a remote rail is a network call, whatever it says of its own quotes: it is
            // quoted with the rails that call a counterpart, under their time limit.
            descriptor.capabilities.quoteCallsCounterpart = true
            self.descriptor = descriptor
            protocolVersion = hello.protocolVersion
            unusable = nil
            acceptsNotifications = hello.acceptsNotifications ?? false
        case .success(let hello):
            remoteID = hello.descriptor.id
            protocolVersion = hello.protocolVersion
            unusable = "the remote rail speaks protocol \(hello.protocolVersion); this router speaks \(RemoteRailProtocol.version)"
            acceptsNotifications = false
            descriptor = Self.placeholder(id, reason: unusable!)
        case .failure(let error):
            remoteID = id
            protocolVersion = nil
            unusable = "the remote rail at \(endpoint.host ?? "?") did not answer at start (\(error))"
            acceptsNotifications = false
            descriptor = Self.placeholder(id, reason: unusable!)
        }
    }

    /// A rail that cannot be used: no corridor, quotes only, saying why.
    static func placeholder(_ id: RailID, reason: String) -> RailDescriptor {
        RailDescriptor(id: id, displayName: "remote rail \(id) (unavailable)", capabilities: RailCapabilities(
            kind: .correspondentBanking, corridors: [], operatingHours: .continuous, supportsFixedReceive: false,
            quoteOnlyReason: reason, quoteValiditySeconds: 0))
    }

    public func quote(_ request: QuoteRequest) async throws -> QuoteOutcome {
        if let unusable { return .declined(RailDecline(.railUnavailable, unusable)) }
        switch try await call("v1/quote", request, as: QuoteOutcome.self) {
        case .quoted(var quote):
            if let problem = Self.mismatch(quote, request: request, remoteID: remoteID, validity: descriptor.capabilities.quoteValiditySeconds) {
                throw RailError.invalidResponse("the remote rail's quote does not price this payment: \(problem)")
            }
            quote.railID = descriptor.id
            return .quoted(quote)
        case .declined(let decline):
            return .declined(decline)
        }
    }

    public func execute(_ request: ExecutionRequest, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        if let unusable { throw RailError.unavailable(unusable) }
        var step = request
        // The remote rail knows the quote under its own id.
        step.quote.railID = remoteID
        // Each checkpoint the remote rail records is committed here before the step that sends it.
        for _ in 0..<32 {
            switch try await call("v1/execute", step, as: RemoteRailProtocol.StepAnswer.self) {
            case .checkpoint(let submission, let events):
                guard submission != step.resumeFrom else {
                    throw RailError.invalidResponse("the remote rail stopped twice at checkpoint \(submission.reference)")
                }
                // What happened since the last checkpoint (a leg submitted, say), then the new one.
                for event in events { try await recorder.record(event) }
                try await recorder.record(.prepared(submission))
                step.resumeFrom = submission
            case .finished(let events, let receipt):
                // The protocol's one rule: nothing is sent before its checkpoint is committed here, so a
                // receipt is for the checkpoint this step resumed from. A remote rail that broke it may
                // have sent: its submission is recorded now so the payment is followed (never run
                // again), and the breach is an error, never a success.
                guard let committed = step.resumeFrom, receipt.submission == committed else {
                    try? await recorder.record(.prepared(receipt.submission))
                    throw RailError.invalidResponse(
                        "the remote rail handed over \(receipt.submission.reference) without a committed checkpoint for it; the payment is followed by that reference")
                }
                for event in events { try await recorder.record(event) }
                return receipt
            }
        }
        throw RailError.invalidResponse("the remote rail recorded more than 32 checkpoints for one payment")
    }

    /// Why a remote rail's quote is not a quote for this request, or nil: another rail's or id, made
    /// at another instant, valid longer than the rail says, in other currencies, or for another amount.
    static func mismatch(_ quote: Quote, request: QuoteRequest, remoteID: RailID, validity: Int) -> String? {
        let intent = request.intent
        if quote.railID != remoteID || quote.id != request.quoteID { return "it is quote \(quote.id) of rail \(quote.railID)" }
        // Instants cross the wire to the millisecond.
        if abs(quote.createdAt.timeIntervalSince(request.now)) >= 0.001 {
            return "it was made at \(Timestamp.format(quote.createdAt)), not \(Timestamp.format(request.now))"
        }
        if quote.expiresAt > request.now.addingTimeInterval(TimeInterval(validity) + 0.001) || quote.expiresAt < request.now.addingTimeInterval(-0.001) {
            return "it expires at \(Timestamp.format(quote.expiresAt)), outside the rail's \(validity) s"
        }
        if quote.principal.asset != .fiat(intent.sourceCurrency) || quote.debtorPays.asset != .fiat(intent.sourceCurrency)
            || quote.creditorReceives.asset != .fiat(intent.destinationCurrency) {
            return "its amounts are not \(intent.sourceCurrency) → \(intent.destinationCurrency)"
        }
        let fixed = intent.amount.fixed == .send ? quote.principal : quote.creditorReceives
        if fixed != intent.amount.money { return "it prices \(fixed), not the fixed \(intent.amount.money)" }
        return nil
    }

    public func status(of submission: RailSubmission, at now: Date) async throws -> RailPaymentStatus {
        if let unusable { throw RailError.unavailable(unusable) }
        return try await call("v1/status", RemoteRailProtocol.StatusRequest(submission: submission, now: now), as: RailPaymentStatus.self)
    }

    /// Router credentials a notification may carry that are never passed on to a remote rail.
    static let withheldHeaders: Set<String> = ["authorization", "cookie", "proxy-authorization", "x-api-key"]

    /// One POST: the answer decoded, a typed failure rethrown as the remote rail's error, anything
    /// else (down, too slow, too large, unreadable) `RailError.unavailable` with the reason.
    func call<Body: Encodable, Answer: Decodable>(_ path: String, _ body: Body, as type: Answer.Type) async throws -> Answer {
        var request = CounterpartRequest(url: endpoint.appendingPathComponent(path), method: "POST", timeout: timeout)
        request.setHeader("Content-Type", "application/json")
        request.setHeader("Authorization", "Bearer \(token)")
        request.body = try RailCoding.encoder().encode(body)
        let response: CounterpartResponse
        do { response = try await CounterpartHTTP.send(request) } catch {
            throw RailError.unavailable("the remote rail did not answer: \(CounterpartText.sanitized(error.description))")
        }
        let status = response.status, data = response.body
        guard (200..<300).contains(status) else {
            if let failure = try? RailCoding.decoder().decode(RemoteRailProtocol.Failure.self, from: data) { throw Self.sanitized(failure.error) }
            throw RailError.unavailable("the remote rail answered HTTP \(status)")
        }
        do { return try RailCoding.decoder().decode(type, from: data) } catch {
            throw RailError.unavailable("the remote rail answered what cannot be read: \(CounterpartText.sanitized("\(error)"))")
        }
    }

    /// A remote rail's error with its words sanitised (they reach the journal and the CLI).
    static func sanitized(_ error: RailError) -> RailError {
        switch error {
        case .unavailable(let detail): .unavailable(CounterpartText.sanitized(detail))
        case .invalidResponse(let detail): .invalidResponse(CounterpartText.sanitized(detail))
        case .misconfigured(let detail): .misconfigured(CounterpartText.sanitized(detail))
        case .declined(let decline): .declined(RailDecline(decline.code, CounterpartText.sanitized(decline.message)))
        case .unsupported, .money: error
        }
    }

    /// `GET /v1/rail`, waited for at configuration time (the router needs the descriptor before
    /// it routes): the loading thread waits at most `timeout` per remote rail. The exchange runs
    /// on NIO's event loops; a remote rail served by the same process must still be configured off
    /// the task threads (its answer needs one).
    static func hello(endpoint: URL, token: String, timeout: TimeInterval) -> Result<RemoteRailProtocol.Hello, RailError> {
        var request = CounterpartRequest(url: endpoint.appendingPathComponent("v1/rail"), timeout: timeout)
        request.setHeader("Authorization", "Bearer \(token)")
        switch CounterpartHTTP.sendWaiting(request) {
        case .failure(let error):
            return .failure(.unavailable(CounterpartText.sanitized(error.description)))
        case .success(let response):
            guard (200..<300).contains(response.status) else { return .failure(.unavailable("HTTP \(response.status)")) }
            do { return .success(try RailCoding.decoder().decode(RemoteRailProtocol.Hello.self, from: response.body)) } catch {
                return .failure(.unavailable("an answer that is not a rail's hello"))
            }
        }
    }
}

extension RemoteRail: RailNotificationReceiver {
    /// Hands a counterpart's pushed notification to the remote rail, which authenticates and reads
    /// it (its secrets stay in its process). The router's own credentials are not passed on; the
    /// executor records the status only on a payment of this rail with the reference it names.
    public func acceptNotification(body: Data, headers: [String: String], at now: Date) async throws -> RailPaymentStatus {
        if let unusable { throw RailError.unavailable(unusable) }
        guard acceptsNotifications else { throw RailError.invalidResponse("remote rail \(descriptor.id) takes no notifications") }
        let forwarded = headers.filter { !Self.withheldHeaders.contains($0.key.lowercased()) }
        return try await call("v1/notification", RemoteRailProtocol.NotificationRequest(body: body, headers: forwarded, now: now),
                              as: RailPaymentStatus.self)
    }
}
