import FXQuotes
import Foundation
import RailKit
import RailKitSupport
import RailKitTesting
import SandboxFXDesk
import Synchronization
import Testing

enum FXFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let table = try! FXRateTable.load(from: root.appendingPathComponent("Config/market/fx-desk.json"))
    static let now = Timestamp.parse("2026-11-18T15:00:00Z")!
    static let market = try! AdapterFixtures.market(asOf: now, rates: ["USD/CNH": "7.1200", "USD/HKD": "7.7800"], coinPricesUSD: [:])

    static func request(sell: String? = nil, buy: String? = nil, at now: Date = now) throws -> FXRequest {
        let amount: FXAmount = if let sell { .sell(try .fiat(sell, .usd)) } else { .buy(try .fiat(buy!, .cnh)) }
        return FXRequest(sell: .usd, buy: .cnh, amount: amount, now: now)
    }
}

/// A clock the test moves, shared with the desk's server.
final class TestClock: Sendable {
    private let current = Mutex(FXFixture.now)
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

@Suite("FX quotes from configuration")
struct ConfiguredFXTests {
    @Test("fixed sell: mid less the size tier's spread, buy amount rounded down")
    func fixedSell() async throws {
        let desk = ConfiguredFXProvider(table: FXFixture.table, market: FXFixture.market)
        // 10,000 USD: 50 bp → 7.12 × 0.995 = 7.0844; 70,844.00 CNH.
        let small = try await desk.indicativePrice(try FXFixture.request(sell: "10000.00"))
        #expect(small.rate.rate == (try ExactDecimal(parsing: "7.0844")))
        #expect(small.buyAmount == (try .fiat("70844.00", .cnh)))
        // 500,000 USD: 25 bp → 7.1022; 2,000,000 USD: 10 bp → 7.11288.
        #expect(try await desk.indicativePrice(try FXFixture.request(sell: "500000.00")).rate.rate == (try ExactDecimal(parsing: "7.1022")))
        let large = try await desk.indicativePrice(try FXFixture.request(sell: "2000000.00"))
        #expect(large.rate.rate == (try ExactDecimal(parsing: "7.11288")))
        #expect(large.source.contains("10 bp"))
        // 123.45 USD × 7.0844 = 874.56918 → 874.56 CNH (never rounded in the payer's favour).
        #expect(try await desk.indicativePrice(try FXFixture.request(sell: "123.45")).buyAmount == (try .fiat("874.56", .cnh)))
    }

    @Test("fixed buy: the sell amount is rounded up, so the buy amount is always covered")
    func fixedBuy() async throws {
        let desk = ConfiguredFXProvider(table: FXFixture.table, market: FXFixture.market)
        let price = try await desk.indicativePrice(try FXFixture.request(buy: "874.57"))
        // 874.57 / 7.0844 = 123.4501…, rounded up to 123.46 USD; and 123.46 × 7.0844 ≥ 874.57.
        #expect(price.sellAmount == (try .fiat("123.46", .usd)))
        #expect(try price.rate.convert(price.sellAmount, rounding: .down) >= price.buyAmount)
    }

    @Test("unsupported pairs and amounts outside the limits are clear errors")
    func refusals() async throws {
        let desk = ConfiguredFXProvider(table: FXFixture.table, market: FXFixture.market)
        await #expect(throws: FXError.unsupportedPair(sell: .usd, buy: .jpy)) {
            try await desk.indicativePrice(FXRequest(sell: .usd, buy: .jpy, amount: .sell(try .fiat("100.00", .usd)), now: FXFixture.now))
        }
        await #expect(throws: FXError.self) { try await desk.indicativePrice(try FXFixture.request(sell: "5.00")) }
        await #expect(throws: FXError.self) { try await desk.indicativePrice(try FXFixture.request(sell: "20000000.00")) }
    }

