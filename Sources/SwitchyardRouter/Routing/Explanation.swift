import Foundation
import RailKit
import RailKitSupport

/// The sentence that says why the chosen rail won.
enum Explanation {
    static func text(ranked: [RankedQuote], excluded: [ExcludedRail], objective: RoutingObjective, now: Date) -> String {
        // One string grown in place (capacity reserved): every decision writes this sentence.
        var sentence = ""
        sentence.reserveCapacity(320)
        if let best = ranked.first {
            let quote = best.quote
            sentence += best.railID.rawValue
            sentence += " is best for the "
            sentence += objective.name
            sentence += " objective: total cost "
            sentence += quote.totalCost.description
            if let timeValue = best.timeValue {
                sentence += " plus "
                sentence += timeValue.description
                sentence += " time value"
            }
            sentence += ", median arrival in "
            sentence += DurationText.format(seconds: quote.eta.p50Seconds(from: now))
            sentence += " (95% within "
            sentence += DurationText.format(seconds: quote.eta.p95Seconds(from: now))
            sentence += ")"
            if ranked.count > 1 {
                let runnerUp = ranked[1]
                switch objective {
                case .fastest:
                    sentence += "; "
                    sentence += runnerUp.railID.rawValue
                    sentence += " is next, arriving in "
                    sentence += DurationText.format(seconds: runnerUp.quote.eta.p50Seconds(from: now))
                case .cheapest, .balanced:
                    if let saving = try? runnerUp.score.subtracting(best.score) {
                        sentence += "; "
                        sentence += saving.description
                        sentence += objective.name == "balanced" ? " better" : " cheaper"
                        sentence += " than the next, "
                        sentence += runnerUp.railID.rawValue
                    }
                }
            }
            sentence += "."
        } else {
            sentence += "No rail can carry this payment."
        }
        if !excluded.isEmpty {
            sentence += " Excluded: "
            for (index, rail) in excluded.enumerated() {
                if index > 0 { sentence += "; " }
                sentence += rail.railID.rawValue
                sentence += " ("
                sentence += rail.reasons.map(\.code.rawValue).joined(separator: ", ")
                sentence += ")"
            }
            sentence += "."
        }
        return sentence
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
