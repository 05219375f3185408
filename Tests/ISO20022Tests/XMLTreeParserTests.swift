import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ISO20022
import RailKit
import RailKitTesting
import Testing

/// The reader against libxml2 (through FoundationXML, which the shipped binary no longer links):
/// the same tree for real messages and thousands of generated documents, never accepting what
/// libxml2 refuses, and each rule it enforces refused with its reason and line.
@Suite("XML reader against libxml2")
struct XMLTreeParserTests {
    /// Which tree libxml2 reads, as the reader reports it: local names, attributes sorted by
    /// qualified name without namespace declarations, the text of childless elements (CDATA
    /// included), the namespaces of the root and its children (nil for none).
    final class LibXMLTree: NSObject, XMLParserDelegate {
        var stack = [MessageElement]()
        var texts = [String]()
        var root: MessageElement?
        var rootNamespace: String?
        var childNamespaces = [String: String]()

        static func read(_ data: Data) -> (root: MessageElement, namespace: String?, childNamespaces: [String: String])? {
            let builder = LibXMLTree()
            let parser = XMLParser(data: data)
            parser.shouldProcessNamespaces = true
            parser.shouldResolveExternalEntities = false
            parser.delegate = builder
            guard parser.parse(), let root = builder.root else { return nil }
            return (root, builder.rootNamespace, builder.childNamespaces)
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let namespace = namespaceURI.flatMap { $0.isEmpty ? nil : $0 }
            if stack.isEmpty { rootNamespace = namespace } else if stack.count == 1, let namespace { childNamespaces[elementName] = namespace }
            stack.append(MessageElement(elementName, attributes: attributes.sorted { $0.key < $1.key }.map { .init($0.key, $0.value) }))
            texts.append("")
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !texts.isEmpty { texts[texts.count - 1] += string }
        }

        /// libxml2 (2.9) passes a CDATA section's line ends as written; XML 1.0 §2.11 reads every
        /// CR LF or lone CR in the document as LF, and so does the reader.
        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            let text = String(decoding: CDATABlock, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            if !texts.isEmpty { texts[texts.count - 1] += text }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard var element = stack.popLast(), let text = texts.popLast() else { return }
            if element.children.isEmpty { element.text = text }
            if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
        }
    }

    /// The reader's tree in the same shape, or why it refused.
    static func ours(_ data: Data) -> Result<(root: MessageElement, namespace: String?, childNamespaces: [String: String]), ISO20022Error> {
        Result { () throws(ISO20022Error) in
            let document = try MessageReader.parse(data)
            return (document.root, document.namespace, document.childNamespaces)
        }
    }

    static func expectSame(_ data: Data, _ context: @autoclosure () -> String) {
        let reference = LibXMLTree.read(data)
        #expect(reference != nil, "libxml2 refused \(context()):\n\(String(decoding: data, as: UTF8.self))")
        switch ours(data) {
        case .failure(let error):
            Issue.record("refused \(context()): \(error)\n\(String(decoding: data, as: UTF8.self))")
        case .success(let tree):
            guard let reference else { return }
            #expect(tree.root == reference.root, "\(context()):\n\(String(decoding: data, as: UTF8.self))")
            #expect(tree.namespace == reference.namespace, "\(context())")
            #expect(tree.childNamespaces == reference.childNamespaces, "\(context())")
        }
    }

    @Test("300 generated pacs.008 messages, alone and in a business message envelope, read as libxml2 reads them")
    func realMessages() throws {
        let seed = UInt64(Date().timeIntervalSince1970)
        var random = SeededRandom(seed: seed)
        for index in 0..<300 {
            let transfer = try Pacs008SchemaTests.randomTransfer(&random)
            Self.expectSame(try transfer.xml(), "seed \(seed), payment \(index)")
        }
        let header = try BusinessApplicationHeader(from: BIC("SWYAUS33"), to: BIC("SWYSUS33"), businessMessageID: "B1", messageType: .pacs008,
                                                   createdAt: Date(timeIntervalSince1970: 1_795_000_000))
        let envelope = try header.wrap(Fixtures.transfer().document(), timeZone: TimeZone(identifier: "Asia/Hong_Kong")!)
        Self.expectSame(Data(envelope.document().utf8), "the envelope")
    }

    @Test("5,000 generated documents (prefixes, default namespaces, attributes, references, CDATA, comments, CR LF) read as libxml2 reads them")
    func generatedDocuments() {
        let seed = UInt64(Date().timeIntervalSince1970)
        var generator = XMLDocumentGenerator(seed: seed)
        for index in 0..<5_000 {
            Self.expectSame(Data(generator.document().utf8), "seed \(seed), document \(index)")
        }
    }

