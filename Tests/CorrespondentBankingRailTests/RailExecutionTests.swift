import BankSimulator
@testable import CorrespondentBankingRail
import DevChainTesting
import Foundation
import Synchronization
import ISO20022
import RailKit
import RailKitSupport
import RailKitTesting
import SwitchyardExecutor
import Testing

@Suite("Correspondent-banking rail executes through the bank simulator")
struct RailExecutionTests {
    static let wednesday = "2026-11-18T15:00:00Z"

    @Test("USD to a Hong Kong account: pacs.008 journaled first, then ACTC → ACSP → ACSC → ACCC")
    func usdToHongKong() async throws {
        let harness = try await BankHarness.start(at: Self.wednesday)
        defer { harness.stop() }
        let journal = CollectingRecorder()
        let receipt = try await harness.pay(Fixture.intent(), journal: journal)
        #expect(receipt.reference.kind == "uetr")
        #expect(receipt.status.state == .submitted)
        #expect(receipt.status.railCode == "ACTC")

        // The UETR and the exact message were journaled before sending; that message passes the XSD.
        let events = await journal.events
        guard case .prepared(let submission)? = events.first else { Issue.record("first event is not .prepared: \(events)"); return }
        #expect(events.count == 3)  // prepared, submitted, and the receipt's status (the executor records it)
        #expect(submission.reference == receipt.reference)
        let sent = try submission.checkpoint.decode(CorrespondentCheckpoint.self).pacs008
        let document = try MessageReader.parse(Data(sent.utf8)).unwrappingEnvelope()
        #expect(try SchemaValidator(schemaDirectory: BankHarness.schemas).validate(document.standaloneXML(), as: .pacs008) == nil)
        let transfer = try CustomerCreditTransfer(parsing: document)
        #expect(transfer.uetr.value == receipt.reference.value)
        #expect(transfer.chargeBearer == .sha)
        #expect(transfer.settlementAmount == (try .fiat("100000.00", .usd)))
        #expect(transfer.instructedAgent.code == "SWYSUS33")
        #expect(sent.contains("<AppHdr"))

        let inProcess = try await harness.status(of: receipt, after: 60)
        #expect(inProcess.state == .inFlight)
        #expect(inProcess.railCode == "ACSP")
        let settled = try await harness.status(of: receipt, after: 3600)
        #expect(settled.railCode == "ACSC")
        #expect(settled.state == .inFlight)
        let credited = try await harness.status(of: receipt, after: 12 * 3600)
        #expect(credited.state == .settled)
        #expect(credited.railCode == "ACCC")
        // SHA, no intermediary on Bank A's USD route: only the beneficiary bank's 15 USD is deducted.
        #expect(credited.credited?.description == "99985.00 USD")
    }

    @Test("offshore yuan to a Hong Kong account: the pacs.008 says CNY (ISO has no CNH), the bank books and credits CNH, and the rail reports the credit in CNH as quoted")
    func offshoreYuanToHongKong() async throws {
        let harness = try await BankHarness.start(at: Self.wednesday)
        defer { harness.stop() }
        let journal = CollectingRecorder()
        let receipt = try await harness.pay(Fixture.intent(to: .cnh, amount: "250000.00"), journal: journal)
        #expect(receipt.status.state == .submitted)
        let events = await journal.events
        guard case .prepared(let submission)? = events.first else { Issue.record("first event is not .prepared: \(events)"); return }
        let sent = try submission.checkpoint.decode(CorrespondentCheckpoint.self).pacs008
        #expect(sent.contains("<IntrBkSttlmAmt Ccy=\"CNY\">") && !sent.contains("CNH"))
        let credited = try await harness.status(of: receipt, after: 2 * 24 * 3600)
        #expect(credited.state == .settled)
        #expect(credited.credited?.currency == .cnh, "\(String(describing: credited.credited))")
    }

    @Test("SHA, OUR and BEN credit different amounts through the same banks")
    func chargeBearersDeliverDifferently() async throws {
        let harness = try await BankHarness.start("correspondent-bank-b", at: Self.wednesday)
        defer { harness.stop() }
        var receipts = [ChargeBearer: ExecutionReceipt]()
        for bearer in ChargeBearer.allCases {
            receipts[bearer] = try await harness.pay(Fixture.intent(bearer: bearer))
        }
        harness.clock.advance(by: 86_400)
        func credited(_ bearer: ChargeBearer) async throws -> String? {
            let status = try await harness.rail.status(of: receipts[bearer]!.submission, at: harness.now)
            #expect(status.state == .settled)
            return status.credited?.description
        }
        // Bank B routes USD via its New York correspondent (15 USD); the HK bank takes 15 USD.
        #expect(try await credited(.our) == "100000.00 USD")
        #expect(try await credited(.sha) == "99970.00 USD")
        // BEN: Bank B's own 25 USD is deducted before settlement too.
        #expect(try await credited(.ben) == "99945.00 USD")
    }

