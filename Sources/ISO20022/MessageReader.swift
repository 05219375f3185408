import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XML document read into a ``MessageElement`` tree, with the namespace of each element
/// (ISO 20022 identifies a message by its root namespace, e.g. `urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10`).
public struct ParsedDocument: Sendable {
    public var root: MessageElement
    /// The namespace URI of the root element.
    public var namespace: String?
    /// Namespaces of the root's children by name (`AppHdr`, `Document` in an envelope).
    public var childNamespaces: [String: String]
}

/// Reads XML text into a tree. External entities are never resolved (no XXE) and DTDs are refused;
/// a document must be UTF-8 (as ISO 20022 messages over SWIFT are), at most ``maximumSize`` bytes
/// and at most ``maximumDepth`` elements deep (a hostile counterpart's 50,000-level document
/// would otherwise exhaust the stack).
public enum MessageReader {
    /// The largest document read: a CBPR+ message is a few kilobytes.
    public static let maximumSize = 4 * 1024 * 1024
    /// The deepest nesting read: ISO 20022 messages nest about twenty elements.
    public static let maximumDepth = 64

    public static func parse(_ data: Data) throws(ISO20022Error) -> ParsedDocument {
        guard data.count <= maximumSize else {
            throw .malformed("the document is \(data.count) bytes; at most \(maximumSize) are read")
        }
        try checkProlog(data)
        let delegate = TreeBuilder(maximumDepth: maximumDepth)
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        let parsed = parser.parse()
        if let refusal = delegate.refusal { throw .malformed(refusal) }
        guard parsed, let root = delegate.root else {
            let detail = parser.parserError.map { "line \(parser.lineNumber): \($0.localizedDescription)" } ?? "no root element"
            throw .malformed("not well-formed XML (\(detail))")
        }
        return ParsedDocument(root: root, namespace: delegate.rootNamespace, childNamespaces: delegate.childNamespaces)
    }

    /// Everything before the root element: UTF-8 only (no UTF-16 or UTF-32 byte order or
    /// encoding declaration for another encoding), and nothing in it but the XML declaration,
    /// comments, processing instructions and white space — a document type declaration can only
    /// be there, so none gets through however much comes first.
    static func checkProlog(_ data: Data) throws(ISO20022Error) {
        let bytes = [UInt8](data.prefix(4))
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF])
            || bytes.starts(with: [0x00, 0x3C]) || bytes.starts(with: [0x3C, 0x00]) || bytes.starts(with: [0x00, 0x00, 0x00, 0x3C]) {
            throw .malformed("only UTF-8 documents are accepted")
        }
        // The prolog, up to the root element: comments and processing instructions are skipped
        // whole (a "<" inside one is not the root); any other "<!" there is a declaration.
        let commentOpen = Array("<!--".utf8), commentClose = Array("-->".utf8), instructionOpen = Array("<?".utf8)
        let instructionClose = Array("?>".utf8), declarationOpen = Array("<!".utf8)
        func matches(_ pattern: [UInt8], at index: Data.Index) -> Bool {
            index + pattern.count <= data.endIndex && data[index..<index + pattern.count].elementsEqual(pattern)
        }
        func skip(past close: [UInt8], from index: Data.Index) -> Data.Index {
            var cursor = index
            while cursor < data.endIndex, !matches(close, at: cursor) { cursor += 1 }
            return min(cursor + close.count, data.endIndex)
        }
        var end = data.startIndex
        // A UTF-8 byte-order mark is allowed before it all.
        if matches([0xEF, 0xBB, 0xBF], at: end) { end += 3 }
        while end < data.endIndex {
            if matches(commentOpen, at: end) {
                end = skip(past: commentClose, from: end + commentOpen.count)
            } else if matches(instructionOpen, at: end) {
                end = skip(past: instructionClose, from: end + instructionOpen.count)
            } else if matches(declarationOpen, at: end) {
                throw .malformed("document type declarations are not accepted")
            } else if data[end] == UInt8(ascii: "<") {
                break
            } else {
                end += 1
            }
        }
        let prolog = String(decoding: data[data.startIndex..<end], as: UTF8.self)
        if let declaration = prolog.range(of: "<?xml"), let close = prolog.range(of: "?>", range: declaration.upperBound..<prolog.endIndex) {
            let text = prolog[declaration.upperBound..<close.lowerBound].lowercased()
            if let encoding = text.range(of: "encoding") {
                let value = text[encoding.upperBound...].drop { $0.isWhitespace || $0 == "=" || $0 == "\"" || $0 == "'" }.prefix { $0 != "\"" && $0 != "'" }
                guard value == "utf-8" || value == "utf8" else { throw .malformed("only UTF-8 documents are accepted (declared \(value))") }
            }
        }
    }
}

/// Builds the tree from parser callbacks. Used by one parser on one thread, then read.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    let maximumDepth: Int
    /// Why parsing was stopped, if it was.
    var refusal: String?
    var stack = [MessageElement]()
    var root: MessageElement?
    var rootNamespace: String?
    var childNamespaces = [String: String]()
    var texts = [String]()

    init(maximumDepth: Int) {
        self.maximumDepth = maximumDepth
    }

    private func refuse(_ parser: XMLParser, _ reason: String) {
        if refusal == nil { refusal = reason }
        parser.abortParsing()
    }

    // Declarations can only come from a DTD, which is refused: if the parser reports one, stop.
    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        refuse(parser, "entity declarations are not accepted")
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        refuse(parser, "entity declarations are not accepted")
    }

    func parser(_ parser: XMLParser, foundElementDeclarationWithName elementName: String, model: String) {
        refuse(parser, "document type declarations are not accepted")
    }

    func parser(_ parser: XMLParser, foundAttributeDeclarationWithName attributeName: String, forElement elementName: String,
                type: String?, defaultValue: String?) {
        refuse(parser, "document type declarations are not accepted")
    }

    func parser(_ parser: XMLParser, foundNotationDeclarationWithName name: String, publicID: String?, systemID: String?) {
        refuse(parser, "document type declarations are not accepted")
    }

    func parser(_ parser: XMLParser, foundUnparsedEntityDeclarationWithName name: String, publicID: String?, systemID: String?,
                notationName: String?) {
        refuse(parser, "document type declarations are not accepted")
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        guard refusal == nil else { return }
        guard stack.count < maximumDepth else {
            refuse(parser, "elements nest deeper than \(maximumDepth) levels")
            return
        }
        if stack.isEmpty {
            rootNamespace = namespaceURI
        } else if stack.count == 1, let namespaceURI {
            childNamespaces[elementName] = namespaceURI
        }
        let attributes = attributes.sorted { $0.key < $1.key }.map { MessageElement.Attribute($0.key, $0.value) }
        stack.append(MessageElement(elementName, attributes: attributes))
        texts.append("")
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !texts.isEmpty else { return }
        texts[texts.count - 1] += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard refusal == nil, var element = stack.popLast(), let text = texts.popLast() else { return }
        if element.children.isEmpty { element.text = text }
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }
}
