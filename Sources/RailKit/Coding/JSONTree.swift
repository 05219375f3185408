import Foundation

/// A JSON document as values, for the places that work on a document's structure instead of
/// decoding it into a type: a configuration overlay's merge patch, and strict decoding's checks
/// for a key given twice or never read.
///
/// Foundation's `JSONSerialization` did this before. On Linux it builds a class instance for every
/// value and bridges dictionaries and arrays through `NSDictionary` and `NSArray`. Each first
/// bridge of a type searches every protocol conformance record of the binary, which cost about
/// 1.5 ms of a `switchyard quote`. It also turned numbers into `Double` or `Int`. This keeps each
/// number's text, so a merged configuration file says exactly what its files said.
///
/// Parsing is strict RFC 8259: any value at the top level; whitespace is space, tab, CR and LF;
/// a leading UTF-8 byte order mark is skipped; strings are valid UTF-8 with no raw control
/// characters and no unpaired surrogate escapes; nesting is bounded by ``maximumDepth``.
package enum JSONTree: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number exactly as written (RFC 8259's grammar), never converted.
    case number(String)
    case string(String)
    case array([JSONTree])
    /// Members in document order. A key may appear twice; ``firstDuplicateKeyPath()`` finds it.
    case object([Member])

    /// One member of an object.
    package struct Member: Sendable, Equatable {
        package var key: String
        package var value: JSONTree

        package init(key: String, value: JSONTree) {
            self.key = key
            self.value = value
        }
    }

    /// The deepest nesting parsed, as Foundation's `JSONDecoder` allows.
    package static let maximumDepth = 512

    /// Parses `data` as one JSON document.
    package init(parsing data: Data) throws(JSONSyntaxError) {
        let parsed = data.withUnsafeBytes { raw -> Result<JSONTree, JSONSyntaxError> in
            var parser = JSONParser(bytes: raw.bindMemory(to: UInt8.self))
            do throws(JSONSyntaxError) {
                return .success(try parser.document())
            } catch {
                return .failure(error)
            }
        }
        self = try parsed.get()
    }

    /// The object's members, or nil when this is not an object.
    package var members: [Member]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The member named `key` (the first, if it appears twice), or nil.
    package subscript(key: String) -> JSONTree? {
        members?.first { $0.key == key }?.value
    }

    /// Compact JSON text: members in order, numbers as written, no space between tokens.
    package func serialized() -> Data {
        var bytes = [UInt8]()
        write(into: &bytes)
        return Data(bytes)
    }

    private func write(into bytes: inout [UInt8]) {
        switch self {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let value): bytes.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let text): bytes.append(contentsOf: text.utf8)
        case .string(let text): Self.writeString(text, into: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                element.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.value.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A string literal: `"` and `\` escaped, control characters as escapes, the rest as UTF-8.
    private static func writeString(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The path of the first key that appears twice in one object, in document order
    /// (`creditor.address.townName`, `rules[1].id`), or nil.
    package func firstDuplicateKeyPath() -> String? {
        firstDuplicateKey(path: "")
    }

    private func firstDuplicateKey(path: String) -> String? {
        switch self {
        case .object(let members):
            var seen = Set<String>()
            for member in members {
                let memberPath = Self.path(path, member.key)
                if !seen.insert(member.key).inserted { return memberPath }
                if let found = member.value.firstDuplicateKey(path: memberPath) { return found }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = element.firstDuplicateKey(path: Self.path(path, index: index)) { return found }
            }
        default: break
        }
        return nil
    }

    /// `parent.key`, or `key` at the top.
    package static func path(_ parent: String, _ key: String) -> String { parent.isEmpty ? key : parent + "." + key }
    /// `parent[index]`.
    package static func path(_ parent: String, index: Int) -> String { parent + "[\(index)]" }
}

/// Why a document is not JSON, and where (a byte offset).
package struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    package var offset: Int
    package var reason: String

    package var description: String { "not JSON at byte \(offset): \(reason)" }
    package var errorDescription: String? { description }
}

/// A recursive-descent parser over the bytes of one document.
private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func document() throws(JSONSyntaxError) -> JSONTree {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        let value = try value(depth: 1)
        skipWhitespace()
        guard position == bytes.count else { throw failure("text after the end of the document") }
        return value
    }

    private func failure(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: position, reason: reason)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == 0x09 {
            position += 1
        }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONTree {
        guard position < bytes.count else { throw failure("the document ends where a value should be") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            guard depth <= JSONTree.maximumDepth else { throw failure("nested deeper than \(JSONTree.maximumDepth) levels") }
            return try object(depth: depth)
        case UInt8(ascii: "["):
            guard depth <= JSONTree.maximumDepth else { throw failure("nested deeper than \(JSONTree.maximumDepth) levels") }
            return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("a value cannot start with this character")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count,
              UnsafeBufferPointer(rebasing: bytes[position..<position + count]).elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: count))
        else { throw failure("not a value (true, false and null are lowercase words)") }
        position += count
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONTree {
        position += 1
        skipWhitespace()
        var members = [JSONTree.Member]()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw failure("an object's key must be a string") }
            let key = try string()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw failure("a key must be followed by a colon") }
            position += 1
            skipWhitespace()
            members.append(JSONTree.Member(key: key, value: try value(depth: depth + 1)))
            skipWhitespace()
            guard position < bytes.count else { throw failure("the document ends inside an object") }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default:
                throw failure("expected a comma or the object's end")
            }
        }
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONTree {
        position += 1
        skipWhitespace()
        var elements = [JSONTree]()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            guard position < bytes.count else { throw failure("the document ends inside an array") }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            default:
                throw failure("expected a comma or the array's end")
            }
        }
    }

    /// The number starting here, checked against the grammar and kept as text.
    private mutating func number() throws(JSONSyntaxError) -> String {
        let start = position
        func digit(_ index: Int) -> Bool { index < bytes.count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9") }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard digit(position) else { throw failure("a minus sign must be followed by a digit") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if digit(position) { throw failure("a number cannot have a leading zero") }
        } else {
            while digit(position) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digit(position) else { throw failure("a decimal point must be followed by a digit") }
            while digit(position) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digit(position) else { throw failure("an exponent must have digits") }
            while digit(position) { position += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// The string whose opening quote is here, unescaped.
    private mutating func string() throws(JSONSyntaxError) -> String {
        position += 1
        let start = position
        // Most strings have no escape: read them in place.
        while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\"), bytes[position] >= 0x20 {
            position += 1
        }
        guard position < bytes.count else { throw failure("the document ends inside a string") }
        if bytes[position] == UInt8(ascii: "\"") {
            defer { position += 1 }
            return try text(UnsafeBufferPointer(rebasing: bytes[start..<position]), from: start)
        }
        var unescaped = Array(bytes[start..<position])
        while true {
            guard position < bytes.count else { throw failure("the document ends inside a string") }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return try unescaped.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in try text(buffer, from: start) }
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw failure("the document ends inside an escape") }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(escape)
                case UInt8(ascii: "b"): unescaped.append(0x08)
                case UInt8(ascii: "f"): unescaped.append(0x0C)
                case UInt8(ascii: "n"): unescaped.append(0x0A)
                case UInt8(ascii: "r"): unescaped.append(0x0D)
                case UInt8(ascii: "t"): unescaped.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = UInt32(try hexQuad())
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard bytes.count - position >= 2, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                            throw failure("a high surrogate escape must be followed by a low one")
                        }
                        position += 2
                        let low = UInt32(try hexQuad())
                        guard (0xDC00...0xDFFF).contains(low) else { throw failure("a high surrogate escape must be followed by a low one") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw failure("a low surrogate escape without a high one")
                    }
                    unescaped.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
                default:
                    throw failure("not an escape JSON has")
                }
            case 0..<0x20:
                throw failure("a control character must be escaped in a string")
            default:
                unescaped.append(byte)
                position += 1
            }
        }
    }

    private mutating func hexQuad() throws(JSONSyntaxError) -> UInt16 {
        guard bytes.count - position >= 4 else { throw failure("\\u must be followed by four hex digits") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: throw failure("\\u must be followed by four hex digits")
            }
            value = value << 4 | UInt16(nibble)
            position += 1
        }
        return value
    }

    private func text(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int) throws(JSONSyntaxError) -> String {
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw JSONSyntaxError(offset: start, reason: "a string that is not valid UTF-8")
        }
        return text
    }
}
