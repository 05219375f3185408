import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RailKit
import SandboxHTTP
import SwitchyardExecutor
import SwitchyardServer
import Testing

/// A subscriber on loopback: records each delivery; answers from a script per path (then 204).
actor WebhookInbox {
    struct Delivery: Sendable {
        var path: String
        var headers: [String: String]
        var body: Data
    }

    private(set) var deliveries = [Delivery]()
    private var script: [String: [Int]]

    init(script: [String: [Int]]) { self.script = script }

    func receive(_ delivery: Delivery) -> Int {
        deliveries.append(delivery)
        if delivery.path == "/redirect" { return 307 }
        guard var answers = script[delivery.path], !answers.isEmpty else { return 204 }
        let status = answers.removeFirst()
        script[delivery.path] = answers
        return status
    }

    static func start(script: [String: [Int]]) async throws -> (WebhookInbox, URL, LoopbackServer) {
        let inbox = WebhookInbox(script: script)
        let router = Router()
        router.post("/{path}") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers = [String: String]()
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let path = "/" + (context.parameters.get("path") ?? "")
            let status = await inbox.receive(Delivery(path: path, headers: headers, body: Data(buffer: body)))
            var answer = HTTPFields()
            if path == "/redirect" { answer[.location] = "/elsewhere" }
            return Response(status: HTTPResponse.Status(code: status), headers: answer)
        }
        let server = try await LoopbackServer.start(router: router)
        return (inbox, server.url, server)
    }
}