    @Test("a bank rejection arrives as rejected with its ISO reason code")
    func rejection() async throws {
        let harness = try await BankHarness.start(at: Self.wednesday)
        defer { harness.stop() }
        let journal = CollectingRecorder()
        let receipt = try await harness.pay(Fixture.intent(creditorName: "Blocked Trading Company Limited"), journal: journal)
        #expect(receipt.status.state == .rejected)
        #expect(receipt.status.railCode == "RJCT")
        #expect(receipt.status.reason?.code == .rejectedByBank)
        #expect(receipt.status.counterpartReasonCodes == ["RR04"])
        #expect(receipt.status.reason?.message.contains("RegulatoryReason") == true)
        // Polling later gives the same final answer.
        let later = try await harness.status(of: receipt, after: 86_400)
        #expect(later.state == .rejected)
        let events = await journal.events
        #expect(events.last == .statusChanged(receipt.status))
    }

    @Test("a currency the correspondent does not clear is rejected AM03: onshore yuan (ISO's CNY) to a mainland bank")
    func unsupportedCurrency() async throws {
        let harness = try await BankHarness.start(at: Self.wednesday)
        defer { harness.stop() }
        let receipt = try await harness.pay(Fixture.intent(to: .cny, amount: "50000.00", country: "CN", creditorBank: "SWYDCNSH"))
        #expect(receipt.status.state == .rejected)
        #expect(receipt.status.counterpartReasonCodes == ["AM03"])
    }

    @Test("a closed account comes back with pacs.004 AC04 after settlement")
    func returnedByBeneficiaryBank() async throws {
        let harness = try await BankHarness.start(at: Self.wednesday)
        defer { harness.stop() }
        let receipt = try await harness.pay(Fixture.intent(creditorAccount: "999000111222"))
        let settled = try await harness.status(of: receipt, after: 3600)
        #expect(settled.railCode == "ACSC")
        let returned = try await harness.status(of: receipt, after: 86_400)
        #expect(returned.state == .returned)
        #expect(returned.railCode == "pacs.004")
        #expect(returned.reason?.code == .paymentReturned)
        #expect(returned.counterpartReasonCodes == ["AC04"])
        #expect(returned.returned?.description == "99985.00 USD")
    }

    @Test("a credited payment returned later is reported returned with the bank's reason")
    func returnAfterCredit() async throws {
        let harness = try await BankHarness.start(at: Self.wednesday)
        defer { harness.stop() }
        let receipt = try await harness.pay(Fixture.intent())
        #expect(try await harness.status(of: receipt, after: 86_400).state == .settled)
        try await harness.simulator.bank.returnPayment(try UETR(receipt.reference.value), reason: "CUST", information: "recalled at the debtor's request")
        let returned = try await harness.rail.status(of: receipt.submission, at: harness.now)
        #expect(returned.state == .returned)
        #expect(returned.counterpartReasonCodes == ["CUST"])
        #expect(returned.reason?.message.contains("RequestedByCustomer") == true)
    }

    @Test("a send whose outcome is unknown is followed by UETR and resent once, never paid twice")
    func unknownOutcomeResends() async throws {
        // The first pacs.008 is lost on its way to the bank (the proxy answers 502 without forwarding it).
        let lost = Mutex(true)
        let harness = try await BankHarness.start(at: Self.wednesday, recording: true, loseRequest: { _ in
            lost.withLock { first in
                defer { first = false }
                return first
            }
        })
        defer { harness.stop() }
        let offline = harness.rail
        let intent = Fixture.intent()
        guard case .quoted(let quote) = try await offline.quote(QuoteRequest(quoteID: QuoteID("q"), intent: intent, now: harness.now, market: Fixture.market)) else {
            Issue.record("no quote"); return
        }
        let receipt = try await offline.execute(ExecutionRequest(paymentID: "p-unknown", intent: intent, quote: quote, now: harness.now), recorder: CollectingRecorder())
        #expect(receipt.status.state == .submitted)
        #expect(receipt.status.railCode?.hasPrefix("send outcome unknown") == true)
        // The bank never saw it: status resends the journaled message, then follows it.
        let first = try await harness.rail.status(of: receipt.submission, at: harness.now)
        #expect(first.railCode == "ACTC")
        let second = try await harness.status(of: receipt, after: 60)
        #expect(second.railCode == "ACSP")
        let uetr = try UETR(receipt.reference.value)
        #expect(try await harness.simulator.bank.latestMessage(for: uetr) != nil)
        let ledger = await harness.simulator.bank.ledger()
        #expect(ledger.count == 1 && ledger.first?.uetr == uetr.value, "\(ledger)")
    }

