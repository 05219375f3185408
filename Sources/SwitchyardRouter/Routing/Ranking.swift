import Foundation
import RailKit
import RailKitSupport

/// Orders eligible quotes for a payer's objective. Every tie-break ends on the rail id, so the
/// order is total and deterministic.
enum Ranking {
    static let secondsPerYear = ExactDecimal(365 * 24 * 3600)

    /// The score each objective ranks on, with the time value it includes (balanced only).
    static func score(_ quote: Quote, objective: RoutingObjective, now: Date) throws -> (score: Money, timeValue: Money?) {
        guard case .balanced(let annualRate) = objective else { return (quote.totalCost, nil) }
        // Money in flight (everything the debtor pays) × annual rate × median time in years.
        let seconds = ExactDecimal(max(0, quote.eta.p50Seconds(from: now)))
        let perSecond = try annualRate.divided(by: secondsPerYear, scale: 20, rounding: .halfEven)
        let timeValue = try quote.debtorPays.multiplied(
            by: try perSecond.multiplied(by: seconds, scale: 20, rounding: .halfEven), rounding: .halfEven)
        return (try quote.totalCost.adding(timeValue), timeValue)
    }

    static func rank(_ entries: [(RailDescriptor, Quote)], objective: RoutingObjective, now: Date) throws -> [RankedQuote] {
        let scored = try entries.map { descriptor, quote in
            let (score, timeValue) = try score(quote, objective: objective, now: now)
            return RankedQuote(rank: 0, railID: descriptor.id, displayName: descriptor.displayName,
                               kind: descriptor.capabilities.kind, quote: quote, score: score, timeValue: timeValue)
        }
        // Sorted by index: a ranked quote is a large value, and moving it at every comparison cost
        // more than the comparisons.
        let keys = scored.map { (score: $0.score, p50: $0.quote.eta.p50, p95: $0.quote.eta.p95, railID: $0.railID) }
        let order = keys.indices.sorted { left, right in
            let lhs = keys[left], rhs = keys[right]
            let lhsETA = (lhs.p50, lhs.p95)
            let rhsETA = (rhs.p50, rhs.p95)
            switch objective {
            case .fastest:
                if lhsETA != rhsETA { return lhsETA < rhsETA }
                if lhs.score != rhs.score { return lhs.score < rhs.score }
            case .cheapest, .balanced:
                if lhs.score != rhs.score { return lhs.score < rhs.score }
                if lhsETA != rhsETA { return lhsETA < rhsETA }
            }
            return lhs.railID < rhs.railID
        }
        let sorted = order.map { scored[$0] }
        return sorted.enumerated().map { index, entry in
            var ranked = entry
            ranked.rank = index + 1
            return ranked
        }
    }
}
