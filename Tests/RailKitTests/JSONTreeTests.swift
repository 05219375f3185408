import Foundation
import RailKitTesting
import Testing
@testable import RailKit

/// The JSON parser behind the overlay merge and strict decoding, checked against Foundation's
/// `JSONSerialization` on generated documents, and against RFC 8259 on documents that are not JSON.
@Suite("JSON trees")
struct JSONTreeTests {
    /// Foundation's reading of a document, for comparison.
    static func foundation(_ data: Data) throws -> NSObject {
        try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as! NSObject
    }

    @Test("property: 2,000 generated documents read as Foundation reads them, and written back unchanged")
    func generated() throws {
        for seed in 0..<2_000 {
            var generator = StrictJSONTests.Generator(random: SeededRandom(seed: UInt64(seed)))
            let text = generator.object(path: "", depth: 0)
            let value = try JSONTree(parsing: Data(text.utf8))
            let written = value.serialized()
            #expect(try Self.foundation(written) == Self.foundation(Data(text.utf8)), "seed \(seed): \(text)")
            #expect(try JSONTree(parsing: written) == value, "seed \(seed): \(text)")
        }
    }

    @Test("numbers keep their text; strings are unescaped (surrogate pairs included) and escaped again when written")
    func scalars() throws {
        let value = try JSONTree(parsing: Data(#"{"n":[0,-0.0,1.50,2E+3,12345678901234567890123],"s":"\u00e9\ud83d\ude00\n\"\\\/\u0001 tab\t"}"#.utf8))
        #expect(value["n"] == .array([.number("0"), .number("-0.0"), .number("1.50"), .number("2E+3"), .number("12345678901234567890123")]))
        #expect(value["s"] == .string("é😀\n\"\\/\u{01} tab\t"))
        #expect(String(decoding: value.serialized(), as: UTF8.self)
                == #"{"n":[0,-0.0,1.50,2E+3,12345678901234567890123],"s":"é😀\n\"\\/\u0001 tab\t"}"#)
        #expect(try JSONTree(parsing: Data("\u{FEFF} [true, false, null] \n".utf8)) == .array([.bool(true), .bool(false), .null]))
    }

    @Test("not JSON is refused, naming the byte: each rule of RFC 8259's grammar")
    func refused() throws {
        let documents = ["", "  ", "{", "[", "{\"a\":1,}", "[1,]", "[1 2]", "{\"a\" 1}", "{a:1}", "{\"a\":1}}", "01", "-01", "1.", ".5", "-", "+1",
                         "1e", "1e+", "0x10", "NaN", "Infinity", "tru", "nul", "True", "\"abc", "\"a\\x\"", "\"\\u12\"", "\"\\ud800\"",
                         "\"\\ud800\\u0041\"", "\"\\udc00\"", "\"tab\there\"", "\"line\nbreak\"", "[1]x", "'a'", "[1,,2]", "{,}", "{\"a\"}"]
        for document in documents {
            #expect(throws: JSONSyntaxError.self, "\(document.debugDescription)") { try JSONTree(parsing: Data(document.utf8)) }
        }
        // Bytes that are not UTF-8 inside a string.
        #expect(throws: JSONSyntaxError.self) { try JSONTree(parsing: Data([0x22, 0xC3, 0x28, 0x22])) }
        let error = try #require(throws: JSONSyntaxError.self) { try JSONTree(parsing: Data("[1, 2,]".utf8)) }
        #expect(error.offset == 6)
    }

    @Test("nesting: 512 levels parse, 513 are refused")
    func depth() throws {
        let deepest = String(repeating: "[", count: JSONTree.maximumDepth) + String(repeating: "]", count: JSONTree.maximumDepth)
        _ = try JSONTree(parsing: Data(deepest.utf8))
        let deeper = "[" + deepest + "]"
        #expect(throws: JSONSyntaxError.self) { try JSONTree(parsing: Data(deeper.utf8)) }
    }
}