    @Test("the bank booked the pacs.008 but its answer was lost (a 502 on the way back): the payment follows its UETR, a retry of the payment sends nothing new, and the bank holds it once")
    func answerLostAfterBooking() async throws {
        let harness = try await BankHarness.start(at: Self.wednesday, recording: true, loseAnswer: { _ in 502 })
        defer { harness.stop() }
        let intent = Fixture.intent()
        guard case .quoted(let quote) = try await harness.rail.quote(QuoteRequest(quoteID: QuoteID("q-lost"), intent: intent, now: harness.now,
                                                                                    market: Fixture.market)) else {
            Issue.record("no quote"); return
        }
        let store = InMemoryPaymentStore()
        let executor = PaymentExecutor(adapters: [harness.rail], admission: CapabilityAdmission(), store: store,
                                       clock: { [now = harness.now] in now })
        let receipt = try await executor.execute(paymentID: "p-lost", intent: intent, quote: quote, idempotencyKey: "lost-1")
        #expect(receipt.status.state == .submitted && receipt.status.railCode == "send outcome unknown (HTTP 502)", "\(receipt.status)")

        // The client retries: the same payment, no second message.
        let again = try await executor.execute(paymentID: "p-retry", intent: intent, quote: quote, idempotencyKey: "lost-1")
        #expect(again.reference == receipt.reference)
        // Status asks the bank by UETR: it has it, so nothing is resent.
        let followed = try await executor.status(of: "p-lost")
        #expect(["ACTC", "ACSP"].contains(followed.railCode ?? "") && !followed.state.isTerminal, "\(followed)")

        let sent = await harness.proxy?.recorded().map(\.key) ?? []
        #expect(sent == [receipt.reference.value], "what reached the bank: \(sent)")
        let ledger = await harness.simulator.bank.ledger()
        #expect(ledger.count == 1 && ledger.first?.uetr == receipt.reference.value && ledger.first?.deliveries == 1, "\(ledger)")
    }

    @Test("every pacs.008 the bank received, read by an independent checker (Python: the official XSD through xmlschema, CBPR+ field and amount rules with Decimal) against what each payment asked for: SHA, OUR and BEN, USD and CNH")
    func independentlyChecked() async throws {
        let harness = try await BankHarness.start(at: Self.wednesday, recording: true)
        defer { harness.stop() }
        var checks = [[String: Any]]()
        for (currency, bearer) in [(Currency.usd, ChargeBearer.sha), (.usd, .our), (.usd, .ben), (.cnh, .sha), (.cnh, .ben)] {
            let intent = Fixture.intent(to: currency, amount: "250000.00", bearer: bearer, creditorName: "Harbour Supplies Limited")
            guard case .quoted(let quote) = try await harness.rail.quote(QuoteRequest(quoteID: QuoteID("q-\(currency)-\(bearer)"), intent: intent,
                                                                                        now: harness.now, market: Fixture.market)) else {
                Issue.record("no quote for \(currency) \(bearer)"); continue
            }
            let receipt = try await ExecutorHarness.execute(harness.rail, paymentID: "p-\(currency)-\(bearer)", intent: intent, quote: quote,
                                                            now: harness.now, market: Fixture.market)
            let received = try #require(await harness.proxy?.recorded().first { $0.key == receipt.reference.value }, "the bank never received \(receipt.reference)")
            func money(_ value: Money?) -> Any { value.map { ["amount": $0.decimalValue.description, "currency": $0.asset.code] } ?? NSNull() }
            checks.append(["xml": String(decoding: received.body, as: UTF8.self), "expect": [
                "uetr": receipt.reference.value, "chargeBearer": bearer.rawValue, "principal": money(quote.principal),
                "senderFee": money(quote.costs.first { $0.kind == .senderBankFee }?.amount),
                "debtorName": intent.debtor.name, "creditorName": intent.creditor.name, "creditorAccount": "012345678901",
                "creditorAgent": "SWYEHKHH", "instructingAgent": "SWYAUS33", "instructedAgent": "SWYSUS33",
            ]])
        }
        let input = try JSONSerialization.data(withJSONObject: checks)
        let repository = Fixture.config.deletingLastPathComponent()
        let python = repository.appendingPathComponent(".venv/bin/python")
        #expect(FileManager.default.isExecutableFile(atPath: python.path), "run ./scripts/setup.sh --python")
        let run = try await ChildProcess.run(python, [repository.appendingPathComponent("scripts/check_pacs008.py").path, BankHarness.schemas.path],
                                       stdin: input, directory: repository)
        #expect(run.status == 0, "the independent checker found problems:\n\(run.stdout)\(run.stderr)")
        #expect(checks.count == 5 && run.stdout.contains("0 problem(s)"), "\(run.stdout)")
    }

