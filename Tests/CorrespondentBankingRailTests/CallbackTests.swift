import BankSimulator
import CorrespondentBankingRail
import Foundation
import Hummingbird
import ISO20022
import RailKit
import RailKitSupport
import RailKitTesting
import SandboxHTTP
import SwitchyardExecutor
import Testing

/// Receives the simulator's callbacks on loopback, as the router's HTTP server will.
actor CallbackInbox {
    private(set) var received = [(body: Data, headers: [String: String])]()
    func add(_ body: Data, _ headers: [String: String]) { received.append((body, headers)) }

    static func start() async throws -> (CallbackInbox, URL, LoopbackServer) {
        let inbox = CallbackInbox()
        let router = Router()
        router.post("/callbacks/bank") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers = [String: String]()
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            await inbox.add(Data(body.readableBytesView), headers)
            return Response(status: .noContent)
        }
        let server = try await LoopbackServer.start(router: router)
        return (inbox, server.url.appendingPathComponent("callbacks/bank"), server)
    }
}

@Suite("Status by signed callback")
struct CallbackTests {
    @Test("a status the bank issued before the one recorded (a callback delivered late) is ignored: the payment never moves back")
    func outOfOrderCallbacks() async throws {
        let (inbox, url, receiver) = try await CallbackInbox.start()
        defer { receiver.stop() }
        let harness = try await BankHarness.start(at: "2026-11-18T15:00:00Z", callbackURL: url)
        defer { harness.stop() }
        let notifications = try #require(harness.rail as? any RailNotificationReceiver)
        let intent = Fixture.intent()
        let now = harness.clock.now()
        guard case .quoted(let quote) = try await harness.rail.quote(QuoteRequest(quoteID: QuoteID("q-order"), intent: intent, now: now, market: Fixture.market)) else {
            Issue.record("no quote"); return
        }
        let executor = PaymentExecutor(adapters: [harness.rail], admission: CapabilityAdmission(), store: InMemoryPaymentStore(), clock: { now })
        _ = try await executor.execute(paymentID: "p-order", intent: intent, quote: quote)
        for _ in 0..<4 {
            await harness.simulator.server.deliverCallbacks()
            harness.clock.advance(by: 8 * 3600)
        }
        var statuses = [RailPaymentStatus]()
        for callback in await inbox.received {
            statuses.append(try await notifications.acceptNotification(body: callback.body, headers: callback.headers, at: Date()))
        }
        #expect(statuses.map(\.railCode) == ["ACSP", "ACSC", "ACCC"])
        #expect(zip(statuses, statuses.dropFirst()).allSatisfy { $0.reportedAt! < $1.reportedAt! }, "each report says when the bank issued it")
        let rail = harness.rail.descriptor.id
        // ACSC arrives first; the earlier ACSP, delivered late, does not move the payment back.
        #expect(try await executor.recordNotification(statuses[1], railID: rail)?.status?.railCode == "ACSC")
        #expect(try await executor.recordNotification(statuses[0], railID: rail)?.status?.railCode == "ACSC")
        // Later news is recorded as usual.
        let settled = try await executor.recordNotification(statuses[2], railID: rail)
        #expect(settled?.status?.railCode == "ACCC" && settled?.state == .settled)
    }

    @Test("the bank pushes each state change, signed; the rail authenticates and reads it; tampering is refused")
    func signedCallbacks() async throws {
        let (inbox, url, receiver) = try await CallbackInbox.start()
        defer { receiver.stop() }
        let harness = try await BankHarness.start(at: "2026-11-18T15:00:00Z", callbackURL: url)
        defer { harness.stop() }
        let notifications = try #require(harness.rail as? any RailNotificationReceiver)
        let receipt = try await harness.pay(Fixture.intent())

        var states = [String]()
        for _ in 0..<4 {
            await harness.simulator.server.deliverCallbacks()
            harness.clock.advance(by: 8 * 3600)
        }
        let callbacks = await inbox.received
        for callback in callbacks {
            let status = try await notifications.acceptNotification(body: callback.body, headers: callback.headers, at: Date())
            #expect(status.reference == receipt.reference)
            states.append(status.railCode ?? "")
        }
        // ACTC was the synchronous answer; the callbacks bring the rest, once each.
        #expect(states == ["ACSP", "ACSC", "ACCC"])
        let last = try #require(callbacks.last)

        // A changed body, a missing or foreign signature, or an old timestamp is refused.
        var tampered = last.body
        tampered.append(contentsOf: Array(" ".utf8))
        await #expect(throws: RailError.self) { try await notifications.acceptNotification(body: tampered, headers: last.headers, at: Date()) }
        await #expect(throws: RailError.self) { try await notifications.acceptNotification(body: last.body, headers: [:], at: Date()) }
        await #expect(throws: RailError.self) {
            try await notifications.acceptNotification(body: last.body, headers: last.headers, at: Date().addingTimeInterval(3600))
        }
        let foreign = try Fixture.rail("correspondent-bank-a", environment: [
            "SWITCHYARD_BANK_A_URL": harness.simulator.url.absoluteString, "SWITCHYARD_BANK_A_CALLBACK_SECRET": "another-secret",
        ])
        await #expect(throws: RailError.self) {
            try await (foreign as! any RailNotificationReceiver).acceptNotification(body: last.body, headers: last.headers, at: Date())
        }
    }
}
