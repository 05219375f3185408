import Foundation
import Hummingbird
import Logging
import RailHost
import RailKit
import RailKitSupport
import RailKitTesting
import RemoteRail
import RemoteRailProtocol
import RemoteRailTesting
import SandboxHTTP
import Testing

/// The correspondent rail run out of process: served by `RailHost`, used through the router's
/// `remote` adapter type, configured by URL and token alone.
@Suite("A rail out of process over the remote rail protocol")
struct RemoteRailTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func configure(_ id: RailID, url: URL, token: String) async throws -> RemoteRail {
        try await RemoteRailTesting.configure(id, url: url, token: token)
    }

    /// `adapter` served by RailHost on loopback, and the remote adapter that reaches it.
    static func serve(_ adapter: any RailAdapter, as id: RailID, token: String = "host-token") async throws -> (RemoteRail, LoopbackServer) {
        let server = try await LoopbackServer.start { try await RailHost(adapter: adapter, token: token, logger: quiet).run(port: 0, onListening: $0) }
        return (try await configure(id, url: server.url, token: token), server)
    }

    @Test("the conformance kit passes against the correspondent rail out of process: quotes, declines, execution in steps (the checkpoint committed before the bank sees the pacs.008) and status, over the wire")
    func conformanceOverTheWire() async throws {
        let harness = try await BankHarness.start("correspondent-bank-a", at: RailExecutionTests.wednesday, recording: true)
        defer { harness.stop() }
        let (remote, server) = try await Self.serve(harness.rail, as: "remote-bank-a")
        defer { server.stop() }
        #expect(remote.protocolVersion == RemoteRailProtocol.version)
        #expect(remote.descriptor.id == "remote-bank-a" && remote.descriptor.capabilities.canExecute)
        #expect(remote.descriptor.capabilities.corridors == harness.rail.descriptor.capabilities.corridors)
        let clock = harness.clock
        try await RailConformance(adapter: remote, market: Fixture.market, now: harness.now, scenarios: [
            ConformanceScenario("USD to a HK USD account", intent: Fixture.intent(), expect: .quote),
            ConformanceScenario("CNH to the mainland", intent: Fixture.intent(to: .cnh, country: "CN"), expect: .decline(.corridorNotSupported)),
        ], execution: ExecutionCheck(polls: 6, advance: { clock.advance(by: 6 * 3600) }, counterpart: harness.counterpart,
                                     creditedTolerance: (try .fiat("10.00", .usd),
                                                         "under SHA the beneficiary bank deducts its own fee, $10-20 (rails.md); the quote uses the rail's estimate"))).run()
    }

    @Test("a hostile remote rail: a quote for another amount is refused; a receipt without a committed checkpoint is an error, and its submission is recorded so the payment is followed, never run again")
    func hostileRemote() async throws {
        // A real quote and receipt to twist, from the correspondent rail in process.
        let harness = try await BankHarness.start("correspondent-bank-a", at: RailExecutionTests.wednesday)
        defer { harness.stop() }
        let intent = Fixture.intent()
        let request = QuoteRequest(quoteID: QuoteID("q-hostile"), intent: intent, now: harness.now, market: Fixture.market)
        guard case .quoted(let genuine) = try await harness.rail.quote(request) else { Issue.record("no quote"); return }
        var twisted = genuine
        twisted.principal = try .fiat("1.00", .usd)
        let cheaper = twisted
        let hello = RemoteRailProtocol.Hello(descriptor: harness.rail.descriptor)
        let sent = RailSubmission(reference: RailReference(kind: "uetr", value: "sent-before-commit"),
                                  checkpoint: try RailCheckpoint(HostileCheckpoint(note: "x")))
        let receipt = ExecutionReceipt(submission: sent, status: RailPaymentStatus(reference: sent.reference, state: .submitted, observedAt: harness.now))
        let router = Router()
        router.get("/v1/rail") { _, _ in RailHost.json(hello) }
        router.post("/v1/quote") { _, _ in RailHost.json(QuoteOutcome.quoted(cheaper)) }
        // Hands the payment over at the first step: nothing was committed before it left.
        router.post("/v1/execute") { _, _ in RailHost.json(RemoteRailProtocol.StepAnswer.finished(events: [], receipt: receipt)) }
        let server = try await LoopbackServer.start(router: router)
        defer { server.stop() }
        let remote = try await Self.configure("hostile", url: server.url, token: "t")

        await #expect { _ = try await remote.quote(request) } throws: { error in
            guard case RailError.invalidResponse(let detail) = error else { return false }
            return detail.contains("prices 1.00 USD")
        }
        let journal = CollectingRecorder()
        await #expect(throws: RailError.self) {
            _ = try await remote.execute(ExecutionRequest(paymentID: "p-hostile", intent: intent, quote: genuine, now: harness.now), recorder: journal)
        }
        #expect(await journal.events == [.prepared(sent)], "the submission is recorded, so the payment is followed by its reference")
    }

    @Test("a remote rail that is down, answers garbage or refuses the token is unavailable with the reason: never a crash or a hang")
    func downGarbageOrRefused() async throws {
        let intent = Fixture.intent()
        let request = QuoteRequest(quoteID: QuoteID("q-remote"), intent: intent, now: Date(), market: Fixture.market)

        // Down: nothing listens there.
        let down = try await Self.configure("down", url: URL(string: "http://127.0.0.1:9")!, token: "t")
        #expect(down.protocolVersion == nil)
        #expect(down.descriptor.capabilities.quoteOnlyReason?.contains("did not answer at start") == true)
        guard case .declined(let declined) = try await down.quote(request) else { Issue.record("quoted while down"); return }
        #expect(declined.code == .railUnavailable)

        // Garbage: an answer that is not the protocol's.
        let router = Router()
        router.get("/v1/rail") { _, _ in Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"protocolVersion\": 1, \u{1B}[31m"))) }
        let garbage = try await LoopbackServer.start(router: router)
        defer { garbage.stop() }
        let unreadable = try await Self.configure("garbage", url: garbage.url, token: "t")
        #expect(unreadable.protocolVersion == nil && unreadable.descriptor.capabilities.quoteOnlyReason?.contains("did not answer") == true)

        // Refused: the host wants another token.
        let harness = try await BankHarness.start("correspondent-bank-a", at: RailExecutionTests.wednesday)
        defer { harness.stop() }
        let server = try await LoopbackServer.start { try await RailHost(adapter: harness.rail, token: "the-right-one", logger: Self.quiet).run(port: 0, onListening: $0) }
        defer { server.stop() }
        let refused = try await Self.configure("refused", url: server.url, token: "a-wrong-one")
        #expect(refused.protocolVersion == nil && refused.descriptor.capabilities.quoteOnlyReason?.contains("HTTP 401") == true,
                "\(refused.descriptor.capabilities.quoteOnlyReason ?? "-")")

        // Plain http off loopback is refused by configuration.
        await #expect(throws: (any Error).self) { _ = try await Self.configure("plain", url: URL(string: "http://rails.example.com")!, token: "t") }
    }

    @Test("pushed notifications over the wire: the bank's signed callbacks, handed to the rail in its own process, read as in process; tampering refused")
    func notificationsOverTheWire() async throws {
        let (inbox, url, receiver) = try await CallbackInbox.start()
        defer { receiver.stop() }
        let harness = try await BankHarness.start(at: "2026-11-18T15:00:00Z", callbackURL: url)
        defer { harness.stop() }
        let (remote, server) = try await Self.serve(harness.rail, as: "remote-bank-a")
        defer { server.stop() }
        let receipt = try await harness.pay(Fixture.intent())
        for _ in 0..<4 {
            await harness.simulator.server.deliverCallbacks()
            harness.clock.advance(by: 8 * 3600)
        }
        let callbacks = await inbox.received
        var states = [String]()
        for callback in callbacks {
            // The router's API key rides along on the request it received; it is not passed on.
            let status = try await remote.acceptNotification(body: callback.body, headers: callback.headers.merging(["authorization": "Bearer router-key"]) { $1 },
                                                             at: Date())
            #expect(status.reference == receipt.reference)
            states.append(status.railCode ?? "")
        }
        #expect(states == ["ACSP", "ACSC", "ACCC"])
        let last = try #require(callbacks.last)
        var tampered = last.body
        tampered.append(contentsOf: Array(" ".utf8))
        await #expect(throws: RailError.self) { try await remote.acceptNotification(body: tampered, headers: last.headers, at: Date()) }
    }
}

/// A checkpoint a hostile remote rail makes up.
struct HostileCheckpoint: RailCheckpointPayload {
    static let railType = "hostile"
    static let schemaVersion = 1
    var note: String
}
