import Foundation
import Logging
import RailKit

/// Why the router would not hand a payment to its rail at execution: every reason, each with
/// its machine-readable code. Nothing was journaled or sent.
public struct ExecutionRefused: Error, Sendable, CustomStringConvertible {
    public var railID: RailID
    public var reasons: [RailDecline]

    public var description: String {
        "\(railID) refused at execution: " + reasons.map { "\($0.code.rawValue): \($0.message)" }.joined(separator: "; ")
    }
}

extension RoutingEngine {
    /// Executes a payment on the rail that gave `quote`, after checking it again as of now: the
    /// rail's capabilities, the compliance policy in force (it may have changed since the quote),
    /// the counterparties as they are now (`intent`), and that the quote prices this payment.
    /// The rail then runs its own execution-time checks.
    ///
    /// - Throws: ``ExecutionRefused`` with every reason when the router refuses (nothing was
    ///   sent); otherwise what the rail throws.
    public func execute(paymentID: String, intent: PaymentIntent, quote: Quote, journal: any ExecutionJournal) async throws -> ExecutionReceipt {
        let now = clock()
        guard let rail = rails.first(where: { $0.id == quote.railID }), let adapter = rail.adapter else {
            throw ExecutionRefused(railID: quote.railID, reasons: [RailDecline(.railDisabled, "No configured rail \(quote.railID) can execute this quote.")])
        }
        var reasons = [RailDecline]()
        if let mismatch = Self.quoteMismatch(quote, intent: intent) {
            reasons.append(RailDecline(.quoteMismatch, mismatch))
        }
        reasons += preQuoteExclusions(rail, intent: intent, market: try await market.snapshot(), now: now)
        guard reasons.isEmpty else {
            logger.notice("execution refused", metadata: [
                "payment": .string(paymentID), "rail": .string(quote.railID.rawValue), "quote": .string(quote.id.rawValue),
                "reasons": .array(reasons.map { .string($0.code.rawValue) }),
            ])
            throw ExecutionRefused(railID: quote.railID, reasons: reasons)
        }
        logger.info("executing payment", metadata: [
            "payment": .string(paymentID), "rail": .string(quote.railID.rawValue), "quote": .string(quote.id.rawValue),
        ])
        return try await adapter.execute(ExecutionRequest(paymentID: paymentID, intent: intent, quote: quote, now: now, journal: journal))
    }

    /// Why `quote` does not price `intent` (other currencies or another fixed amount), if it does not.
    static func quoteMismatch(_ quote: Quote, intent: PaymentIntent) -> String? {
        guard quote.debtorPays.asset == .fiat(intent.sourceCurrency), quote.creditorReceives.asset == .fiat(intent.destinationCurrency) else {
            return "Quote \(quote.id) is for other currencies than \(intent.sourceCurrency)→\(intent.destinationCurrency)."
        }
        let quoted = intent.amount.fixed == .send ? quote.principal : quote.creditorReceives
        guard quoted == intent.amount.money else {
            return "Quote \(quote.id) prices \(quoted) (\(intent.amount.fixed.rawValue) fixed), not \(intent.amount.money)."
        }
        return nil
    }
}
