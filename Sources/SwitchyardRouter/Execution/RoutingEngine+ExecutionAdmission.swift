import Foundation
import Logging
import RailKit
import SwitchyardExecutor

extension RoutingEngine: ExecutionAdmission {
    /// At execution, the rail's capabilities and the compliance policy in force (it may have
    /// changed since the quote) against the counterparties as they are now.
    public func refusals(_ intent: PaymentIntent, on rail: RailDescriptor, at now: Date) async throws -> [RailDecline] {
        guard let configured = rails.first(where: { $0.id == rail.id }) else {
            return [RailDecline(.railDisabled, "No configured rail \(rail.id).")]
        }
        return preQuoteExclusions(configured, intent: intent, market: try await market.snapshot(), now: now)
    }

    /// With the quote: also the limits and thresholds on what the debtor really sends.
    public func refusals(_ intent: PaymentIntent, quote: Quote, on rail: RailDescriptor, at now: Date) async throws -> [RailDecline] {
        let snapshot = try await market.snapshot()
        guard let configured = rails.first(where: { $0.id == rail.id }) else {
            return [RailDecline(.railDisabled, "No configured rail \(rail.id).")]
        }
        // A fixed-receive payment's amount rules are judged on the quote's principal, not estimated at mid.
        let before = preQuoteJudgements(PreparedRail(configured, logger: logger), intent: intent, market: snapshot, now: now, verdicts: nil)
            .filter { !$0.estimated }.map(\.decline)
        return before + Self.sentAmountExclusions(intent, quote: quote, on: rail, policy: policy, market: snapshot, now: now)
    }

    /// An executor for this engine's rails on `store`, admitting payments by its policy and capabilities.
    public func makeExecutor(store: any PaymentStore, observer: (any PaymentJournal)? = nil, logger: Logger? = nil,
                             lease: Duration = .seconds(30),
                             afterStep: @escaping @Sendable (ExecutionStep) -> Void = { _ in }) -> PaymentExecutor {
        PaymentExecutor(adapters: rails.compactMap(\.adapter), admission: self, store: store, observer: observer, rerouting: self,
                        lease: lease, clock: clock, logger: logger ?? self.logger, afterStep: afterStep)
    }
}

extension RoutingEngine: Rerouting {
    /// Routes the payment again without the rails tried, under its own objective: the best ranked
    /// quote, fresh, or nil when no rail is left.
    public func alternative(for intent: PaymentIntent, excluding tried: Set<RailID>) async throws -> Quote? {
        var remaining = intent
        remaining.rails.excluded = Array(Set(remaining.rails.excluded).union(tried)).sorted()
        return executable(in: try await route(remaining)).first?.quote
    }

    /// The ranked routes whose rail executes here, best first: a rail that only quotes (no signer
    /// or endpoint configured) is ranked for comparison but cannot carry a payment.
    public func executable(in result: RoutingResult) -> [RankedQuote] {
        result.ranked.filter { ranked in rails.first { $0.id == ranked.railID }?.adapter?.descriptor.capabilities.canExecute == true }
    }
}
