import CounterpartHTTPClient
import Crypto
import Foundation
import Logging
import Metrics
import RailKit
import RailKitSupport
import ServiceLifecycle
import SwitchyardAPI
import SwitchyardExecutor

/// Delivers the webhook outbox: claims due deliveries under a lease (several servers on one
/// store never send one at once), posts each in the Standard Webhooks form, and records the
/// outcome — delivered on 2xx; on anything else tried again with backoff and jitter for more
/// than a day; the endpoint disabled on 410 Gone. A delivery interrupted by a crash is sent
/// again once its lease expires: subscribers deduplicate by `webhook-id`.
public struct WebhookDispatcher: Service {
    /// Waits after the first attempt, then after each retry (the Standard Webhooks schedule):
    /// 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — 27 h 35 min in all.
    public static let standardSchedule: [Duration] = [
        .seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18000), .seconds(36000), .seconds(36000),
    ]

    let store: any SwitchyardStore
    let owner: String
    let schedule: [Duration]
    let interval: Duration
    let timeout: TimeInterval
    let clock: @Sendable () -> Date
    let logger: Logger
    let post: @Sendable (CounterpartRequest) async throws -> Int

    /// - Parameters:
    ///   - owner: this process's name on the deliveries it leases.
    ///   - schedule: the waits between attempts; a delivery fails for good after the last.
    ///   - interval: the pause between rounds that found nothing due.
    public init(store: any SwitchyardStore, owner: String, schedule: [Duration] = standardSchedule, interval: Duration = .milliseconds(200),
                timeout: Duration = .seconds(10), clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.store = store
        self.owner = owner
        self.schedule = schedule
        self.interval = interval
        self.timeout = timeout.seconds
        self.clock = clock
        self.logger = logger
        // The counterpart session, which never follows a redirect: a delivery goes to the URL the
        // endpoint was created with, or it is not delivered (a 3xx is retried like any other failure).
        post = { request in try await CounterpartHTTP.send(request).status }
    }

    public func run() async throws {
        logger.info("webhook dispatcher started", metadata: ["owner": .string(owner)])
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let sent: Int
            do {
                sent = try await deliverDue()
            } catch {
                logger.error("webhook round failed; trying again", metadata: ["error": .string(String(describing: error))])
                sent = 0
            }
            if sent == 0 { try? await Task.sleep(for: interval) }
        }
        logger.info("webhook dispatcher stopped", metadata: ["owner": .string(owner)])
    }

    /// One round: claims up to `limit` due deliveries and attempts each (eight at a time).
    /// Returns how many it attempted.
    @discardableResult
    public func deliverDue(limit: Int = 32) async throws -> Int {
        let now = clock()
        let claimed = try await store.claimWebhookDeliveries(owner: owner, now: now, leaseUntil: now.addingTimeInterval(timeout * 3 + 30), limit: limit)
        guard !claimed.isEmpty else { return 0 }
        let endpoints = Dictionary(try await store.webhookEndpoints().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, delivery) in claimed.enumerated() {
                if index >= 8 { try await group.next() }
                group.addTask { try await attempt(delivery, endpoint: endpoints[delivery.endpointID]) }
            }
            try await group.waitForAll()
        }
        return claimed.count
    }

    private func attempt(_ delivery: WebhookDelivery, endpoint: WebhookEndpoint?) async throws {
        var log = logger
        log[metadataKey: "payment"] = .string(delivery.entry.paymentID)
        log[metadataKey: "webhook_endpoint"] = .string(delivery.endpointID)
        log[metadataKey: "webhook_id"] = .string(WebhookMessage.id(of: delivery.entry))
        guard let endpoint, endpoint.enabled else {
            try await store.finishWebhookDelivery(id: delivery.id, owner: owner, outcome: .failed(status: nil, error: "endpoint disabled or deleted", at: clock()))
            return
        }
        // Secrets in use by the store's clock; the signed timestamp is the wall clock, which subscribers check against theirs.
        let request = try WebhookMessage.request(for: delivery.entry, to: endpoint, signedAt: Date(), secretsAt: clock(), timeout: timeout)
        let status: Int?
        let failure: String?
        do {
            let code = try await post(request)
            status = code
            failure = (200..<300).contains(code) ? nil : "HTTP \(code)"
        } catch {
            status = nil
            // The client's words never hold the URL (a subscriber's URL may carry a token).
            failure = "not delivered: \((error as? CounterpartHTTPError)?.description ?? String(describing: type(of: error)))"
        }
        let now = clock()
        Counter(label: "switchyard_webhook_deliveries_total", dimensions: [("outcome", failure == nil ? "delivered" : status == 410 ? "gone" : "failed")])
            .increment()
        guard let failure else {
            try await store.finishWebhookDelivery(id: delivery.id, owner: owner, outcome: .delivered(status: status ?? 200, at: now))
            log.debug("webhook delivered", metadata: ["status": .stringConvertible(status ?? 0)])
            return
        }
        if status == 410 {
            // The subscriber says the endpoint is gone for good: stop sending to it.
            var disabled = endpoint
            disabled.enabled = false
            disabled.disabledReason = "the endpoint answered 410 Gone at \(Timestamp.format(now))"
            try await store.finishWebhookDelivery(id: delivery.id, owner: owner, outcome: .failed(status: 410, error: failure, at: now))
            _ = try await store.updateWebhookEndpoint(disabled)
            log.notice("webhook endpoint disabled: it answered 410 Gone")
            return
        }
        guard delivery.attempts < schedule.count else {
            try await store.finishWebhookDelivery(id: delivery.id, owner: owner, outcome: .failed(status: status, error: failure, at: now))
            log.warning("webhook not delivered after every retry; given up", metadata: ["attempts": .stringConvertible(delivery.attempts + 1)])
            return
        }
        let next = now.addingTimeInterval(Self.jittered(schedule[delivery.attempts]))
        try await store.finishWebhookDelivery(id: delivery.id, owner: owner, outcome: .retry(status: status, error: failure, next: next))
        log.info("webhook not delivered; will retry", metadata: ["error": .string(failure), "next": .string(Timestamp.format(next))])
    }

    /// `wait` ± 10 %, so deliveries that failed together (a subscriber's outage) do not all come back at once.
    static func jittered(_ wait: Duration) -> TimeInterval {
        wait.seconds * Double.random(in: 0.9...1.1)
    }
}

