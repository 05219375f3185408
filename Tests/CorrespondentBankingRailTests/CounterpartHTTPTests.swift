import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Hummingbird
import RailKit
import RailKitSupport
import RailKitTesting
import SandboxHTTP
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

        var redirect = URLRequest(url: server.url.appendingPathComponent("redirect"))
        redirect.httpMethod = "POST"
        redirect.setValue("Bearer secret-token", forHTTPHeaderField: "Authorization")
        let (_, response) = try await CounterpartHTTP.data(for: redirect)
        #expect((response as? HTTPURLResponse)?.statusCode == 307)
        #expect(await seen.authorizations.isEmpty)

        var slow = URLRequest(url: server.url.appendingPathComponent("dribble"))
        slow.timeoutInterval = 1
        let started = ContinuousClock.now
        await #expect(throws: CounterpartHTTPError.self) { try await CounterpartHTTP.data(for: slow) }
        // Cut off after about its 1 s limit; the bound is loose because a loaded CI machine is slow,
        // and still far below the 40 s an uncut read would take.
        #expect(ContinuousClock.now - started < .seconds(15))

        await #expect(throws: CounterpartHTTPError.self) {
            try await CounterpartHTTP.data(for: URLRequest(url: server.url.appendingPathComponent("huge")))
        }
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
