/// Why a message could not be built or read. Every case names the element or field and the rule.
public enum ISO20022Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not well-formed XML, or not the expected message.
    case malformed(String)
    /// A required element is absent (`path` like `FIToFIPmtStsRpt/TxInfAndSts/TxSts`).
    case missing(path: String)
    /// An element holds a value outside its rule (a status code not in the ISO list, a bad amount).
    case invalidValue(path: String, value: String, rule: String)
    /// Text for an outgoing message breaks the character set or length rules and cannot be fixed
    /// by transliteration.
    case unrepresentableText(field: String, rule: String, detail: String)

    public var description: String {
        switch self {
        case .malformed(let detail): "malformed ISO 20022 message: \(detail)"
        case .missing(let path): "missing element \(path)"
        case .invalidValue(let path, let value, let rule): "\(path): \"\(value)\" breaks rule \(rule)"
        case .unrepresentableText(let field, let rule, let detail): "\(field): \(detail) (rule \(rule))"
        }
    }
}
