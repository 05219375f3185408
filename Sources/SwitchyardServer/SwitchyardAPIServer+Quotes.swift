import Foundation
import Hummingbird
import RailKit
import SwitchyardRouter
import SwitchyardAPI
import Metrics
import SwitchyardExecutor

extension SwitchyardAPIServer {
    /// `POST /v1/quotes`: the intent (the same JSON as `switchyard quote --request`) quoted on
    /// every configured rail, ranked, each excluded rail with its reasons — the same JSON as
    /// `switchyard quote --json`. Ranked quotes are kept, so `POST /v1/payments` can pay one by id
    /// before it expires.
    func addQuoteRoutes(to router: Router<APIRequestContext>) {
        router.post("/v1/quotes") { request, context in
            let intent = try Self.checked(try await Self.decode(PaymentIntent.self, from: request), field: "")
            let result = try await routing.route(intent, logger: context.logger)
            Self.countQuotes(result)
            await quotes.remember(result.ranked.map { StoredQuote(quote: $0.quote, intent: intent) }, now: clock())
            return try Self.json(QuoteReport(result: result))
        }
    }

    /// `switchyard_quotes_total{rail, outcome}`: each rail quoted, or excluded with its first reason code.
    static func countQuotes(_ result: RoutingResult) {
        for ranked in result.ranked {
            Counter(label: "switchyard_quotes_total", dimensions: [("rail", ranked.railID.rawValue), ("outcome", "quoted")]).increment()
        }
        for excluded in result.excluded {
            Counter(label: "switchyard_quotes_total", dimensions: [("rail", excluded.railID.rawValue),
                                                                   ("outcome", excluded.reasons.first?.code.rawValue ?? "excluded")]).increment()
        }
    }
}
