@testable import CNHStablecoinRail
import DevChainTesting
import EVMKit
import Foundation
import Logging
import OffRampAPI
import RailHost
import RailKit
import RailKitSupport
import RailKitTesting
import RemoteRailTesting
import SandboxHTTP
import SandboxOffRamp
import SwitchyardExecutor
import Testing

/// The CNH rail executing on the dev chain (chain id 1030), the sandbox FX desk and the
/// simulated off-ramp partner. Amounts are worked by hand from the mid 7.12, the desk's 50 bp
/// tier (rate 7.0844), the issuer's 10 bp and the partner's 106.00 CNH fee.
@Suite("CNH stablecoin rail executes in legs")
struct CNHExecutionTests {
    @Test("fixed-send to a wallet: 10,000 USD buys 70,844.00 CNH; 70,773.16 CNH arrives on chain to the base unit")
    func fixedSendToWallet() async throws {
        let sandbox = try await CNHSandbox.make()
        defer { sandbox.stop() }
        let intent = sandbox.intent(try .fiat("10000.00", .usd), fixed: .send, wallet: true)
        let quote = try await sandbox.quote(intent)
        let journal = CollectingRecorder()
        let receipt = try await sandbox.execute(intent, quote: quote, journal: journal)

        #expect(receipt.status.state == .submitted)
        #expect(receipt.status.amount("usd_sold")?.description == "10000.00 USD")
        #expect(receipt.status.fxRate?.rate.description == "7.084400")
        #expect(receipt.status.amount("cnh_bought")?.description == "70844.00 CNH")  // 10,000 × 7.0844, rounded down
        #expect(receipt.status.amount("issuer_fee")?.description == "70.84 CNH")      // 10 bp of 70,844.00, half-even
        #expect(receipt.status.amount("tokens_sent")?.description == "70773.16 CNH")
        #expect(receipt.status.amount("creditor_receives")?.description == "70773.16 CNH")
        #expect(receipt.status.legs.map(\.kind) == [.fxConversion, .tokenTransfer])
        #expect(receipt.status.legs[0].state == .settled && receipt.status.legs[0].reference.kind == "fx_deal")
        let checkpoint = try receipt.submission.checkpoint.decode(CNHCheckpoint.self)
        #expect(receipt.status.legs[1].reference == checkpoint.transferHash.map(RailReference.transactionHash))

        let status = try await sandbox.settle(receipt.submission)
        #expect(status.state == .settled, "\(status)")
        #expect(status.credited?.description == "70773.16 CNH")
        #expect(try await sandbox.tokens(of: sandbox.creditorWallet) == 70_773_160_000)
        let deals = await sandbox.desk.desk.bookedDeals()
        let sold = try Money.fiat("10000.00", .usd)
        #expect(deals.count == 1 && deals.first?.price.sellAmount == sold)

        // Journal: the plan first, then the booked deal, then the transfer's hash and bytes before sending, then submitted.
        let events = await journal.events
        let prepared = events.compactMap { if case .prepared(let submission) = $0 { submission } else { nil } }
        guard case .prepared(let first)? = events.first, prepared.count == 3, let withTransfer = prepared.last else {
            Issue.record("expected the plan first and three checkpoints, got \(events)")
            return
        }
        let plan = try first.checkpoint.decode(CNHCheckpoint.self)
        #expect(plan.transferHash == nil && plan.dealID == nil && !plan.plan.fxQuoteID.isEmpty)
        let booked = try prepared[1].checkpoint.decode(CNHCheckpoint.self)
        #expect(booked.dealID == deals.first?.dealID && booked.transfer == nil)
        let sentTransfer = try withTransfer.checkpoint.decode(CNHCheckpoint.self).transfer
        #expect(withTransfer == receipt.submission && sentTransfer?.rawTransaction != nil)
        #expect(Array(events.suffix(2)) == [.submitted(receipt.reference), .statusChanged(receipt.status)])
    }

