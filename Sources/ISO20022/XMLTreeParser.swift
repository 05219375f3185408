/// Reads a UTF-8 XML 1.0 document with namespaces (Namespaces in XML 1.0, third edition) into a
/// ``MessageElement`` tree, refusing what a bank's message never needs: a document type
/// declaration (so no entity but the five predefined ones and character references), another
/// encoding, nesting deeper than a limit.
///
/// Written here rather than read through FoundationXML: that links libxml2 and the system's ICU
/// libraries, which the loader maps and initialises at every start of the shipped binary, a
/// `switchyard quote` that never reads XML included (2 ms of it); and Foundation runs libxml2 in
/// its recovering mode. No XML library in the package mirror parses without libxml2. This parser is
/// strict: a document that is not well-formed is refused with its line and the rule it breaks.
/// It does not recurse (depth costs heap, not stack), every step moves forward, and a namespace
/// is looked up by its prefix in a table and compared by a number, never by its text: a hostile
/// document (a thousand-kilobyte namespace name, a hundred thousand prefixes) costs time and
/// memory in proportion to its size, which ``MessageReader`` bounds.
struct XMLTreeParser {
    /// Why a document was not read.
    enum Failure: Error {
        /// Something never accepted, with the reason as it is reported.
        case refused(String)
        /// A well-formedness or namespace rule broken, at a line (from 1).
        case malformed(String, line: Int)
    }

    private let bytes: [UInt8]
    private var index = 0
    private let maximumDepth: Int
    /// The namespace names seen, each numbered once (``noNamespace`` for an undeclared default).
    private var namespaceNumbers: [String: Int] = [:]
    private var namespaceNames: [String] = []
    /// For each prefix ("" the default), the namespaces bound to it in the elements open, innermost last.
    private var scopes: [String: [Int]] = [:]
    /// The prefixes each open element declared, in order: what its end unbinds.
    private var declared: [String] = []
    private static let noNamespace = -1

    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"
    static let xmlnsNamespace = "http://www.w3.org/2000/xmlns/"

    /// Parses `data`, already checked to be at most the reader's size limit.
    static func parse(_ data: some Collection<UInt8>, maximumDepth: Int) throws(Failure) -> ParsedDocument {
        // Line ends first, so a line reported is a line however the document ends its lines.
        let bytes = normalizingLineEnds(Array(data))
        try checkEncoding(bytes)
        var parser = XMLTreeParser(bytes: bytes, maximumDepth: maximumDepth)
        return try parser.document()
    }

    private init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    // MARK: Bytes in, before parsing

    /// UTF-8 only, and only characters XML allows (`Char`, XML 1.0 §2.2): no other control
    /// characters, no U+FFFE or U+FFFF. A UTF-16 or UTF-32 document is recognised by its first
    /// bytes (XML 1.0 appendix F) to say so rather than report a stray byte.
    static func checkEncoding(_ bytes: [UInt8]) throws(Failure) {
        let head = Array(bytes.prefix(4))
        let wideStarts: [[UInt8]] = [[0xFE, 0xFF], [0xFF, 0xFE], [0x00, 0x00, 0xFE, 0xFF], [0x00, 0x3C], [0x3C, 0x00], [0x00, 0x00, 0x00, 0x3C]]
        if wideStarts.contains(where: { head.starts(with: $0) }) {
            throw .refused("only UTF-8 documents are accepted")
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .refused("only UTF-8 documents are accepted (the bytes are not valid UTF-8)")
        }
        for offset in bytes.indices {
            let byte = bytes[offset]
            if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D {
                throw .malformed("the control character U+\(hex(UInt32(byte))) is not allowed in XML", line: line(of: offset, in: bytes))
            }
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
            if byte == 0xEF, offset + 2 < bytes.count, bytes[offset + 1] == 0xBF, bytes[offset + 2] >= 0xBE {
                throw .malformed("the character U+FFF\(bytes[offset + 2] == 0xBE ? "E" : "F") is not allowed in XML", line: line(of: offset, in: bytes))
            }
        }
    }

