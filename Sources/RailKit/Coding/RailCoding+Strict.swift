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
        if let path = duplicateKey(in: data) {
            throw ValidationError(field: path, value: String(path.split(separator: ".").last ?? ""), rule: "json.duplicate_key",
                                  message: "appears twice in one object; give each field once")
        }
        let input = try JSONSerialization.jsonObject(with: data)
        let canonical = try JSONSerialization.jsonObject(with: encoder().encode(value))
        if let path = unreadKey(input, canonical, path: []) {
            throw ValidationError(field: path, value: String(path.split(separator: ".").last ?? ""), rule: "json.unknown_key",
                                  message: "is not a field of \(what) (misspelled?); remove it or correct its name")
        }
        return value
    }

    /// The path of the first key in `input` that `canonical` (the value re-encoded) lacks.
    private static func unreadKey(_ input: Any, _ canonical: Any, path: [String]) -> String? {
        if let object = input as? [String: Any] {
            let known = canonical as? [String: Any] ?? [:]
            for key in object.keys.sorted() {
                let value = object[key]!
                if value is NSNull { continue }
                guard let counterpart = known[key] else { return (path + [key]).joined(separator: ".") }
                if let found = unreadKey(value, counterpart, path: path + [key]) { return found }
            }
        } else if let array = input as? [Any], let known = canonical as? [Any] {
            for (index, element) in array.enumerated() where index < known.count {
                if let found = unreadKey(element, known[index], path: path.dropLast() + ["\(path.last ?? "")[\(index)]"]) { return found }
            }
        }
        return nil
    }
}

extension PaymentIntent {
    /// Decodes an intent as a client sent it: a key the intent does not have is an error naming it.
    public static func decodeStrictly(from data: Data) throws -> PaymentIntent {
        try RailCoding.decodeStrictly(PaymentIntent.self, from: data, what: "a payment intent")
    }
}