    @Test("fixed-receive CNH invoice through the off-ramp: exactly 50,000.00 CNH paid; USD sold rounded up")
    func fixedReceiveOffRamp() async throws {
        let sandbox = try await CNHSandbox.make()
        defer { sandbox.stop() }
        let intent = sandbox.intent(try .fiat("50000.00", .cnh), fixed: .receive, wallet: false)
        let quote = try await sandbox.quote(intent)
        #expect(quote.creditorReceives == (try .fiat("50000.00", .cnh)))
        let receipt = try await sandbox.execute(intent, quote: quote)

        // 50,000.00 + 106.00 partner fee = 50,106.00 tokens; 50,156.16 − 50.16 issuer fee = 50,106.00;
        // 50,156.16 / 7.0844 = 7,079.8035… → 7,079.81 USD.
        #expect(receipt.status.amount("tokens_sent")?.description == "50106.00 CNH")
        #expect(receipt.status.amount("cnh_bought")?.description == "50156.16 CNH")
        #expect(receipt.status.amount("issuer_fee")?.description == "50.16 CNH")
        #expect(receipt.status.amount("usd_sold")?.description == "7079.81 USD")
        #expect(receipt.status.amount("off_ramp_fee")?.description == "106.00 CNH")
        #expect(receipt.status.legs.map(\.kind) == [.fxConversion, .tokenTransfer, .offRamp])

        // The travel-rule record is stored with the transfer and went to the partner with the order.
        let checkpoint = try receipt.submission.checkpoint.decode(CNHCheckpoint.self)
        let stored = try #require(checkpoint.travelRule)
        #expect(stored == intent.travelRule)
        #expect(stored.originator.name == "Acme Imports Inc" && stored.beneficiary.name == "Harbour Supply Ltd")
        let payoutID = try #require(checkpoint.plan.offRampID)
        #expect(await sandbox.partner.partner.travelRule(ofPayout: payoutID) == intent.travelRule)

        // Token leg final first: the payout is then under way at the partner.
        try await sandbox.chain.mine()
        let midway = try await sandbox.rail.status(of: receipt.submission, at: Fixture.now)
        #expect(midway.state == .inFlight, "\(midway)")
        #expect(midway.legs.map(\.state) == [.settled, .settled, .inFlight], "\(midway.legs)")
        #expect(midway.fundsLocation?.contains("off-ramp partner's deposit wallet") == true, "\(String(describing: midway.fundsLocation))")

        let status = try await sandbox.settle(receipt.submission)
        #expect(status.state == .settled, "\(status)")
        #expect(status.credited?.description == "50000.00 CNH")
        #expect(status.counterpartReferences.contains { $0.kind == "bank_reference" })
        #expect(try await sandbox.tokens(of: sandbox.depositWallet) == 50_106_000_000)
        #expect(status.legs.allSatisfy { $0.state == .settled })
    }

    @Test("fixed-send through the off-ramp: 20,000 USD → 141,688.00 CNH − 141.69 issuer − 106.00 partner = 141,440.31 CNH paid")
    func fixedSendOffRamp() async throws {
        let sandbox = try await CNHSandbox.make()
        defer { sandbox.stop() }
        let intent = sandbox.intent(try .fiat("20000.00", .usd), fixed: .send, wallet: false)
        let receipt = try await sandbox.execute(intent, quote: try await sandbox.quote(intent))
        #expect(receipt.status.amount("cnh_bought")?.description == "141688.00 CNH")
        #expect(receipt.status.amount("issuer_fee")?.description == "141.69 CNH")
        #expect(receipt.status.amount("tokens_sent")?.description == "141546.31 CNH")
        let status = try await sandbox.settle(receipt.submission)
        #expect(status.state == .settled, "\(status)")
        #expect(status.credited?.description == "141440.31 CNH")
        #expect(try await sandbox.tokens(of: sandbox.depositWallet) == 141_546_310_000)
    }

    @Test("an FX quote that expires before booking is refused: FX_QUOTE_EXPIRED, nothing booked or sent")
    func expiredFXQuote() async throws {
        // Each call to the desk happens 31 s after the last: the firm quote (30 s) has expired when booked.
        let sandbox = try await CNHSandbox.make(deskClock: TestClock(Fixture.now, step: 31))
        defer { sandbox.stop() }
        let intent = sandbox.intent(try .fiat("10000.00", .usd), fixed: .send, wallet: true)
        let quote = try await sandbox.quote(intent)
        let journal = CollectingRecorder()
        do {
            _ = try await sandbox.execute(intent, quote: quote, journal: journal)
            Issue.record("an expired FX quote was booked")
        } catch RailError.declined(let decline) {
            #expect(decline.code == .fxQuoteExpired)
            #expect(decline.message.contains("expired"))
        }
        let events = await journal.events
        #expect(events.count == 2)
        if case .statusChanged(let status)? = events.last {
            #expect(status.state == .rejected && status.fundsLocation == "nothing moved")
        } else {
            Issue.record("expected the rejection journaled, got \(events)")
        }
        #expect(await sandbox.desk.desk.bookedDeals().isEmpty)
        #expect(try await sandbox.tokens(of: sandbox.creditorWallet) == 0)
    }

