/// A rejected input: names the field, the offending value and the rule it broke.
///
/// Every parse and validation in RailKit reports failures with this type so that a caller (the
/// CLI, the HTTP API, a configuration check) can tell a person exactly what to fix.
public struct ValidationError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Where the value came from, as a dotted path such as `creditor.accounts.iban`.
    public var field: String
    /// The value as given (identifiers and amounts are not secrets), shortened if very long.
    public var value: String
    /// A stable, machine-readable rule code such as `decimal.too_many_decimals`.
    public var rule: String
    /// A sentence a person understands.
    public var message: String

    public init(field: String, value: String, rule: String, message: String) {
        self.field = field
        self.value = value.count > 80 ? String(value.prefix(77)) + "..." : value
        self.rule = rule
        self.message = message
    }

    /// The same error reported under another field name (used when a nested parser lacks context).
    public func at(_ field: String) -> ValidationError {
        ValidationError(field: field, value: value, rule: rule, message: message)
    }

    public var description: String { "\(field): \(message) (rule \(rule), value \"\(value)\")" }
}