    @Test("a firm quote books before expiry, once; after expiry it is refused")
    func firmQuotes() async throws {
        let desk = ConfiguredFXProvider(table: FXFixture.table, market: FXFixture.market)
        let quote = try await desk.firmQuote(try FXFixture.request(sell: "10000.00"))
        #expect(quote.expiresAt == FXFixture.now.addingTimeInterval(30))
        let deal = try await desk.book(quote, at: FXFixture.now.addingTimeInterval(29))
        #expect(deal.price.buyAmount == (try .fiat("70844.00", .cnh)))
        #expect(try await desk.book(quote, at: FXFixture.now.addingTimeInterval(40)) == deal)
        let late = try await desk.firmQuote(try FXFixture.request(sell: "10000.00"))
        await #expect(throws: FXError.quoteExpired(id: late.id, expiredAt: late.expiresAt)) {
            try await desk.book(late, at: FXFixture.now.addingTimeInterval(31))
        }
    }
}

@Suite("FX quotes over a SEP-38 style RFQ API")
struct SEP38Tests {
    static func start(clock: TestClock) async throws -> (SEP38FXProvider, Task<Void, any Error>) {
        let server = FXDeskServer(desk: ConfiguredFXProvider(table: FXFixture.table, market: FXFixture.market), token: Self.token, clock: { clock.now() })
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { defer { continuation.finish() }; try await server.run { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return (SEP38FXProvider(endpoint: URL(string: "http://127.0.0.1:\(port)")!, token: Self.token), task)
    }

    static let token = "desk-token-for-tests"

    @Test("indicative price and firm quote arrive with exact amounts, an id and an expiry")
    func priceAndQuote() async throws {
        let clock = TestClock()
        let (provider, server) = try await Self.start(clock: clock)
        defer { server.cancel() }
        let price = try await provider.indicativePrice(try FXFixture.request(sell: "10000.00"))
        #expect(price.buyAmount == (try .fiat("70844.00", .cnh)))
        #expect(price.rate.rate == (try ExactDecimal(parsing: "7.0844")))
        #expect(price.mid?.rate == (try ExactDecimal(parsing: "7.12")))
        let quote = try await provider.firmQuote(try FXFixture.request(buy: "874.57"))
        #expect(quote.price.sellAmount == (try .fiat("123.46", .usd)))
        #expect(quote.price.buyAmount == (try .fiat("874.57", .cnh)))
        #expect(quote.expiresAt == clock.now().addingTimeInterval(30))
        #expect(!quote.id.isEmpty)
    }

    @Test("booking inside the window succeeds; an expired firm quote is refused with its expiry")
    func bookingAndExpiry() async throws {
        let clock = TestClock()
        let (provider, server) = try await Self.start(clock: clock)
        defer { server.cancel() }
        let quote = try await provider.firmQuote(try FXFixture.request(sell: "10000.00"))
        clock.advance(10)
        let deal = try await provider.book(quote, at: clock.now())
        #expect(deal.quoteID == quote.id)
        let stale = try await provider.firmQuote(try FXFixture.request(sell: "10000.00"))
        clock.advance(31)
        await #expect(throws: FXError.quoteExpired(id: stale.id, expiredAt: stale.expiresAt)) { try await provider.book(stale, at: clock.now()) }
        await #expect(throws: FXError.unknownQuote("FXQ-404")) {
            try await provider.book(FirmFXQuote(id: "FXQ-404", price: quote.price, expiresAt: quote.expiresAt), at: clock.now())
        }
    }

    @Test("a dealer that cannot be reached is unreachable (nothing sent), not an unknown outcome")
    func unreachableDealer() async throws {
        let clock = TestClock()
        let (provider, server) = try await Self.start(clock: clock)
        let quote = try await provider.firmQuote(try FXFixture.request(sell: "10000.00"))
        server.cancel()
        _ = await server.result  // the listener is closed once the server has stopped
        await #expect {
            try await provider.book(quote, at: clock.now())
        } throws: { error in
            if case .unreachable? = error as? FXError { return true }
            return false
        }
    }

    @Test("an unsupported pair is refused by the server and reported, not priced")
    func unsupportedPair() async throws {
        let (provider, server) = try await Self.start(clock: TestClock())
        defer { server.cancel() }
        await #expect(throws: FXError.self) {
            try await provider.indicativePrice(FXRequest(sell: .usd, buy: .jpy, amount: .sell(try .fiat("100.00", .usd)), now: FXFixture.now))
        }
    }
}
