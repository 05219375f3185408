import RailKit
import RailKitSupport

/// The ERC-20 calls and event the rails use, plus the deposit token's allowlist query.
public enum ERC20 {
    public static let transfer = ABIFunction("transfer(address,uint256)")
    public static let balanceOf = ABIFunction("balanceOf(address)")
    public static let decimals = ABIFunction("decimals()")
    /// topic0 of `Transfer(address indexed from, address indexed to, uint256 value)`.
    public static let transferTopic = Keccak256.hash("Transfer(address,address,uint256)")

    public static func transferCall(to recipient: EVMAddress, amount: UInt128) -> [UInt8] {
        transfer.encodeCall([.address(recipient), .uint(amount)])
    }

    public static func balanceOfCall(_ holder: EVMAddress) -> [UInt8] {
        balanceOf.encodeCall([.address(holder)])
    }

    /// A decoded `Transfer` event.
    public struct TransferEvent: Sendable, Hashable {
        public var token: EVMAddress
        public var from: EVMAddress
        public var to: EVMAddress
        public var amount: UInt128

        public init(token: EVMAddress, from: EVMAddress, to: EVMAddress, amount: UInt128) {
            self.token = token
            self.from = from
            self.to = to
            self.amount = amount
        }
    }

    /// Decodes a log as a `Transfer`; nil when the log is another event.
    public static func transferEvent(in log: EthereumLog) throws(ABIError) -> TransferEvent? {
        guard log.topics.count == 3, log.topics[0] == transferTopic else { return nil }
        let from = try ABIDecoder(log.topics[1]).address(0)
        let to = try ABIDecoder(log.topics[2]).address(0)
        return TransferEvent(token: log.address, from: from, to: to, amount: try ABIDecoder(log.data).uint(0))
    }
}

/// A contract's revert data, decoded.
public enum RevertReason: Sendable, Hashable, CustomStringConvertible {
    /// `Error(string)`: `require(cond, "reason")` / Vyper `assert cond, "reason"`.
    case message(String)
    /// `Panic(uint256)`: arithmetic overflow, division by zero, ...
    case panic(UInt128)
    /// Revert with no data (a bare `revert()` / failed `assert`).
    case empty
    /// Data of a custom error this library does not know.
    case unrecognized([UInt8])

    static let errorSelector = ABIFunction("Error(string)").selector
    static let panicSelector = ABIFunction("Panic(uint256)").selector

    public init(data: [UInt8]) {
        if data.isEmpty { self = .empty; return }
        let selector = Array(data.prefix(4)), body = ABIDecoder(Array(data.dropFirst(4)))
        if selector == Self.errorSelector, let message = try? body.string(0) {
            self = .message(message)
        } else if selector == Self.panicSelector, let code = try? body.uint(0) {
            self = .panic(code)
        } else {
            self = .unrecognized(data)
        }
    }

    public var description: String {
        switch self {
        case .message(let text): CounterpartText.sanitized(text)
        case .panic(let code): "panic 0x\(String(code, radix: 16))"
        case .empty: "reverted without a reason"
        case .unrecognized(let data): "custom error 0x\(Hex.encode(data.prefix(4)))"
        }
    }
}