    @Test("a mainland beneficiary is refused at execution even with a previously valid quote; nothing is booked")
    func mainlandAtExecution() async throws {
        let sandbox = try await CNHSandbox.make()
        defer { sandbox.stop() }
        for (changed, via) in [
            (sandbox.intent(try .fiat("10000.00", .usd), fixed: .send, wallet: true, creditorCountry: "CN"), "moved to the mainland"),
            (sandbox.intent(try .fiat("10000.00", .usd), fixed: .send, wallet: false, bic: "SWYDCNSH"), "mainland bank account"),
        ] {
            let quote = try await sandbox.quote(sandbox.intent(try .fiat("10000.00", .usd), fixed: .send, wallet: true))
            let journal = CollectingRecorder()
            do {
                _ = try await sandbox.execute(changed, quote: quote, journal: journal)
                Issue.record("\(via): executed")
            } catch RailError.declined(let decline) {
                #expect(decline.code == .jurisdictionProhibitsStablecoin, "\(via)")
            }
            // Nothing of the rail's was journaled: only the executor's record that the payment failed before sending.
            let events = await journal.events
            #expect(events.count == 1, "\(via)")
            for event in events {
                guard case .statusChanged(let status) = event, status.reference.kind == "attempt", status.state == .rejected else {
                    Issue.record("\(via): journaled \(event)")
                    continue
                }
                #expect(status.reason?.code == .jurisdictionProhibitsStablecoin)
            }
        }
        #expect(await sandbox.desk.desk.bookedDeals().isEmpty)
    }

    @Test("travel rule at the HK partner: above CNH 7,400 without data is refused before any booking; below it is not needed")
    func travelRuleAtPartner() async throws {
        let sandbox = try await CNHSandbox.make()
        defer { sandbox.stop() }
        let above = sandbox.intent(try .fiat("8000.00", .cnh), fixed: .receive, wallet: false, travelRule: false)
        do {
            _ = try await sandbox.execute(above, quote: try await sandbox.quote(above))
            Issue.record("executed without travel-rule data above the threshold")
        } catch RailError.declined(let decline) {
            #expect(decline.code == .travelRuleDataMissing)
            #expect(decline.message.contains("travelRule"))
        }
        #expect(await sandbox.desk.desk.bookedDeals().isEmpty)

        let below = sandbox.intent(try .fiat("5000.00", .cnh), fixed: .receive, wallet: false, travelRule: false)
        let receipt = try await sandbox.execute(below, quote: try await sandbox.quote(below))
        #expect(try receipt.submission.checkpoint.decode(CNHCheckpoint.self).travelRule == nil)
        let status = try await sandbox.settle(receipt.submission)
        #expect(status.state == .settled && status.credited?.description == "5000.00 CNH", "\(status)")
    }

