import RailKit
import RailKitSupport

/// One ERC-20 token on one chain, as a rail uses it: checks the node and the token's decimals,
/// prices and signs transfers, and follows them to finality. Shared by every token rail.
public struct ERC20Transfers: Sendable {
    public let client: EthereumClient
    public let chainID: UInt64
    public let token: EVMAddress
    /// The decimals configuration claims; amounts are converted with it, so it is checked on chain.
    public let configuredDecimals: Int
    /// Nil when the instance has no signer: it reads the chain but cannot send.
    public let submitter: TransactionSubmitter?
    /// Gas limit as a percentage of eth_estimateGas (headroom for state changes before inclusion).
    public let gasLimitPercent: UInt64
    private let facts = ChainFacts()

    public init(client: EthereumClient, chainID: UInt64, token: EVMAddress, configuredDecimals: Int,
                submitter: TransactionSubmitter?, gasLimitPercent: UInt64 = 120) {
        self.client = client
        self.chainID = chainID
        self.token = token
        self.configuredDecimals = configuredDecimals
        self.submitter = submitter
        self.gasLimitPercent = gasLimitPercent
    }

    /// Checks, once per instance, that the node serves the configured chain and that the
    /// token's `decimals()` matches configuration.
    public func verifyChainAndDecimals() async throws {
        if await facts.verified { return }
        let actual = try await client.chainID()
        guard actual == chainID else { throw RailError.misconfigured("the node serves chain id \(actual), configured for \(chainID)") }
        let answer = try ABIDecoder(try await client.call(CallRequest(to: token, data: ERC20.decimals.encodeCall()))).uint(0)
        guard answer == UInt128(configuredDecimals) else {
            throw RailError.misconfigured("token \(token) has \(answer) decimals on chain; configuration says \(configuredDecimals)")
        }
        await facts.markVerified()
    }

    /// The token balance of `holder`, in base units.
    public func balance(of holder: EVMAddress) async throws -> Wei {
        Wei(try ABIDecoder(try await client.call(CallRequest(to: token, data: ERC20.balanceOfCall(holder)))).uint(0))
    }

    /// Gas for a transfer with live fees, or the revert reason when the transfer would fail.
    public func transferGas(from: EVMAddress, to recipient: EVMAddress, amount: Wei) async throws -> TransferGasOutcome {
        let data = ERC20.transferCall(to: recipient, amount: amount.amount)
        let estimate: UInt64
        do {
            estimate = try await client.estimateGas(CallRequest(from: from, to: token, data: data))
        } catch {
            if let reason = error.revertReason { return .reverts(reason) }
            throw error
        }
        let fees = try await FeeSuggestion.current(from: client)
        return .gas(TransferGas(estimate: estimate, limit: estimate * gasLimitPercent / 100, fees: fees, data: data, recipient: recipient, amount: amount))
    }

    /// Signs the transfer priced by `gas` and sends it. `record` runs with the transfer's record
    /// and hash before anything leaves the process: journal them there.
    public func send(_ gas: TransferGas, record: @escaping @Sendable (ERC20TransferRecord, String) async throws -> Void) async throws(SubmissionError) -> SentTransfer {
        guard let submitter else { throw .notSent(RailError.misconfigured("no signer configured for \(token)")) }
        let signed = try await submitter.submit(to: token, data: gas.data, gasLimit: gas.limit, fees: gas.fees) { [self] signed in
            try await record(self.record(of: signed, gas: gas), signed.hashHex)
        }
        return SentTransfer(hash: signed.hashHex, record: self.record(of: signed, gas: gas))
    }

    /// The record of a transfer this instance signed (also for a ``SubmissionError``'s transaction).
    /// Only an instance with a signer signs, so only such an instance has records to make.
    public func record(of signed: SignedTransaction, gas: TransferGas) -> ERC20TransferRecord {
        guard let sender = submitter?.signer.address else { preconditionFailure("a transfer record without a signer") }
        return ERC20TransferRecord(signed: signed, token: token, from: sender, to: gas.recipient, amount: gas.amount)
    }

