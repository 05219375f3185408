import RailKit
import RailKitSupport

/// What a rail records about an ERC-20 transfer before sending it (in its checkpoint): enough to
/// resend it, follow it and reconcile its `Transfer` log after a restart.
public struct ERC20TransferRecord: Sendable, Hashable, Codable {
    public var token: EVMAddress
    public var from: EVMAddress
    public var to: EVMAddress
    /// Token base units.
    public var amount: Wei
    public var nonce: UInt64
    /// The signed transaction, `0x`-hex; nil for a transfer this process did not sign.
    public var rawTransaction: String?

    public init(token: EVMAddress, from: EVMAddress, to: EVMAddress, amount: Wei, nonce: UInt64, rawTransaction: String?) {
        self.token = token
        self.from = from
        self.to = to
        self.amount = amount
        self.nonce = nonce
        self.rawTransaction = rawTransaction
    }

    /// The record of a transfer this process signed.
    public init(signed: SignedTransaction, token: EVMAddress, from: EVMAddress, to: EVMAddress, amount: Wei) {
        self.init(token: token, from: from, to: to, amount: amount, nonce: signed.transaction.nonce, rawTransaction: signed.rawHex)
    }

    /// The `Transfer` event this transfer must emit, exactly once.
    public var expectedEvent: ERC20.TransferEvent {
        ERC20.TransferEvent(token: token, from: from, to: to, amount: amount.amount)
    }
}
