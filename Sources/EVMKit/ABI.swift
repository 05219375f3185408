import RailKit
import RailKitSupport

/// Solidity contract ABI encoding for the static types the rails use (address, uint, bool) and
/// the dynamic `string` of revert reasons and token metadata.
public enum ABIValue: Sendable, Hashable {
    case address(EVMAddress)
    case uint(UInt128)
    case bool(Bool)

    /// The 32-byte head word.
    var word: [UInt8] {
        switch self {
        case .address(let address): [UInt8](repeating: 0, count: 12) + address.bytes
        case .uint(let value): BigEndian.padded(value)
        case .bool(let flag): BigEndian.padded(UInt8(flag ? 1 : 0))
        }
    }
}

/// A function of a contract, known by its canonical signature (`transfer(address,uint256)`).
public struct ABIFunction: Sendable, Hashable, CustomStringConvertible {
    public let signature: String
    /// The first 4 bytes of keccak256(signature).
    public let selector: [UInt8]

    public init(_ signature: String) {
        self.signature = signature
        selector = Array(Keccak256.hash(signature).prefix(4))
    }

    /// Call data: the selector followed by the arguments' words.
    public func encodeCall(_ arguments: [ABIValue] = []) -> [UInt8] {
        selector + arguments.flatMap(\.word)
    }

    public var description: String { signature }
}

/// Reads 32-byte words of return data and logs.
public struct ABIDecoder: Sendable {
    public let data: [UInt8]

    public init(_ data: [UInt8]) { self.data = data }

    public func word(_ index: Int) throws(ABIError) -> ArraySlice<UInt8> {
        let start = index * 32
        guard data.count >= start + 32 else { throw .tooShort(expected: start + 32, actual: data.count) }
        return data[start..<start + 32]
    }

    public func uint(_ index: Int) throws(ABIError) -> UInt128 {
        guard let value = BigEndian.integer(try word(index), as: UInt128.self) else { throw .valueTooLarge }
        return value
    }

    public func address(_ index: Int) throws(ABIError) -> EVMAddress {
        let word = try word(index)
        guard word.prefix(12).allSatisfy({ $0 == 0 }) else { throw .invalid("address word has non-zero high bytes") }
        return EVMAddress(bytes: Array(word.suffix(20)))
    }

    public func bool(_ index: Int) throws(ABIError) -> Bool {
        switch try uint(index) {
        case 0: return false
        case 1: return true
        default: throw .invalid("bool word is neither 0 nor 1")
        }
    }

    /// A dynamic `string` whose offset is in head word `index`.
    public func string(_ index: Int) throws(ABIError) -> String {
        guard let offset = Int(exactly: try uint(index)), offset % 32 == 0 else { throw .invalid("string offset") }
        let lengthDecoder = ABIDecoder(Array(data.dropFirst(offset)))
        guard let length = Int(exactly: try lengthDecoder.uint(0)) else { throw .invalid("string length") }
        let body = lengthDecoder.data.dropFirst(32)
        guard body.count >= length else { throw .tooShort(expected: offset + 32 + length, actual: data.count) }
        return String(decoding: body.prefix(length), as: UTF8.self)
    }
}

/// Why bytes could not be decoded as the expected ABI value.
public enum ABIError: Error, Sendable, Hashable, CustomStringConvertible {
    case tooShort(expected: Int, actual: Int)
    case valueTooLarge
    case invalid(String)

    public var description: String {
        switch self {
        case .tooShort(let expected, let actual): "ABI data too short: \(actual) bytes, needed \(expected)"
        case .valueTooLarge: "ABI uint does not fit in 128 bits"
        case .invalid(let what): "invalid ABI data: \(what)"
        }
    }
}
