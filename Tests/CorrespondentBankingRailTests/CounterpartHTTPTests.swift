@testable import CounterpartHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import RailKit
import RailKitSupport
import RailKitTesting
import SandboxHTTP
import SwitchyardExecutor
import Synchronization
import Testing

/// What every rail's HTTP client gets from `CounterpartHTTP`, against hostile servers on loopback.
@Suite("Counterpart HTTP against hostile servers")
struct CounterpartHTTPTests {
    actor Seen {
        var authorizations = [String]()
        func add(_ value: String) { authorizations.append(value) }
    }

    @Test("a redirect is never followed, so credentials never reach another origin; a slow or huge answer is refused")
    func hostileAnswers() async throws {
        let seen = Seen()
        let elsewhere = Router()
        elsewhere.post("/steal") { request, _ -> Response in
            await seen.add(request.headers[.authorization] ?? "")
            return Response(status: .ok)
        }
        let thief = try await LoopbackServer.start(router: elsewhere)
        defer { thief.stop() }
        let hostile = Router()
        let target = thief.url.appendingPathComponent("steal").absoluteString
        hostile.post("/redirect") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.location] = target
            return Response(status: .temporaryRedirect, headers: headers)
        }
        // A byte every 0.4 s for 40 s: never idle long enough for a read timeout, never done.
        hostile.get("/dribble") { _, _ -> Response in
            Response(status: .ok, body: ResponseBody { writer in
                for _ in 0..<100 {
                    try await writer.write(ByteBuffer(string: "x"))
                    try await Task.sleep(for: .milliseconds(400))
                }
                try await writer.finish(nil)
            })
        }
        hostile.get("/huge") { _, _ -> Response in
            Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(repeating: 0x41, count: CounterpartHTTP.maximumAnswer + 1)))
        }
        let server = try await LoopbackServer.start(router: hostile)
        defer { server.stop() }

        var redirect = CounterpartRequest(url: server.url.appendingPathComponent("redirect"), method: "POST")
        redirect.setHeader("Authorization", "Bearer secret-token")
        let response = try await CounterpartHTTP.send(redirect)
        #expect(response.status == 307)
        #expect(await seen.authorizations.isEmpty)

        let slow = CounterpartRequest(url: server.url.appendingPathComponent("dribble"), timeout: 1)
        let started = ContinuousClock.now
        await #expect(throws: CounterpartHTTPError.tooSlow(seconds: 1)) { try await CounterpartHTTP.send(slow) }
        // Cut off after about its 1 s limit; the bound is loose because a loaded CI machine is slow,
        // and still far below the 40 s an uncut read would take.
        #expect(ContinuousClock.now - started < .seconds(15))

        await #expect(throws: CounterpartHTTPError.tooLarge) {
            try await CounterpartHTTP.send(CounterpartRequest(url: server.url.appendingPathComponent("huge")))
        }
    }

    @Test("the egress proxy is read from the environment as curl reads it; loopback and no_proxy hosts go direct")
    func egressProxy() throws {
        #expect(try EgressProxy.fromEnvironment(scheme: "https", environment: [:]).get() == nil)
        #expect(try EgressProxy.fromEnvironment(scheme: "http", environment: ["HTTP_PROXY": "http://proxy.internal:3128"]).get() == nil,
                "HTTP_PROXY in upper case is ignored, as curl ignores it")
        // Set but not an address: every call it would carry fails naming the variable, never goes around the proxy.
        #expect(throws: CounterpartHTTPError.notConnected("https_proxy is not a proxy address ([http://][user:password@]host[:port]); nothing was sent")) {
            try EgressProxy.fromEnvironment(scheme: "https", environment: ["https_proxy": "socks5://:1080"]).get()
        }
        // Credentials percent-decoded once: "%2540" is a literal "%40", "%40" an "@".
        let https = try EgressProxy.fromEnvironment(scheme: "https", environment: ["HTTPS_PROXY": "http://us%2540er:p%40ss@proxy.internal:3128"]).get()
        #expect(https?.host == "proxy.internal" && https?.port == 3128)
        #expect(https?.authorization == .basic(username: "us%40er", password: "p@ss"))
        let bare = try EgressProxy.fromEnvironment(scheme: "http", environment: ["http_proxy": "proxy.internal"]).get()
        #expect(bare?.host == "proxy.internal" && bare?.port == 80)
        let noProxy = EgressProxy.noProxy(in: ["no_proxy": "bank.example, .partner.example"])
        for direct in ["localhost", "127.0.0.1", "::1", "[::1]", "bank.example", "api.bank.example", "pay.partner.example", "partner.example"] {
            #expect(EgressProxy.bypasses(host: direct, noProxy: noProxy), "\(direct)")
        }
        for proxied in ["notbank.example", "example", "dealer.example"] {
            #expect(!EgressProxy.bypasses(host: proxied, noProxy: noProxy), "\(proxied)")
        }
        #expect(EgressProxy.bypasses(host: "anything.example", noProxy: EgressProxy.noProxy(in: ["NO_PROXY": "*"])))
    }

    @Test("one transient 5xx from the bank while polling is ridden out within the budget: the payment settles, the 503 was served")
    func transient5xxWhilePolling() async throws {
        let harness = try await BankHarness.start(at: "2026-11-18T15:00:00Z")
        defer { harness.stop() }
        let unserved = Mutex(true)
        // Between the rail and the bank: the first status request answers 503 instead of the bank.
        let proxy = try await RecordingProxy.start(
            forwardingTo: harness.simulator.url,
            classify: { method, path, _ in method == "GET" && path.hasPrefix("/v1/payments/") ? "status" : nil },
            loseAnswer: { _ in unserved.withLock { first in defer { first = false }; return first ? 503 : nil } })
        defer { proxy.stop() }
        let rail = try Fixture.rail("correspondent-bank-a", environment: BankHarness.environment("correspondent-bank-a", url: proxy.url))
        let intent = Fixture.intent()
        let clock = harness.clock
        guard case .quoted(let quote) = try await rail.quote(QuoteRequest(quoteID: QuoteID("q-5xx"), intent: intent, now: clock.now(), market: Fixture.market)) else {
            Issue.record("no quote"); return
        }
        let executor = PaymentExecutor(adapters: [rail], admission: CapabilityAdmission(), store: InMemoryPaymentStore(), clock: { clock.now() })
        _ = try await executor.execute(paymentID: "p-5xx", intent: intent, quote: quote)
        let status = try await executor.follow(paymentID: "p-5xx", budget: .seconds(60), maxPolls: 12, pause: { clock.advance(by: 8 * 3600) })
        #expect(status.state == .settled, "\(status)")
        #expect(unserved.withLock { !$0 }, "the 503 was never served")
    }

    @Test("a bank that takes the pacs.008 (HTTP 200) and answers garbage: the journal says submitted before anything else, and the status follows the UETR")
    func unreadableAcceptance() async throws {
        let router = Router()
        router.post("/v1/payments") { _, _ -> Response in
            Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "<<not a message \u{1B}[31m")))
        }
        let server = try await LoopbackServer.start(router: router)
        defer { server.stop() }
        let rail = try Fixture.rail("correspondent-bank-a", environment: BankHarness.environment("correspondent-bank-a", url: server.url))
        let intent = Fixture.intent()
        let now = Timestamp.parse("2026-11-18T15:00:00Z")!
        guard case .quoted(let quote) = try await rail.quote(QuoteRequest(quoteID: QuoteID("q"), intent: intent, now: now, market: Fixture.market)) else {
            Issue.record("no quote"); return
        }
        let journal = CollectingRecorder()
        let receipt = try await rail.execute(ExecutionRequest(paymentID: "p-garbage", intent: intent, quote: quote, now: now), recorder: journal)
        let events = await journal.events
        guard events.count >= 2, case .prepared = events[0], case .submitted = events[1] else {
            Issue.record("the journal is not prepared, submitted: \(events)"); return
        }
        #expect(receipt.status.state == .submitted)
        #expect(receipt.status.notes.contains { $0.hasPrefix("the bank's answer could not be read") && !$0.contains("\u{1B}") })
    }
}
