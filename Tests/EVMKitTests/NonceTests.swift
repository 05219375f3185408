import DevChainTesting
import EVMKit
import Foundation
import RailKit
import RailKitSupport
import Testing

@Suite("Nonces")
struct NonceTests {
    @Test("concurrent payments from one account get distinct, gap-free nonces, and all are mined")
    func concurrentNonces() async throws {
        let chain = try await DevChain.shared()
        let sender = chain.accounts[7], recipient = chain.accounts[8].address
        let start = try await chain.client.transactionCount(of: sender.address)
        let fees = try await FeeSuggestion.current(from: chain.client)
        let submitter = chain.submitter(for: sender)
        let sent = try await withThrowingTaskGroup(of: SignedTransaction.self) { group in
            for _ in 0..<12 {
                group.addTask { try await submitter.submit(to: recipient, data: [], value: Wei(1), gasLimit: 21_000, fees: fees) }
            }
            return try await group.reduce(into: [SignedTransaction]()) { $0.append($1) }
        }
        #expect(sent.map(\.transaction.nonce).sorted() == Array(start..<start + 12))
        for transaction in sent {
            #expect(try await chain.receipt(of: transaction.hashHex).succeeded)
        }
        #expect(try await chain.client.transactionCount(of: sender.address) == start + 12)
    }

    @Test("a restart continues from the stored nonce, even for a signed transaction the node never saw")
    func restartNeverReuses() async throws {
        let chain = try await DevChain.shared()
        let sender = chain.accounts[9], recipient = chain.accounts[8].address
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-nonces-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let fees = try await FeeSuggestion.current(from: chain.client)
        let onChain = try await chain.client.transactionCount(of: sender.address)
        func process() -> TransactionSubmitter {
            TransactionSubmitter(client: chain.client, chainID: chain.chainID, signer: sender,
                                 nonces: NonceManager(client: chain.client, chainID: chain.chainID, store: FileNonceStore(url: file)))
        }

        // A journal that fails before sending hands the nonce back: nothing signed left the process.
        struct JournalDown: Error {}
        let notSent = await #expect(throws: SubmissionError.self) {
            try await process().submit(to: recipient, data: [], gasLimit: 21_000, fees: fees) { _ in throw JournalDown() }
        }
        if case .notSent? = notSent {} else { Issue.record("expected notSent, got \(String(describing: notSent))") }

        // A process journals a signed transaction and dies before the node sees it.
        let lost = try await process().nonces.withNextNonce(for: sender.address) { nonce in
            NonceUse.consumed(try await sender.sign(EIP1559Transaction(
                chainID: chain.chainID, nonce: nonce, maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
                maxFeePerGas: fees.maxFeePerGas, gasLimit: 21_000, to: recipient, value: 2)))
        }
        #expect(lost.transaction.nonce == onChain)
        #expect(try await chain.client.transactionCount(of: sender.address) == onChain, "the node never saw it")

        // After the restart (a new manager on the same file) that nonce is never handed out again.
        let restarted = process()
        struct Peek: Error { var nonce: UInt64 }
        do {
            _ = try await restarted.nonces.withNextNonce(for: sender.address) { nonce -> NonceUse<Int> in .released(Peek(nonce: nonce)) }
        } catch let peek as Peek {
            #expect(peek.nonce == onChain + 1)
        }
        // Recovery resends the journaled bytes; they are mined under their own nonce.
        try await chain.client.resendRawTransaction(lost)
        #expect(try await chain.receipt(of: lost.hashHex).succeeded)
        let after = try await restarted.submit(to: recipient, data: [], value: Wei(1), gasLimit: 21_000, fees: fees)
        #expect(after.transaction.nonce == onChain + 1)
        #expect(try await chain.receipt(of: after.hashHex).succeeded)
    }

    @Test("a transaction the node refuses hands its nonce back")
    func rejectedReleasesNonce() async throws {
        let chain = try await DevChain.shared()
        let sender = chain.accounts[4], recipient = chain.accounts[8].address
        let fees = try await FeeSuggestion.current(from: chain.client)
        let before = try await chain.client.transactionCount(of: sender.address)
        let submitter = chain.submitter(for: sender)
        // More wei than the account holds: refused at submission.
        let refused = await #expect(throws: SubmissionError.self) {
            try await submitter.submit(to: recipient, data: [], value: Wei(UInt128(1) << 100), gasLimit: 21_000, fees: fees)
        }
        if case .rejected? = refused {} else { Issue.record("expected rejected, got \(String(describing: refused))") }
        let next = try await submitter.submit(to: recipient, data: [], value: Wei(1), gasLimit: 21_000, fees: fees)
        #expect(next.transaction.nonce == before)
    }
}
