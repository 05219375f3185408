import Foundation
import RailKit
import RailKitSupport
import SwitchyardRouter

/// The JSON form of a routing result (`switchyard quote --json`; the HTTP API will return the same).
/// Every configured rail appears exactly once; amounts are decimal strings with their currency;
/// durations are whole seconds.
struct QuoteReport: Encodable {
    struct Amount: Encodable {
        var amount: String
        var currency: String
        var fixed: String
    }

    /// An amount for people: the decimal string and the currency or `SYMBOL@chain` (a gas coin).
    struct AmountText: Encodable {
        var amount: String
        var currency: String

        init(_ money: Money) {
            amount = money.decimalValue.description
            currency = money.asset.code
        }
    }

    struct Cost: Encodable {
        var kind: String
        var description: String
        var amount: Money
        var charged: AmountText?
        var bearer: String
        var collection: String
    }

    struct FX: Encodable {
        var rate: String
        var midRate: String
        var pair: String
        var marginBasisPoints: String
        var midSource: String
    }

    struct ETA: Encodable {
        var earliestSettlement: String
        var earliestSeconds: Int
        var p50Seconds: Int
        var p95Seconds: Int
        var p50At: String
        var p95At: String
    }

    struct QuoteBody: Encodable {
        var id: String
        var firmness: String
        var createdAt: String
        var expiresAt: String
        var principal: Money
        var debtorPays: Money
        var creditorReceives: Money
        var fx: FX?
        var costs: [Cost]
        var totalCost: Money
        var eta: ETA
        var assumptions: [Assumption]
    }

    struct Reason: Encodable {
        var code: String
        var message: String
    }

    struct Rail: Encodable {
        var rail: String
        var displayName: String
        var kind: String?
        var eligible: Bool
        var rank: Int?
        var score: Money?
        var timeValue: Money?
        var quote: QuoteBody?
        var reasonCodes: [String]?
        var reasons: [Reason]?
    }

    var requestedAt: String
    var reference: String?
    var sourceCurrency: String
    var destinationCurrency: String
    var amount: Amount
    var creditorCountry: String
    var objective: String
    var annualTimeValueRate: String?
    var deadline: String?
    var marketData: String
    var chosenRail: String?
    var explanation: String
    var rails: [Rail]

    init(result: RoutingResult) {
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

    func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
