import RailKit
import RailKitSupport

/// A block to read state at.
public enum BlockTag: Sendable, Hashable {
    case latest
    case pending
    case safe
    case finalized
    case number(UInt64)

    var json: JSONValue {
        switch self {
        case .latest: "latest"
        case .pending: "pending"
        case .safe: "safe"
        case .finalized: "finalized"
        case .number(let number): .string(Quantity.hex(number))
        }
    }
}

/// A message call (eth_call / eth_estimateGas).
public struct CallRequest: Sendable, Hashable {
    public var from: EVMAddress?
    public var to: EVMAddress
    public var data: [UInt8]

    public init(from: EVMAddress? = nil, to: EVMAddress, data: [UInt8]) {
        self.from = from
        self.to = to
        self.data = data
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["to": .string(to.lowercased), "input": .string(Quantity.dataHex(data))]
        if let from { object["from"] = .string(from.lowercased) }
        return .object(object)
    }
}

/// eth_feeHistory: base fees for the blocks asked for plus the next one, and tips at percentiles.
public struct FeeHistory: Sendable, Hashable {
    public var oldestBlock: UInt64
    /// One per block, plus the base fee of the block after the newest.
    public var baseFeePerGas: [UInt128]
    /// Per block, the tip at each requested percentile.
    public var reward: [[UInt128]]

    /// The base fee the next block will charge.
    public var nextBaseFee: UInt128? { baseFeePerGas.last }
    /// The newest block the history covers.
    public var newestBlock: UInt64 { oldestBlock + UInt64(max(baseFeePerGas.count - 1, 1)) - 1 }
}

/// A log entry.
public struct EthereumLog: Sendable, Hashable {
    public var address: EVMAddress
    public var topics: [[UInt8]]
    public var data: [UInt8]
    public var blockNumber: UInt64?
    public var transactionHash: String?

    public init(address: EVMAddress, topics: [[UInt8]], data: [UInt8], blockNumber: UInt64? = nil, transactionHash: String? = nil) {
        self.address = address
        self.topics = topics
        self.data = data
        self.blockNumber = blockNumber
        self.transactionHash = transactionHash
    }
}

/// A mined transaction's receipt.
public struct TransactionReceipt: Sendable, Hashable {
    public var transactionHash: String
    public var blockNumber: UInt64
    /// True for status 0x1; false when the transaction reverted (it is mined and its gas is spent).
    public var succeeded: Bool
    public var gasUsed: UInt64
    public var effectiveGasPrice: UInt128?
    public var from: EVMAddress
    public var to: EVMAddress?
    public var contractAddress: EVMAddress?
    public var logs: [EthereumLog]
}

/// A transaction the node knows (mined or in its pool).
public struct TransactionInfo: Sendable, Hashable {
    public var hash: String
    public var from: EVMAddress
    public var nonce: UInt64
    /// Nil while pending.
    public var blockNumber: UInt64?
}

/// The Ethereum JSON-RPC methods the rails use, with typed answers.
public struct EthereumClient: Sendable {
    public let rpc: JSONRPCClient

    public init(rpc: JSONRPCClient) { self.rpc = rpc }

    public func chainID() async throws(EVMClientError) -> UInt64 {
        try Quantity.parse(try await rpc.call("eth_chainId"), field: "eth_chainId")
    }

    public func blockNumber() async throws(EVMClientError) -> UInt64 {
        try Quantity.parse(try await rpc.call("eth_blockNumber"), field: "eth_blockNumber")
    }

    /// The number of the block a tag names (`finalized`, `safe`, ...); nil if the node has none yet.
    public func blockNumber(at tag: BlockTag) async throws(EVMClientError) -> UInt64? {
        let block = try await rpc.call("eth_getBlockByNumber", [tag.json, false])
        if block.isNull { return nil }
        return try Quantity.parse(block["number"], field: "eth_getBlockByNumber.number")
    }

    public func transactionCount(of account: EVMAddress, at block: BlockTag = .pending) async throws(EVMClientError) -> UInt64 {
        try Quantity.parse(try await rpc.call("eth_getTransactionCount", [.string(account.lowercased), block.json]),
                           field: "eth_getTransactionCount")
    }

    public func feeHistory(blockCount: Int, newest: BlockTag = .latest, rewardPercentiles: [Int]) async throws(EVMClientError) -> FeeHistory {
        let result = try await rpc.call("eth_feeHistory", [
            .string(Quantity.hex(UInt64(blockCount))), newest.json, .array(rewardPercentiles.map { .integer(Int64($0)) }),
        ])
        let baseFees = try (result["baseFeePerGas"]?.arrayValue ?? []).map { value throws(EVMClientError) in
            try Quantity.parse(value, field: "eth_feeHistory.baseFeePerGas", as: UInt128.self)
        }
        let rewards = try (result["reward"]?.arrayValue ?? []).map { row throws(EVMClientError) in
            try (row.arrayValue ?? []).map { value throws(EVMClientError) in
                try Quantity.parse(value, field: "eth_feeHistory.reward", as: UInt128.self)
            }
        }
        guard !baseFees.isEmpty else { throw .malformedResponse("eth_feeHistory: no baseFeePerGas") }
        return FeeHistory(oldestBlock: try Quantity.parse(result["oldestBlock"], field: "eth_feeHistory.oldestBlock"),
                          baseFeePerGas: baseFees, reward: rewards)
    }

