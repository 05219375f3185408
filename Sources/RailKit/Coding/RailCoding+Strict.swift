import Foundation

extension RailCoding {
    /// Decodes a value as a client sent it, refusing what a lenient decoder ignores: a key given
    /// twice in one object (the decoder would keep one silently), and a key the type does not have
    /// (a misspelled `deadline` would otherwise be dropped silently, and the payment made without
    /// its deadline). The error names the key's path and what it is not a
    /// field of (`what`, e.g. "a payment intent").
    ///
    /// How: every key of the input must survive a decode and re-encode of the value; a key that
    /// does not was not read. (A key whose value is `null` is an absent optional field.)
    public static func decodeStrictly<Value: Codable>(_ type: Value.Type, from data: Data, what: String) throws -> Value {
        let value = try JSONDecoder().decode(Value.self, from: data)
        // The decoder accepted the document, so this parse fails only where the two disagree.
        let input: JSONTree
        do {
            input = try JSONTree(parsing: data)
        } catch {
            // Foundation's decoder also reads UTF-16 and UTF-32; JSON exchanged between systems is
            // UTF-8 (RFC 8259 §8.1), and that is what this says when it is not.
            throw ValidationError(field: "", value: "", rule: "json.syntax", message: "a JSON document in UTF-8 is expected: \(error.description)")
        }
        if let path = input.firstDuplicateKeyPath() {
            throw ValidationError(field: path, value: String(path.split(separator: ".").last ?? ""), rule: "json.duplicate_key",
                                  message: "appears twice in one object; give each field once")
        }
        let canonical = try JSONTree(parsing: encoder().encode(value))
        if let path = unreadKey(input, canonical, path: "") {
            throw ValidationError(field: path, value: String(path.split(separator: ".").last ?? ""), rule: "json.unknown_key",
                                  message: "is not a field of \(what) (misspelled?); remove it or correct its name")
        }
        return value
    }

    /// The path of the first key in `input` (keys in sorted order at each level) that `canonical`
    /// (the value re-encoded) lacks.
    private static func unreadKey(_ input: JSONTree, _ canonical: JSONTree, path: String) -> String? {
        switch input {
        case .object(let members):
            let known = Dictionary(canonical.members?.map { ($0.key, $0.value) } ?? [], uniquingKeysWith: { first, _ in first })
            for member in members.sorted(by: { $0.key < $1.key }) where member.value != .null {
                let memberPath = JSONTree.path(path, member.key)
                guard let counterpart = known[member.key] else { return memberPath }
                if let found = unreadKey(member.value, counterpart, path: memberPath) { return found }
            }
        case .array(let elements):
            guard case .array(let knownElements) = canonical else { return nil }
            for index in 0..<min(elements.count, knownElements.count) {
                if let found = unreadKey(elements[index], knownElements[index], path: JSONTree.path(path, index: index)) { return found }
            }
        default:
            break
        }
        return nil
    }

    /// The path of the first key that appears twice in one object of `json` (compared after
    /// unescaping, so `"a"` and `"\u0061"` are the same key), or nil (also when `json` is not
    /// JSON). Foundation's decoders keep one of the two silently, so a payment that says two
    /// things would be read as one of them.
    static func duplicateKey(in json: Data) -> String? {
        (try? JSONTree(parsing: json))?.firstDuplicateKeyPath()
    }
}

extension PaymentIntent {
    /// Decodes an intent as a client sent it: a key the intent does not have is an error naming it.
    public static func decodeStrictly(from data: Data) throws -> PaymentIntent {
        try RailCoding.decodeStrictly(PaymentIntent.self, from: data, what: "a payment intent")
    }
}
