@testable import DepositTokenRail
import DevChainTesting
import EVMKit
import Foundation
import RemoteRailTesting
import Synchronization
import RailHost
import RailKit
import RailKitSupport
import RailKitTesting
import SandboxHTTP
import Testing

/// The deposit-token rail against the project's dev chain: real JSON-RPC, real signed transactions,
/// the sandbox token contract compiled by the pinned Vyper.
@Suite("Deposit-token rail on the dev chain")
struct DepositTokenChainTests {
    static let unit: UInt128 = 1_000_000_000_000_000_000 // 10^18 base units per SDT

    @Test("quote reads the chain; execute moves tokens; status follows to final and reconciles the Transfer log")
    func endToEnd() async throws {
        // Its own chain, so no other test mines blocks between the status checks.
        let sandbox = try await SandboxRail.make(on: try await DevChain.start())
        #expect(sandbox.rail.descriptor.capabilities.canExecute)
        let intent = try sandbox.intent(amount: "1234.56")
        guard case .quoted(let quote) = try await sandbox.quote(intent) else {
            Issue.record("expected a quote")
            return
        }
        #expect(quote.principal == (try .fiat("1234.56", .usd)))
        let gas = try #require(quote.assumptions.first { $0.name == "fee_per_gas" })
        #expect(gas.source.hasPrefix("eth_feeHistory at block"))
        #expect(quote.costs.contains { $0.kind == .networkFee && $0.amount > (try! .fiat("0", .usd)) })

        let journal = CollectingRecorder()
        let receipt = try await sandbox.rail.execute(ExecutionRequest(paymentID: "pay-e2e", intent: intent, quote: quote, now: Fixture.now), recorder: journal)
        let events = await journal.events
        #expect(events.first == .prepared(receipt.submission), "the hash is journaled before sending")
        #expect(events.dropFirst().first == .submitted(receipt.reference))
        #expect(receipt.reference.kind == "tx_hash")
        #expect(try receipt.submission.checkpoint.decode(DepositTokenCheckpoint.self).transfer.amount.description == String(123_456 * Self.unit / 100))

        // The dev chain mines on send: included (1 of 2 confirmations), then final after one more block.
        let included = try await sandbox.rail.status(of: receipt.submission, at: Fixture.now)
        #expect(included.state == .inFlight)
        try await sandbox.chain.mine()
        let final = try await sandbox.rail.status(of: receipt.submission, at: Fixture.now)
        #expect(final.state == .settled, "\(final)")
        #expect(try await sandbox.token.balance(of: sandbox.payee) == 123_456 * Self.unit / 100)
        #expect(try await sandbox.token.balance(of: sandbox.payer.address) == 1_000_000 * Self.unit - 123_456 * Self.unit / 100)

        // The receipt's Transfer log, read independently, matches the instruction.
        let chainReceipt = try #require(try await sandbox.chain.client.transactionReceipt(hash: receipt.reference.value))
        let transfers = try chainReceipt.logs.compactMap { try ERC20.transferEvent(in: $0) }
        #expect(transfers == [ERC20.TransferEvent(token: sandbox.token.address, from: sandbox.payer.address, to: sandbox.payee,
                                                  amount: 123_456 * Self.unit / 100)])
    }

    @Test("passes the conformance kit, including execute and status to settlement")
    func conformance() async throws {
        let sandbox = try await SandboxRail.make(recording: true)
        defer { sandbox.proxy?.stop() }
        let stranger = try await sandbox.chain.newAccount(ether: 0).signer.address
        let chain = sandbox.chain
        try await RailConformance(adapter: sandbox.rail, market: Fixture.market, now: Fixture.now, scenarios: [
            ConformanceScenario("USD to an allowlisted wallet", intent: try sandbox.intent(amount: "2500.00"), expect: .quote),
            ConformanceScenario("recipient not on the on-chain allowlist", intent: try sandbox.intent(amount: "10.00", payee: stranger),
                                expect: .decline(.counterpartyNotAllowlisted)),
            ConformanceScenario("more than the payer holds", intent: try sandbox.intent(amount: "2000000.00"), expect: .decline(.insufficientFunds)),
        ], execution: ExecutionCheck(polls: 3, advance: { try await chain.mine() }, counterpart: sandbox.counterpart), liveCounterpart: true).run()
    }

    @Test("passes the conformance kit out of process (served by RailHost, used through the remote adapter): each transaction reaches the node only after the router committed its checkpoint, with the nonce reserved before it, and settles")
    func conformanceOutOfProcess() async throws {
        let sandbox = try await SandboxRail.make(recording: true)
        defer { sandbox.proxy?.stop() }
        let host = try await LoopbackServer.start { try await RailHost(adapter: sandbox.rail, token: "t").run(port: 0, onListening: $0) }
        defer { host.stop() }
        let remote = try await RemoteRailTesting.configure("deposit-token-sandbox", url: host.url, token: "t")
        let chain = sandbox.chain
        let payer = try await sandbox.chain.client.transactionCount(of: sandbox.payer.address, at: .latest)
        try await RailConformance(adapter: remote, market: Fixture.market, now: Fixture.now, scenarios: [
            ConformanceScenario("USD to an allowlisted wallet", intent: try sandbox.intent(amount: "2500.00"), expect: .quote),
            ConformanceScenario("more than the payer holds", intent: try sandbox.intent(amount: "2000000.00"), expect: .decline(.insufficientFunds)),
        ], execution: ExecutionCheck(polls: 3, advance: { try await chain.mine() }, counterpart: sandbox.counterpart), liveCounterpart: true).run()
        // Two payments (the kit's and its fixed-receive twin), two nonces used, none skipped or reused.
        #expect(try await sandbox.chain.client.transactionCount(of: sandbox.payer.address, at: .latest) == payer + 2)
    }

    @Test("a node serving another chain than configured stops the rail as misconfigured, naming both chain ids; nothing is quoted or sent")
    func wrongChain() async throws {
        let sandbox = try await SandboxRail.make(configuredChainID: 8453)
        await #expect {
            _ = try await sandbox.quote(try sandbox.intent(amount: "10.00"))
        } throws: { error in
            guard case .misconfigured(let detail)? = error as? RailError else { return false }
            return detail.contains("serves chain id \(sandbox.chain.chainID)") && detail.contains("8453")
        }
    }

    @Test("a non-allowlisted recipient is excluded at quote time; a forced transfer reverts and status reports the reason")
    func notAllowlisted() async throws {
        let sandbox = try await SandboxRail.make(allowlistPayee: false)
        guard case .declined(let decline) = try await sandbox.quote(try sandbox.intent(amount: "100.00")) else {
            Issue.record("expected a decline")
            return
        }
        #expect(decline.code == .counterpartyNotAllowlisted)
        #expect(decline.message.contains(sandbox.payee.checksummed))

        // Forced: signed with a fixed gas limit, skipping every check. The chain mines it with status 0.
        let amount = Wei(100 * Self.unit)
        let forced = try await sandbox.chain.send(from: sandbox.payer, to: sandbox.token.address,
                                                  data: ERC20.transferCall(to: sandbox.payee, amount: amount.amount), gasLimit: 120_000)
        #expect(!forced.succeeded)
        let transaction = try #require(try await sandbox.chain.client.transaction(hash: forced.transactionHash))
        let record = ERC20TransferRecord(token: sandbox.token.address, from: sandbox.payer.address, to: sandbox.payee,
                                         amount: amount, nonce: transaction.nonce, rawTransaction: nil)
        let submission = RailSubmission(reference: .transactionHash(forced.transactionHash), checkpoint: try RailCheckpoint(DepositTokenCheckpoint(transfer: record)))
        let status = try await sandbox.rail.status(of: submission, at: Fixture.now)
        #expect(status.state == .rejected)
        #expect(status.reason?.code == .transactionReverted)
        #expect(status.reason?.message.contains("receiver not allowlisted") == true, "\(String(describing: status.reason))")
        #expect(try await sandbox.token.balance(of: sandbox.payee) == 0)
    }

    @Test("insufficient balance is a clear decline at quote and at execute")
    func insufficientBalance() async throws {
        let sandbox = try await SandboxRail.make(balance: Wei(50 * Self.unit))
        guard case .declined(let decline) = try await sandbox.quote(try sandbox.intent(amount: "50.01")) else {
            Issue.record("expected a decline")
            return
        }
        #expect(decline.code == .insufficientFunds)
        #expect(decline.message.contains("holds 50.000000000000000000 SDT"), "\(decline.message)")

        // Quoted while funded, then the balance leaves before execution: refused, nothing journaled.
        let intent = try sandbox.intent(amount: "40.00")
        guard case .quoted(let quote) = try await sandbox.quote(intent) else { Issue.record("expected a quote"); return }
        try await sandbox.chain.send(from: sandbox.payer, to: sandbox.token.address,
                                     data: ERC20.transferCall(to: sandbox.payee, amount: 20 * Self.unit))
        let journal = CollectingRecorder()
        let error = await #expect(throws: RailError.self) {
            try await sandbox.rail.execute(ExecutionRequest(paymentID: "drained", intent: intent, quote: quote, now: Fixture.now), recorder: journal)
        }
        guard case .declined(let refusal)? = error else { Issue.record("expected a decline, got \(String(describing: error))"); return }
        #expect(refusal.code == .insufficientFunds)
        #expect(await journal.events.isEmpty)
    }

    @Test("concurrent payments through the rail get distinct, gap-free nonces and all settle")
    func concurrentPayments() async throws {
        let sandbox = try await SandboxRail.make()
        let intent = try sandbox.intent(amount: "10.00")
        guard case .quoted(let quote) = try await sandbox.quote(intent) else { Issue.record("expected a quote"); return }
        let start = try await sandbox.chain.client.transactionCount(of: sandbox.payer.address)
        let receipts = try await withThrowingTaskGroup(of: ExecutionReceipt.self) { group in
            for index in 0..<6 {
                group.addTask {
                    try await sandbox.rail.execute(ExecutionRequest(paymentID: "batch-\(index)", intent: intent, quote: quote,
                                                                    now: Fixture.now), recorder: CollectingRecorder())
                }
            }
            return try await group.reduce(into: [ExecutionReceipt]()) { $0.append($1) }
        }
        let nonces = receipts.compactMap { (try? $0.submission.checkpoint.decode(DepositTokenCheckpoint.self))?.transfer.nonce }.sorted()
        #expect(nonces == Array(start..<start + 6))
        for receipt in receipts {
            #expect(try await sandbox.settle(receipt.submission).state == .settled)
        }
        #expect(try await sandbox.token.balance(of: sandbox.payee) == 60 * Self.unit)
    }

    @Test("a transaction whose nonce another transaction took is reported dropped")
    func dropped() async throws {
        let sandbox = try await SandboxRail.make()
        // The payer's nonce 0 goes to a real transfer; a phantom transaction claiming nonce 0 can never be mined.
        try await sandbox.chain.send(from: sandbox.payer, to: sandbox.token.address,
                                     data: ERC20.transferCall(to: sandbox.payee, amount: 1))
        let record = ERC20TransferRecord(token: sandbox.token.address, from: sandbox.payer.address, to: sandbox.payee,
                                         amount: Wei(5), nonce: 0, rawTransaction: nil)
        let phantom = RailSubmission(reference: .transactionHash("0x" + String(repeating: "ab", count: 32)), checkpoint: try RailCheckpoint(DepositTokenCheckpoint(transfer: record)))
        let status = try await sandbox.rail.status(of: phantom, at: Fixture.now)
        #expect(status.state == .rejected)
        #expect(status.reason?.code == .transactionDropped)
    }

    @Test("a mined transfer whose Transfer log is not the instruction (another amount) is failed RECONCILIATION_MISMATCH, never settled")
    func logMismatch() async throws {
        let sandbox = try await SandboxRail.make()
        // What went on chain: 5 base units. What the journal says was instructed: 6.
        let mined = try await sandbox.chain.send(from: sandbox.payer, to: sandbox.token.address, data: ERC20.transferCall(to: sandbox.payee, amount: 5))
        let record = ERC20TransferRecord(token: sandbox.token.address, from: sandbox.payer.address, to: sandbox.payee,
                                         amount: Wei(6), nonce: 0, rawTransaction: nil)
        let claimed = RailSubmission(reference: .transactionHash(mined.transactionHash),
                                     checkpoint: try RailCheckpoint(DepositTokenCheckpoint(transfer: record)))
        let status = try await sandbox.settle(claimed)
        #expect(status.state == .failed && status.reason?.code == .reconciliationMismatch, "\(status)")
        #expect(status.credited == nil)
    }

    @Test("a send whose answer was lost (the node has it) is followed as an unknown outcome and settles once; one lost on the way is resent from its journaled bytes and settles once", arguments: [false, true])
    func unknownOutcome(lostOnTheWay: Bool) async throws {
        let once = Mutex(true)
        // Only the first raw transaction is lost; a resend goes through.
        let first: @Sendable () -> Bool = {
            once.withLock { pending in
                let isFirst = pending
                pending = false
                return isFirst
            }
        }
        let sandbox = try await SandboxRail.make(recording: true, loseAnswer: { _ in !lostOnTheWay && first() ? 502 : nil },
                                                 loseRequest: { _ in lostOnTheWay && first() })
        defer { sandbox.proxy?.stop() }
        let intent = try sandbox.intent(amount: "7.00")
        guard case .quoted(let quote) = try await sandbox.quote(intent) else { Issue.record("expected a quote"); return }
        let receipt = try await sandbox.rail.execute(ExecutionRequest(paymentID: "p-unknown-\(lostOnTheWay)", intent: intent, quote: quote, now: Fixture.now),
                                                     recorder: CollectingRecorder())
        #expect(receipt.status.state == .submitted && receipt.status.railCode == "send outcome unknown", "\(receipt.status)")
        let followed = try await sandbox.rail.status(of: receipt.submission, at: Fixture.now)
        #expect(lostOnTheWay ? followed.railCode == "resent" : followed.railCode != "resent", "\(followed)")
        #expect(try await sandbox.settle(receipt.submission).state == .settled)
        #expect(try await sandbox.token.balance(of: sandbox.payee) == 7 * 1_000_000_000_000_000_000, "paid other than once")
        let sent = await sandbox.proxy?.recorded().map(\.key) ?? []
        #expect(Set(sent).count == 1, "one signed transaction, sent \(sent.count) time(s)")
    }

    @Test("a pending transaction is reported pending until mined")
    func pendingUntilMined() async throws {
        let chain = try await DevChain.start() // its own chain: holding transactions is chain-wide
        let sandbox = try await SandboxRail.make(on: chain)
        let intent = try sandbox.intent(amount: "5.00")
        guard case .quoted(let quote) = try await sandbox.quote(intent) else { Issue.record("expected a quote"); return }
        try await chain.setAutomine(false)
        let receipt = try await sandbox.rail.execute(ExecutionRequest(paymentID: "held", intent: intent, quote: quote, now: Fixture.now),
                                                                      recorder: CollectingRecorder())
        let pending = try await sandbox.rail.status(of: receipt.submission, at: Fixture.now)
        #expect(pending.state == .submitted)
        #expect(pending.railCode == "pending")
        try await chain.mine()
        try await chain.setAutomine(true)
        #expect(try await sandbox.settle(receipt.submission).state == .settled)
    }

    @Test("decimals on chain that differ from configuration stop the rail")
    func decimalsMismatch() async throws {
        let sandbox = try await SandboxRail.make(tokenDecimals: 6, balance: Wei(0))
        await #expect {
            _ = try await sandbox.quote(try sandbox.intent(amount: "1.00"))
        } throws: { error in
            guard case .misconfigured(let detail)? = error as? RailError else { return false }
            return detail.contains("6 decimals on chain")
        }
    }

    @Test("without its signing key the instance quotes from the chain but cannot execute")
    func quotesWithoutKey() async throws {
        let chain = try await DevChain.shared()
        let file = Fixture.config.appendingPathComponent("rails/deposit-token-sandbox.json")
        let context = RailConfigurationContext(calendars: try AdapterFixtures.calendars(in: SandboxRail.calendars))
        let rail = try RailFactory(DepositTokenRail.self, environment: ["SWITCHYARD_DEVCHAIN_URL": chain.url.absoluteString])
            .makeAdapter(id: "sandbox", settings: try Data(contentsOf: file), file: file.lastPathComponent, context: context)
        #expect(!rail.descriptor.capabilities.canExecute)
    }
}
