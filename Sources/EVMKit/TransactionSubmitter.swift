import RailKit

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
        to: EVMAddress?, data: [UInt8], value: UInt128 = 0, gasLimit: UInt64, fees: FeeSuggestion,
        beforeSend: @Sendable (SignedTransaction) async throws -> Void = { _ in }
    ) async throws(SubmissionError) -> SignedTransaction {
        let actual: UInt64
        do { actual = try await client.chainID() } catch { throw .notSent(error) }
        guard actual == chainID else { throw .notSent(EVMClientError.wrongChain(expected: chainID, actual: actual)) }

        let outcome: Result<SignedTransaction, SubmissionError>
        do {
            outcome = try await nonces.withNextNonce(for: signer.address) { nonce in
                let transaction = EIP1559Transaction(
                    chainID: chainID, nonce: nonce, maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
                    maxFeePerGas: fees.maxFeePerGas, gasLimit: gasLimit, to: to, value: value, data: data)
                let signed: SignedTransaction
                do {
                    signed = try await signer.sign(transaction)
                    try await beforeSend(signed)
                } catch {
                    return .released(.failure(.notSent(error)))
                }
                do throws(EVMClientError) {
                    try await client.sendRawTransaction(signed)
                    return .consumed(.success(signed))
                } catch where error.outcomeUnknown {
                    return .consumed(.failure(.outcomeUnknown(signed, error)))
                } catch {
                    return .released(.failure(.rejected(signed, error)))
                }
            }
        } catch {
            throw .notSent(error)
        }
        return try outcome.get()
    }

    /// Sends previously signed bytes again (after an unknown outcome or a restart). A node that
    /// already has them answers "already known", which counts as sent.
    public func resend(_ transaction: SignedTransaction) async throws(EVMClientError) {
        do {
            try await client.sendRawTransaction(transaction)
        } catch .rpc(_, let error) where error.message.lowercased().contains("already known") {
            return
        }
    }
}
