import RailKit

/// What a rail records about an ERC-20 transfer before sending it (into ``RailSubmission/details``
/// or a leg's details): enough to resend it, follow it and reconcile its `Transfer` log after a restart.
public struct ERC20TransferRecord: Sendable, Hashable {
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

    /// The record as text fields (amounts as decimal strings), optionally under a key prefix.
    public func details(prefix: String = "") -> [String: String] {
        var details = [prefix + "token": token.checksummed, prefix + "from": from.checksummed, prefix + "to": to.checksummed,
                       prefix + "amount": amount.description, prefix + "nonce": String(nonce)]
        details[prefix + "rawTransaction"] = rawTransaction
        return details
    }

    /// Reads a record written by ``details(prefix:)``; `owner` names it in errors.
    public init(details: [String: String], prefix: String = "", owner: String) throws(RailError) {
        func field(_ name: String) throws(RailError) -> String {
            guard let value = details[prefix + name] else { throw .invalidResponse("\(owner) has no \(prefix + name)") }
            return value
        }
        guard let amount = UInt128(try field("amount")), let nonce = UInt64(try field("nonce")) else {
            throw .invalidResponse("\(owner) has a malformed \(prefix)amount or \(prefix)nonce")
        }
        do {
            self.init(token: try EVMAddress(try field("token"), field: prefix + "token"), from: try EVMAddress(try field("from"), field: prefix + "from"),
                      to: try EVMAddress(try field("to"), field: prefix + "to"), amount: Wei(amount), nonce: nonce,
                      rawTransaction: details[prefix + "rawTransaction"])
        } catch {
            throw .invalidResponse("\(owner): \(error)")
        }
    }

    /// The `Transfer` event this transfer must emit, exactly once.
    public var expectedEvent: ERC20.TransferEvent {
        ERC20.TransferEvent(token: token, from: from, to: to, amount: amount.amount)
    }
}
