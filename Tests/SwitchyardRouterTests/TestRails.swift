import Dispatch
import Foundation
import RailKit
import RailKitSupport
@testable import SwitchyardRouter

/// A rail double for engine fault cases (slow, failing, broken); it stands beside the real
/// adapters, which the policy and configuration tests use.
struct TestRail: RailAdapter {
    enum Behaviour: Sendable {
        case quote(fee: String, p50Seconds: Int, p95Seconds: Int)
        /// Never answers within any sane limit, and ignores cancellation.
        case hang
        case fail
        /// Quotes whose cost items do not add up.
        case brokenCosts
    }

    let descriptor: RailDescriptor
    let behaviour: Behaviour
    /// A well-behaved rail declines what its capabilities exclude; a broken one quotes anyway.
    let honoursCapabilities: Bool

    init(_ id: RailID, kind: RailKind = .correspondentBanking, _ behaviour: Behaviour, minimum: String? = nil, honoursCapabilities: Bool = true) {
        self.honoursCapabilities = honoursCapabilities
        descriptor = RailDescriptor(id: id, displayName: "test rail \(id)", capabilities: RailCapabilities(
            kind: kind,
            corridors: [Corridor(source: .usd, destination: .cnh, minimum: minimum.map { try! .fiat($0, .usd) })],
            operatingHours: .continuous, supportsFixedReceive: true, quoteOnlyReason: "a test double", quoteValiditySeconds: 60))
        self.behaviour = behaviour
    }

    func quote(_ request: QuoteRequest) async throws -> QuoteOutcome {
        if honoursCapabilities, case .declined(let decline) = descriptor.capabilities.admit(request.intent) {
            return .declined(decline)
        }
        let mid = try request.market.midRate(from: .usd, to: .cnh)
        switch behaviour {
        case .hang:
            // A counterparty that never answers: wait 30 s without honouring cancellation.
            await withCheckedContinuation { continuation in
                DispatchQueue.global().asyncAfter(deadline: .now() + 30) { continuation.resume() }
            }
            return .declined(RailDecline(.railUnavailable, "woke up"))
        case .fail:
            throw RailError.unavailable("connection refused")
        case .quote, .brokenCosts:
            var (fee, p50, p95) = ("1.00", 60, 60)
            if case .quote(let quotedFee, let quotedP50, let quotedP95) = behaviour { (fee, p50, p95) = (quotedFee, quotedP50, quotedP95) }
            let pricing = PaymentPricing(
                source: .usd, destination: .cnh, applied: mid, mid: mid, midSource: "test",
                billed: [Charge(kind: .senderBankFee, description: "fee", bearer: .debtor, fixed: try .fiat(fee, .usd))])
            var breakdown = try pricing.price(request.intent.amount.money, fixed: request.intent.amount.fixed)
            if case .brokenCosts = behaviour { breakdown.totalCost = try .fiat("0.01", .usd) }
            let eta = SettlementEstimate(earliest: request.now, p50: request.now.addingTimeInterval(TimeInterval(p50)),
                                         p95: request.now.addingTimeInterval(TimeInterval(p95)))
            return .quoted(Quote(id: request.quoteID, railID: descriptor.id, firmness: .indicative, createdAt: request.now,
                                 expiresAt: request.now.addingTimeInterval(60), breakdown: breakdown, eta: eta, assumptions: []))
        }
    }

    func execute(_ request: ExecutionRequest, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        throw RailError.unsupported(operation: "execute", rail: descriptor.id)
    }

    func status(of submission: RailSubmission, at now: Date) async throws -> RailPaymentStatus {
        throw RailError.unsupported(operation: "status", rail: descriptor.id)
    }
}

enum Fixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let config = repository.appendingPathComponent("Config")
    static let now = Timestamp.parse("2026-11-18T03:00:00Z")!
    static let market = MarketSnapshot(
        asOf: now, source: "test", midRates: [try! ExchangeRate(base: .usd, quote: .cnh, rate: ExactDecimal(parsing: "7.12"))], coinPrices: [:])

    static func intent(_ amount: String = "1000000.00", objective: RoutingObjective = .cheapest, deadline: Date? = nil,
                       rails: RailSelection = RailSelection()) -> PaymentIntent {
        try! PaymentIntent(debtor: Party(name: "Acme", country: .unitedStates), creditor: Party(name: "Harbour", country: .hongKong),
                           sourceCurrency: .usd, destinationCurrency: .cnh, amount: PaymentAmount(try! .fiat(amount, .usd), fixed: .send),
                           deadline: deadline, objective: objective, rails: rails)
    }

    static func engine(_ rails: [any RailAdapter], timeout: Duration = .seconds(2)) -> RoutingEngine {
        RoutingEngine(rails: rails.map { RoutedRail(adapter: $0) }, policy: CompliancePolicy(rules: []), market: StaticMarketData(market),
                      quoteTimeout: timeout, clock: { now }, makeQuoteID: { QuoteID("q-\($0)") })
    }
}
