/// A store that cannot be opened, migrated or reached; the message names it (never a password).
public struct PaymentStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
