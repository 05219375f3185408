import DevChainTesting
import EVMKit
import Foundation
import RailKit
import RailKitSupport
import Testing

/// The JSON-RPC client against the project's dev chain (eth-tester/py-evm over HTTP).
@Suite("JSON-RPC client on the dev chain")
struct DevChainClientTests {
    @Test("chain id, block number and fee history read as typed values")
    func basics() async throws {
        let chain = try await DevChain.shared()
        #expect(try await chain.client.chainID() == chain.chainID)
        let block = try await chain.client.blockNumber()
        let history = try await chain.client.feeHistory(blockCount: 3, rewardPercentiles: [25, 75])
        #expect(history.baseFeePerGas.count == history.reward.count + 1)
        #expect(history.reward.allSatisfy { $0.count == 2 })
        #expect(history.newestBlock >= block)
        #expect((history.nextBaseFee ?? 0) > 0)
    }

    @Test("a batch answers each call on its own: results and errors by position")
    func batch() async throws {
        let chain = try await DevChain.shared()
        let results = try await chain.client.rpc.batch([
            JSONRPCCall("eth_chainId"), JSONRPCCall("no_such_method"), JSONRPCCall("eth_blockNumber"),
        ])
        #expect(try Quantity.parse(try results[0].get(), field: "chainId", as: UInt64.self) == chain.chainID)
        guard case .failure(.rpc(let method, let error)) = results[1] else {
            Issue.record("expected a JSON-RPC error, got \(results[1])")
            return
        }
        #expect(method == "no_such_method")
        #expect(error.code == -32601)
        #expect((try? results[2].get()) != nil)
    }

    @Test("a transaction signed for another chain id is rejected by the node")
    func wrongChainIDRejected() async throws {
        let chain = try await DevChain.shared()
        let signer = chain.accounts[5]
        let fees = try await FeeSuggestion.current(from: chain.client)
        let nonce = try await chain.client.transactionCount(of: signer.address)
        let foreign = try await signer.sign(EIP1559Transaction(
            chainID: chain.chainID + 1, nonce: nonce, maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
            maxFeePerGas: fees.maxFeePerGas, gasLimit: 21_000, to: chain.accounts[6].address, value: 1))
        let error = await #expect(throws: EVMClientError.self) { try await chain.client.sendRawTransaction(foreign) }
        guard case .rpc(_, let body)? = error else { Issue.record("expected a JSON-RPC error, got \(String(describing: error))"); return }
        #expect(body.message.contains("chain id"))
        #expect(try await chain.client.transactionCount(of: signer.address) == nonce, "nothing was mined")

        // And our submitter never signs for a node serving another chain.
        let misconfigured = TransactionSubmitter(client: chain.client, chainID: chain.chainID + 1, signer: signer, nonces: chain.nonces)
        await #expect(throws: SubmissionError.self) {
            try await misconfigured.submit(to: chain.accounts[6].address, data: [], gasLimit: 21_000, fees: fees)
        }
    }

    @Test("a revert's reason is decoded from eth_call and eth_estimateGas; a forced send is mined with status 0")
    func revertReason() async throws {
        let chain = try await DevChain.shared()
        let token = try await SandboxDepositToken.deploy(on: chain)
        let holder = chain.accounts[1], stranger = chain.accounts[2].address
        try await token.allowlist(holder.address)
        try await token.mint(Wei(1_000), to: holder.address)
        let call = CallRequest(from: holder.address, to: token.address, data: ERC20.transferCall(to: stranger, amount: 10))

        let callError = await #expect(throws: EVMClientError.self) { try await chain.client.call(call) }
        #expect(callError?.revertReason == .message("receiver not allowlisted"))
        let estimateError = await #expect(throws: EVMClientError.self) { try await chain.client.estimateGas(call) }
        #expect(estimateError?.revertReason == .message("receiver not allowlisted"))

        let receipt = try await chain.send(from: holder, to: token.address, data: call.data, gasLimit: 100_000)
        #expect(!receipt.succeeded)
        #expect(receipt.logs.isEmpty)
        #expect(try await token.balance(of: holder.address) == 1_000)
    }

    @Test("a transfer's Transfer log decodes to from, to and amount")
    func transferLog() async throws {
        let chain = try await DevChain.shared()
        let token = try await SandboxDepositToken.deploy(on: chain, decimals: 6)
        let from = chain.accounts[1], to = chain.accounts[2].address
        try await token.allowlist(from.address, to)
        try await token.mint(Wei(5_000_000), to: from.address)
        let receipt = try await chain.send(from: from, to: token.address, data: ERC20.transferCall(to: to, amount: 1_250_000))
        #expect(receipt.succeeded)
        let events = try receipt.logs.compactMap { try ERC20.transferEvent(in: $0) }
        #expect(events == [ERC20.TransferEvent(token: token.address, from: from.address, to: to, amount: 1_250_000)])
        let logs = try await chain.client.logs(address: token.address, topics: [ERC20.transferTopic],
                                               from: .number(receipt.blockNumber), to: .number(receipt.blockNumber))
        #expect(try logs.compactMap { try ERC20.transferEvent(in: $0) } == events)
        #expect(try await token.balance(of: to) == 1_250_000)
    }

    @Test("connection refused is a transport error; a silent server is a timeout")
    func transportFailures() async throws {
        // A port this test bound and closed: nothing listens there (no port is assumed closed).
        let closed = try SilentServer()
        let closedPort = closed.port
        closed.close()
        let refused = JSONRPCClient(url: URL(string: "http://127.0.0.1:\(closedPort)")!, timeout: .seconds(2))
        await #expect {
            try await refused.call("eth_chainId")
        } throws: { error in
            // Said as what it is (nothing was sent), and without the node's URL.
            if case .transport(_, let detail)? = error as? EVMClientError { return detail.hasPrefix("not connected") && !detail.contains("127.0.0.1") }
            return false
        }
        let silent = try SilentServer()
        defer { silent.close() }
        let slow = JSONRPCClient(url: URL(string: "http://127.0.0.1:\(silent.port)")!, timeout: .milliseconds(300))
        await #expect(throws: EVMClientError.timeout(method: "eth_chainId", seconds: 0.3)) {
            try await slow.call("eth_chainId")
        }
    }
}
