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

    /// - Parameter entries: each eligible quote with its rail's index in `rails`.
    static func rank(_ entries: [(rail: Int, quote: Quote)], rails: [RoutedRail], objective: RoutingObjective, now: Date) throws -> [RankedQuote] {
        let scores = try entries.map { try score($0.quote, objective: objective, now: now) }
        // Sorted by index on small keys: a ranked quote is a large value, and moving or copying it
        // (or a score's asset) at every comparison cost more than the comparisons. Scores are all
        // in the debtor's currency, so their minor units order them; otherwise Money's own order.
        let firstAsset = scores.first?.score.asset
        let sameAsset = scores.allSatisfy { $0.score.asset == firstAsset }
        let ids = entries.map { rails[$0.rail].id }
        let keys = entries.indices.map { index in
            (units: scores[index].score.minorUnits, p50: entries[index].quote.eta.p50, p95: entries[index].quote.eta.p95)
        }
        func scoreOrder(_ left: Int, _ right: Int) -> Bool? {
            if sameAsset {
                return keys[left].units == keys[right].units ? nil : keys[left].units < keys[right].units
            }
            let lhs = scores[left].score, rhs = scores[right].score
            return lhs == rhs ? nil : lhs < rhs
        }
        func etaOrder(_ left: Int, _ right: Int) -> Bool? {
            let lhs = (keys[left].p50, keys[left].p95), rhs = (keys[right].p50, keys[right].p95)
            return lhs == rhs ? nil : lhs < rhs
        }
        let order = entries.indices.sorted { left, right in
            switch objective {
            case .fastest:
                if let ordered = etaOrder(left, right) ?? scoreOrder(left, right) { return ordered }
            case .cheapest, .balanced:
                if let ordered = scoreOrder(left, right) ?? etaOrder(left, right) { return ordered }
            }
            return ids[left] < ids[right]
        }
        return order.enumerated().map { position, index in
            let rail = rails[entries[index].rail]
            return RankedQuote(rank: position + 1, railID: rail.id, displayName: rail.displayName, kind: rail.descriptor!.capabilities.kind,
                               quote: entries[index].quote, score: scores[index].score, timeValue: scores[index].timeValue)
        }
    }
}
