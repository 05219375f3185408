import RailKit
import RailKitSupport

/// A configured finality profile: the settlement latency it implies and the rule that makes a
/// transfer final. JSON: a latency profile plus `confirmations` or `finalizedBlock: true`.
public struct FinalityProfile: Decodable, Sendable {
    public var latency: ConfiguredLatencyProfile
    /// Final after this many blocks including the transaction's own (1: inclusion is final).
    public var confirmations: Int?
    /// Final once the chain's `finalized` block reaches the transaction.
    public var finalizedBlock: Bool?

    private enum Keys: String, CodingKey { case confirmations, finalizedBlock }

    public init(from decoder: any Decoder) throws {
        latency = try ConfiguredLatencyProfile(from: decoder)
        let container = try decoder.container(keyedBy: Keys.self)
        confirmations = try container.decodeIfPresent(Int.self, forKey: .confirmations)
        finalizedBlock = try container.decodeIfPresent(Bool.self, forKey: .finalizedBlock)
    }

    /// The rule, checked: `field` names the profile in errors.
    public func rule(field: String) throws(ValidationError) -> TransferFinality {
        if finalizedBlock == true { return .finalizedBlock }
        let needed = confirmations ?? 1
        guard needed >= 1 else {
            throw ValidationError(field: field + ".confirmations", value: String(needed), rule: "finality.confirmations",
                                  message: "at least 1 (the including block)")
        }
        return .confirmations(needed)
    }
}
