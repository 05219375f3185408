import BankSimulator
import CIPSRail
import CorrespondentBankingRail
import Foundation
import ISO20022
import RailKit
import RailKitSupport
import RailKitTesting
import Testing

@Suite("CIPS rail: onshore CNY to mainland China, out of process")
struct CIPSRailTests {
    static func quote(_ rail: any RailAdapter, _ intent: PaymentIntent, at now: Date) async throws -> QuoteOutcome {
        try await rail.quote(QuoteRequest(quoteID: QuoteID("q-\(UUID().uuidString)"), intent: intent, now: now, market: CIPSFixture.market))
    }

    @Test("the conformance kit passes against the CIPS rail served by RailHost over the wire: quotes, declines with reasons, execution in steps against the sandbox participant bank, credited exactly as quoted")
    func conformanceOutOfProcess() async throws {
        let harness = try await CIPSHarness.start()
        defer { harness.stop() }
        let (remote, server) = try await harness.outOfProcess()
        defer { server.stop() }
        #expect(remote.descriptor.capabilities.kind == CIPSRail.kind && remote.descriptor.capabilities.canExecute)
        // The rail takes no pushed notifications (status is polled): its hello says so, and the router refuses them.
        await #expect(throws: RailError.invalidResponse("remote rail cips-participant takes no notifications")) {
            try await remote.acceptNotification(body: Data("{}".utf8), headers: [:], at: harness.now)
        }
        let clock = harness.clock
        var noAccount = CIPSFixture.intent()
        noAccount.creditor.accounts = AccountDetails()
        try await RailConformance(adapter: remote, market: CIPSFixture.market, now: harness.now, scenarios: [
            ConformanceScenario("USD to a mainland supplier's invoice (GDDS)", intent: CIPSFixture.intent(), expect: .quote),
            ConformanceScenario("EUR to a mainland supplier", intent: CIPSFixture.intent(amount: "80000.00", source: .eur), expect: .quote),
            ConformanceScenario("OUR", intent: CIPSFixture.intent(amount: "5000.00", bearer: .our), expect: .quote),
            ConformanceScenario("BEN", intent: CIPSFixture.intent(amount: "5000.00", bearer: .ben), expect: .quote),
            ConformanceScenario("a fixed CNY amount received", intent: CIPSFixture.intent(amount: "700000.00", fixed: .receive), expect: .quote),
            ConformanceScenario("a supplier named in Chinese characters", intent: CIPSFixture.intent(creditorName: "深圳精密零件有限公司"), expect: .quote),
            ConformanceScenario("offshore CNH is not CIPS's onshore CNY", intent: CIPSFixture.intent(to: .cnh), expect: .decline(.corridorNotSupported)),
            ConformanceScenario("CNY to a Hong Kong bank", intent: CIPSFixture.intent(creditorBank: "SWYEHKHH"), expect: .decline(.corridorNotSupported)),
            ConformanceScenario("no purpose of payment", intent: CIPSFixture.intent(purpose: nil), expect: .decline(CIPSRail.documentationMissing)),
            ConformanceScenario("trade in goods without its invoice", intent: CIPSFixture.intent(reference: nil), expect: .decline(CIPSRail.documentationMissing)),
            ConformanceScenario("a purpose the route does not document", intent: CIPSFixture.intent(purpose: "CHAR"), expect: .decline(CIPSRail.documentationMissing)),
            ConformanceScenario("no creditor bank account", intent: noAccount, expect: .decline(.creditorAccountMissing)),
            ConformanceScenario("a name in neither Latin nor Chinese script", intent: CIPSFixture.intent(creditorName: "Шэньчжэнь Детали"),
                                expect: .decline(.characterSetViolation)),
        ], execution: ExecutionCheck(polls: 6, advance: { clock.advance(by: 3600) }, counterpart: harness.counterpart)).run()
    }

    @Test("a supplier's registered Chinese name goes to the participant as written, where the SWIFT rail declines it")
    func chineseNames() async throws {
        let harness = try await CIPSHarness.start()
        defer { harness.stop() }
        let intent = CIPSFixture.intent(creditorName: "深圳精密零件有限公司")
        guard case .quoted(let quote) = try await Self.quote(harness.rail, intent, at: harness.now) else { Issue.record("no CIPS quote"); return }
        let receipt = try await ExecutorHarness.execute(harness.rail, paymentID: "p-chinese", intent: intent, quote: quote, now: harness.now,
                                                        market: CIPSFixture.market)
        #expect(receipt.status.state == .submitted, "ACTC from the participant")
        let sent = try #require(await harness.proxy.recorded().first)
        let xml = String(decoding: sent.body, as: UTF8.self)
        #expect(xml.contains("<Nm>深圳精密零件有限公司</Nm>"))
        #expect(xml.contains(/<Purp>\s*<Cd>GDDS<\/Cd>\s*<\/Purp>/) && xml.contains("/INV/INV-2026-0043"))
        harness.clock.advance(by: 3 * 3600)
        let settled = try await harness.rail.status(of: receipt.submission, at: harness.now)
        #expect(settled.state == .settled)
        #expect(settled.credited == quote.creditorReceives, "SHA: the beneficiary bank's CNY 50 is in the quote")

        let swift = try AdapterFixtures.adapter(RailFactory(CorrespondentBankingRail.self), id: "correspondent-bank-a",
                                                settingsFile: CIPSFixture.config.appendingPathComponent("rails/correspondent-bank-a.json"),
                                                calendarDirectory: CIPSFixture.config.appendingPathComponent("calendars"))
        guard case .declined(let decline) = try await Self.quote(swift, intent, at: harness.now) else { Issue.record("SWIFT quoted a Chinese name"); return }
        #expect(decline.code == .characterSetViolation)
    }

    @Test("the participant answers on the mainland calendar: a payment after the cut-off before National Day waits for 8 October; a make-up working Saturday is open")
    func mainlandCalendar() async throws {
        // Wednesday 30 September 2026, 18:00 in Shanghai: after the cut-off; 1-7 October are holidays.
        let harness = try await CIPSHarness.start(at: "2026-09-30T10:00:00Z")
        defer { harness.stop() }
        let intent = CIPSFixture.intent()
        guard case .quoted(let quote) = try await Self.quote(harness.rail, intent, at: harness.now) else { Issue.record("no quote"); return }
        #expect(quote.assumptions.first { $0.name == "processing_starts" }?.value == "2026-10-08T01:00:00Z")
        let receipt = try await ExecutorHarness.execute(harness.rail, paymentID: "p-golden-week", intent: intent, quote: quote, now: harness.now,
                                                        market: CIPSFixture.market)
        harness.clock.advance(by: 7 * 86_400)  // 7 October, 18:00 CST: still a holiday
        #expect(try await harness.rail.status(of: receipt.submission, at: harness.now).state == .submitted)
        harness.clock.advance(by: 20 * 3600)  // 8 October, 14:00 CST: settled and credited in business hours
        #expect(try await harness.rail.status(of: receipt.submission, at: harness.now).state == .settled)

        // Saturday 10 October 2026 is a make-up working day: 10:00 CST processes at once.
        let saturday = Timestamp.parse("2026-10-10T02:00:00Z")!
        guard case .quoted(let open) = try await Self.quote(harness.rail, intent, at: saturday) else { Issue.record("no quote"); return }
        #expect(open.assumptions.first { $0.name == "processing_starts" }?.value == "2026-10-10T02:00:00Z")
        // Sunday 11 October is not.
        guard case .quoted(let closed) = try await Self.quote(harness.rail, intent, at: saturday.addingTimeInterval(86_400)) else { Issue.record("no quote"); return }
        #expect(closed.assumptions.first { $0.name == "processing_starts" }?.value == "2026-10-12T01:00:00Z")
    }

    @Test("the participant refuses what mainland banks would: no purpose, trade without an invoice, a creditor bank outside the mainland (pacs.002 RJCT with the ISO reason)")
    func participantChecksDocumentation() async throws {
        let harness = try await CIPSHarness.start()
        defer { harness.stop() }
        let intent = CIPSFixture.intent()
        guard case .quoted(let quote) = try await Self.quote(harness.rail, intent, at: harness.now) else { Issue.record("no quote"); return }
        _ = try await ExecutorHarness.execute(harness.rail, paymentID: "p-good", intent: intent, quote: quote, now: harness.now, market: CIPSFixture.market)
        let good = String(decoding: try #require(await harness.proxy.recorded().first).body, as: UTF8.self)
        let bank = harness.participant.bank
        func answer(_ edit: (String) -> String) async throws -> TransactionStatus? {
            // A fresh UETR and message id: the participant would otherwise answer the first payment's status.
            let uetr = UETR.random().value
            let xml = edit(good).replacing(/<UETR>[^<]+<\/UETR>/, with: "<UETR>\(uetr)</UETR>")
                .replacing(/<MsgId>[^<]+<\/MsgId>/, with: "<MsgId>EDIT\(uetr.prefix(8))</MsgId>")
            guard case .statusReport(let report) = try InboundMessage(parsing: try await bank.receive(Data(xml.utf8))) else { return nil }
            return report.transactions.first
        }
        let noPurpose = try await answer { $0.replacing(/<Purp>\s*<Cd>GDDS<\/Cd>\s*<\/Purp>/, with: "") }
        #expect(noPurpose?.status == .rejected && noPurpose?.reasons.first?.code == "RR05")
        let noInvoice = try await answer { $0.replacing("/INV/INV-2026-0043 ", with: "") }
        #expect(noInvoice?.status == .rejected && noInvoice?.reasons.first?.code == "RR05")
        let hongKong = try await answer { $0.replacing(/<CdtrAgt>\s*<FinInstnId>\s*<BICFI>SWYDCNSH/, with: "<CdtrAgt><FinInstnId><BICFI>SWYEHKHH") }
        #expect(hongKong?.status == .rejected && hongKong?.reasons.first?.code == "RC04")
        let cyrillic = try await answer { $0.replacing("<Nm>Shenzhen Precision Parts Co Ltd</Nm>", with: "<Nm>Шэньчжэнь</Nm>") }
        #expect(cyrillic?.status == .rejected && cyrillic?.reasons.first?.code == "FF01")
        let untouched = try await answer { $0 }
        #expect(untouched?.status == .acceptedTechnicalValidation)
    }

    @Test("a fixed CNY amount is credited exactly: the message settles what the quote promised plus the beneficiary bank's fee, not the rounded-up principal converted back")
    func fixedReceiveCreditedExactly() async throws {
        let harness = try await CIPSHarness.start()
        defer { harness.stop() }
        for (index, amount) in ["700000.00", "123456.78", "1000.01"].enumerated() {
            let intent = CIPSFixture.intent(amount: amount, fixed: .receive)
            guard case .quoted(let quote) = try await Self.quote(harness.rail, intent, at: harness.now) else { Issue.record("no quote"); return }
            let promised = try Money.fiat(amount, .cny)
            #expect(quote.creditorReceives == promised)
            let receipt = try await ExecutorHarness.execute(harness.rail, paymentID: "p-fixed-\(index)", intent: intent, quote: quote, now: harness.now,
                                                            market: CIPSFixture.market)
            harness.clock.advance(by: 86_400)  // a business day: credited whatever the hour
            let settled = try await harness.rail.status(of: receipt.submission, at: harness.now)
            #expect(settled.state == .settled && settled.credited == promised, "\(amount): credited \(settled.credited?.description ?? "-")")
        }
    }
}
