import EVMKit
import Foundation
import RailKit
import RailKitSupport

/// The rail's live view of its chain: the token's transfers (EVMKit) plus its allowlist.
struct DepositTokenChain: Sendable {
    let transfers: ERC20Transfers
    let allowlistQuery: ABIFunction?

    var client: EthereumClient { transfers.client }
    var token: EVMAddress { transfers.token }
    var submitter: TransactionSubmitter? { transfers.submitter }

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
}
