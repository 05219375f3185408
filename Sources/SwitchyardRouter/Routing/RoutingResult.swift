import Foundation
import RailKit
import RailKitSupport

/// A rail that quoted and met every constraint, in rank order.
public struct RankedQuote: Sendable {
    public var rank: Int
    public var railID: RailID
    public var displayName: String
    public var kind: RailKind
    public var quote: Quote
    /// What the objective ranked on: total cost (cheapest), cost plus time value (balanced),
    /// in the source currency; for fastest, the total cost too (ranking used the ETA).
    public var score: Money
    /// For the balanced objective: the time value included in ``score``.
    public var timeValue: Money?
}

/// A configured rail that was not ranked, and every reason why.
public struct ExcludedRail: Sendable {
    public var railID: RailID
    public var displayName: String
    public var kind: RailKind?
    public var reasons: [RailDecline]
}

/// The routing engine's answer: ranked quotes, excluded rails with reasons, the choice and why.
public struct RoutingResult: Sendable {
    public var requestedAt: Date
    public var intent: PaymentIntent
    public var market: MarketSnapshot
    public var ranked: [RankedQuote]
    public var excluded: [ExcludedRail]
    /// The best rail for the objective, if any rail is eligible.
    public var chosen: RankedQuote? { ranked.first }
    /// Why the chosen rail won, or why none could be chosen.
    public var explanation: String
}
