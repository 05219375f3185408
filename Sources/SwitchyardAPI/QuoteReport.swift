import Foundation
import RailKit
import RailKitSupport
import SwitchyardRouter

/// The JSON form of a routing result: what `switchyard quote --json` prints and `POST /v1/quotes` answers.
/// Every configured rail appears exactly once; amounts are decimal strings with their currency;
/// durations are whole seconds.
public struct QuoteReport: Encodable, Sendable {
    public struct Amount: Encodable, Sendable {
        public var amount: String
        public var currency: String
        public var fixed: String
    }

    /// An amount for people: the decimal string and the currency or `SYMBOL@chain` (a gas coin).
    public struct AmountText: Encodable, Sendable {
        public var amount: String
        public var currency: String

        public init(_ money: Money) {
            amount = money.decimalValue.description
            currency = money.asset.code
        }
    }

    public struct Cost: Encodable, Sendable {
        public var kind: String
        public var description: String
        public var amount: Money
        public var charged: AmountText?
        public var bearer: String
        public var collection: String
    }

    public struct FX: Encodable, Sendable {
        public var rate: String
        public var midRate: String
        public var pair: String
        public var marginBasisPoints: String
        public var midSource: String
    }

    public struct ETA: Encodable, Sendable {
        public var earliestSettlement: String
        public var earliestSeconds: Int
        public var p50Seconds: Int
        public var p95Seconds: Int
        public var p50At: String
        public var p95At: String
    }

    public struct QuoteBody: Encodable, Sendable {
        public var id: String
        public var firmness: String
        public var createdAt: String
        public var expiresAt: String
        public var principal: Money
        public var debtorPays: Money
        public var creditorReceives: Money
        public var fx: FX?
        public var costs: [Cost]
        public var totalCost: Money
        public var eta: ETA
        public var assumptions: [Assumption]
    }

    public struct Reason: Encodable, Sendable {
        public var code: String
        public var message: String
    }

    public struct Rail: Encodable, Sendable {
        public var rail: String
        public var displayName: String
        public var kind: String?
        public var eligible: Bool
        public var rank: Int?
        public var score: Money?
        public var timeValue: Money?
        public var quote: QuoteBody?
        public var reasonCodes: [String]?
        public var reasons: [Reason]?
    }

    public var requestedAt: String
    public var reference: String?
    public var sourceCurrency: String
    public var destinationCurrency: String
    public var amount: Amount
    public var creditorCountry: String
    public var objective: String
    public var annualTimeValueRate: String?
    public var deadline: String?
    public var marketData: String
    public var chosenRail: String?
    public var explanation: String
    public var rails: [Rail]

    public init(result: RoutingResult) {
        let now = result.requestedAt
        let intent = result.intent
        requestedAt = Timestamp.format(now)
        reference = intent.reference
        sourceCurrency = intent.sourceCurrency.code
        destinationCurrency = intent.destinationCurrency.code
        amount = Amount(amount: intent.amount.money.decimalValue.description, currency: intent.amount.money.asset.code,
                        fixed: intent.amount.fixed.rawValue)
        creditorCountry = intent.creditor.country.code
        objective = intent.objective.name
        if case .balanced(let rate) = intent.objective { annualTimeValueRate = rate.description }
        deadline = intent.deadline.map(Timestamp.format)
        marketData = result.market.source
        chosenRail = result.chosen?.railID.rawValue
        explanation = result.explanation

        // Ranked rails in rank order, then excluded rails in configuration order (as the result keeps them).
        rails = result.ranked.map { ranked in
            let quote = ranked.quote
            return Rail(
                rail: ranked.railID.rawValue, displayName: ranked.displayName, kind: ranked.kind.rawValue, eligible: true,
                rank: ranked.rank, score: ranked.score, timeValue: ranked.timeValue,
                quote: QuoteBody(
                    id: quote.id.rawValue, firmness: quote.firmness.rawValue, createdAt: Timestamp.format(quote.createdAt),
                    expiresAt: Timestamp.format(quote.expiresAt), principal: quote.principal, debtorPays: quote.debtorPays,
                    creditorReceives: quote.creditorReceives,
                    fx: quote.fx.map {
                        FX(rate: $0.applied.rate.description, midRate: $0.mid.rate.description, pair: "\($0.applied.base)/\($0.applied.quote)",
                           marginBasisPoints: $0.marginBasisPoints.description, midSource: $0.midSource)
                    },
                    costs: quote.costs.map {
                        Cost(kind: $0.kind.rawValue, description: $0.description, amount: $0.amount, charged: $0.charged.map(AmountText.init),
                             bearer: $0.bearer.rawValue, collection: $0.collection.rawValue)
                    },
                    totalCost: quote.totalCost,
                    eta: ETA(earliestSettlement: Timestamp.format(quote.eta.earliest),
                             earliestSeconds: Int(quote.eta.earliest.timeIntervalSince(now).rounded(.up)),
                             p50Seconds: quote.eta.p50Seconds(from: now), p95Seconds: quote.eta.p95Seconds(from: now),
                             p50At: Timestamp.format(quote.eta.p50), p95At: Timestamp.format(quote.eta.p95)),
                    assumptions: quote.assumptions))
        } + result.excluded.map { excluded in
            Rail(
                rail: excluded.railID.rawValue, displayName: excluded.displayName, kind: excluded.kind?.rawValue, eligible: false,
                reasonCodes: excluded.reasons.map(\.code.rawValue),
                reasons: excluded.reasons.map { Reason(code: $0.code.rawValue, message: $0.message) })
        }
    }

    public func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
