/// EIP-1559 fees for a transaction, read from the chain.
public struct FeeSuggestion: Sendable, Hashable {
    /// The block whose history the suggestion is based on.
    public var basedOnBlock: UInt64
    /// The base fee the next block charges, in wei per gas.
    public var nextBaseFee: UInt128
    /// The tip offered, in wei per gas.
    public var maxPriorityFeePerGas: UInt128
    /// The cap: twice the next base fee plus the tip, so the transaction survives six full blocks of base-fee rises.
    public var maxFeePerGas: UInt128

    /// What the sender is expected to pay per gas if included in the next block: base fee plus tip.
    public var expectedFeePerGas: UInt128 { nextBaseFee + maxPriorityFeePerGas }

    public init(basedOnBlock: UInt64, nextBaseFee: UInt128, maxPriorityFeePerGas: UInt128) {
        self.basedOnBlock = basedOnBlock
        self.nextBaseFee = nextBaseFee
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        maxFeePerGas = nextBaseFee * 2 + maxPriorityFeePerGas
    }

    /// Reads the next base fee from eth_feeHistory and the tip: the larger of the node's suggestion
    /// and the median tip paid over the last blocks.
    public static func current(from client: EthereumClient, blocks: Int = 5) async throws(EVMClientError) -> FeeSuggestion {
        let history = try await client.feeHistory(blockCount: blocks, rewardPercentiles: [50])
        guard let nextBaseFee = history.nextBaseFee else { throw .malformedResponse("eth_feeHistory: no next base fee") }
        let suggested = try await client.maxPriorityFeePerGas()
        let paid = history.reward.compactMap(\.first).sorted()
        let median = paid.isEmpty ? 0 : paid[paid.count / 2]
        return FeeSuggestion(basedOnBlock: history.newestBlock, nextBaseFee: nextBaseFee,
                             maxPriorityFeePerGas: max(suggested, median))
    }
}
