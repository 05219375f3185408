import EVMKit
import Foundation
import RailKit

/// The rail's live view of its chain: the node, the token contract, the signer and nonces.
struct DepositTokenChain: Sendable {
    let client: EthereumClient
    let chainID: UInt64
    let token: EVMAddress
    let configuredDecimals: Int
    let allowlistQuery: ABIFunction?
    /// Nil when the instance has no signer: it reads the chain for quotes but cannot execute.
    let submitter: TransactionSubmitter?
    let gasLimitPercent: UInt64
    let facts = ChainFacts()

    /// What the chain said about one payment's two wallets.
    struct Eligibility: Sendable {
        /// Nil when the allowlist is not queried on chain.
        var debtorAllowlisted: Bool?
        var recipientAllowlisted: Bool?
        var debtorBalance: Wei
    }

    /// Reads allowlist status of both wallets and the debtor's balance in one JSON-RPC batch.
    func eligibility(debtor: EVMAddress, recipient: EVMAddress) async throws -> Eligibility {
        var calls = [JSONRPCCall("eth_call", [call(ERC20.balanceOfCall(debtor)), "latest"])]
        if let allowlistQuery {
            calls.append(JSONRPCCall("eth_call", [call(allowlistQuery.encodeCall([.address(debtor)])), "latest"]))
            calls.append(JSONRPCCall("eth_call", [call(allowlistQuery.encodeCall([.address(recipient)])), "latest"]))
        }
        let results = try await client.rpc.batch(calls)
        func data(_ index: Int) throws -> [UInt8] { try Quantity.data(try results[index].get(), field: calls[index].method) }
        let balance = try ABIDecoder(try data(0)).uint(0)
        guard allowlistQuery != nil else {
            return Eligibility(debtorAllowlisted: nil, recipientAllowlisted: nil, debtorBalance: Wei(balance))
        }
        return Eligibility(debtorAllowlisted: try ABIDecoder(try data(1)).bool(0),
                           recipientAllowlisted: try ABIDecoder(try data(2)).bool(0), debtorBalance: Wei(balance))
    }

    private func call(_ data: [UInt8]) -> JSONValue {
        ["to": .string(token.lowercased), "input": .string(Quantity.dataHex(data))]
    }

    /// Checks, once per rail instance, that the node serves the configured chain and that the
    /// token's `decimals()` matches configuration (amounts are converted with the configured value).
    func verifyChainAndDecimals() async throws {
        if await facts.verified { return }
        let actual = try await client.chainID()
        guard actual == chainID else { throw RailError.misconfigured("the node serves chain id \(actual), configured for \(chainID)") }
        let answer = try ABIDecoder(try await client.call(CallRequest(to: token, data: ERC20.decimals.encodeCall()))).uint(0)
        guard answer == UInt128(configuredDecimals) else {
            throw RailError.misconfigured("token \(token) has \(answer) decimals on chain; configuration says \(configuredDecimals)")
        }
        await facts.markVerified()
    }

    /// Gas for the transfer with live fees, or the revert reason when the transfer would fail.
    func transferGas(from: EVMAddress, to recipient: EVMAddress, amount: Wei) async throws -> GasOutcome {
        let data = ERC20.transferCall(to: recipient, amount: amount.amount)
        let estimate: UInt64
        do {
            estimate = try await client.estimateGas(CallRequest(from: from, to: token, data: data))
        } catch {
            if let reason = error.revertReason { return .reverts(reason) }
            throw error
        }
        let fees = try await FeeSuggestion.current(from: client)
        return .gas(TransferGas(estimate: estimate, limit: estimate * gasLimitPercent / 100, fees: fees, data: data))
    }

    enum GasOutcome: Sendable {
        case gas(TransferGas)
        case reverts(RevertReason)
    }

    struct TransferGas: Sendable {
        var estimate: UInt64
        var limit: UInt64
        var fees: FeeSuggestion
        var data: [UInt8]

        /// What the transfer is expected to cost in wei: estimate × (next base fee + tip).
        var expectedCost: Wei { Wei(UInt128(estimate) * fees.expectedFeePerGas) }
    }
}

/// Whether the chain and the token's decimals were checked (once per rail instance).
actor ChainFacts {
    private(set) var verified = false
    func markVerified() { verified = true }
}
