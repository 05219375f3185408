/// Recursive Length Prefix, Ethereum's serialisation for transactions (Yellow Paper, appendix B).
public indirect enum RLPItem: Sendable, Hashable {
    case bytes([UInt8])
    case list([RLPItem])

    /// An unsigned integer as RLP wants it: big-endian with no leading zeros (zero is empty).
    public static func integer<Integer: UnsignedInteger & FixedWidthInteger>(_ value: Integer) -> RLPItem {
        .bytes(BigEndian.minimalBytes(value))
    }

    /// The encoded bytes.
    public var encoded: [UInt8] {
        switch self {
        case .bytes(let bytes):
            if bytes.count == 1, bytes[0] < 0x80 { return bytes }
            return Self.header(length: bytes.count, offset: 0x80) + bytes
        case .list(let items):
            let payload = items.flatMap(\.encoded)
            return Self.header(length: payload.count, offset: 0xC0) + payload
        }
    }

    private static func header(length: Int, offset: UInt8) -> [UInt8] {
        if length < 56 { return [offset + UInt8(length)] }
        let lengthBytes = BigEndian.minimalBytes(UInt64(length))
        return [offset + 55 + UInt8(lengthBytes.count)] + lengthBytes
    }

    /// Decodes exactly one item occupying all of `data`.
    public static func decode(_ data: [UInt8]) throws(RLPError) -> RLPItem {
        var cursor = data[...]
        let item = try decodeItem(&cursor)
        guard cursor.isEmpty else { throw .trailingBytes(cursor.count) }
        return item
    }

    private static func decodeItem(_ cursor: inout ArraySlice<UInt8>) throws(RLPError) -> RLPItem {
        guard let prefix = cursor.first else { throw .truncated }
        cursor = cursor.dropFirst()
        switch prefix {
        case 0x00..<0x80:
            return .bytes([prefix])
        case 0x80..<0xB8:
            let bytes = try take(Int(prefix - 0x80), from: &cursor)
            if bytes.count == 1, bytes[0] < 0x80 { throw .nonCanonical("single byte below 0x80 with a prefix") }
            return .bytes(bytes)
        case 0xB8..<0xC0:
            let length = try longLength(byteCount: Int(prefix - 0xB7), from: &cursor)
            return .bytes(try take(length, from: &cursor))
        case 0xC0..<0xF8:
            return .list(try decodeList(try take(Int(prefix - 0xC0), from: &cursor)))
        default:
            let length = try longLength(byteCount: Int(prefix - 0xF7), from: &cursor)
            return .list(try decodeList(try take(length, from: &cursor)))
        }
    }

    private static func decodeList(_ payload: [UInt8]) throws(RLPError) -> [RLPItem] {
        var cursor = payload[...]
        var items = [RLPItem]()
        while !cursor.isEmpty { items.append(try decodeItem(&cursor)) }
        return items
    }

    private static func longLength(byteCount: Int, from cursor: inout ArraySlice<UInt8>) throws(RLPError) -> Int {
        let bytes = try take(byteCount, from: &cursor)
        guard bytes.first != 0 else { throw .nonCanonical("length with a leading zero") }
        guard bytes.count <= 4 else { throw .tooLong }
        let length = bytes.reduce(0) { $0 << 8 | Int($1) }
        guard length >= 56 else { throw .nonCanonical("long form for a length below 56") }
        return length
    }

    private static func take(_ count: Int, from cursor: inout ArraySlice<UInt8>) throws(RLPError) -> [UInt8] {
        guard cursor.count >= count else { throw .truncated }
        defer { cursor = cursor.dropFirst(count) }
        return Array(cursor.prefix(count))
    }

    /// The byte string, or nil for a list.
    public var byteString: [UInt8]? {
        if case .bytes(let bytes) = self { return bytes }
        return nil
    }

    /// The items, or nil for a byte string.
    public var items: [RLPItem]? {
        if case .list(let items) = self { return items }
        return nil
    }
}

/// Why bytes are not valid RLP.
public enum RLPError: Error, Sendable, Hashable {
    case truncated
    case trailingBytes(Int)
    case nonCanonical(String)
    case tooLong
    /// A field has the wrong shape (list where bytes were expected, integer too wide, ...).
    case unexpectedShape(String)
}

/// Big-endian integer bytes.
public enum BigEndian {
    /// `value` big-endian without leading zero bytes; zero is empty.
    public static func minimalBytes<Integer: UnsignedInteger & FixedWidthInteger>(_ value: Integer) -> [UInt8] {
        var bytes = [UInt8]()
        var rest = value
        while rest > 0 {
            bytes.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
        return bytes.reversed()
    }

    /// `value` as exactly `width` big-endian bytes (left-padded with zeros).
    public static func padded<Integer: UnsignedInteger & FixedWidthInteger>(_ value: Integer, width: Int = 32) -> [UInt8] {
        let minimal = minimalBytes(value)
        precondition(minimal.count <= width, "value wider than \(width) bytes")
        return [UInt8](repeating: 0, count: width - minimal.count) + minimal
    }

    /// Reads big-endian bytes into `Integer`; nil if the value does not fit.
    public static func integer<Integer: UnsignedInteger & FixedWidthInteger>(_ bytes: some Collection<UInt8>, as: Integer.Type = Integer.self) -> Integer? {
        var value: Integer = 0
        for byte in bytes.drop(while: { $0 == 0 }) {
            guard value.leadingZeroBitCount >= 8 else { return nil }
            value = value << 8 | Integer(byte)
        }
        return value
    }
}