    @Test("20,000 damaged documents: whatever the reader accepts, libxml2 accepts as the same tree; most are refused")
    func damagedDocuments() {
        let seed = UInt64(Date().timeIntervalSince1970)
        var generator = XMLDocumentGenerator(seed: seed, processingInstructions: false)
        var refused = 0
        let count = 20_000
        for index in 0..<count {
            let damaged = Data(generator.damaged(Array(generator.document().utf8)))
            guard case .success(let tree) = Self.ours(damaged) else {
                refused += 1
                continue
            }
            let reference = LibXMLTree.read(damaged)
            #expect(reference?.root == tree.root && reference?.namespace == tree.namespace && reference?.childNamespaces == tree.childNamespaces,
                    "seed \(seed), document \(index): accepted, libxml2 \(reference == nil ? "refuses it" : "reads another tree"):\n\(String(decoding: damaged, as: UTF8.self))")
        }
        #expect(refused > count / 2, "seed \(seed): only \(refused) of \(count) damaged documents refused")
    }

    @Test("each rule is refused with its reason and line", arguments: [
        ("<a>&foo;</a>", "line 1: the entity &foo; is not declared"),
        ("<a>&amp</a>", "& starts a reference"),
        ("<a>\n\n<b></c></a>", "line 3: </c> closes <b>"),
        ("<a x='1' x='2'/>", "the attribute x appears twice"),
        ("<a><!-- a -- b --></a>", "-- is not allowed inside a comment"),
        ("text<a/>", "text before the root element"),
        ("<a>]]></a>", "]]> is not allowed in text"),
        ("<a>\u{1}</a>", "the control character U+0001"),
        ("<a>&#0;</a>", "U+0000, which XML does not allow"),
        ("<a>&#xD800;</a>", "U+D800"),
        ("<a>&#x110000;</a>", "beyond U+10FFFF"),
        ("<a>\u{FFFE}</a>", "U+FFFE"),
        (" <?xml version='1.0'?><a/>", "only allowed at the very start"),
        ("<?xml version='2.0'?><a/>", "version 2.0"),
        ("<?xml encoding='UTF-8'?><a/>", "version first"),
        ("<?xml version='1.0' standalone='maybe'?><a/>", "standalone is yes or no"),
        ("<a b='<'/>", "< is not allowed in an attribute value"),
        ("<a b=c/>", "quoted"),
        ("<a b='1'c='2'/>", "separated by white space"),
        ("<a", "ends inside the start tag <a>"),
        ("<a><b>", "ends inside <b>"),
        ("", "no root element"),
        ("<a><![CDATA[x</a>", "CDATA section is not closed"),
        ("<a><?pi x</a>", "not closed by ?>"),
        ("<a><!ENTITY e 'x'></a>", "declarations are not accepted"),
        ("<![CDATA[x]]><a/>", "a CDATA section is only allowed inside the root element"),
        ("<a><!x></a>", "<! starts a comment"),
        ("<a>&#x110001;</a>", "beyond U+10FFFF"),
        ("<a>\r\r<b></c></a>", "line 3: </c> closes <b>"),
    ])
    func refusals(document: String, reason: String) {
        #expect(Self.refusal(document)?.contains(reason) == true, "\(document): \(Self.refusal(document) ?? "accepted")")
        #expect(LibXMLTree.read(Data(document.utf8)) == nil, "libxml2 accepts \(document)")
    }

    /// Foundation runs libxml2 in its recovering mode, which reports these and goes on: namespace
    /// rules (Namespaces in XML 1.0 §3, §4, §6.3) and anything after the root element.
    @Test("namespace rules and content after the root, which libxml2 as Foundation runs it lets through, are refused", arguments: [
        ("<p:a/>", "the prefix p in <p:a> is not bound"),
        ("<a p:x='1'/>", "the prefix p in <a> is not bound"),
        ("<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>", "both x in u"),
        ("<a/>text", "content after the root element"),
        ("<a/><b/>", "content after the root element"),
        ("<a:b:c/>", "a:b:c is not a qualified name"),
        ("<a: />", "not a qualified name"),
        ("<a xmlns:p=''/>", "empty namespace name"),
        ("<a xmlns:xmlns='u'/>", "cannot be bound"),
        ("<a xmlns:p='http://www.w3.org/XML/1998/namespace'/>", "cannot be bound"),
        ("<a/><!DOCTYPE a>", "declarations are not accepted"),
        // A binding ends with the element that declares it.
        ("<a><b xmlns:p='u'/><p:c/></a>", "the prefix p in <p:c> is not bound"),
        ("<a xmlns='http://www.w3.org/XML/1998/namespace'/>", "the default namespace cannot be"),
        ("<a xmlns:xml='urn:other'/>", "the prefix xml cannot be bound"),
    ])
    func strictWhereLibXMLRecovers(document: String, reason: String) {
        #expect(Self.refusal(document)?.contains(reason) == true, "\(document): \(Self.refusal(document) ?? "accepted")")
    }

    /// Why the reader refused `document` (``MessageReaderTests/refusal(_:)`` on its bytes), nil if it read it.
    static func refusal(_ document: String) -> String? { MessageReaderTests.refusal(Data(document.utf8)) }

    @Test("bytes that are not UTF-8 are refused as such")
    func invalidUTF8() {
        for bytes: [UInt8] in [[0x3C, 0x61, 0x3E, 0xFF, 0x3C, 0x2F, 0x61, 0x3E], [0x3C, 0x61, 0x3E, 0xC0, 0xAF, 0x3C, 0x2F, 0x61, 0x3E],
                                [0x3C, 0x61, 0x3E, 0xED, 0xA0, 0x80, 0x3C, 0x2F, 0x61, 0x3E]] {
            guard case .failure(let error) = Self.ours(Data(bytes)) else { Issue.record("accepted \(bytes)"); continue }
            #expect("\(error)".contains("not valid UTF-8"))
        }
    }

    @Test("line ends, white space in attributes, references, CDATA and namespaces are read as XML 1.0 says")
    func readings() throws {
        let document = try MessageReader.parse(Data("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<!-- c --><?pi?>\r\n\
            <e:Env xmlns:e="urn:env" xmlns="urn:default"><Hdr v='x\r\ny\tz&#10;&#x9;' xml:lang="en"/>\
            <Document xmlns="urn:doc"><T>a\r\nb\rc &lt;&#233;&#x1F600;<![CDATA[<&>]]><!-- skipped -->d</T><U xmlns=""/></Document></e:Env>
            """.utf8))
        #expect(document.namespace == "urn:env")
        #expect(document.childNamespaces == ["Hdr": "urn:default", "Document": "urn:doc"])
        #expect(document.root.name == "Env")
        #expect(document.root.text == nil)
        let header = try #require(document.root.child("Hdr"))
        #expect(header.attributes == [.init("v", "x y z\n\t"), .init("xml:lang", "en")])
        #expect(header.text == "")
        #expect(document.root.element(at: ["Document", "T"])?.text == "a\nb\nc <é😀<&>d")
        #expect(document.root.element(at: ["Document", "U"])?.text == "")

        // A prefix bound again inside is that binding until the inner element ends; `xml` may be
        // declared with its own name; an undeclared default namespace is none.
        let scoped = try MessageReader.parse(Data("""
            <p:a xmlns:p="urn:1" xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:lang="en"><p:b xmlns:p="urn:2"/><p:c/><d/></p:a>
            """.utf8))
        #expect(scoped.namespace == "urn:1" && scoped.root.attributes == [.init("xml:lang", "en")])
        #expect(scoped.childNamespaces == ["b": "urn:2", "c": "urn:1"])
    }

    /// The reader's cost grows with the document, whatever it holds: these took minutes of CPU
    /// or more memory than the machine has when each namespace was looked up by scanning the
    /// bindings in scope and compared by its text.
    @Test("hostile namespaces cost time in proportion to the document: a megabyte name used by 50,000 attributes and 100,000 elements, 100,000 prefixes in scope of 200,000 elements",
          .timeLimit(.minutes(1)))
    func hostileNamespaces() throws {
        let longName = "urn:" + String(repeating: "n", count: 1_000_000)
        let attributes = (0..<50_000).map { " p:a\($0)=''" }.joined()
        let manyAttributes = try MessageReader.parse(Data("<r xmlns:p='\(longName)'\(attributes)/>".utf8))
        #expect(manyAttributes.root.attributes.count == 50_000)
        let manyElements = try MessageReader.parse(Data(("<r xmlns:p='\(longName)'>" + String(repeating: "<b p:x=''/>", count: 100_000) + "</r>").utf8))
        #expect(manyElements.root.children.count == 100_000)
        let prefixes = (0..<100_000).map { " xmlns:a\($0)='u'" }.joined()
        let manyPrefixes = try MessageReader.parse(Data(("<r\(prefixes)>" + String(repeating: "<a99999:b/>", count: 200_000) + "</r>").utf8))
        #expect(manyPrefixes.root.children.count == 200_000)
        // A refusal quoting the megabyte name is cut to a readable length.
        let twice = "<r xmlns:p='\(longName)' xmlns:q='\(longName)' p:x='' q:x=''/>"
        let refusal = try #require(Self.refusal(twice))
        #expect(refusal.contains("are both x in urn:nnn") && refusal.count <= 330, "\(refusal.prefix(500))")
    }
}

/// Random well-formed documents in the shapes a counterpart could send, and ways to damage them.
struct XMLDocumentGenerator {
    var random: SeededRandom
    /// Whether processing instructions are written (see ``damaged(_:)``).
    let processingInstructions: Bool
    init(seed: UInt64, processingInstructions: Bool = true) {
        random = SeededRandom(seed: seed)
        self.processingInstructions = processingInstructions
    }

    static let locals = ["Document", "GrpHdr", "MsgId", "Amt", "a", "b-c", "d.e", "_f", "Ünï", "名前", "x1", "Ccy"]
    static let prefixes = ["p", "q", "ns1", "é"]
    static let uris = ["urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10", "urn:x", "http://example.com/ns?a=1&amp;b=2", "urn:é"]
    static let textPieces = ["Acme", " ", "\n", "\r\n", "\r", "\t", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#233;", "&#x4E2D;",
                             "&#x1F600;", "<![CDATA[a<b&c]]>", "<![CDATA[]]>", "<!-- note -->", "<?pi data?>", "é", "中文", "100.00", "'\"", ">",
                             // "]" and "]>" alone are text; no piece ends with "]", so none makes "]]>".
                             "a]b", "]>", "]x"]
    static let attributePieces = ["USD", " ", "\t", "\n", "\r\n", "&amp;", "&lt;", "&#10;", "&#x9;", "&#13;", "é", ">", "x y"]

    mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    mutating func document() -> String {
        var text = chance(10) ? "\u{FEFF}" : ""
        if chance(70) {
            text += pick(["<?xml version=\"1.0\"?>", "<?xml version='1.0' encoding='UTF-8'?>", "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"no\"?>"])
        }
        text += pick(["", "\n", "<!-- before -->", processingInstructions ? "<?pi x?>\r\n" : "\r\n"])
        text += element(depth: 0, bound: [])
        text += pick(["", "\n", "<!-- after -->", processingInstructions ? "  <?pi  x ?>" : "  "])
        return text
    }

    mutating func element(depth: Int, bound: [String]) -> String {
        var bound = bound
        var declarations = ""
        if chance(30) {
            let prefix = pick(Self.prefixes)
            declarations += " xmlns:\(prefix)=\"\(pick(Self.uris))\""
            bound.append(prefix)
        }
        if chance(20) { declarations += chance(20) ? " xmlns=''" : " xmlns=\"\(pick(Self.uris))\"" }
        let name = (!bound.isEmpty && chance(30) ? pick(bound) + ":" : "") + pick(Self.locals)
        var attributes = ""
        var used = Set<String>()
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            let local = pick(["Ccy", "id", "x", "ä"])
            guard used.insert(local).inserted else { continue }
            let prefix = !bound.isEmpty && chance(30) ? pick(bound) + ":" : ""
            let quote = pick(["\"", "'"])
            var value = ""
            for _ in 0..<Int.random(in: 0...4, using: &random) { value += pick(Self.attributePieces) }
            value += quote == "\"" ? "'" : "&quot;"
            attributes += pick([" ", "\n", "  "]) + prefix + local + pick(["=", " = "]) + quote + value + quote
        }
        let space = pick(["", " ", "\n"])
        if depth >= 5 || chance(15) { return "<\(name)\(declarations)\(attributes)\(space)/>" }
        var content = ""
        if depth >= 3 || chance(40) {
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                let piece = pick(Self.textPieces)
                content += processingInstructions || !piece.hasPrefix("<?") ? piece : "<!-- instead -->"
            }
        } else {
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                content += pick(["", "\n  ", "<!-- between -->", "text"]) + element(depth: depth + 1, bound: bound)
            }
            content += pick(["", "\n"])
        }
        return "<\(name)\(declarations)\(attributes)\(space)>\(content)</\(name)\(pick(["", " ", "\n"]))>"
    }

    /// One change a byte at a time or a piece of markup inserted, copied or removed. Damage only
    /// documents written without processing instructions: FoundationXML crashes on one without
    /// data (`<?pi?>`, which a removal can leave), reading the data it does not have.
    mutating func damaged(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        let position = Int.random(in: 0...bytes.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0 where position < bytes.count:
            bytes.remove(at: position)
        case 1:
            bytes.insert(contentsOf: pick(["<", "&", ">", "\"", "'", "]]>", "</x>", ":", "\u{0}", "&foo;", "<!--", "--", "<a>", "=", "xmlns:p='' ",
                                           " a='1'", "<!DOCTYPE a>", "&#0;"]).utf8, at: position)
        case 2:
            let end = Int.random(in: position...min(bytes.count, position + 12), using: &random)
            bytes.insert(contentsOf: bytes[position..<end], at: Int.random(in: 0...bytes.count, using: &random))
        default:
            let end = Int.random(in: position...min(bytes.count, position + 12), using: &random)
            bytes.removeSubrange(position..<end)
        }
        return bytes
    }
}
