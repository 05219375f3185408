import Foundation
import RailKit
import RailKitSupport
import RailKitTesting
import Testing
@testable import SwitchyardRouter

@Suite("ETAs of bank-side payouts follow the crediting bank's calendar")
struct PayoutCalendarTests {
    @Test("property: at 300 random instants (weekends, holidays, nights included), no rail that credits a Hong Kong bank account promises a p50 or p95 outside an HK business day's opening hours")
    func noPromiseOutsideBusinessHours() async throws {
        let configuration = try RepositoryConfiguration.load()
        let hk = try #require(configuration.calendars["HK"])
        // The sample pays a HK company's HK bank account; without a wallet on either chain the
        // deposit token pays out through its HK payout bank and the stablecoin through the off-ramp.
        var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        intent.creditor.accounts.wallets = []
        var random = SeededRandom(seed: 3_003)
        let start = Timestamp.parse("2026-01-05T00:00:00Z")!.timeIntervalSince1970
        let end = Timestamp.parse("2027-12-10T00:00:00Z")!.timeIntervalSince1970
        var checked = Set<RailID>()
        for _ in 0..<300 {
            let now = Date(timeIntervalSince1970: (Double.random(in: start..<end, using: &random) / 60).rounded(.down) * 60)
            let result = try await configuration.makeEngine(clock: { now }).route(intent)
            for ranked in result.ranked where ["jpmd-base", "axcnh-conflux", "correspondent-bank-a", "correspondent-bank-b"].contains(ranked.railID) {
                for (name, instant) in [("p50", ranked.quote.eta.p50), ("p95", ranked.quote.eta.p95)] {
                    let day = hk.localDate(of: instant)
                    let opens = hk.instant(on: day, at: hk.opens), closes = hk.instant(on: day, at: hk.closes)
                    #expect(try hk.isBusinessDay(day) && instant >= opens && instant <= closes,
                            "\(ranked.railID) quoted at \(Timestamp.format(now)): \(name) \(Timestamp.format(instant)) is outside HK business hours (\(day))")
                }
                checked.insert(ranked.railID)
            }
        }
        #expect(checked == ["jpmd-base", "axcnh-conflux", "correspondent-bank-a", "correspondent-bank-b"], "\(checked)")
    }
}
