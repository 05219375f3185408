/// Formats a `Decoder`'s coding path as `rules[2].threshold.amount` for error messages.
public enum CodingPath {
    public static func format(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }
}
