import Foundation
import RailKit
import RailKitSupport
import SwitchyardRouter

/// The human form of a routing result: a ranked table, excluded rails with reasons, the choice.
enum QuoteTable {
    static func render(_ result: RoutingResult) -> String {
        let intent = result.intent
        let now = result.requestedAt
        var lines = [String]()
        lines.append("Payment: \(intent.amount.money) fixed \(intent.amount.fixed.rawValue), \(intent.sourceCurrency) → \(intent.destinationCurrency), "
            + "creditor in \(intent.creditor.country) (\(intent.creditor.kind.rawValue)); objective \(intent.objective.name); as of \(Timestamp.format(now))")
        lines.append("")
        let header = ["RANK", "RAIL", "YOU PAY", "THEY RECEIVE", "TOTAL COST", "ETA p50", "ETA p95", "QUOTE"]
        var rows = [header]
        for ranked in result.ranked {
            let quote = ranked.quote
            rows.append([
                String(ranked.rank), ranked.railID.rawValue, quote.debtorPays.description, quote.creditorReceives.description,
                quote.totalCost.description, DurationText.format(seconds: quote.eta.p50Seconds(from: now)), DurationText.format(seconds: quote.eta.p95Seconds(from: now)),
                quote.firmness.rawValue,
            ])
        }
        lines += table(rows)
        if !result.excluded.isEmpty {
            lines.append("")
            lines.append("Excluded:")
            for rail in result.excluded {
                for (index, reason) in rail.reasons.enumerated() {
                    let name = index == 0 ? rail.railID.rawValue : ""
                    lines.append("  " + name.padding(toLength: 24, withPad: " ", startingAt: 0) + " \(reason.code): \(reason.message)")
                }
            }
        }
        lines.append("")
        lines.append((result.chosen == nil ? "" : "Chosen: ") + result.explanation)
        return lines.joined(separator: "\n")
    }

    /// Left-aligned columns two spaces apart.
    private static func table(_ rows: [[String]]) -> [String] {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }
}
