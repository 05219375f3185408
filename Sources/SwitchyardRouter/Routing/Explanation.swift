import Foundation
import RailKit
import RailKitSupport

/// The sentence that says why the chosen rail won.
enum Explanation {
    static func text(ranked: [RankedQuote], excluded: [ExcludedRail], objective: RoutingObjective, now: Date) -> String {
        let exclusions = excluded.isEmpty ? "" : " Excluded: " + excluded.map { rail in
            "\(rail.railID) (\(rail.reasons.map(\.code.rawValue).joined(separator: ", ")))"
        }.joined(separator: "; ") + "."
        guard let best = ranked.first else {
            return "No rail can carry this payment." + exclusions
        }
        let quote = best.quote
        var sentence = "\(best.railID) is best for the \(objective.name) objective: total cost \(quote.totalCost)"
        if let timeValue = best.timeValue { sentence += " plus \(timeValue) time value" }
        sentence += ", median arrival in \(DurationText.format(seconds: quote.eta.p50Seconds(from: now))) (95% within \(DurationText.format(seconds: quote.eta.p95Seconds(from: now))))"
        if ranked.count > 1 {
            let runnerUp = ranked[1]
            switch objective {
            case .fastest:
                sentence += "; \(runnerUp.railID) is next, arriving in \(DurationText.format(seconds: runnerUp.quote.eta.p50Seconds(from: now)))"
            case .cheapest, .balanced:
                if let saving = try? runnerUp.score.subtracting(best.score) {
                    sentence += "; \(saving) \(objective.name == "balanced" ? "better" : "cheaper") than the next, \(runnerUp.railID)"
                }
            }
        }
        return sentence + "." + exclusions
    }
}

/// Durations for people: `45 s`, `12 min`, `3 h 20 min`, `2 d 4 h` (rounded up to the minute).
public enum DurationText {
    public static func format(seconds: Int) -> String {
        if seconds < 90 { return "\(seconds) s" }
        let minutes = (seconds + 59) / 60
        if minutes < 90 { return "\(minutes) min" }
        let hours = minutes / 60
        if hours < 48 { return minutes % 60 == 0 ? "\(hours) h" : "\(hours) h \(minutes % 60) min" }
        return hours % 24 == 0 ? "\(hours / 24) d" : "\(hours / 24) d \(hours % 24) h"
    }
}
