import Foundation
import FXQuotes
import Hummingbird
import NIOCore
import RailKit
import RailKitSupport
import SandboxHTTP

/// The sandbox FX dealer: a SEP-38 style RFQ API on loopback over a ``ConfiguredFXProvider``.
///
/// - `GET /price?sell_asset=iso4217:USD&buy_asset=iso4217:CNH&sell_amount=100.00` — indicative.
/// - `POST /quote` — a firm quote with `id` and `expires_at`.
/// - `GET /quote/{id}` — a firm quote again.
/// - `POST /quote/{id}/book` — books it; `410 Gone` once expired.
/// - `GET /sandbox/deals` — the desk's blotter (every deal booked), for tests counting bookings.
///
/// Every request carries `Authorization: Bearer <token>`, as a dealer's API requires; without it
/// the answer is 401 with a SEP-38 error body.
public struct FXDeskServer: Sendable {
    public let desk: ConfiguredFXProvider
    let token: String
    let clock: @Sendable () -> Date

    public init(desk: ConfiguredFXProvider, token: String, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.desk = desk
        self.token = token
        self.clock = clock
    }

    /// Runs until cancelled on `127.0.0.1:port` (0 = a free port); `onListening` gets the bound port.
    public func run(port: Int = 0, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(router: router(), server: SandboxServerConfiguration.http1,
                              configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "switchyard-fx-desk"),
                              onServerRunning: { await onListening($0.localAddress?.port ?? port) })
        try await app.run()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let desk = self.desk, clock = self.clock
        router.add(middleware: ProblemBodyMiddleware())
        router.add(middleware: BearerTokenMiddleware(token: token) {
            JSONResponse.make(SEP38Wire.ErrorResponse(error: "Authorization: a valid bearer token is required"), status: .unauthorized)
        })
        router.get("/price") { request, _ -> Response in
            let query = request.uri.queryParameters
            let parsed = Self.request(sell: query["sell_asset"].map(String.init), buy: query["buy_asset"].map(String.init),
                                      sellAmount: query["sell_amount"].map(String.init), buyAmount: query["buy_amount"].map(String.init), now: clock())
            switch parsed {
            case .failure(let problem): return JSONResponse.make(SEP38Wire.ErrorResponse(error: problem.description), status: .badRequest)
            case .success(let fx):
                do { return JSONResponse.make(SEP38Wire.response(try await desk.indicativePrice(fx))) } catch {
                    return JSONResponse.make(SEP38Wire.ErrorResponse(error: "\(error)"), status: .badRequest)
                }
            }
        }
        router.post("/quote") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            guard let wire = try? JSONDecoder().decode(SEP38Wire.QuoteRequest.self, from: Data(body.readableBytesView)) else {
                return JSONResponse.make(SEP38Wire.ErrorResponse(error: "body must be a SEP-38 quote request"), status: .badRequest)
            }
            switch Self.request(sell: wire.sell_asset, buy: wire.buy_asset, sellAmount: wire.sell_amount, buyAmount: wire.buy_amount, now: clock()) {
            case .failure(let problem): return JSONResponse.make(SEP38Wire.ErrorResponse(error: problem.description), status: .badRequest)
            case .success(let fx):
                do { return JSONResponse.make(SEP38Wire.response(try await desk.firmQuote(fx)), status: .created) } catch {
                    return JSONResponse.make(SEP38Wire.ErrorResponse(error: "\(error)"), status: .badRequest)
                }
            }
        }
        router.get("/quote/{id}") { _, context -> Response in
            guard let id = context.parameters.get("id"), let quote = await desk.quote(id: id) else {
                return JSONResponse.make(SEP38Wire.ErrorResponse(error: "no such quote"), status: .notFound)
            }
            return JSONResponse.make(SEP38Wire.response(quote))
        }
        router.post("/quote/{id}/book") { _, context -> Response in
            guard let id = context.parameters.get("id"), let quote = await desk.quote(id: id) else {
                return JSONResponse.make(SEP38Wire.ErrorResponse(error: "no such quote"), status: .notFound)
            }
            do {
                let deal = try await desk.book(quote, at: clock())
                return JSONResponse.make(SEP38Wire.BookResponse(deal_id: deal.dealID, quote_id: deal.quoteID, booked_at: Timestamp.format(deal.bookedAt)))
            } catch FXError.quoteExpired(_, let expiredAt) {
                return JSONResponse.make(SEP38Wire.ErrorResponse(error: "quote expired", expired_at: Timestamp.format(expiredAt)), status: .gone)
            } catch {
                return JSONResponse.make(SEP38Wire.ErrorResponse(error: "\(error)"), status: .badRequest)
            }
        }
        router.get("/sandbox/deals") { _, _ -> Response in
            JSONResponse.make(await desk.bookedDeals().map {
                SEP38Wire.BookResponse(deal_id: $0.dealID, quote_id: $0.quoteID, booked_at: Timestamp.format($0.bookedAt))
            })
        }
        return router
    }

    static func request(sell: String?, buy: String?, sellAmount: String?, buyAmount: String?, now: Date) -> Result<FXRequest, FXError> {
        guard let sellCurrency = sell.flatMap(SEP38Wire.currency), let buyCurrency = buy.flatMap(SEP38Wire.currency) else {
            return .failure(.amountNotQuoted("sell_asset and buy_asset must be iso4217:XXX"))
        }
        do {
            switch (sellAmount, buyAmount) {
            case (let text?, nil):
                return .success(FXRequest(sell: sellCurrency, buy: buyCurrency, amount: .sell(try Money(parsing: text, asset: .fiat(sellCurrency), field: "sell_amount")), now: now))
            case (nil, let text?):
                return .success(FXRequest(sell: sellCurrency, buy: buyCurrency, amount: .buy(try Money(parsing: text, asset: .fiat(buyCurrency), field: "buy_amount")), now: now))
            default:
                return .failure(.amountNotQuoted("exactly one of sell_amount and buy_amount is required"))
            }
        } catch {
            return .failure(.amountNotQuoted(error.description))
        }
    }
}
