import BankSimulator
import Foundation
import ISO20022
import RailKit
import RailKitSupport
import RailKitTesting
import SQLitePaymentStore
import SwitchyardCommands
import SwitchyardExecutor
import SwitchyardRouter
import Testing

/// Failover after a counterpart refuses a submission: each correspondent rail sends to its own
/// bank simulator; bank A's refuses what it is set up to refuse, bank B's clears it.
@Suite("Failover after a bank rejects the submission")
struct BankFailoverTests {
    struct Banks {
        let a: RunningBankSimulator
        let b: RunningBankSimulator
        let engine: RoutingEngine
        let store: SQLitePaymentStore
        let executor: PaymentExecutor
        let intent: PaymentIntent

        func stop() {
            a.stop()
            b.stop()
        }

        /// Bank A's quote for the sample payment (the route the payment starts on).
        func quoteOnBankA() async throws -> Quote {
            let result = try await engine.route(intent)
            return try #require(result.ranked.first { $0.railID == "correspondent-bank-a" }?.quote, "\(result.explanation)")
        }
    }

    static func start(bankA change: (inout BankSimulatorSettings) throws -> Void) async throws -> Banks {
        let clock = ManualClock(Timestamp.parse("2026-11-18T15:00:00Z")!)
        let config = ServerHarness.config
        let calendars = try AdapterFixtures.calendars(in: config.appendingPathComponent("calendars"))
        let schemas = ServerHarness.repository.appendingPathComponent("Tests/Fixtures/iso20022")
        var refusing = try BankSimulatorSettings.load(from: ServerHarness.repository.appendingPathComponent("Sandbox/config/bank-simulator.json"))
        try change(&refusing)
        let clearing = try BankSimulatorSettings.load(from: ServerHarness.repository.appendingPathComponent("Sandbox/config/bank-simulator.json"))
        let a = try await RunningBankSimulator.start(settings: refusing, calendars: calendars, schemaDirectory: schemas, clock: clock,
                                                     token: ServerHarness.bankToken, logger: ServerHarness.quiet)
        let b = try await RunningBankSimulator.start(settings: clearing, calendars: calendars, schemaDirectory: schemas, clock: clock,
                                                     token: ServerHarness.bankToken, logger: ServerHarness.quiet)
        let environment = [
            "SWITCHYARD_BANK_A_URL": a.url.absoluteString, "SWITCHYARD_BANK_A_TOKEN": ServerHarness.bankToken,
            "SWITCHYARD_BANK_B_URL": b.url.absoluteString, "SWITCHYARD_BANK_B_TOKEN": ServerHarness.bankToken,
        ]
        let configuration = try SwitchyardConfiguration.load(from: config, overlay: ServerHarness.repository.appendingPathComponent("Sandbox/sample-config"), factories: RailModules.factories(environment: environment))
        var engine = configuration.makeEngine(clock: { clock.now() })
        engine.logger = ServerHarness.quiet
        let store = try SQLitePaymentStore(path: FileManager.default.temporaryDirectory
            .appendingPathComponent("switchyard-failover-\(UUID().uuidString)/payments.sqlite").path)
        let intent = try PaymentIntent.decodeStrictly(from: Data(contentsOf: config.appendingPathComponent("samples/hk-supplier-usd-cnh.json")))
        return Banks(a: a, b: b, engine: engine, store: store, executor: engine.makeExecutor(store: store, logger: ServerHarness.quiet), intent: intent)
    }

    @Test("bank A rejects the pacs.008 (RC04, creditor agent unreachable): nothing moved, so the payment moves to bank B as attempt 2 and bank B books it once")
    func rejectionFailsOver() async throws {
        let banks = try await Self.start { $0.reachableBICs = [try BIC("SWYXHKHH", field: "reachableBICs")] }
        defer { banks.stop() }
        let receipt = try await banks.executor.execute(paymentID: "p-failover", intent: banks.intent, quote: try await banks.quoteOnBankA(),
                                                       idempotencyKey: "failover-1")
        #expect(receipt.status.state != .rejected, "\(receipt.status)")

        let record = try #require(try await banks.store.payment(id: "p-failover"))
        #expect(record.railID == "correspondent-bank-b" && record.attempt == 2 && record.state == .submitted, "\(record.railID) \(record.state)")
        // Each bank's own ledger: A holds the refused message, B the one payment it booked.
        let refused = await banks.a.bank.ledger(), booked = await banks.b.bank.ledger()
        #expect(refused.count == 1 && refused.allSatisfy(\.rejected), "\(refused)")
        #expect(booked.count == 1 && !booked.contains { $0.rejected }, "\(booked)")
        #expect(booked.first?.uetr == record.submission?.reference.value && booked.first?.uetr != refused.first?.uetr)

        // The journal tells it: attempt 1 on bank A refused (RC04) and declined, attempt 2 on bank B.
        let journal = try await banks.store.journal(of: "p-failover")
        let first = journal.filter { $0.attempt == 1 }, second = journal.filter { $0.attempt == 2 }
        #expect(first.allSatisfy { $0.railID == "correspondent-bank-a" } && second.allSatisfy { $0.railID == "correspondent-bank-b" })
        let rejection = first.compactMap { entry -> RailPaymentStatus? in
            if case .statusChanged(let status) = entry.event, status.state == .rejected, status.reference.kind == "uetr" { return status }
            return nil
        }.first
        #expect(rejection?.counterpartReasonCodes == ["RC04"], "\(String(describing: rejection))")
        #expect(first.last.map { entry in
            if case .statusChanged(let status) = entry.event { return status.railCode == PaymentExecutor.attemptDeclinedCode }
            return false
        } == true)
        #expect(second.contains { if case .prepared = $0.event { true } else { false } })

        // Repeating the request answers the payment on bank B; nothing more is sent anywhere.
        let again = try await banks.executor.execute(paymentID: "p-other", intent: banks.intent, quote: try await banks.quoteOnBankA(),
                                                     idempotencyKey: "failover-1", requestHash: record.requestHash)
        #expect(again.reference == record.submission?.reference)
        let refusedAfter = await banks.a.bank.ledger(), bookedAfter = await banks.b.bank.ledger()
        #expect(refusedAfter.count == 1 && bookedAfter.count == 1)
    }

    @Test("bank A rejects for sanctions (RR04): the refusal holds on every route, so the payment fails there and bank B never sees it")
    func sanctionsRejectionStops() async throws {
        let banks = try await Self.start { settings in
            let creditor = try PaymentIntent.decodeStrictly(from: Data(contentsOf: ServerHarness.config.appendingPathComponent("samples/hk-supplier-usd-cnh.json")))
                .creditor.name
            let listed = try JSONSerialization.data(withJSONObject: ["name": creditor, "source": "this test"])
            settings.sanctions = [try JSONDecoder().decode(BankSimulatorSettings.SanctionedParty.self, from: listed)]
        }
        defer { banks.stop() }
        let receipt = try await banks.executor.execute(paymentID: "p-sanctioned", intent: banks.intent, quote: try await banks.quoteOnBankA())
        #expect(receipt.status.state == .rejected && receipt.status.counterpartReasonCodes == ["RR04"], "\(receipt.status)")
        let record = try #require(try await banks.store.payment(id: "p-sanctioned"))
        #expect(record.railID == "correspondent-bank-a" && record.state == .failed && record.attempt == 1)
        #expect(await banks.b.bank.ledger().isEmpty, "a sanctions refusal was routed around")
    }
}
