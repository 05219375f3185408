import Foundation
import HTTPTypes
import Hummingbird
import RailKit
import RailKitSupport
import SwitchyardAPI
import SwitchyardExecutor
import SwitchyardRouter

extension SwitchyardAPIServer {
    func addPaymentRoutes(to router: Router<APIRequestContext>) {
        router.post("/v1/payments") { request, context in try await createPayment(request, context: context) }

        router.get("/v1/payments/{id}") { _, context in
            let id = try context.parameters.require("id")
            guard let payment = try await store.payment(id: id) else { throw ProblemDetails(.notFound, detail: "No payment \(id).") }
            return try Self.json(PaymentResource(payment))
        }

        router.get("/v1/payments/{id}/events") { _, context in
            let id = try context.parameters.require("id")
            guard try await store.payment(id: id) != nil else { throw ProblemDetails(.notFound, detail: "No payment \(id).") }
            let events = try await store.journal(of: id).map(PaymentEventResource.init)
            return try Self.json(Page(data: events, nextCursor: nil))
        }

        router.get("/v1/payments") { request, _ in
            let filter = try Self.filter(request.uri.queryParameters)
            let payments = try await store.payments(matching: filter)
            let next = payments.count == filter.limit ? payments.last.map { PaymentCursor($0).token } : nil
            return try Self.json(Page(data: payments.map(PaymentResource.init), nextCursor: next))
        }
    }

