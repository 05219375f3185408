import RailKit
import RailKitSupport

/// Why a transaction did not reach the chain, or whether that is unknown.
public enum SubmissionError: Error, Sendable, CustomStringConvertible {
    /// The node refused the transaction (bad nonce, funds, chain id...): it will never be mined,
    /// and its nonce was handed back.
    case rejected(SignedTransaction, EVMClientError)
    /// The send may or may not have reached the node; the transaction (and its nonce) must be
    /// followed by its hash and, if needed, sent again with the same bytes.
    case outcomeUnknown(SignedTransaction, EVMClientError)
    /// Nothing was signed or sent (the chain check or the journal failed first).
    case notSent(any Error)

    public var description: String {
        switch self {
        case .rejected(let transaction, let error): "transaction \(transaction.hashHex) rejected: \(error)"
        case .outcomeUnknown(let transaction, let error): "transaction \(transaction.hashHex) outcome unknown: \(error)"
        case .notSent(let error): "nothing sent: \(error)"
        }
    }
}

/// Signs and sends transactions for one account on one chain: checks the node's chain id, takes
/// the next nonce, signs, lets the caller record the hash, and only then sends.
public struct TransactionSubmitter: Sendable {
    public let client: EthereumClient
    public let chainID: UInt64
    public let signer: any TransactionSigner
    public let nonces: NonceManager

    public init(client: EthereumClient, chainID: UInt64, signer: any TransactionSigner, nonces: NonceManager) {
        self.client = client
        self.chainID = chainID
        self.signer = signer
        self.nonces = nonces
    }

    /// Signs a call and sends it. `beforeSend` runs with the signed transaction (its hash is
    /// final) before anything leaves the process: journal it there. If `beforeSend` throws, nothing is sent.
    public func submit(
        to: EVMAddress?, data: [UInt8], value: Wei = Wei(0), gasLimit: UInt64, fees: FeeSuggestion,
        beforeSend: @escaping @Sendable (SignedTransaction) async throws -> Void = { _ in }
    ) async throws(SubmissionError) -> SignedTransaction {
        let actual: UInt64
        do { actual = try await client.chainID() } catch { throw .notSent(error) }
        guard actual == chainID else { throw .notSent(EVMClientError.wrongChain(expected: chainID, actual: actual)) }

        do {
            return try await nonces.withNextNonce(for: signer.address) { nonce in
                try await signAndSend(EIP1559Transaction(
                    chainID: chainID, nonce: nonce, maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
                    maxFeePerGas: fees.maxFeePerGas, gasLimit: gasLimit, to: to, value: value.amount, data: data),
                    beforeSend: beforeSend)
            }
        } catch let error as SubmissionError {
            throw error
        } catch {
            throw .notSent(error)
        }
    }

    private func signAndSend(
        _ transaction: EIP1559Transaction, beforeSend: @Sendable (SignedTransaction) async throws -> Void
    ) async throws(SubmissionError) -> NonceUse<SignedTransaction> {
        let signed: SignedTransaction
        do {
            signed = try await signer.sign(transaction)
            try await beforeSend(signed)
        } catch {
            return .released(SubmissionError.notSent(error))
        }
        do {
            try await client.sendRawTransaction(signed)
            return .consumed(signed)
        } catch where error.outcomeUnknown {
            // It may have reached the node: the nonce stays spent and the hash is followed.
            throw .outcomeUnknown(signed, error)
        } catch {
            // A refusal means the node will never mine it.
            return .released(SubmissionError.rejected(signed, error))
        }
    }
}
