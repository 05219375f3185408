import Foundation
import Hummingbird
import RailKit
import SwitchyardAPI
import SwitchyardExecutor

extension SwitchyardAPIServer {
    /// `POST /v1/quotes`: the intent (the same JSON as `switchyard quote --request`) quoted on
    /// every configured rail, ranked, each excluded rail with its reasons — the same JSON as
    /// `switchyard quote --json`. Ranked quotes are kept, so `POST /v1/payments` can pay one by id
    /// before it expires.
    func addQuoteRoutes(to router: Router<APIRequestContext>) {
        router.post("/v1/quotes") { request, context in
            let intent = try Self.checked(try await Self.decode(PaymentIntent.self, from: request), field: "")
            var engine = self.engine
            engine.logger = context.logger
            let result = try await engine.route(intent)
            for ranked in result.ranked { try await store.saveQuote(StoredQuote(quote: ranked.quote, intent: intent)) }
            return try Self.json(QuoteReport(result: result))
        }
    }
}