    /// `POST /v1/payments` with an `Idempotency-Key`: checks, stores the payment due for the
    /// executor and answers 201 with it; the same key and body again answer 200 with the same
    /// payment (never a second one), another body 422, a concurrent first request still in
    /// flight 409.
    func createPayment(_ request: Request, context: APIRequestContext) async throws -> Response {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] else {
            throw ProblemDetails.invalid("Idempotency-Key", rule: "required", "a payment needs an Idempotency-Key header (1 to 255 printable characters)")
        }
        guard (1...255).contains(key.count), key.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x21 && $0.value < 0x7f }) else {
            throw ProblemDetails.invalid("Idempotency-Key", rule: "format", "1 to 255 printable ASCII characters without spaces")
        }
        let body = try await Self.decode(CreatePaymentRequest.self, from: request)
        let identity: PaymentRequestIdentity
        switch (body.quoteId, body.intent) {
        case (let quoteID?, nil):
            guard body.rail == nil else { throw ProblemDetails.invalid("rail", rule: "exclusive", "a stored quote names its rail; send rail only with an intent") }
            identity = PaymentRequestIdentity(quote: quoteID)
        case (nil, let intent?):
            identity = PaymentRequestIdentity(intent: try Self.checked(intent, field: "intent"), rail: body.rail)
        case (.some, .some):
            throw ProblemDetails.invalid("quoteId", rule: "exclusive", "send either quoteId (a stored quote) or intent, not both")
        case (nil, nil):
            throw ProblemDetails.invalid("intent", rule: "required", "send quoteId (a stored quote) or intent")
        }
        let hash = try PaymentExecutor.requestHash(of: identity)
        // A repeated request answers what the first did, before any quoting.
        if let existing = try await store.payment(idempotencyKey: key) {
            guard existing.requestHash == hash else { throw Self.conflict(key: key, paymentID: existing.id) }
            return try Self.paymentAnswer(existing, created: false)
        }
        let (intent, quote) = try await choose(identity, context: context)
        let outcome: CreateOutcome
        do {
            outcome = try await executor.accept(paymentID: "pay_" + UUID().uuidString.lowercased(), intent: intent, quote: quote,
                                                idempotencyKey: key, requestHash: hash)
        } catch let refused as ExecutionRefused {
            let expired = refused.reasons.contains { $0.code == .quoteExpired }
            throw ProblemDetails(expired ? .quoteExpired : .executionRefused, detail: refused.description,
                                 reasons: refused.reasons.map { .init(code: $0.code.rawValue, message: $0.message, rail: refused.railID.rawValue) })
        } catch let conflict as IdempotencyConflict {
            throw Self.conflict(key: key, paymentID: conflict.paymentID)
        } catch let busy as PaymentInProgress {
            throw ProblemDetails(.paymentInProgress, detail: "\(busy)", paymentId: busy.paymentID)
        }
        guard case .created(let payment) = outcome else { return try Self.paymentAnswer(outcome.payment, created: false) }
        context.logger.info("payment accepted", metadata: ["payment": .string(payment.id), "rail": .string(quote.railID.rawValue)])
        return try Self.paymentAnswer(payment, created: true)
    }

    /// The intent and the quote to pay: a stored quote by id, or the named rail's or the best quote now.
    private func choose(_ identity: PaymentRequestIdentity, context: APIRequestContext) async throws -> (PaymentIntent, Quote) {
        if let quoteID = identity.quote {
            guard let stored = try await quotes.quote(id: QuoteID(quoteID)) else {
                throw ProblemDetails.invalid("quoteId", rule: "exists", "no stored quote \(quoteID) (POST /v1/quotes first)")
            }
            return (stored.intent, stored.quote)
        }
        guard let intent = identity.intent else { throw ProblemDetails.invalid("intent", rule: "required", "send quoteId or intent") }
        let result = try await routing.route(intent, logger: context.logger)
        let reasons = result.excluded.flatMap { excluded in
            excluded.reasons.map { ProblemDetails.Reason(code: $0.code.rawValue, message: $0.message, rail: excluded.railID.rawValue) }
        }
        if let rail = identity.rail {
            guard let ranked = result.ranked.first(where: { $0.railID.rawValue == rail }) else {
                throw ProblemDetails(.noRoute, detail: "Rail \(rail) cannot carry this payment.", reasons: reasons.filter { $0.rail == rail })
            }
            return (intent, ranked.quote)
        }
        guard let best = engine.executable(in: result).first else {
            let quoteOnly = result.ranked.map { ranked in
                ProblemDetails.Reason(code: ReasonCode.railDisabled.rawValue, message: "\(ranked.railID) only quotes here.", rail: ranked.railID.rawValue)
            }
            throw ProblemDetails(.noRoute, detail: "No configured rail can carry this payment; each rail's reasons are listed.", reasons: quoteOnly + reasons)
        }
        return (intent, best.quote)
    }

    private static func conflict(key: String, paymentID: String) -> ProblemDetails {
        ProblemDetails(.idempotencyConflict, detail: "Idempotency-Key \(key) was used for another request (payment \(paymentID)); use a new key for a new payment.",
                       errors: [.init(field: "Idempotency-Key", rule: "same_request", message: "this key was used with another request body")],
                       paymentId: paymentID)
    }

    private static func paymentAnswer(_ payment: PaymentRecord, created: Bool) throws -> Response {
        var headers = HTTPFields()
        headers[.location] = "/v1/payments/\(payment.id)"
        if !created { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return try json(PaymentResource(payment), status: created ? .created : .ok, headers: headers)
    }

    /// The listing's filter from the query: `state` (comma-separated), `rail`, `createdAfter`,
    /// `createdBefore` (ISO 8601), `limit` (1–200, default 50) and `cursor` (from `nextCursor`).
    static func filter(_ query: Parameters) throws -> PaymentFilter {
        var filter = PaymentFilter(limit: 50)
        if let states = query.get("state") {
            var parsed = Set<PaymentState>()
            for name in states.split(separator: ",", omittingEmptySubsequences: false) {
                guard let state = PaymentState(rawValue: String(name)) else {
                    throw ProblemDetails.invalid("state", rule: "enum", "one or more of created, submitted, pending, settled, failed, returned (comma-separated)")
                }
                parsed.insert(state)
            }
            filter.states = parsed
        }
        if let rail = query.get("rail") {
            guard let id = try? RailID(rail) else { throw ProblemDetails.invalid("rail", rule: "format", "a rail id such as correspondent-bank-a") }
            filter.rail = id
        }
        for (name, keyPath) in [("createdAfter", \PaymentFilter.since), ("createdBefore", \PaymentFilter.until)] {
            guard let text = query.get(name) else { continue }
            guard let date = Timestamp.parse(text) else {
                throw ProblemDetails.invalid(name, rule: "date-time", "an ISO 8601 date-time with offset, e.g. 2026-11-20T15:00:00Z")
            }
            filter[keyPath: keyPath] = date
        }
        if let text = query.get("limit") {
            guard let limit = Int(text), (1...200).contains(limit) else { throw ProblemDetails.invalid("limit", rule: "range", "a whole number from 1 to 200") }
            filter.limit = limit
        }
        if let token = query.get("cursor") {
            guard let cursor = PaymentCursor(token: token) else {
                throw ProblemDetails.invalid("cursor", rule: "format", "the nextCursor of an earlier page, unchanged")
            }
            filter.after = cursor
        }
        return filter
    }
}