    /// Where a journaled transfer stands: pending, dropped, reverted (with its reason), mined with
    /// the wrong `Transfer` log, or included and how final under `finality`. A transfer the node
    /// has forgotten is resent from its journaled bytes.
    public func observe(_ record: ERC20TransferRecord, hash: String, finality: TransferFinality) async throws -> TransferObservation {
        do {
            guard let receipt = try await client.transactionReceipt(hash: hash) else {
                if try await client.transaction(hash: hash) != nil { return .pending }
                let mined = try await client.transactionCount(of: record.from, at: .latest)
                if mined > record.nonce { return .dropped(nonce: record.nonce) }
                if let raw = record.rawTransaction, let bytes = Hex.decode(raw) {
                    let (signed, _) = try SignedTransaction.decode(raw: bytes)
                    guard signed.hashHex == hash else { throw RailError.invalidResponse("journaled bytes do not hash to \(hash)") }
                    try await client.resendRawTransaction(signed)
                    return .resent
                }
                return .unknownToNode
            }
            guard receipt.succeeded else {
                return .reverted(block: receipt.blockNumber, reason: await revertReason(of: record, block: receipt.blockNumber))
            }
            let transfers = try receipt.logs.compactMap { try ERC20.transferEvent(in: $0) }.filter { $0.token == record.token }
            guard transfers == [record.expectedEvent] else { return .logMismatch(expected: record.expectedEvent, found: transfers) }
            switch finality {
            case .finalizedBlock:
                if let finalized = try await client.blockNumber(at: .finalized), finalized >= receipt.blockNumber {
                    return .final(block: receipt.blockNumber, rule: "block \(receipt.blockNumber) finalized")
                }
                return .included(block: receipt.blockNumber, progress: "awaiting finalization")
            case .confirmations(let needed):
                let latest = try await client.blockNumber()
                let confirmations = latest >= receipt.blockNumber ? latest - receipt.blockNumber + 1 : 0
                if confirmations >= UInt64(needed) {
                    return .final(block: receipt.blockNumber, rule: "\(confirmations) confirmation(s) of \(needed)")
                }
                return .included(block: receipt.blockNumber, progress: "\(confirmations) of \(needed) confirmations")
            }
        } catch let error as EVMClientError {
            throw RailError.unavailable(error.description)
        } catch let error as RLPError {
            throw RailError.invalidResponse("journaled transaction does not decode: \(error)")
        } catch let error as ABIError {
            throw RailError.invalidResponse(error.description)
        }
    }

    /// Replays a reverted transfer on the state before its block to recover the reason.
    private func revertReason(of record: ERC20TransferRecord, block: UInt64) async -> String {
        let call = CallRequest(from: record.from, to: record.token, data: ERC20.transferCall(to: record.to, amount: record.amount.amount))
        do {
            _ = try await client.call(call, at: .number(block > 0 ? block - 1 : 0))
            return "reason not reproducible (the state changed within the block)"
        } catch {
            return error.revertReason?.description ?? "reason unavailable (\(error))"
        }
    }
}

/// A priced, not yet signed transfer.
public struct TransferGas: Sendable {
    public var estimate: UInt64
    public var limit: UInt64
    public var fees: FeeSuggestion
    public var data: [UInt8]
    public var recipient: EVMAddress
    public var amount: Wei

    /// What the transfer is expected to cost in wei: estimate × (next base fee + tip).
    public var expectedCost: Wei { Wei(UInt128(estimate) * fees.expectedFeePerGas) }
}

/// Gas for a transfer, or why it would revert.
public enum TransferGasOutcome: Sendable {
    case gas(TransferGas)
    case reverts(RevertReason)
}

/// A transfer handed to the node (or possibly handed over).
public struct SentTransfer: Sendable, Hashable {
    public var hash: String
    public var record: ERC20TransferRecord
}

/// When a mined transfer counts as final.
public enum TransferFinality: Sendable, Hashable {
    /// After this many blocks including the transaction's own (1: inclusion is final).
    case confirmations(Int)
    /// Once the chain's `finalized` block reaches the transaction (L1 finality on an L2, PoS finality).
    case finalizedBlock
}

/// What the chain says about a journaled transfer.
public enum TransferObservation: Sendable, Hashable {
    /// In the node's pool.
    case pending
    /// The node had forgotten it; the journaled bytes were sent again.
    case resent
    /// Unknown to the node and no bytes to resend.
    case unknownToNode
    /// Another transaction used its nonce: it will never be mined and nothing moved.
    case dropped(nonce: UInt64)
    /// Mined with status 0: nothing moved, gas was spent.
    case reverted(block: UInt64, reason: String)
    /// Mined, but its `Transfer` logs are not exactly the instructed one.
    case logMismatch(expected: ERC20.TransferEvent, found: [ERC20.TransferEvent])
    /// Mined and matching, not yet final.
    case included(block: UInt64, progress: String)
    /// Mined, matching and final under the policy.
    case final(block: UInt64, rule: String)
}

/// Whether the chain and the token's decimals were checked (once per instance).
actor ChainFacts {
    private(set) var verified = false
    func markVerified() { verified = true }
}
