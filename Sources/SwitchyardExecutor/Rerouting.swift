import RailKit

/// Where a payment declined at execution (before anything moved) finds its next route: a fresh
/// quote on the best eligible rail under the payment's own objective, other than those tried.
/// The router implements it.
public protocol Rerouting: Sendable {
    func alternative(for intent: PaymentIntent, excluding tried: Set<RailID>) async throws -> Quote?
}
