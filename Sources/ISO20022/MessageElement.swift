import Foundation

/// An XML element of an ISO 20022 message: a name, attributes, and either text or children.
///
/// Messages are built as trees and rendered once, so escaping happens in one place
/// (``render()``) and a builder can never emit half an element.
public struct MessageElement: Sendable, Hashable {
    public var name: String
    /// Attributes in document order (ISO 20022 uses few: `Ccy`, `xmlns`).
    public var attributes: [Attribute]
    public var text: String?
    public var children: [MessageElement]

    public struct Attribute: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(_ name: String, attributes: [Attribute] = [], text: String? = nil, children: [MessageElement] = []) {
        self.name = name
        self.attributes = attributes
        self.text = text
        self.children = children
    }

    /// An element with text content.
    public init(_ name: String, _ text: String, attributes: [Attribute] = []) {
        self.init(name, attributes: attributes, text: text)
    }

    /// An element with children; `nil` children (optional parts) are left out.
    public init(_ name: String, attributes: [Attribute] = [], _ children: [MessageElement?]) {
        self.init(name, attributes: attributes, children: children.compactMap { $0 })
    }

    // MARK: Reading

    /// The first child with this name.
    public func child(_ name: String) -> MessageElement? { children.first { $0.name == name } }

    /// All children with this name.
    public func children(named name: String) -> [MessageElement] { children.filter { $0.name == name } }

    /// The element at a path of child names (`["GrpHdr", "MsgId"]`).
    public func element(at path: [String]) -> MessageElement? {
        var current = self
        for name in path {
            guard let next = current.child(name) else { return nil }
            current = next
        }
        return current
    }

    /// The trimmed text at a path of child names.
    public func text(at path: String...) -> String? {
        element(at: path)?.text.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    public func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }

    // MARK: Writing

    /// The element as XML text (UTF-8), with `&`, `<`, `>`, `"` and `'` escaped.
    public func render() -> String {
        var output = ""
        render(into: &output, depth: 0)
        return output
    }

    private func render(into output: inout String, depth: Int) {
        let indent = String(repeating: "  ", count: depth)
        output += indent + "<" + name
        for attribute in attributes {
            output += " \(attribute.name)=\"\(Self.escape(attribute.value))\""
        }
        if let text {
            output += ">" + Self.escape(text) + "</" + name + ">\n"
        } else if children.isEmpty {
            output += "/>\n"
        } else {
            output += ">\n"
            for child in children { child.render(into: &output, depth: depth + 1) }
            output += indent + "</" + name + ">\n"
        }
    }

    /// Escapes the five XML special characters.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

extension MessageElement {
    /// A whole XML document: the declaration and this element as root.
    public func document() -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + render()
    }
}