    public func maxPriorityFeePerGas() async throws(EVMClientError) -> UInt128 {
        try Quantity.parse(try await rpc.call("eth_maxPriorityFeePerGas"), field: "eth_maxPriorityFeePerGas")
    }

    public func estimateGas(_ call: CallRequest) async throws(EVMClientError) -> UInt64 {
        try Quantity.parse(try await rpc.call("eth_estimateGas", [call.json]), field: "eth_estimateGas")
    }

    public func call(_ call: CallRequest, at block: BlockTag = .latest) async throws(EVMClientError) -> [UInt8] {
        try Quantity.data(try await rpc.call("eth_call", [call.json, block.json]), field: "eth_call")
    }

    /// Sends signed bytes; returns the hash the node reports, which must equal the one computed before sending.
    @discardableResult
    public func sendRawTransaction(_ transaction: SignedTransaction) async throws(EVMClientError) -> String {
        let result = try await rpc.call("eth_sendRawTransaction", [.string(transaction.rawHex)])
        guard let hash = result.stringValue, hash.lowercased() == transaction.hashHex else {
            throw .malformedResponse("eth_sendRawTransaction answered \(result), expected \(transaction.hashHex)")
        }
        return transaction.hashHex
    }

    /// Sends previously signed bytes again (after an unknown outcome or a restart). A node that
    /// already has them answers "already known", which counts as sent.
    public func resendRawTransaction(_ transaction: SignedTransaction) async throws(EVMClientError) {
        do {
            try await sendRawTransaction(transaction)
        } catch .rpc(_, let error) where error.message.lowercased().contains("already known") {
            return
        }
    }

    /// The receipt, or nil while the transaction is not mined (or unknown).
    public func transactionReceipt(hash: String) async throws(EVMClientError) -> TransactionReceipt? {
        let result = try await rpc.call("eth_getTransactionReceipt", [.string(hash)])
        if result.isNull { return nil }
        let field = "eth_getTransactionReceipt"
        let logs = try (result["logs"]?.arrayValue ?? []).map { log throws(EVMClientError) in try Self.log(log) }
        let status: UInt8 = try Quantity.parse(result["status"], field: field + ".status")
        return TransactionReceipt(
            transactionHash: result["transactionHash"]?.stringValue ?? hash,
            blockNumber: try Quantity.parse(result["blockNumber"], field: field + ".blockNumber"),
            succeeded: status == 1,
            gasUsed: try Quantity.parse(result["gasUsed"], field: field + ".gasUsed"),
            effectiveGasPrice: try result["effectiveGasPrice"].map { value throws(EVMClientError) in
                try Quantity.parse(value, field: field + ".effectiveGasPrice", as: UInt128.self)
            },
            from: try Quantity.address(result["from"], field: field + ".from"),
            to: try Self.optionalAddress(result["to"], field: field + ".to"),
            contractAddress: try Self.optionalAddress(result["contractAddress"], field: field + ".contractAddress"),
            logs: logs)
    }

    /// The transaction as the node knows it, or nil if it does not (never seen, or dropped from its pool).
    public func transaction(hash: String) async throws(EVMClientError) -> TransactionInfo? {
        let result = try await rpc.call("eth_getTransactionByHash", [.string(hash)])
        if result.isNull { return nil }
        let field = "eth_getTransactionByHash"
        let block = result["blockNumber"]
        return TransactionInfo(
            hash: result["hash"]?.stringValue ?? hash,
            from: try Quantity.address(result["from"], field: field + ".from"),
            nonce: try Quantity.parse(result["nonce"], field: field + ".nonce"),
            blockNumber: block == nil || block!.isNull ? nil : try Quantity.parse(block, field: field + ".blockNumber"))
    }

    /// Logs of `address` with `topic0` in blocks `from...to`.
    public func logs(address: EVMAddress, topics: [[UInt8]?], from: BlockTag, to: BlockTag) async throws(EVMClientError) -> [EthereumLog] {
        let filter: JSONValue = [
            "address": .string(address.lowercased),
            "fromBlock": from.json, "toBlock": to.json,
            "topics": .array(topics.map { $0.map { .string(Quantity.dataHex($0)) } ?? .null }),
        ]
        let result = try await rpc.call("eth_getLogs", [filter])
        guard let entries = result.arrayValue else { throw .malformedResponse("eth_getLogs: expected an array") }
        return try entries.map { entry throws(EVMClientError) in try Self.log(entry) }
    }

    private static func log(_ value: JSONValue) throws(EVMClientError) -> EthereumLog {
        let topics = try (value["topics"]?.arrayValue ?? []).map { topic throws(EVMClientError) in
            try Quantity.data(topic, field: "log.topics")
        }
        return EthereumLog(
            address: try Quantity.address(value["address"], field: "log.address"),
            topics: topics, data: try Quantity.data(value["data"], field: "log.data"),
            blockNumber: try value["blockNumber"].flatMap { $0.isNull ? nil : $0 }.map { number throws(EVMClientError) in
                try Quantity.parse(number, field: "log.blockNumber")
            },
            transactionHash: value["transactionHash"]?.stringValue)
    }

    private static func optionalAddress(_ value: JSONValue?, field: String) throws(EVMClientError) -> EVMAddress? {
        // Contract creations have no `to`: null on geth, an empty string on some nodes.
        guard let value, !value.isNull, value != "", value != "0x" else { return nil }
        return try Quantity.address(value, field: field)
    }
}
