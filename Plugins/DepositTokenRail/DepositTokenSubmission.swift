import EVMKit
import RailKit

/// What the rail records about a transfer before sending it (``RailSubmission/details``): enough
/// to resend it, follow it and reconcile its `Transfer` log after a restart.
public struct DepositTokenSubmission: Sendable, Hashable {
    public var token: EVMAddress
    public var from: EVMAddress
    public var to: EVMAddress
    /// Token base units.
    public var amount: Wei
    public var nonce: UInt64
    /// The signed transaction, `0x`-hex; nil for a transfer this rail did not sign.
    public var rawTransaction: String?

    public init(token: EVMAddress, from: EVMAddress, to: EVMAddress, amount: Wei, nonce: UInt64, rawTransaction: String?) {
        self.token = token
        self.from = from
        self.to = to
        self.amount = amount
        self.nonce = nonce
        self.rawTransaction = rawTransaction
    }

    public func submission(hash: String) -> RailSubmission {
        var details = ["token": token.checksummed, "from": from.checksummed, "to": to.checksummed,
                       "amount": amount.description, "nonce": String(nonce)]
        details["rawTransaction"] = rawTransaction
        return RailSubmission(reference: .transactionHash(hash), details: details)
    }

    public init(_ submission: RailSubmission) throws {
        func field(_ name: String) throws -> String {
            guard let value = submission.details[name] else {
                throw RailError.invalidResponse("submission \(submission.reference) has no \(name)")
            }
            return value
        }
        guard let amount = UInt128(try field("amount")), let nonce = UInt64(try field("nonce")) else {
            throw RailError.invalidResponse("submission \(submission.reference) has a malformed amount or nonce")
        }
        self.init(token: try EVMAddress(try field("token"), field: "token"), from: try EVMAddress(try field("from"), field: "from"),
                  to: try EVMAddress(try field("to"), field: "to"), amount: Wei(amount), nonce: nonce,
                  rawTransaction: submission.details["rawTransaction"])
    }
}