    @Test("a refused API token is a rejected submission that says so; the bank booked nothing")
    func wrongToken() async throws {
        let harness = try await BankHarness.start(at: Self.wednesday)
        defer { harness.stop() }
        var environment = BankHarness.environment("correspondent-bank-a", url: harness.simulator.url)
        environment["SWITCHYARD_BANK_A_TOKEN"] = "wrong-token"
        let rail = try Fixture.rail("correspondent-bank-a", environment: environment)
        let intent = Fixture.intent()
        guard case .quoted(let quote) = try await rail.quote(QuoteRequest(quoteID: QuoteID("q"), intent: intent, now: harness.now, market: Fixture.market)) else {
            Issue.record("no quote"); return
        }
        let receipt = try await rail.execute(ExecutionRequest(paymentID: "p-token", intent: intent, quote: quote, now: harness.now), recorder: CollectingRecorder())
        #expect(receipt.status.state == .rejected)
        #expect(receipt.status.reason?.code == .submissionRejected)
        #expect(receipt.status.reason?.message.contains("HTTP 401") == true)
        #expect(!(receipt.status.reason?.message.contains("wrong-token") ?? true))
        #expect(try await harness.simulator.bank.latestMessage(for: try UETR(receipt.reference.value)) == nil)
    }

    @Test("names the SWIFT character set cannot carry are declined at quote, with the field")
    func characterSet() async throws {
        let rail = try Fixture.rail("correspondent-bank-a")
        let outcome = try await rail.quote(QuoteRequest(quoteID: QuoteID("q"), intent: Fixture.intent(creditorName: "深圳市供应商有限公司"),
                                                        now: Timestamp.parse(Self.wednesday)!, market: Fixture.market))
        guard case .declined(let decline) = outcome else { Issue.record("expected a decline, got \(outcome)"); return }
        #expect(decline.code == .characterSetViolation)
        #expect(decline.message.contains("creditor.name"))
        // Accented Latin names are transliterated and quoted.
        let accented = try await rail.quote(QuoteRequest(quoteID: QuoteID("q"), intent: Fixture.intent(creditorName: "Müller & Søn Trading"),
                                                         now: Timestamp.parse(Self.wednesday)!, market: Fixture.market))
        guard case .quoted = accented else { Issue.record("expected a quote, got \(accented)"); return }
    }

    @Test("a bank endpoint without TLS is refused unless it is loopback")
    func tlsRequired() throws {
        #expect {
            _ = try Fixture.rail("correspondent-bank-a", environment: ["SWITCHYARD_BANK_A_URL": "http://bank.example.com"])
        } throws: { error in
            "\(error)".contains("execution.endpoint") && "\(error)".contains("TLS")
        }
        let https = try Fixture.rail("correspondent-bank-a", environment: ["SWITCHYARD_BANK_A_URL": "https://bank.example.com/api"])
        #expect(https.descriptor.capabilities.canExecute)
        #expect(try Fixture.rail("correspondent-bank-a").descriptor.capabilities.canExecute == false)
    }

    @Test("both banks pass the conformance kit with execute and status", arguments: ["correspondent-bank-a", "correspondent-bank-b"])
    func conformanceWithExecution(bank: String) async throws {
        let harness = try await BankHarness.start(bank, at: Self.wednesday, recording: true)
        defer { harness.stop() }
        let clock = harness.clock
        try await RailConformance(adapter: harness.rail, market: Fixture.market, now: harness.now, scenarios: [
            ConformanceScenario("USD to a HK USD account", intent: Fixture.intent(), expect: .quote),
            ConformanceScenario("CNH to the mainland", intent: Fixture.intent(to: .cnh, country: "CN"), expect: .decline(.corridorNotSupported)),
        ], execution: ExecutionCheck(polls: 6, advance: { clock.advance(by: 6 * 3600) }, counterpart: harness.counterpart,
                                     creditedTolerance: (try .fiat("10.00", .usd),
                                                         "under SHA the beneficiary bank deducts its own fee, $10-20 (rails.md); the quote uses the rail's estimate"))).run()
    }
}

