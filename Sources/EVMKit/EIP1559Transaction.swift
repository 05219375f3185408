import RailKit
import RailKitSupport

/// An EIP-1559 (type 2) transaction. The chain id is part of what is signed (EIP-155 replay
/// protection carried into typed transactions by EIP-2718/1559).
public struct EIP1559Transaction: Sendable, Hashable {
    public var chainID: UInt64
    public var nonce: UInt64
    /// The tip per gas, in wei.
    public var maxPriorityFeePerGas: UInt128
    /// The most per gas the sender pays (base fee + tip), in wei.
    public var maxFeePerGas: UInt128
    public var gasLimit: UInt64
    /// Nil creates a contract from `data`.
    public var to: EVMAddress?
    /// Wei sent along.
    public var value: UInt128
    public var data: [UInt8]

    public init(chainID: UInt64, nonce: UInt64, maxPriorityFeePerGas: UInt128, maxFeePerGas: UInt128,
                gasLimit: UInt64, to: EVMAddress?, value: UInt128 = 0, data: [UInt8] = []) {
        self.chainID = chainID
        self.nonce = nonce
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
    }

    static let typeByte: UInt8 = 0x02

    private var unsignedFields: [RLPItem] {
        [
            .integer(chainID), .integer(nonce), .integer(maxPriorityFeePerGas), .integer(maxFeePerGas),
            .integer(gasLimit), .bytes(to?.bytes ?? []), .integer(value), .bytes(data),
            .list([]), // access list: none
        ]
    }

    /// keccak256(0x02 || rlp(fields)): the digest the sender signs.
    public var signingHash: [UInt8] {
        Keccak256.hash([Self.typeByte] + RLPItem.list(unsignedFields).encoded)
    }

    /// Attaches a signature, giving the raw bytes `eth_sendRawTransaction` takes and the hash the
    /// chain will know the transaction by: both exist before anything is sent.
    public func signed(with signature: RecoverableSignature) -> SignedTransaction {
        let fields = unsignedFields + [
            .integer(UInt8(signature.recoveryID)),
            .bytes(Array(signature.r.drop(while: { $0 == 0 }))),
            .bytes(Array(signature.s.drop(while: { $0 == 0 }))),
        ]
        let raw = [Self.typeByte] + RLPItem.list(fields).encoded
        return SignedTransaction(transaction: self, raw: raw)
    }

    /// The address of the contract this transaction creates (`to == nil`):
    /// the last 20 bytes of keccak256(rlp([sender, nonce])).
    public static func createdContractAddress(sender: EVMAddress, nonce: UInt64) -> EVMAddress {
        EVMAddress(bytes: Array(Keccak256.hash(RLPItem.list([.bytes(sender.bytes), .integer(nonce)]).encoded).suffix(20)))
    }
}

/// A signed transaction: its wire bytes and its hash.
public struct SignedTransaction: Sendable, Hashable {
    public let transaction: EIP1559Transaction
    /// `0x02 || rlp([...fields, yParity, r, s])`.
    public let raw: [UInt8]

    /// keccak256 of the raw bytes: the transaction hash.
    public var hash: [UInt8] { Keccak256.hash(raw) }
    /// The hash as `0x`-prefixed lower-case hex, as JSON-RPC reports it.
    public var hashHex: String { "0x" + Hex.encode(hash) }
    public var rawHex: String { "0x" + Hex.encode(raw) }

    /// Decodes raw type-2 bytes back into the transaction and its signature (for checks and resends).
    public static func decode(raw: [UInt8]) throws(RLPError) -> (SignedTransaction, RecoverableSignature) {
        guard raw.first == EIP1559Transaction.typeByte else { throw .unexpectedShape("not a type-2 transaction") }
        guard let fields = try RLPItem.decode(Array(raw.dropFirst())).items, fields.count == 12 else {
            throw .unexpectedShape("a type-2 transaction has 12 fields")
        }
        func bytes(_ index: Int) throws(RLPError) -> [UInt8] {
            guard let bytes = fields[index].byteString else { throw .unexpectedShape("field \(index) is a list") }
            return bytes
        }
        func integer<Integer: UnsignedInteger & FixedWidthInteger>(_ index: Int) throws(RLPError) -> Integer {
            let value = try bytes(index)
            guard value.first != 0, let integer = BigEndian.integer(value, as: Integer.self) else {
                throw .unexpectedShape("field \(index) is not a canonical integer of its width")
            }
            return integer
        }
        let toBytes = try bytes(5)
        guard toBytes.isEmpty || toBytes.count == 20 else { throw .unexpectedShape("to is 0 or 20 bytes") }
        let transaction = EIP1559Transaction(
            chainID: try integer(0), nonce: try integer(1), maxPriorityFeePerGas: try integer(2),
            maxFeePerGas: try integer(3), gasLimit: try integer(4),
            to: toBytes.isEmpty ? nil : EVMAddress(bytes: toBytes), value: try integer(6), data: try bytes(7))
        let yParity: UInt8 = try integer(9)
        let r = try bytes(10), s = try bytes(11)
        guard r.count <= 32, s.count <= 32 else { throw .unexpectedShape("r and s are at most 32 bytes") }
        let signature = RecoverableSignature(r: BigEndianPadding.pad(r), s: BigEndianPadding.pad(s), recoveryID: yParity)
        return (SignedTransaction(transaction: transaction, raw: raw), signature)
    }
}

enum BigEndianPadding {
    static func pad(_ bytes: [UInt8], to width: Int = 32) -> [UInt8] {
        [UInt8](repeating: 0, count: max(0, width - bytes.count)) + bytes
    }
}
