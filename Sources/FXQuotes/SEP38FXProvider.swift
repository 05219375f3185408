import CounterpartHTTPClient
import Foundation
import Logging
import RailKit
import RailKitSupport

/// An ``FXQuoteProvider`` over a dealer's SEP-38 style RFQ API: `GET /price` (indicative),
/// `POST /quote` (firm, with id and expiry) and `POST /quote/{id}/book`.
/// The bearer token goes in the header only, never into errors.
public struct SEP38FXProvider: FXQuoteProvider, CustomStringConvertible {
    public let endpoint: URL
    private let token: String?
    public let timeout: TimeInterval
    /// Each call is logged at `debug` by path and status; never the token.
    public var logger: Logger

    public init(endpoint: URL, token: String?, timeout: TimeInterval = 10, logger: Logger = Logger(label: "switchyard.client", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.endpoint = endpoint
        self.token = token
        self.timeout = timeout
        self.logger = logger
    }

    public var description: String { "SEP38FXProvider(\(endpoint.host ?? "?"))" }

    public func indicativePrice(_ request: FXRequest) async throws(FXError) -> FXPrice {
        var components = URLComponents(url: endpoint.appendingPathComponent("price"), resolvingAgainstBaseURL: false)!
        var items = [URLQueryItem(name: "sell_asset", value: SEP38Wire.asset(request.sell)),
                     URLQueryItem(name: "buy_asset", value: SEP38Wire.asset(request.buy)),
                     URLQueryItem(name: "context", value: "sep31")]
        switch request.amount {
        case .sell(let money): items.append(URLQueryItem(name: "sell_amount", value: money.decimalValue.description))
        case .buy(let money): items.append(URLQueryItem(name: "buy_amount", value: money.decimalValue.description))
        }
        components.queryItems = items
        let body: SEP38Wire.PriceResponse = try await call(CounterpartRequest(url: components.url!))
        return try SEP38Wire.price(sell: request.sell, buy: request.buy, sellAmount: body.sell_amount, buyAmount: body.buy_amount,
                                   rate: body.x_rate, mid: body.x_mid, source: body.x_source)
    }

    public func firmQuote(_ request: FXRequest) async throws(FXError) -> FirmFXQuote {
        var http = CounterpartRequest(url: endpoint.appendingPathComponent("quote"), method: "POST")
        var wire = SEP38Wire.QuoteRequest(sell_asset: SEP38Wire.asset(request.sell), buy_asset: SEP38Wire.asset(request.buy),
                                          sell_amount: nil, buy_amount: nil)
        switch request.amount {
        case .sell(let money): wire.sell_amount = money.decimalValue.description
        case .buy(let money): wire.buy_amount = money.decimalValue.description
        }
        http.body = try? JSONEncoder().encode(wire)
        http.setHeader("Content-Type", "application/json")
        let body: SEP38Wire.QuoteResponse = try await call(http)
        guard body.sell_asset == wire.sell_asset, body.buy_asset == wire.buy_asset, let expires = Timestamp.parse(body.expires_at) else {
            throw .unavailable("the firm quote does not match the request or has no valid expiry")
        }
        let price = try SEP38Wire.price(sell: request.sell, buy: request.buy, sellAmount: body.sell_amount, buyAmount: body.buy_amount,
                                        rate: body.x_rate, mid: body.x_mid, source: body.x_source)
        // The fixed side must come back exactly as asked.
        switch request.amount {
        case .sell(let money) where money != price.sellAmount, .buy(let money) where money != price.buyAmount:
            throw .unavailable("the firm quote changed the fixed amount \(money)")
        default: break
        }
        return FirmFXQuote(id: body.id, price: price, expiresAt: expires)
    }

    public func book(_ quote: FirmFXQuote, at now: Date) async throws(FXError) -> FXDeal {
        let http = CounterpartRequest(url: endpoint.appendingPathComponent("quote/\(quote.id)/book"), method: "POST")
        do {
            let body: SEP38Wire.BookResponse = try await call(http)
            return FXDeal(dealID: body.deal_id, quoteID: body.quote_id, price: quote.price, bookedAt: Timestamp.parse(body.booked_at) ?? now)
        } catch .unknownQuote {
            throw .unknownQuote(quote.id)
        }
    }

    private func call<Body: Decodable>(_ request: CounterpartRequest) async throws(FXError) -> Body {
        var request = request
        request.timeout = timeout
        if let token { request.setHeader("Authorization", "Bearer \(token)") }
        let response: CounterpartResponse
        let path = request.url.path
        do { response = try await CounterpartHTTP.send(request) } catch {
            logger.debug("FX dealer call", metadata: ["counterpart": "fx_dealer", "path": .string(path), "outcome": "transport error"])
            if case .notConnected = error { throw .unreachable(error.description) }
            throw .unavailable(error.description)
        }
        let status = response.status, data = response.body
        logger.debug("FX dealer call", metadata: ["counterpart": "fx_dealer", "path": .string(path), "http_status": .stringConvertible(status)])
        switch status {
        case 200..<300:
            do { return try JSONDecoder().decode(Body.self, from: data) } catch { throw .unavailable("unreadable answer: \(error)") }
        case 404:
            throw .unknownQuote(request.url.lastPathComponent)
        case 410:
            let problem = try? JSONDecoder().decode(SEP38Wire.ErrorResponse.self, from: data)
            let id = request.url.deletingLastPathComponent().lastPathComponent
            throw .quoteExpired(id: id, expiredAt: problem?.expired_at.flatMap(Timestamp.parse) ?? .distantPast)
        case 400:
            let problem = try? JSONDecoder().decode(SEP38Wire.ErrorResponse.self, from: data)
            throw .amountNotQuoted(problem.map { CounterpartText.sanitized($0.error) } ?? "bad request")
        default:
            throw .unavailable("HTTP \(status)")
        }
    }
}