    /// CR LF and a lone CR read as LF (XML 1.0 §2.11), before anything else is parsed.
    static func normalizingLineEnds(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0x0D) else { return bytes }
        var normalized = [UInt8]()
        normalized.reserveCapacity(bytes.count)
        var offset = 0
        while offset < bytes.count {
            if bytes[offset] == 0x0D {
                normalized.append(0x0A)
                if offset + 1 < bytes.count, bytes[offset + 1] == 0x0A { offset += 1 }
            } else {
                normalized.append(bytes[offset])
            }
            offset += 1
        }
        return normalized
    }

    static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<min(offset, bytes.count)].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    // MARK: The document

    private mutating func document() throws(Failure) -> ParsedDocument {
        if starts(with: [0xEF, 0xBB, 0xBF]) { index += 3 }
        if starts(with: "<?xml"), index + 5 < bytes.count, Self.isWhitespace(bytes[index + 5]) {
            try xmlDeclaration()
        }
        try miscellany(beforeRoot: true)
        guard index < bytes.count else { throw malformed("the document has no root element") }
        let root = try rootElement()
        try miscellany(beforeRoot: false)
        return root
    }

    /// `<?xml version="1.x" encoding="…" standalone="…"?>` (XML 1.0 §2.8, §4.3.3): the attributes
    /// in that order, the encoding UTF-8 if named.
    private mutating func xmlDeclaration() throws(Failure) {
        index += 5
        var names = ["version", "encoding", "standalone"][...]
        var seenVersion = false
        while true {
            let spaced = skipWhitespace()
            if starts(with: "?>") { index += 2; break }
            guard spaced, let name = names.first(where: { starts(with: $0) }) else {
                throw malformed("the XML declaration holds version, encoding and standalone, in that order, and ends with ?>")
            }
            names = names.drop { $0 != name }.dropFirst()
            index += name.utf8.count
            skipWhitespace()
            guard take(UInt8(ascii: "=")) else { throw malformed("\(name) in the XML declaration needs =") }
            skipWhitespace()
            let value = try declarationValue()
            switch name {
            case "version":
                seenVersion = true
                guard value.hasPrefix("1."), value.count > 2, value.dropFirst(2).allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw malformed("XML version \(value) is not read; 1.0 is")
                }
            case "encoding":
                guard ["utf-8", "utf8"].contains(value.lowercased()) else { throw .refused("only UTF-8 documents are accepted (declared \(value))") }
            default:
                guard value == "yes" || value == "no" else { throw malformed("standalone is yes or no, not \(value)") }
            }
        }
        guard seenVersion else { throw malformed("the XML declaration must give the version first") }
    }

    private mutating func declarationValue() throws(Failure) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
            throw malformed("a value in the XML declaration is quoted")
        }
        let quote = bytes[index]
        index += 1
        let start = index
        while index < bytes.count, bytes[index] != quote, bytes[index] != UInt8(ascii: "<") { index += 1 }
        guard take(quote) else { throw malformed("a value in the XML declaration is not closed") }
        return String(decoding: bytes[start..<index - 1], as: UTF8.self)
    }

    /// Comments, processing instructions and white space, before the root element (where a
    /// document type declaration would be, and is refused) or after it (where nothing else may be).
    private mutating func miscellany(beforeRoot: Bool) throws(Failure) {
        while true {
            skipWhitespace()
            guard index < bytes.count else { return }
            if starts(with: "<!--") {
                try comment()
            } else if starts(with: "<?") {
                try processingInstruction()
            } else if starts(with: "<!") {
                throw declaration()
            } else if beforeRoot, bytes[index] == UInt8(ascii: "<") {
                return
            } else {
                throw malformed(beforeRoot ? "text before the root element" : "content after the root element")
            }
        }
    }

    // MARK: Elements

    /// An element being read: its qualified name's bytes (to match the end tag), how many
    /// bindings it declared, and its text so far.
    private struct OpenElement {
        var element: MessageElement
        var name: Range<Int>
        var bindingCount: Int
        var text: String
    }

    private mutating func rootElement() throws(Failure) -> ParsedDocument {
        var open = [OpenElement]()
        var rootNamespace: String?
        var childNamespaces = [String: String]()
        func close(_ finished: OpenElement, into open: inout [OpenElement]) -> MessageElement? {
            var element = finished.element
            if element.children.isEmpty { element.text = finished.text }
            guard !open.isEmpty else { return element }
            open[open.count - 1].element.children.append(element)
            return nil
        }
        while true {
            // At a start tag: the root's, or a child's of the innermost open element.
            guard open.count < maximumDepth else {
                throw .refused("elements nest deeper than \(maximumDepth) levels (line \(Self.line(of: index, in: bytes)))")
            }
            let (started, namespace, isEmpty) = try startTag()
            if open.isEmpty {
                rootNamespace = namespace
            } else if open.count == 1, let namespace {
                childNamespaces[started.element.name] = namespace
            }
            if isEmpty {
                unbind(started.bindingCount)
                if let root = close(started, into: &open) { return ParsedDocument(root: root, namespace: rootNamespace, childNamespaces: childNamespaces) }
            } else {
                open.append(started)
            }
            // Content up to the next start tag, closing elements on the way.
            content: while true {
                guard index < bytes.count else {
                    throw malformed("the document ends inside <\(name(open[open.count - 1].name))>")
                }
                if bytes[index] == UInt8(ascii: "&") {
                    open[open.count - 1].text.unicodeScalars.append(try reference())
                } else if bytes[index] != UInt8(ascii: "<") {
                    open[open.count - 1].text += try characterData()
                } else if starts(with: "</") {
                    let finished = open.removeLast()
                    try endTag(of: finished.name)
                    unbind(finished.bindingCount)
                    if let root = close(finished, into: &open) {
                        return ParsedDocument(root: root, namespace: rootNamespace, childNamespaces: childNamespaces)
                    }
                } else if starts(with: "<!--") {
                    try comment()
                } else if starts(with: "<![CDATA[") {
                    open[open.count - 1].text += try characterDataSection()
                } else if starts(with: "<?") {
                    try processingInstruction()
                } else if starts(with: "<!") {
                    throw declaration()
                } else {
                    break content
                }
            }
        }
    }

    /// `<name attributes>` or `<name attributes/>`: the element with its local name and its
    /// attributes sorted by qualified name (namespace declarations apart), the bindings it
    /// declared pushed, and its namespace (nil for none).
    private mutating func startTag() throws(Failure) -> (OpenElement, namespace: String?, isEmpty: Bool) {
        index += 1
        let qualifiedName = try qualifiedNameRange()
        var attributes = [(name: Range<Int>, value: String)]()
        var isEmpty = false
        while true {
            let spaced = skipWhitespace()
            if take(UInt8(ascii: ">")) { break }
            if starts(with: "/>") { index += 2; isEmpty = true; break }
            guard index < bytes.count else { throw malformed("the document ends inside the start tag <\(name(qualifiedName))>") }
            guard spaced else { throw malformed("attributes of <\(name(qualifiedName))> are separated by white space") }
            let attributeName = try qualifiedNameRange()
            skipWhitespace()
            guard take(UInt8(ascii: "=")) else { throw malformed("the attribute \(name(attributeName)) needs = and a quoted value") }
            skipWhitespace()
            attributes.append((attributeName, try attributeValue()))
        }

        // Namespace declarations first: they apply to the element's own name and attributes.
        var seen = Set<String>()
        var declaredCount = 0
        var plain = [(prefix: String?, local: String, value: String)]()
        for attribute in attributes {
            let qualified = name(attribute.name)
            guard seen.insert(qualified).inserted else { throw malformed("the attribute \(qualified) appears twice in <\(name(qualifiedName))>") }
            let (prefix, local) = split(qualified)
            if prefix == nil, local == "xmlns" {
                guard attribute.value != Self.xmlNamespace, attribute.value != Self.xmlnsNamespace else {
                    throw malformed("the default namespace cannot be \(attribute.value)")
                }
                bind("", to: attribute.value)
                declaredCount += 1
            } else if prefix == "xmlns" {
                let isXML = local == "xml", isXMLURI = attribute.value == Self.xmlNamespace
                guard local != "xmlns", isXML == isXMLURI, attribute.value != Self.xmlnsNamespace else {
                    throw malformed("the prefix \(local) cannot be bound to \(attribute.value.isEmpty ? "nothing" : attribute.value)")
                }
                guard !attribute.value.isEmpty else { throw malformed("the prefix \(local) cannot be bound to an empty namespace name") }
                bind(local, to: attribute.value)
                declaredCount += 1
            } else {
                plain.append((prefix, local, attribute.value))
            }
        }

        let (prefix, local) = split(name(qualifiedName))
        let namespace = try namespaceNumber(of: prefix, in: qualifiedName)
        var expandedNames = Set<ExpandedName>()
        var elementAttributes = [MessageElement.Attribute]()
        elementAttributes.reserveCapacity(plain.count)
        for attribute in plain {
            if let attributePrefix = attribute.prefix {
                let number = try namespaceNumber(of: attributePrefix, in: qualifiedName) ?? Self.noNamespace
                guard expandedNames.insert(ExpandedName(namespace: number, local: attribute.local)).inserted else {
                    throw malformed("two attributes of <\(name(qualifiedName))> are both \(attribute.local) in \(number == Self.noNamespace ? "no namespace" : namespaceNames[number])")
                }
                elementAttributes.append(.init(attributePrefix + ":" + attribute.local, attribute.value))
            } else {
                elementAttributes.append(.init(attribute.local, attribute.value))
            }
        }
        elementAttributes.sort { $0.name < $1.name }
        let element = MessageElement(local, attributes: elementAttributes)
        return (OpenElement(element: element, name: qualifiedName, bindingCount: declaredCount, text: ""), namespace.map { namespaceNames[$0] }, isEmpty)
    }

    /// `</name>`, which must close the innermost open element.
    private mutating func endTag(of open: Range<Int>) throws(Failure) {
        index += 2
        let start = index
        let closing = try qualifiedNameRange()
        guard bytes[closing].elementsEqual(bytes[open]) else {
            index = start
            throw malformed("</\(name(closing))> closes <\(name(open))>")
        }
        skipWhitespace()
        guard take(UInt8(ascii: ">")) else { throw malformed("the end tag </\(name(open))> is not closed by >") }
    }

    /// An attribute's name as namespaces read it: two with the same one are the same attribute.
    private struct ExpandedName: Hashable {
        var namespace: Int
        var local: String
    }

    /// Binds `prefix` ("" the default namespace; an empty name undeclares it) for the element being opened.
    private mutating func bind(_ prefix: String, to uri: String) {
        let number: Int
        if uri.isEmpty {
            number = Self.noNamespace
        } else if let known = namespaceNumbers[uri] {
            number = known
        } else {
            number = namespaceNames.count
            namespaceNumbers[uri] = number
            namespaceNames.append(uri)
        }
        scopes[prefix, default: []].append(number)
        declared.append(prefix)
    }

    /// Undoes the last `count` bindings, those of the element being closed.
    private mutating func unbind(_ count: Int) {
        for _ in 0..<count {
            let prefix = declared.removeLast()
            scopes[prefix]?.removeLast()
        }
    }

    /// The number of the namespace bound to a prefix (the default namespace for none), nil for no namespace.
    private mutating func namespaceNumber(of prefix: String?, in element: Range<Int>) throws(Failure) -> Int? {
        if prefix == "xml" {
            if let known = namespaceNumbers[Self.xmlNamespace] { return known }
            namespaceNumbers[Self.xmlNamespace] = namespaceNames.count
            namespaceNames.append(Self.xmlNamespace)
            return namespaceNames.count - 1
        }
        if let number = scopes[prefix ?? ""]?.last {
            return number == Self.noNamespace ? nil : number
        }
        if prefix == nil { return nil }
        throw malformed("the prefix \(prefix ?? "") in <\(name(element))> is not bound to a namespace")
    }

    private func split(_ qualified: String) -> (prefix: String?, local: String) {
        guard let colon = qualified.utf8.firstIndex(of: UInt8(ascii: ":")) else { return (nil, qualified) }
        return (String(qualified[..<colon]), String(qualified[qualified.utf8.index(after: colon)...]))
    }

    // MARK: Text

    /// Characters up to the next markup or reference; `]]>` may not appear in them.
    private mutating func characterData() throws(Failure) -> String {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "<"), bytes[index] != UInt8(ascii: "&") {
            if bytes[index] == UInt8(ascii: ">"), index >= start + 2, bytes[index - 1] == UInt8(ascii: "]"), bytes[index - 2] == UInt8(ascii: "]") {
                throw malformed("]]> is not allowed in text")
            }
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// `<![CDATA[…]]>`: the characters as they are.
    private mutating func characterDataSection() throws(Failure) -> String {
        index += 9
        let start = index
        guard let end = find("]]>") else { throw malformed("a CDATA section is not closed by ]]>") }
        index = end + 3
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// A quoted attribute value with its references read and white space normalised (XML 1.0
    /// §3.3.3: each tab or line end a space, as for an attribute no DTD declares).
    private mutating func attributeValue() throws(Failure) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
            throw malformed("an attribute value is quoted with \" or '")
        }
        let quote = bytes[index]
        index += 1
        var value = String.UnicodeScalarView()
        var runStart = index
        func flush(_ end: Int) { value.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars) }
        while true {
            guard index < bytes.count else { throw malformed("an attribute value is not closed") }
            switch bytes[index] {
            case quote:
                flush(index)
                index += 1
                return String(value)
            case UInt8(ascii: "<"):
                throw malformed("< is not allowed in an attribute value")
            case UInt8(ascii: "&"):
                flush(index)
                value.append(try reference())
                runStart = index
            case 0x09, 0x0A:
                flush(index)
                value.append(" ")
                index += 1
                runStart = index
            default:
                index += 1
            }
        }
    }

    /// `&name;` for the five predefined entities, `&#…;` or `&#x…;` for a character XML allows.
    /// Any other entity would need a declaration, and none is read.
    private mutating func reference() throws(Failure) -> Unicode.Scalar {
        let start = index
        index += 1
        if take(UInt8(ascii: "#")) {
            let radix: UInt32 = take(UInt8(ascii: "x")) ? 16 : 10
            var value: UInt32 = 0
            var digits = 0
            while index < bytes.count, let digit = Self.digit(bytes[index], radix: radix) {
                value = min(value * radix + digit, 0x11_0000)  // saturates: anything above is refused anyway
                digits += 1
                index += 1
            }
            guard digits > 0, take(UInt8(ascii: ";")) else { throw malformed("a character reference is &#digits; or &#xhex-digits;") }
            guard let scalar = Unicode.Scalar(value), Self.isCharacter(scalar) else {
                index = start
                throw malformed(value > 0x10_FFFF ? "a character reference names a code point beyond U+10FFFF"
                                                  : "a character reference names U+\(Self.hex(value)), which XML does not allow")
            }
            return scalar
        }
        let nameStart = index
        while index < bytes.count, bytes[index] != UInt8(ascii: ";"), !Self.isWhitespace(bytes[index]), bytes[index] != UInt8(ascii: "<"),
              bytes[index] != UInt8(ascii: "&"), index - nameStart < 32 {
            index += 1
        }
        let entity = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        guard take(UInt8(ascii: ";")) else { index = start; throw malformed("& starts a reference: &amp; &lt; &gt; &apos; &quot; or &#…;") }
        switch entity {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "apos": return "'"
        case "quot": return "\""
        default:
            index = start
            throw malformed("the entity &\(entity); is not declared (only &amp; &lt; &gt; &apos; &quot; and character references are read)")
        }
    }

    // MARK: Comments, processing instructions, declarations

    /// `<!--…-->`, with no `--` inside.
    private mutating func comment() throws(Failure) {
        index += 4
        guard let end = find("--") else { throw malformed("a comment is not closed by -->") }
        guard end + 2 < bytes.count, bytes[end + 2] == UInt8(ascii: ">") else { index = end; throw malformed("-- is not allowed inside a comment") }
        index = end + 3
    }

    /// `<?target …?>`, the target a name other than `xml` in any case.
    private mutating func processingInstruction() throws(Failure) {
        index += 2
        let target = try nameRange()
        let text = name(target)
        guard text.lowercased() != "xml" else { throw malformed("an XML declaration is only allowed at the very start") }
        guard !text.utf8.contains(UInt8(ascii: ":")) else { throw malformed("a processing instruction's target has no colon") }
        if starts(with: "?>") { index += 2; return }
        guard skipWhitespace(), let end = find("?>") else { throw malformed("the processing instruction \(text) is not closed by ?>") }
        index = end + 2
    }

    /// `<!` other than a comment (or, inside the root, a CDATA section): a declaration, which a
    /// document type declaration brings and which is never read, or markup that is not XML.
    private func declaration() -> Failure {
        let declarations = ["<!DOCTYPE", "<!ENTITY", "<!ELEMENT", "<!ATTLIST", "<!NOTATION"]
        if declarations.contains(where: { starts(with: $0) }) { return .refused("document type declarations are not accepted") }
        return malformed(starts(with: "<![CDATA[") ? "a CDATA section is only allowed inside the root element"
                                                   : "<! starts a comment (<!--) or, inside an element, a CDATA section (<![CDATA[)")
    }

    // MARK: Names

    /// A name with at most one colon, neither first nor last, and a name character after it
    /// (a QName, Namespaces in XML 1.0 §4).
    private mutating func qualifiedNameRange() throws(Failure) -> Range<Int> {
        let range = try nameRange()
        let colons = bytes[range].indices.filter { bytes[$0] == UInt8(ascii: ":") }
        if let colon = colons.first {
            guard colons.count == 1, colon > range.lowerBound, colon + 1 < range.upperBound,
                  let (scalar, _) = scalar(at: colon + 1), Self.isNameStart(scalar), scalar != ":" else {
                index = range.lowerBound
                throw malformed("\(name(range)) is not a qualified name (prefix:local, one colon)")
            }
        }
        return range
    }

    /// A name (XML 1.0 §2.3): a start character, then name characters.
    private mutating func nameRange() throws(Failure) -> Range<Int> {
        let start = index
        guard let (first, width) = scalar(at: index), Self.isNameStart(first) else { throw malformed("a name was expected") }
        index += width
        while let (next, width) = scalar(at: index), Self.isNameCharacter(next) { index += width }
        return start..<index
    }

    private func name(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// The scalar at an offset of the (validated) UTF-8, with its width in bytes.
    private func scalar(at offset: Int) -> (Unicode.Scalar, Int)? {
        guard offset < bytes.count else { return nil }
        let lead = bytes[offset]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard offset + width <= bytes.count else { return nil }
        var value = UInt32(lead) & (0xFF >> (width + 1))
        for continuation in bytes[offset + 1..<offset + width] { value = value << 6 | UInt32(continuation & 0x3F) }
        return Unicode.Scalar(value).map { ($0, width) }
    }

    static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3A, 0x41...0x5A, 0x5F, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF,
             0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF:
            true
        default: false
        }
    }

    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2D, 0x2E, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040: true
        default: isNameStart(scalar)
        }
    }

    /// `Char` (XML 1.0 §2.2).
    static func isCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    static func digit(_ byte: UInt8, radix: UInt32) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    // MARK: Moving through the bytes

    private func starts(with text: String) -> Bool { starts(with: Array(text.utf8)) }

    private func starts(with pattern: [UInt8]) -> Bool {
        index + pattern.count <= bytes.count && bytes[index..<index + pattern.count].elementsEqual(pattern)
    }

    /// The offset of the next occurrence of `text` from the current position.
    private func find(_ text: String) -> Int? {
        let pattern = Array(text.utf8)
        var offset = index
        while offset + pattern.count <= bytes.count {
            if bytes[offset] == pattern[0], bytes[offset..<offset + pattern.count].elementsEqual(pattern) { return offset }
            offset += 1
        }
        return nil
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Skips white space; whether there was any.
    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = index
        while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
        return index > start
    }

    private func malformed(_ reason: String) -> Failure {
        .malformed(reason, line: Self.line(of: index, in: bytes))
    }
}
