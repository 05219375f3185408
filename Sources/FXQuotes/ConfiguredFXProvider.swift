import Foundation
import RailKit
import RailKitSupport

/// An ``FXQuoteProvider`` that prices from a rate table and mid rates, and keeps its firm quotes
/// and deals in memory: the desk behind the sandbox RFQ server, and a provider a rail can use
/// directly when the treasury converts in-house at configured spreads.
public actor ConfiguredFXProvider: FXQuoteProvider {
    public let table: FXRateTable
    private var market: MarketSnapshot
    private var quotes = [String: FirmFXQuote]()
    private var deals = [String: FXDeal]()
    /// Quote ids in booking order (the blotter's order).
    private var booked = [String]()

    public init(table: FXRateTable, market: MarketSnapshot) {
        self.table = table
        self.market = market
    }

    /// Replaces the mid rates (a new market snapshot); existing firm quotes keep their prices.
    public func update(_ market: MarketSnapshot) { self.market = market }

    public func indicativePrice(_ request: FXRequest) async throws(FXError) -> FXPrice {
        try price(request)
    }

    public func firmQuote(_ request: FXRequest) async throws(FXError) -> FirmFXQuote {
        let price = try price(request)
        // 128 random bits: a client that knows its own quote id cannot guess (and book) another's.
        let quote = FirmFXQuote(id: "FXQ-" + Hex.random(), price: price,
                                expiresAt: request.now.addingTimeInterval(TimeInterval(table.quoteValiditySeconds)))
        quotes[quote.id] = quote
        return quote
    }

    public func book(_ quote: FirmFXQuote, at now: Date) async throws(FXError) -> FXDeal {
        if let deal = deals[quote.id] { return deal }
        guard let held = quotes[quote.id] else { throw .unknownQuote(quote.id) }
        guard now <= held.expiresAt else { throw .quoteExpired(id: held.id, expiredAt: held.expiresAt) }
        let deal = FXDeal(dealID: "FXD-" + held.id.dropFirst(4), quoteID: held.id, price: held.price, bookedAt: now)
        deals[held.id] = deal
        booked.append(held.id)
        return deal
    }

    /// Every booked deal (the desk's blotter), in booking order.
    public func bookedDeals() -> [FXDeal] { booked.compactMap { deals[$0] } }

    /// A firm quote by id (what the RFQ server's `GET /quote/{id}` answers).
    public func quote(id: String) -> FirmFXQuote? { quotes[id] }

    private func price(_ request: FXRequest) throws(FXError) -> FXPrice {
        let mid: ExchangeRate
        do { mid = try market.midRate(from: request.sell, to: request.buy) } catch {
            throw .unsupportedPair(sell: request.sell, buy: request.buy)
        }
        return try table.price(request, mid: mid, source: market.source)
    }
}