/// A webhook as sent: `{"type", "timestamp", "data"}` with the payment event as data, and the
/// Standard Webhooks headers.
public struct WebhookMessage: Codable, Sendable, Hashable {
    public var type: String
    /// When the event was recorded (the same on every retry, so the body never changes).
    public var timestamp: String
    public var data: PaymentEventResource

    public init(_ entry: JournalEntry) {
        data = PaymentEventResource(entry)
        type = data.type
        timestamp = Timestamp.format(entry.recordedAt)
    }

    /// `webhook-id`: one per event, the same on every retry and for every endpoint.
    public static func id(of entry: JournalEntry) -> String { "evt_\(entry.sequence)" }

    /// The request for `entry` to `endpoint`, its timestamp `signedAt`, signed with every secret in use at `secretsAt`.
    static func request(for entry: JournalEntry, to endpoint: WebhookEndpoint, signedAt now: Date, secretsAt: Date, timeout: TimeInterval) throws -> CounterpartRequest {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(WebhookMessage(entry))
        let id = id(of: entry)
        let timestamp = String(Int(now.timeIntervalSince1970))
        var request = CounterpartRequest(url: endpoint.url, method: "POST", timeout: timeout)
        request.body = body
        request.setHeader("Content-Type", "application/json")
        request.setHeader("User-Agent", "Switchyard-Webhooks/1")
        request.setHeader("webhook-id", id)
        request.setHeader("webhook-timestamp", timestamp)
        request.setHeader("webhook-signature", endpoint.signingSecrets(at: secretsAt)
            .compactMap { signature(id: id, timestamp: timestamp, body: body, secret: $0.value) }.joined(separator: " "))
        return request
    }

    /// `v1,` and base64 of HMAC-SHA256 over `id.timestamp.body`, keyed by the secret's bytes.
    public static func signature(id: String, timestamp: String, body: Data, secret: String) -> String? {
        guard let key = WebhookSecrets.keyBytes(secret) else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).".utf8) + body, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }
}

/// Webhook signing secrets: `whsec_` and base64 of 32 random bytes.
public enum WebhookSecrets {
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return "whsec_" + Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64EncodedString()
    }

    static func keyBytes(_ secret: String) -> Data? {
        guard secret.hasPrefix("whsec_") else { return nil }
        var base64 = String(secret.dropFirst("whsec_".count))
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
