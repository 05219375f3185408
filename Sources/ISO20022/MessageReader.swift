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

/// Reads XML text into a tree. External entities are never resolved (no XXE) and DTDs are refused.
public enum MessageReader {
    public static func parse(_ data: Data) throws(ISO20022Error) -> ParsedDocument {
        if let prefix = String(data: data.prefix(4096), encoding: .utf8), prefix.contains("<!DOCTYPE") {
            throw .malformed("document type declarations are not accepted")
        }
        let delegate = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        guard parser.parse(), let root = delegate.root else {
            let detail = parser.parserError.map { "line \(parser.lineNumber): \($0.localizedDescription)" } ?? "no root element"
            throw .malformed("not well-formed XML (\(detail))")
        }
        return ParsedDocument(root: root, namespace: delegate.rootNamespace, childNamespaces: delegate.childNamespaces)
    }
}

/// Builds the tree from parser callbacks. Used by one parser on one thread, then read.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack = [MessageElement]()
    var root: MessageElement?
    var rootNamespace: String?
    var childNamespaces = [String: String]()
    var texts = [String]()

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
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
        guard var element = stack.popLast(), let text = texts.popLast() else { return }
        if element.children.isEmpty { element.text = text }
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }
}
