import Foundation
import RailKit

/// What the executor checks again at execution, beyond the quote itself: the policy in force and
/// the rail's capabilities against the counterparties as they are now. The router implements it
/// with its compliance policy; ``CapabilityAdmission`` checks the capabilities alone.
public protocol ExecutionAdmission: Sendable {
    /// Every reason `rail` may not carry `intent` now; empty when it may.
    func refusals(_ intent: PaymentIntent, on rail: RailDescriptor, at now: Date) async throws -> [RailDecline]

    /// The same, knowing the quote to execute: what depends on the amount really sent (a
    /// fixed-receive payment's principal at the rail's rate) is judged on it.
    func refusals(_ intent: PaymentIntent, quote: Quote, on rail: RailDescriptor, at now: Date) async throws -> [RailDecline]
}

extension ExecutionAdmission {
    /// Without amount-dependent rules, the quote adds nothing. An admission that checks a rail's
    /// capabilities implements this too: ``RailCapabilities/admit(_:)`` leaves a fixed-receive
    /// payment's corridor limits to the quote (``RailCapabilities/admit(_:quote:)``).
    public func refusals(_ intent: PaymentIntent, quote: Quote, on rail: RailDescriptor, at now: Date) async throws -> [RailDecline] {
        try await refusals(intent, on: rail, at: now)
    }
}

/// Admission by the rail's declared capabilities only (corridor, fixed side, limits): what the
/// conformance kit uses, where there is no policy.
public struct CapabilityAdmission: ExecutionAdmission {
    public init() {}

    public func refusals(_ intent: PaymentIntent, on rail: RailDescriptor, at now: Date) async throws -> [RailDecline] {
        if case .declined(let decline) = rail.capabilities.admit(intent) { return [decline] }
        return []
    }

    /// With the quote: the corridor's limits judged on the quoted principal (what a fixed-receive
    /// payment really sends), which ``refusals(_:on:at:)`` leaves to the quote.
    public func refusals(_ intent: PaymentIntent, quote: Quote, on rail: RailDescriptor, at now: Date) async throws -> [RailDecline] {
        if case .declined(let decline) = rail.capabilities.admit(intent, quote: quote) { return [decline] }
        return []
    }
}
