/// A store that cannot be opened, migrated or reached; the message names it (never a password).
public struct PaymentStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// A payment record was written by someone else since it was read (its version moved on): nothing
/// was written. Read it again, and decide again on what it says now.
public struct PaymentRecordConflict: Error, Sendable, Hashable, CustomStringConvertible {
    public var paymentID: String
    /// The version the writer read.
    public var expectedVersion: Int

    public init(paymentID: String, expectedVersion: Int) {
        self.paymentID = paymentID
        self.expectedVersion = expectedVersion
    }

    public var description: String {
        "payment \(paymentID) changed since version \(expectedVersion) was read; nothing was written"
    }
}
