import RailKit
/// Lower-case hexadecimal helpers shared by identifiers and tests.
public enum Hex {
    /// `count` bytes from the system's secure generator, as lower-case hex: ids and tokens nobody
    /// can guess (16 bytes: 128 bits, 32 digits).
    public static func random(bytes count: Int = 16) -> String {
        var generator = SystemRandomNumberGenerator()
        return encode((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// `bytes` as lower-case hex without a prefix. Inlinable, so each caller has it for its own
    /// byte sequence: an unspecialised call looks its element type up at run time, a search of
    /// the conformance records on its first call (in a `switchyard quote`, while loading the policy).
    @inlinable
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex (optionally `0x`-prefixed, either case); nil if malformed or of odd length.
    /// Digits only, read byte by byte: no sign, no other script's digits.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { utf8 -> [UInt8]? in
            var body = utf8[...]
            if body.count >= 2, body[body.startIndex] == UInt8(ascii: "0"),
               body[body.startIndex + 1] == UInt8(ascii: "x") || body[body.startIndex + 1] == UInt8(ascii: "X") {
                body = body.dropFirst(2)
            }
            guard body.count.isMultiple(of: 2) else { return nil }
            var bytes = [UInt8]()
            bytes.reserveCapacity(body.count / 2)
            var index = body.startIndex
            while index < body.endIndex {
                guard let high = nibble(body[index]), let low = nibble(body[index + 1]) else { return nil }
                bytes.append(high << 4 | low)
                index += 2
            }
            return bytes
        }
    }

    /// The value of one ASCII hex digit, either case.
    @inline(__always)
    public static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
