import Foundation
import Testing
@testable import ISO20022

/// What a hostile counterpart might send the XML reader: deep nesting, declarations hidden past
/// the first bytes or in another encoding, oversized documents. Each is refused with a reason,
/// never a crash, and an ordinary message still reads.
@Suite("XML reader limits")
struct MessageReaderTests {
    static let ordinary = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10\"><A>1</A></Document>"

    static func refusal(_ data: Data) -> String? {
        do {
            _ = try MessageReader.parse(data)
            return nil
        } catch {
            guard case .malformed(let reason) = error else { return "\(error)" }
            return reason
        }
    }

    @Test("a 50,000-level document is refused for its depth (it crashed the reader), and 64 levels still read")
    func depth() throws {
        let deep = "<Document>" + String(repeating: "<a>", count: 50_000) + String(repeating: "</a>", count: 50_000) + "</Document>"
        #expect(Self.refusal(Data(deep.utf8))?.contains("deeper than 64") == true)
        let fine = String(repeating: "<a>", count: 64) + "x" + String(repeating: "</a>", count: 64)
        #expect(Self.refusal(Data(fine.utf8)) == nil)
        let over = String(repeating: "<a>", count: 65) + "x" + String(repeating: "</a>", count: 65)
        #expect(Self.refusal(Data(over.utf8))?.contains("deeper") == true)
    }

    @Test("a document type declaration is refused wherever the prolog puts it and however it is written", arguments: [
        "<?xml version=\"1.0\"?>" + String(repeating: " ", count: 10_000) + "<!DOCTYPE Document [<!ENTITY e \"x\">]><Document>&e;</Document>",
        "<?xml version=\"1.0\"?><!--" + String(repeating: "c", count: 8_000) + "--><!DOCTYPE Document SYSTEM \"http://example.com/x.dtd\"><Document/>",
        "<!DOCTYPE Document [<!ELEMENT Document ANY>]><Document/>",
        // A "<" inside a comment or processing instruction is not the root: the declaration after it is still found.
        "<?xml version=\"1.0\"?><!-- <x --><!DOCTYPE Document [<!ATTLIST Amt Ccy CDATA \"USD\">]><Document><Amt>1</Amt></Document>",
        "<?xml version=\"1.0\"?><?pi <y ?><!DOCTYPE Document [<!ENTITY e \"x\">]><Document>&e;</Document>",
    ])
    func declarations(text: String) {
        #expect(Self.refusal(Data(text.utf8))?.contains("not accepted") == true)
    }

    @Test("only UTF-8: a UTF-16 document (either byte order, with or without a byte-order mark) or another declared encoding is refused")
    func encodings() {
        let utf16BE = Data([0xFE, 0xFF]) + Self.ordinary.data(using: .utf16BigEndian)!
        let utf16LE = Data([0xFF, 0xFE]) + Self.ordinary.data(using: .utf16LittleEndian)!
        let bare16 = Self.ordinary.replacingOccurrences(of: "UTF-8", with: "UTF-16").data(using: .utf16LittleEndian)!
        let latin1 = Data(Self.ordinary.replacingOccurrences(of: "UTF-8", with: "ISO-8859-1").utf8)
        for document in [utf16BE, utf16LE, bare16, latin1] {
            #expect(Self.refusal(document)?.contains("only UTF-8") == true)
        }
        #expect(Self.refusal(Data(Self.ordinary.utf8)) == nil)
        // Also ordinary: a UTF-8 byte-order mark, single quotes and white space in the declaration, comments and instructions first.
        #expect(Self.refusal(Data([0xEF, 0xBB, 0xBF]) + Data(Self.ordinary.utf8)) == nil)
        #expect(Self.refusal(Data("<?xml version='1.0' encoding =\n'UTF-8'?><!-- a <comment> --><?pi x?><Document><A>1</A></Document>".utf8)) == nil)
        #expect(Self.refusal(Data(Self.ordinary.replacingOccurrences(of: "UTF-8", with: "utf-8").utf8)) == nil)
    }

    @Test("a document larger than the limit is refused before it is parsed")
    func size() {
        let big = Data(("<Document>" + String(repeating: "x", count: MessageReader.maximumSize) + "</Document>").utf8)
        #expect(Self.refusal(big)?.contains("at most") == true)
    }
}