@Suite("Webhooks")
struct WebhookTests {
    /// Verifies a Standard Webhooks signature independently of the server's code: HMAC-SHA256 of
    /// `id.timestamp.body` keyed by the secret's base64 bytes, any of the space-separated `v1,` values.
    static func verifies(_ delivery: WebhookInbox.Delivery, secret: String) -> Bool {
        guard let id = delivery.headers["webhook-id"], let timestamp = delivery.headers["webhook-timestamp"],
              let signatures = delivery.headers["webhook-signature"], let key = Data(base64Encoded: String(secret.dropFirst(6))) else { return false }
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).".utf8) + delivery.body, using: SymmetricKey(data: key))
        let expected = "v1," + Data(mac).base64EncodedString()
        return signatures.split(separator: " ").contains { $0 == expected }
    }

    static func createEndpoint(_ client: some TestClientProtocol, key: String, url: URL) async throws -> (id: String, secret: String) {
        try await client.execute(uri: "/v1/webhook-endpoints", method: .post, headers: ServerHarness.headers(key: key),
                                 body: try ByteBuffer(json: ["url": url.absoluteString, "description": "test"])) { response in
            #expect(response.status == .created)
            let endpoint = try response.body.object()
            return (try #require(endpoint["id"] as? String), try #require(endpoint["secret"] as? String))
        }
    }

    @Test("every journal entry reaches each enabled endpoint once delivered, signed; a 503 is retried later; a 410 disables the endpoint")
    func deliveries() async throws {
        let harness = try await ServerHarness.start()
        defer { harness.stop() }
        let (inbox, base, receiver) = try await WebhookInbox.start(script: ["/good": [503], "/gone": Array(repeating: 410, count: 20)])
        defer { receiver.stop() }
        let dispatcher = WebhookDispatcher(store: harness.store, owner: "test", schedule: [.seconds(5), .seconds(60)],
                                           clock: { harness.clock.now() }, logger: ServerHarness.quiet)
        try await harness.withClient { client in
            let good = try await Self.createEndpoint(client, key: harness.writeKey, url: base.appendingPathComponent("good"))
            let gone = try await Self.createEndpoint(client, key: harness.writeKey, url: base.appendingPathComponent("gone"))
            #expect(good.secret.hasPrefix("whsec_") && good.secret != gone.secret)
            try await client.execute(uri: "/v1/webhook-endpoints", method: .get, headers: ServerHarness.headers(key: harness.readKey)) { response in
                let endpoints = try #require(try response.body.object()["data"] as? [[String: Any]])
                #expect(endpoints.count == 2 && endpoints.allSatisfy { $0["secret"] == nil })
            }
            for url in ["ftp://example.com/x", "http://example.com/hooks", "https://user:pw@example.com/x", "not a url"] {
                try await client.execute(uri: "/v1/webhook-endpoints", method: .post, headers: ServerHarness.headers(key: harness.writeKey),
                                         body: try ByteBuffer(json: ["url": url])) { #expect($0.status == .badRequest, "\(url)") }
            }

            let id = try await client.execute(uri: "/v1/payments", method: .post, headers: ServerHarness.headers(key: harness.writeKey, idempotencyKey: "wh-1"),
                                              body: try ByteBuffer(json: ["intent": ServerHarness.intent(), "rail": "correspondent-bank-a"])) {
                try #require(try $0.body.object()["id"] as? String)
            }
            try await harness.executor.runDue(owner: "test")
            let journal = try await harness.store.journal(of: id)
            #expect(journal.count >= 2)

            try await dispatcher.deliverDue()
            var received = await inbox.deliveries
            // The good endpoint's first delivery got 503; the gone endpoint answered 410 and is disabled
            // (deliveries already in flight to it in that round may still arrive; none later).
            #expect((1...journal.count).contains(received.filter { $0.path == "/gone" }.count))
            let disabled = try #require(try await harness.store.webhookEndpoint(id: gone.id))
            #expect(!disabled.enabled && disabled.disabledReason?.contains("410") == true)
            let goodFirst = received.filter { $0.path == "/good" }
            #expect(goodFirst.count == journal.count)
            // The 503 is tried again after its wait, not before.
            try await dispatcher.deliverDue()
            #expect(await inbox.deliveries.count == received.count)
            harness.clock.advance(by: 6)
            try await dispatcher.deliverDue()
            received = await inbox.deliveries.filter { $0.path == "/good" }
            #expect(received.count == journal.count + 1)

            // Every journal entry was delivered to the good endpoint, signed, its body the event.
            let delivered = Dictionary(grouping: received, by: { $0.headers["webhook-id"] ?? "" })
            #expect(Set(delivered.keys) == Set(journal.map { "evt_\($0.sequence)" }))
            for delivery in received {
                #expect(Self.verifies(delivery, secret: good.secret), "\(delivery.headers)")
                #expect(!Self.verifies(delivery, secret: gone.secret))
                let message = try #require(try JSONSerialization.jsonObject(with: delivery.body) as? [String: Any])
                let data = try #require(message["data"] as? [String: Any])
                #expect(data["paymentId"] as? String == id)
                #expect(message["type"] as? String == data["type"] as? String)
                #expect(delivery.headers["webhook-id"] == "evt_\(data["sequence"] as? Int ?? -1)")
            }
            let records = try await harness.store.webhookDeliveries(paymentID: id)
            #expect(records.filter { $0.endpointID == good.id }.allSatisfy { $0.state == .delivered })
            #expect(records.filter { $0.endpointID == gone.id }.allSatisfy { $0.state == .failed })

            // A later event is written for the good endpoint only.
            harness.clock.advance(by: 8 * 3600)
            var due = try #require(try await harness.store.payment(id: id))
            due.nextActionAt = harness.clock.now()
            try await harness.store.save(due)
            try await harness.executor.runDue(owner: "test")
            let later = try await harness.store.webhookDeliveries(paymentID: id).filter { $0.state == .pending }
            #expect(!later.isEmpty && later.allSatisfy { $0.endpointID == good.id })
        }
    }

    @Test("a rotated secret: both the new and the old secret sign for a day, then only the new; DELETE unsubscribes")
    func rotation() async throws {
        let harness = try await ServerHarness.start()
        defer { harness.stop() }
        let (inbox, base, receiver) = try await WebhookInbox.start(script: [:])
        defer { receiver.stop() }
        let dispatcher = WebhookDispatcher(store: harness.store, owner: "test", clock: { harness.clock.now() }, logger: ServerHarness.quiet)
        try await harness.withClient { client in
            let endpoint = try await Self.createEndpoint(client, key: harness.writeKey, url: base.appendingPathComponent("hooks"))
            let rotated = try await client.execute(uri: "/v1/webhook-endpoints/\(endpoint.id)/rotate-secret", method: .post,
                                                   headers: ServerHarness.headers(key: harness.writeKey)) { response in
                #expect(response.status == .ok)
                return try #require(try response.body.object()["secret"] as? String)
            }
            #expect(rotated != endpoint.secret)
            _ = try await client.execute(uri: "/v1/payments", method: .post, headers: ServerHarness.headers(key: harness.writeKey, idempotencyKey: "rot-1"),
                                         body: try ByteBuffer(json: ["intent": ServerHarness.intent(), "rail": "correspondent-bank-a"])) { $0 }
            try await harness.executor.runDue(owner: "test")
            try await dispatcher.deliverDue()
            let first = try #require(await inbox.deliveries.first)
            #expect(first.headers["webhook-signature"]?.split(separator: " ").count == 2)
            #expect(Self.verifies(first, secret: rotated) && Self.verifies(first, secret: endpoint.secret))

            // A day later the old secret no longer signs.
            harness.clock.advance(by: 24 * 3600 + 1)
            let payment = try #require(try await harness.store.payments(matching: PaymentFilter()).first)
            var due = payment
            due.nextActionAt = harness.clock.now()
            try await harness.store.save(due)
            try await harness.executor.runDue(owner: "test")
            let before = await inbox.deliveries.count
            try await dispatcher.deliverDue()
            let last = try #require(await inbox.deliveries.last)
            #expect(await inbox.deliveries.count > before)
            #expect(Self.verifies(last, secret: rotated) && !Self.verifies(last, secret: endpoint.secret))

            try await client.execute(uri: "/v1/webhook-endpoints/\(endpoint.id)", method: .delete, headers: ServerHarness.headers(key: harness.writeKey)) {
                #expect($0.status == .noContent)
            }
            try await client.execute(uri: "/v1/webhook-endpoints/\(endpoint.id)", method: .delete, headers: ServerHarness.headers(key: harness.writeKey)) {
                #expect($0.status == .notFound)
            }
            #expect(try await harness.store.webhookEndpoints().isEmpty)
        }
    }

    @Test("a redirect is never followed: the delivery stays with the endpoint's URL and is tried again later")
    func redirectsAreNotFollowed() async throws {
        let harness = try await ServerHarness.start()
        defer { harness.stop() }
        let (inbox, base, receiver) = try await WebhookInbox.start(script: [:])
        defer { receiver.stop() }
        let dispatcher = WebhookDispatcher(store: harness.store, owner: "test", clock: { harness.clock.now() }, logger: ServerHarness.quiet)
        try await harness.withClient { client in
            _ = try await Self.createEndpoint(client, key: harness.writeKey, url: base.appendingPathComponent("redirect"))
            let id = try await client.execute(uri: "/v1/payments", method: .post, headers: ServerHarness.headers(key: harness.writeKey, idempotencyKey: "rd-1"),
                                              body: try ByteBuffer(json: ["intent": ServerHarness.intent(), "rail": "correspondent-bank-a"])) {
                try #require(try $0.body.object()["id"] as? String)
            }
            try await harness.executor.runDue(owner: "test")
            try await dispatcher.deliverDue()
            let received = await inbox.deliveries
            #expect(!received.isEmpty && received.allSatisfy { $0.path == "/redirect" }, "\(received.map(\.path))")
            let records = try await harness.store.webhookDeliveries(paymentID: id)
            #expect(!records.isEmpty && records.allSatisfy { $0.state == .pending && $0.lastStatus == 307 && $0.attempts == 1 })
        }
    }
}