    @Test("a firm FX price worse than the quote beyond the tolerance is declined FX_PRICE_MOVED before anything is booked or sent")
    func priceMoved() async throws {
        let sandbox = try await CNHSandbox.make()
        defer { sandbox.stop() }
        let intent = sandbox.intent(try .fiat("10000.00", .usd), fixed: .send, wallet: true)
        let quote = try await sandbox.quote(intent)
        // The dealer's market moves 1 % against the payer after the quote (the tolerance is 50 bps).
        await sandbox.desk.desk.update(try AdapterFixtures.market(asOf: Fixture.now, rates: ["USD/CNH": "7.0488", "USD/HKD": "7.7800"], coinPricesUSD: [:]))
        await #expect {
            _ = try await sandbox.execute(intent, quote: quote)
        } throws: { error in
            guard case RailError.declined(let decline) = error else { return false }
            return decline.code == .fxPriceMoved
        }
        #expect(await sandbox.desk.desk.bookedDeals().isEmpty)
        #expect(try await sandbox.tokens(of: sandbox.creditorWallet) == 0)
        #expect(try await sandbox.tokens(of: sandbox.liquidity.address) == 10_000_000 * 1_000_000)
    }

    @Test("a payout the partner refuses (its reference already names another order) is declined PAYOUT_REJECTED: nothing booked, nothing sent")
    func payoutRejected() async throws {
        let sandbox = try await CNHSandbox.make()
        defer { sandbox.stop() }
        let intent = sandbox.intent(try .fiat("50000.00", .cnh), fixed: .receive, wallet: false)
        let quote = try await sandbox.quote(intent)
        // Another order already holds this payment's reference, on other terms.
        _ = try await sandbox.partner.partner.create(OffRampWire.CreatePayout(
            reference: "cnh-p-taken", currency: "CNH", payoutAmount: "1.00", fundingAmount: nil,
            beneficiary: OffRampWire.BankAccount(name: "Someone Else Ltd", accountNumber: "999999999999", bic: "SWYEHKHH", country: "HK"),
            travelRule: intent.travelRule, chainId: sandbox.chain.chainID, token: sandbox.token.address.checksummed,
            fundingWallet: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"))
        await #expect {
            _ = try await sandbox.execute(intent, quote: quote, id: "p-taken")
        } throws: { error in
            guard case RailError.declined(let decline) = error else { return false }
            return decline.code == .payoutRejected && decline.message.contains("REFERENCE_REUSED")
        }
        #expect(await sandbox.desk.desk.bookedDeals().isEmpty)
        #expect(try await sandbox.tokens(of: sandbox.depositWallet) == 0)
    }

    @Test("a payout the partner paid in another amount than the plan is failed RECONCILIATION_MISMATCH, never settled")
    func payoutAmountMismatch() async throws {
        let sandbox = try await CNHSandbox.make()
        defer { sandbox.stop() }
        let intent = sandbox.intent(try .fiat("20000.00", .usd), fixed: .send, wallet: false)
        let receipt = try await sandbox.execute(intent, quote: try await sandbox.quote(intent))
        // The journal says the creditor gets one CNH more than the partner will pay.
        var checkpoint = try receipt.submission.checkpoint.decode(CNHCheckpoint.self)
        checkpoint.plan.creditorReceives = try checkpoint.plan.creditorReceives.adding(try .fiat("1.00", .cnh))
        let claimed = RailSubmission(reference: receipt.reference, checkpoint: try RailCheckpoint(checkpoint))
        let status = try await sandbox.settle(claimed)
        #expect(status.state == .failed && status.reason?.code == .reconciliationMismatch && status.railCode == "payout amount mismatch", "\(status)")
    }

    @Test("every exchange with the FX dealer and the off-ramp partner, requests and answers, matches its documented wire schema (Schemas/, checked by Python's jsonschema, not the Swift wire types)")
    func wireMatchesDocumentedSchemas() async throws {
        let sandbox = try await CNHSandbox.make(wire: true)
        defer { sandbox.stop() }
        for (intent, polls) in [(sandbox.intent(try .fiat("20000.00", .usd), fixed: .send, wallet: false), 8),
                                (sandbox.intent(try .fiat("50000.00", .cnh), fixed: .receive, wallet: false), 8)] {
            let receipt = try await sandbox.execute(intent, quote: try await sandbox.quote(intent))
            #expect(try await sandbox.settle(receipt.submission, polls: polls).state == .settled)
        }
        func items(_ proxy: RecordingProxy, _ definitions: (String, String, Int) -> (request: String?, answer: String?)) async throws -> [[String: Any]] {
            var items = [[String: Any]]()
            for exchange in await proxy.recorded() {
                let parts = exchange.key.split(separator: " ", maxSplits: 1).map(String.init)
                let status = exchange.answerStatus ?? 0
                let (request, answer) = definitions(parts[0], parts[1], status)
                if let request {
                    items.append(["definition": request, "what": "request \(exchange.key)", "body": try JSONSerialization.jsonObject(with: exchange.body)])
                }
                if let answer, let body = exchange.answer {
                    items.append(["definition": answer, "what": "answer \(status) to \(exchange.key)", "body": try JSONSerialization.jsonObject(with: body)])
                }
            }
            return items
        }
        let desk = try await items(sandbox.wireProxies[0]) { method, path, status -> (request: String?, answer: String?) in
            switch (method, path) {
            case ("GET", "/price"): (nil, status == 200 ? "PriceResponse" : "ErrorResponse")
            case ("POST", "/quote"): ("QuoteRequest", status == 201 ? "QuoteResponse" : "ErrorResponse")
            case ("POST", _) where path.hasSuffix("/book"): (nil, status == 200 ? "BookResponse" : "ErrorResponse")
            case ("GET", _) where path.hasPrefix("/quote/"): (nil, status == 200 ? "QuoteResponse" : nil)
            default: ("unknown \(method) \(path)", nil)
            }
        }
        let partner = try await items(sandbox.wireProxies[1]) { method, path, status -> (request: String?, answer: String?) in
            let answer = status < 300 ? "Payout" : "Problem"
            return switch (method, path) {
            case ("POST", "/v1/payouts"): ("CreatePayout", answer)
            case ("POST", _) where path.hasSuffix("/funding"): ("Funding", answer)
            case ("GET", _) where path.hasPrefix("/v1/payouts/"): (nil, answer)
            default: ("unknown \(method) \(path)", nil)
            }
        }
        #expect(desk.contains { $0["definition"] as? String == "BookResponse" } && partner.contains { $0["definition"] as? String == "Funding" },
                "the exchanges were not all recorded: \(desk.count) with the dealer, \(partner.count) with the partner")
        let repository = Fixture.config.deletingLastPathComponent()
        for (schema, exchanged) in [("Schemas/sep38-rfq.schema.json", desk), ("Schemas/offramp-payout-api.schema.json", partner)] {
            let run = try await ChildProcess.run(repository.appendingPathComponent(".venv/bin/python"),
                                           [repository.appendingPathComponent("scripts/check_wire.py").path, repository.appendingPathComponent(schema).path],
                                           stdin: try JSONSerialization.data(withJSONObject: exchanged), directory: repository)
            #expect(run.status == 0, "\(schema):\n\(run.stdout)\(run.stderr)")
        }
    }

    @Test("a transfer another wallet sent can never fund a payout order: the partner refuses the claim FUNDING_NOT_YOURS, and the order waits for its own funding")
    func orphanedTransferCannotBeClaimed() async throws {
        let sandbox = try await CNHSandbox.make()
        defer { sandbox.stop() }
        // Someone's transfer to the partner's deposit wallet, never reported by its sender.
        let (stranger, _) = try await sandbox.chain.newAccount()
        try await sandbox.token.allowlist(stranger.address)
        try await sandbox.token.mint(Wei(1_106_000_000), to: stranger.address)
        let orphan = try await sandbox.chain.send(from: stranger, to: sandbox.token.address,
                                                  data: ERC20.transferCall(to: sandbox.depositWallet, amount: 1_106_000_000))
        // Another sender's order for exactly that amount tries to claim it.
        let order = try await sandbox.partner.partner.create(OffRampWire.CreatePayout(
            reference: "claimer", currency: "CNH", payoutAmount: "1000.00", fundingAmount: nil,
            beneficiary: OffRampWire.BankAccount(name: "Claimer Ltd", accountNumber: "999999999999", bic: "SWYEHKHH", country: "HK"),
            travelRule: nil, chainId: sandbox.chain.chainID, token: sandbox.token.address.checksummed,
            fundingWallet: sandbox.liquidity.address.checksummed))
        await #expect {
            _ = try await sandbox.partner.partner.reportFunding(payoutID: order.id, transactionHash: orphan.transactionHash)
        } throws: { ($0 as? OffRampWire.Problem)?.code == "FUNDING_NOT_YOURS" }
        #expect(try await sandbox.partner.partner.payout(id: order.id).status == .awaitingFunds)
        // Order ids are unguessable: 128 random bits.
        #expect(order.id.hasPrefix("po_") && order.id.count == 35)
    }

    @Test("a payout the partner rejects after the tokens were sent (its order funded by another transfer from the same wallet) is failed LEG_FAILED_FUNDS_HELD, naming where this payment's tokens are")
    func payoutRejectedAfterFunding() async throws {
        let sandbox = try await CNHSandbox.make()
        defer { sandbox.stop() }
        // A stray one-unit transfer from the liquidity wallet to the partner's deposit wallet,
        // reported as this payout's funding before the rail reports its own.
        let strayTransfer = try await sandbox.chain.send(from: sandbox.liquidity, to: sandbox.token.address,
                                                         data: ERC20.transferCall(to: sandbox.depositWallet, amount: 1))
        let intent = sandbox.intent(try .fiat("20000.00", .usd), fixed: .send, wallet: false)
        let quote = try await sandbox.quote(intent)
        let hijack = FundingHijack(partner: sandbox.partner.partner, strayHash: strayTransfer.transactionHash)
        let receipt = try await sandbox.rail.execute(ExecutionRequest(paymentID: "p-hijacked", intent: intent, quote: quote, now: Fixture.now),
                                                     recorder: hijack)
        let status = try await sandbox.settle(receipt.submission)
        #expect(status.state == .failed && status.reason?.code == .legFailedFundsHeld && status.railCode == "payout rejected", "\(status)")
        let location = try #require(status.fundsLocation)
        let plan = try receipt.submission.checkpoint.decode(CNHCheckpoint.self).plan
        #expect(location.contains("\(plan.tokens)") && location.contains(sandbox.depositWallet.checksummed), "\(location)")
        #expect(try await sandbox.tokens(of: sandbox.depositWallet) > 1, "the payment's tokens are at the deposit wallet, beside the stray unit")
    }

    @Test("a token leg that fails after the FX booking is failed with the funds' location, never dropped")
    func strandedAfterFX() async throws {
        let sandbox = try await CNHSandbox.make()
        defer { sandbox.stop() }
        let intent = sandbox.intent(try .fiat("10000.00", .usd), fixed: .send, wallet: true)
        let quote = try await sandbox.quote(intent)
        // The recipient loses its place on the token's list after the quote: the transfer would revert.
        try await sandbox.token.allowlist(sandbox.creditorWallet, allowed: false)
        let journal = CollectingRecorder()
        let receipt = try await sandbox.execute(intent, quote: quote, journal: journal)
        #expect(receipt.status.state == .failed)
        #expect(receipt.status.reason?.code == .legFailedFundsHeld)
        #expect(receipt.status.legs.map(\.state) == [.settled, .failed])
        let location = try #require(receipt.status.fundsLocation)
        #expect(location.contains("70844.00 CNH bought") && location.contains("liquidity wallet \(sandbox.liquidity.address)"), "\(location)")
        #expect(await sandbox.desk.desk.bookedDeals().count == 1)
        #expect(try await sandbox.tokens(of: sandbox.liquidity.address) == 10_000_000 * 1_000_000)
        #expect(await journal.events.contains { if case .statusChanged(let status) = $0 { status.state == .failed } else { false } })
    }

    @Test("passes the conformance kit out of process (served by RailHost): each leg's checkpoint committed by the router before the FX booking, the transfer and the payout leave; settles through the off-ramp")
    func conformanceOutOfProcess() async throws {
        let sandbox = try await CNHSandbox.make(recording: true)
        defer { sandbox.stop() }
        let host = try await LoopbackServer.start { try await RailHost(adapter: sandbox.rail, token: "t").run(port: 0, onListening: $0) }
        defer { host.stop() }
        let remote = try await RemoteRailTesting.configure("axcnh-conflux", url: host.url, token: "t")
        try await RailConformance(
            adapter: remote, market: Fixture.market, now: Fixture.now,
            scenarios: [
                ConformanceScenario("USD to a HK bank account via the off-ramp", intent: sandbox.intent(try .fiat("20000.00", .usd), fixed: .send, wallet: false), expect: .quote),
            ],
            execution: ExecutionCheck(polls: 8, advance: { try await sandbox.advance() }, counterpart: sandbox.counterpart)).run()
    }

    @Test("passes the conformance kit with execute and status through the off-ramp to settlement")
    func conformance() async throws {
        let sandbox = try await CNHSandbox.make(recording: true)
        defer { sandbox.stop() }
        let report = try await RailConformance(
            adapter: sandbox.rail, market: Fixture.market, now: Fixture.now,
            scenarios: [
                ConformanceScenario("USD to a HK bank account via the off-ramp", intent: sandbox.intent(try .fiat("20000.00", .usd), fixed: .send, wallet: false), expect: .quote),
                ConformanceScenario("USD to a HK company's wallet", intent: sandbox.intent(try .fiat("20000.00", .usd), fixed: .send, wallet: true), expect: .quote),
                ConformanceScenario("mainland-China resident", intent: sandbox.intent(try .fiat("20000.00", .usd), fixed: .send, wallet: true, creditorCountry: "CN"),
                                    expect: .decline(.jurisdictionProhibitsStablecoin)),
            ],
            execution: ExecutionCheck(polls: 8, advance: { try await sandbox.advance() }, counterpart: sandbox.counterpart)).run()
        #expect(report.quotes >= 2)
    }

    @Test("each leg and outbound call is logged with the payment and rail; the signing key and the node's keyed URL never are")
    func loggingWithoutSecrets() async throws {
        let store = InMemoryLogHandler.Store()
        let sandbox = try await CNHSandbox.make(logger: InMemoryLogHandler.logger(store))
        defer { sandbox.stop() }
        let intent = sandbox.intent(try .fiat("1000.00", .usd), fixed: .send, wallet: true)
        _ = try await sandbox.execute(intent, quote: try await sandbox.quote(intent), id: "pay-cnh-logged", logger: InMemoryLogHandler.logger(store))
        let lines = store.lines
        for step in ["CNH plan recorded", "FX booked", "token transfer checkpoint recorded"] {
            #expect(lines.contains { $0.contains(step) && $0.contains("payment=pay-cnh-logged") && $0.contains("rail=axcnh-conflux") }, "\(step): \(lines)")
        }
        // The clients log every outbound call: the node by JSON-RPC method, the dealer by path.
        #expect(lines.contains { $0.contains("json-rpc call") && $0.contains("eth_sendRawTransaction") && $0.contains("rail=axcnh-conflux") }, "\(lines)")
        #expect(lines.contains { $0.contains("FX dealer call") && $0.contains("/book") }, "\(lines)")
        let key = sandbox.liquidityKey.lowercased().replacingOccurrences(of: "0x", with: "")
        #expect(key.count == 64)
        #expect(!lines.contains { $0.lowercased().contains(key) }, "a log line carries the signing key")
        #expect(!lines.contains { $0.contains(sandbox.chain.url.absoluteString) }, "a log line carries the node's URL")
        #expect(!lines.contains { $0.contains(CNHSandbox.rpcKey) }, "a log line carries the node's provider key")
    }

    /// A process that stops right after its `count`-th checkpoint is committed (the store has it;
    /// nothing after it happens), as a power cut between the legs would.
    struct StopAfterCheckpoint: PaymentJournal {
        struct Stopped: Error {}
        let count: Int
        let seen = Counter()

        final class Counter: @unchecked Sendable {
            private let lock = NSLock()
            private var value = 0
            func next() -> Int { lock.withLock { value += 1; return value } }
        }

        func record(_ event: ExecutionEvent, payment paymentID: String) async throws {
            if case .prepared = event, seen.next() == count { throw Stopped() }
        }
    }

    @Test("a payment stopped between its legs resumes from its checkpoint: one FX deal, one token transfer, the creditor paid once",
          arguments: [1, 2])
    func resumeBetweenLegs(checkpoints: Int) async throws {
        let sandbox = try await CNHSandbox.make()
        defer { sandbox.stop() }
        let intent = sandbox.intent(try .fiat("10000.00", .usd), fixed: .send, wallet: true)
        let quote = try await sandbox.quote(intent)
        let store = InMemoryPaymentStore()
        let stopping = PaymentExecutor(adapters: [sandbox.rail], admission: CapabilityAdmission(), store: store,
                                       observer: StopAfterCheckpoint(count: checkpoints), clock: { Fixture.now })
        await #expect(throws: StopAfterCheckpoint.Stopped.self) {
            try await stopping.execute(paymentID: "p-resume", intent: intent, quote: quote)
        }
        #expect(await sandbox.desk.desk.bookedDeals().count == (checkpoints == 1 ? 0 : 1))
        #expect(try await sandbox.tokens(of: sandbox.creditorWallet) == 0)

        // The next process picks it up from the store: its rail reports the checkpoint unfinished, so it resumes.
        let clock = TestClock(Fixture.now)
        let next = PaymentExecutor(adapters: [sandbox.rail], admission: CapabilityAdmission(), store: store,
                                   clock: { clock.now() })
        let record = try await Self.runDue(next, until: "p-resume", store: store, clock: clock, sandbox: sandbox)
        #expect(record.state == .settled, "\(record.state) \(record.failure?.description ?? "")")
        #expect(await sandbox.desk.desk.bookedDeals().count == 1, "the FX was booked again")
        #expect(try await sandbox.tokens(of: sandbox.creditorWallet) == 70_773_160_000, "the creditor was not paid exactly once")
        let checkpoint = try #require(record.submission).checkpoint
        #expect(try checkpoint.decode(CNHCheckpoint.self).transferHash != nil)
    }

    @Test("an FX booking whose answer is lost is not a refusal: the payment resumes, the dealer answers the same deal, the creditor is paid once")
    func bookingAnswerLost() async throws {
        let sandbox = try await CNHSandbox.make(recording: true, loseFirstBookingAnswer: true)
        defer { sandbox.stop() }
        let intent = sandbox.intent(try .fiat("10000.00", .usd), fixed: .send, wallet: true)
        let quote = try await sandbox.quote(intent)
        let store = InMemoryPaymentStore()
        let clock = TestClock(Fixture.now)
        let executor = PaymentExecutor(adapters: [sandbox.rail], admission: CapabilityAdmission(), store: store, clock: { clock.now() })
        // The caller hears the rail is unavailable; the payment is kept, to be followed.
        await #expect(throws: RailError.self) { _ = try await executor.execute(paymentID: "p-lost-booking", intent: intent, quote: quote) }
        // The dealer booked it; the rail heard nothing back.
        #expect(await sandbox.desk.desk.bookedDeals().count == 1)
        let first = try #require(try await store.payment(id: "p-lost-booking"))
        #expect(!first.state.isFinal, "declined although the dealer may hold the deal: \(first.state) \(first.failure?.description ?? "")")

        let record = try await Self.runDue(executor, until: "p-lost-booking", store: store, clock: clock, sandbox: sandbox)
        #expect(record.state == .settled, "\(record.state) \(record.failure?.description ?? "")")
        #expect(await sandbox.desk.desk.bookedDeals().count == 1, "the FX was booked twice")
        #expect(await sandbox.proxies[1].recorded().count == 2, "the booking was asked once more")
        #expect(try await sandbox.tokens(of: sandbox.creditorWallet) == 70_773_160_000, "the creditor was not paid exactly once")
    }

    /// Runs `executor`'s due work (five seconds and a block apart) until the payment is final, or ten rounds; its record then.
    static func runDue(_ executor: PaymentExecutor, until paymentID: String, store: InMemoryPaymentStore, clock: TestClock,
                       sandbox: CNHSandbox) async throws -> PaymentRecord {
        for _ in 0..<10 {
            clock.advance(5)
            try await executor.runDue(owner: "test")
            if try await store.payment(id: paymentID)?.state.isFinal == true { break }
            try await sandbox.chain.mine()
        }
        return try #require(try await store.payment(id: paymentID))
    }
}

/// A recorder that, once the token transfer's checkpoint is recorded (before it is sent), has the
/// partner's order funded by another transaction: the partner then rejects the payout.
private actor FundingHijack: ExecutionRecorder {
    let partner: SimulatedOffRamp
    let strayHash: String
    private var done = false

    init(partner: SimulatedOffRamp, strayHash: String) {
        self.partner = partner
        self.strayHash = strayHash
    }

    func record(_ event: ExecutionEvent) async throws {
        guard !done, case .prepared(let submission) = event, let checkpoint = try? submission.checkpoint.decode(CNHCheckpoint.self),
              checkpoint.transferHash != nil, let payoutID = checkpoint.plan.offRampID else { return }
        done = true
        _ = try await partner.reportFunding(payoutID: payoutID, transactionHash: strayHash)
    }
}
