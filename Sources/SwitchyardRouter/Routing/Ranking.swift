import Foundation
import RailKit
import RailKitSupport

/// Orders eligible quotes for a payer's objective. Every tie-break ends on the rail id, so the
/// order is total and deterministic.
enum Ranking {
    static let secondsPerYear = ExactDecimal(365 * 24 * 3600)

    /// The score each objective ranks on, with the time value it includes (balanced only).
    /// (From the three parts of a quote it reads, each read in place: a whole quote passed along was copied.)
    static func score(totalCost: Money, debtorPays: Money, eta: SettlementEstimate, objective: RoutingObjective,
                      now: Date) throws -> (score: Money, timeValue: Money?) {
        guard case .balanced(let annualRate) = objective else { return (totalCost, nil) }
        // Money in flight (everything the debtor pays) × annual rate × median time in years.
        let seconds = ExactDecimal(max(0, eta.p50Seconds(from: now)))
        let perSecond = try annualRate.divided(by: secondsPerYear, scale: 20, rounding: .halfEven)
        let timeValue = try debtorPays.multiplied(
            by: try perSecond.multiplied(by: seconds, scale: 20, rounding: .halfEven), rounding: .halfEven)
        return (try totalCost.adding(timeValue), timeValue)
    }

    /// - Parameter entries: each eligible quote (present: it is taken out) with its rail's index in `rails` (each with an adapter).
    /// - Returns: the ranked quotes, and the rails whose quote could not be scored (an amount so
    ///   large that its time value overflows exact arithmetic), each with why: that rail alone is
    ///   left out, the others are ranked.
    static func rank(_ entries: consuming [(rail: Int, quote: Quote?)], rails: [PreparedRail], objective: RoutingObjective,
                     now: Date) -> (ranked: [RankedQuote], unscorable: [(rail: Int, error: any Error)]) {
        // Sorted by index on small keys of plain values: a ranked quote is a large value, and
        // copying it, or a score's asset, or a rail id at every comparison cost more than the
        // comparisons. Scores are all in the debtor's currency, so their minor units order them
        // (otherwise Money's own order); ties end on the rails' place in the order of their ids.
        struct Key {
            var scoreUnits: Int128
            var p50: Date
            var p95: Date
            var idOrder: Int
            /// The quote's index in `entries` (and its score's in `scores`).
            var entry: Int
        }
        var keys = [Key]()
        keys.reserveCapacity(entries.count)
        var scores = [(score: Money, timeValue: Money?)?](repeating: nil, count: entries.count)
        var unscorable = [(rail: Int, error: any Error)]()
        // Whether every score is in one asset, worked out while each score is at hand.
        var firstAsset: Asset?
        var sameAsset = true
        for index in entries.indices {
            let rail = entries[index].rail, eta = entries[index].quote!.eta
            do {
                let (score, timeValue) = try score(totalCost: entries[index].quote!.totalCost, debtorPays: entries[index].quote!.debtorPays,
                                                   eta: eta, objective: objective, now: now)
                keys.append(Key(scoreUnits: score.minorUnits, p50: eta.p50, p95: eta.p95, idOrder: rails[rail].idOrder, entry: index))
                if let firstAsset {
                    if sameAsset, score.asset != firstAsset { sameAsset = false }
                } else {
                    firstAsset = score.asset
                }
                scores[index] = (score, timeValue)
            } catch {
                unscorable.append((rail, error))
            }
        }
        func scoreOrder(_ lhs: Key, _ rhs: Key) -> Bool? {
            if sameAsset {
                return lhs.scoreUnits == rhs.scoreUnits ? nil : lhs.scoreUnits < rhs.scoreUnits
            }
            let left = scores[lhs.entry]!.score, right = scores[rhs.entry]!.score
            return left == right ? nil : left < right
        }
        func etaOrder(_ lhs: Key, _ rhs: Key) -> Bool? {
            (lhs.p50, lhs.p95) == (rhs.p50, rhs.p95) ? nil : (lhs.p50, lhs.p95) < (rhs.p50, rhs.p95)
        }
        var order = Array(keys.indices)
        order.sort { left, right in
            let lhs = keys[left], rhs = keys[right]
            switch objective {
            case .fastest:
                if let ordered = etaOrder(lhs, rhs) ?? scoreOrder(lhs, rhs) { return ordered }
            case .cheapest, .balanced:
                if let ordered = scoreOrder(lhs, rhs) ?? etaOrder(lhs, rhs) { return ordered }
            }
            return lhs.idOrder < rhs.idOrder
        }
        var ranked = [RankedQuote]()
        ranked.reserveCapacity(order.count)
        for (position, index) in order.enumerated() {
            let entry = keys[index].entry, rail = rails[entries[entry].rail].quoting!
            let (score, timeValue) = scores[entry].take()!
            // Each quote is moved into its ranking, not copied.
            ranked.append(RankedQuote(rank: position + 1, railID: rail.descriptor.id, displayName: rail.descriptor.displayName,
                                      kind: rail.descriptor.capabilities.kind, quote: entries[entry].quote.take()!,
                                      score: score, timeValue: timeValue))
        }
        return (ranked, unscorable)
    }
}