@Suite("Bank status mapping")
struct BankStatusMappingTests {
    static let uetr = UETR(bytes: Array(repeating: 9, count: 16))

    static func report(_ transactions: [TransactionStatus]) -> InboundMessage {
        .statusReport(PaymentStatusReport(messageID: "STS1", createdAt: Date(timeIntervalSince1970: 1_795_000_000), originalMessageID: "M1",
                                          transactions: transactions))
    }

    @Test("a status code the rail does not know keeps the payment open with the code; ACPD is in flight")
    func unknownCodes() throws {
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let unlisted = try BankStatusMapping.status(Self.report([TransactionStatus(originalUETR: Self.uetr, status: TransactionStatusCode("ACZZ"))]),
                                                    reference: .uetr(Self.uetr), uetr: Self.uetr, now: now)
        #expect(unlisted.state == .submitted && unlisted.railCode == "ACZZ")
        let clearing = try BankStatusMapping.status(Self.report([TransactionStatus(originalUETR: Self.uetr, status: .acceptedClearingProcessed)]),
                                                    reference: .uetr(Self.uetr), uetr: Self.uetr, now: now)
        #expect(clearing.state == .inFlight)
    }

    @Test("a credit report carries its credited amount and charges when the message does, and says 'not reported' when it does not")
    func creditedAndCharges() throws {
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let bare = try BankStatusMapping.status(Self.report([TransactionStatus(originalUETR: Self.uetr, status: .acceptedCreditSettlementCompleted)]),
                                                reference: .uetr(Self.uetr), uetr: Self.uetr, now: now)
        #expect(bare.state == .settled && bare.credited == nil)
        #expect(bare.notes.contains { $0.hasPrefix("credited amount: not reported") } && bare.notes.contains { $0.hasPrefix("charges: not reported") })
        let full = try BankStatusMapping.status(Self.report([TransactionStatus(
            originalUETR: Self.uetr, status: .acceptedCreditSettlementCompleted,
            charges: [AgentCharge(amount: try .fiat("106.80", .cny), agent: try BIC("SWYEHKHH"))],
            originalSettlementAmount: try .fiat("1780000.00", .cny))]),
                                                reference: .uetr(Self.uetr), uetr: Self.uetr, offshoreYuan: true, now: now)
        let expectedCredit = try Money.fiat("1779893.20", .cnh), expectedCharge = try Money.fiat("106.80", .cnh)
        #expect(full.credited == expectedCredit && full.deductedCharges.map(\.amount) == [expectedCharge])
        #expect(full.notes.isEmpty)
    }

    @Test("a report must name the payment's UETR: none, or another, is refused as a bank error; a group status counts only for its own message")
    func uetrRequired() throws {
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        for other in [nil, UETR(bytes: Array(repeating: 8, count: 16))] {
            #expect(throws: RailError.self) {
                _ = try BankStatusMapping.status(Self.report([TransactionStatus(originalUETR: other, status: .acceptedCreditSettlementCompleted)]),
                                                 reference: .uetr(Self.uetr), uetr: Self.uetr, messageID: "OTHER", now: now)
            }
        }
        // The whole message rejected (a group status, no transaction): for the message it names ("M1") only.
        let group = Self.report([TransactionStatus(originalUETR: nil, status: .rejected, reasons: [StatusReason(code: "FF01")])])
        let rejected = try BankStatusMapping.status(group, reference: .uetr(Self.uetr), uetr: Self.uetr, messageID: "M1", now: now)
        #expect(rejected.state == .rejected && rejected.counterpartReasonCodes == ["FF01"])
    }
}
