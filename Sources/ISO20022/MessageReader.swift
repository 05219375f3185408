import Foundation

/// An XML document read into a ``MessageElement`` tree, with the namespace of each element
/// (ISO 20022 identifies a message by its root namespace, e.g. `urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10`).
public struct ParsedDocument: Sendable {
    public var root: MessageElement
    /// The namespace URI of the root element; nil when it has none.
    public var namespace: String?
    /// Namespaces of the root's children by name (`AppHdr`, `Document` in an envelope), for those that have one.
    public var childNamespaces: [String: String]
}

/// Reads XML text into a tree: element names without their prefixes, attributes sorted by
/// qualified name (namespace declarations reported as namespaces, not attributes), the text of
/// elements without children (CDATA sections and references read), comments and processing
/// instructions skipped. A document type declaration is refused, so no entity is ever declared or
/// resolved (no XXE, no entity expansion); a document must be UTF-8 (as ISO 20022 messages over
/// SWIFT are), well-formed, at most ``maximumSize`` bytes and at most ``maximumDepth`` elements
/// deep (a hostile counterpart's 50,000-level document once exhausted the stack).
public enum MessageReader {
    /// The largest document read: a CBPR+ message is a few kilobytes.
    public static let maximumSize = 4 * 1024 * 1024
    /// The deepest nesting read: ISO 20022 messages nest about twenty elements.
    public static let maximumDepth = 64

    public static func parse(_ data: Data) throws(ISO20022Error) -> ParsedDocument {
        guard data.count <= maximumSize else {
            throw .malformed("the document is \(data.count) bytes; at most \(maximumSize) are read")
        }
        do {
            return try XMLTreeParser.parse(data, maximumDepth: maximumDepth)
        } catch {
            switch error {
            case .refused(let reason): throw .malformed(bounded(reason))
            case .malformed(let reason, let line): throw .malformed("not well-formed XML (line \(line): \(bounded(reason)))")
            }
        }
    }

    /// A reason as long as it needs, at most 300 characters: it quotes names and namespace names
    /// from the document, which a hostile counterpart can make megabytes long, and it ends up in
    /// logs and problem details.
    static func bounded(_ reason: String) -> String {
        reason.count <= 300 ? reason : String(reason.prefix(299)) + "…"
    }
}
