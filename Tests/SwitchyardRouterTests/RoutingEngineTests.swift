import Foundation
import RailKit
import RailKitSupport
import Testing
@testable import SwitchyardRouter

@Suite("Routing engine")
struct RoutingEngineTests {
    /// A cheap slow rail, a dear fast rail and one in between.
    static let rails = [
        TestRail("slow-cheap", .quote(fee: "10.00", p50Seconds: 86_400, p95Seconds: 172_800)),
        TestRail("fast-dear", .quote(fee: "50.00", p50Seconds: 60, p95Seconds: 120)),
        TestRail("middle", .quote(fee: "30.00", p50Seconds: 3_600, p95Seconds: 7_200)),
    ]

    @Test("each objective picks its own winner", arguments: [
        (RoutingObjective.cheapest, ["slow-cheap", "middle", "fast-dear"]),
        (.fastest, ["fast-dear", "middle", "slow-cheap"]),
        // 8 % a year on 1,000,030 USD: a day costs 219.19 USD, an hour 9.13, a minute 0.15.
        (.balanced(annualTimeValueRate: try! ExactDecimal(parsing: "0.08")), ["middle", "fast-dear", "slow-cheap"]),
    ])
    func objectives(objective: RoutingObjective, expected: [String]) async throws {
        let result = try await Fixture.engine(Self.rails).route(Fixture.intent(objective: objective))
        #expect(result.ranked.map(\.railID.rawValue) == expected)
        #expect(result.ranked.map(\.rank) == [1, 2, 3])
        #expect(result.chosen?.railID.rawValue == expected[0])
        #expect(result.explanation.hasPrefix("\(expected[0]) is best for the \(objective.name) objective"))
    }

    @Test("balanced scores cost plus the time value of money in flight")
    func balancedScore() async throws {
        let result = try await Fixture.engine(Self.rails).route(Fixture.intent(objective: .balanced(annualTimeValueRate: try ExactDecimal(parsing: "0.08"))))
        let middle = try #require(result.ranked.first { $0.railID == "middle" })
        // 1,000,030.00 × 0.08 × 3600 / 31,536,000 = 9.13 USD.
        #expect(middle.timeValue == (try .fiat("9.13", .usd)))
        #expect(middle.score == (try .fiat("39.13", .usd)))
    }

    @Test("equal scores and arrivals rank by rail id, whatever the configuration's order", arguments: [RoutingObjective.cheapest, .fastest])
    func tiesEndOnRailID(objective: RoutingObjective) async throws {
        let same = TestRail.Behaviour.quote(fee: "20.00", p50Seconds: 600, p95Seconds: 1_200)
        let rails = [TestRail("zulu", same), TestRail("alpha-2", same), TestRail("cheapest", .quote(fee: "5.00", p50Seconds: 600, p95Seconds: 1_200)),
                     TestRail("mike", same), TestRail("alpha-10", same)]
        let result = try await Fixture.engine(rails).route(Fixture.intent(objective: objective))
        // Rail ids compare as strings: "alpha-10" < "alpha-2".
        #expect(result.ranked.map(\.railID.rawValue) == ["cheapest", "alpha-10", "alpha-2", "mike", "zulu"])
    }

    @Test("a rail that hangs times out; the others are still ranked")
    func timeout() async throws {
        let rails = Self.rails + [TestRail("hangs", .hang)]
        let result = try await Fixture.engine(rails, timeout: .milliseconds(200)).route(Fixture.intent())
        #expect(result.ranked.count == 3)
        let hung = try #require(result.excluded.first { $0.railID == "hangs" })
        #expect(hung.reasons.map(\.code) == [.quoteTimeout])
    }

    @Test("a failing rail is reported, never fatal")
    func failure() async throws {
        let result = try await Fixture.engine(Self.rails + [TestRail("broken", .fail)]).route(Fixture.intent())
        #expect(result.ranked.count == 3)
        let broken = try #require(result.excluded.first { $0.railID == "broken" })
        #expect(broken.reasons.map(\.code) == [.railUnavailable])
        #expect(broken.reasons[0].message.contains("connection refused"))
    }

    @Test("a quote whose costs do not add up is not ranked")
    func invalidQuote() async throws {
        let result = try await Fixture.engine([TestRail("liar", .brokenCosts)]).route(Fixture.intent())
        #expect(result.ranked.isEmpty)
        #expect(result.excluded.first?.reasons.first?.message.contains("do not sum") == true)
    }

    @Test("the deadline is a hard constraint on p95 arrival")
    func deadline() async throws {
        let deadline = Fixture.now.addingTimeInterval(7_200)
        let result = try await Fixture.engine(Self.rails).route(Fixture.intent(deadline: deadline))
        #expect(result.ranked.map(\.railID.rawValue) == ["middle", "fast-dear"])
        #expect(result.excluded.map(\.railID.rawValue) == ["slow-cheap"])
        #expect(result.excluded[0].reasons.map(\.code) == [.deadlineNotMet])
    }

    @Test("allowed and excluded rails in the request")
    func selection() async throws {
        let result = try await Fixture.engine(Self.rails).route(Fixture.intent(rails: RailSelection(allowed: ["middle", "fast-dear"], excluded: ["fast-dear"])))
        #expect(result.ranked.map(\.railID.rawValue) == ["middle"])
        #expect(result.excluded.map(\.reasons[0].code) == [.railNotSelected, .railNotSelected])
    }

    @Test("a quote whose score overflows exact arithmetic excludes that rail alone, AMOUNT_OUT_OF_RANGE; the others are ranked")
    func rankingOverflow() async throws {
        // The largest amount an intent may carry, on a rail a decade slow: its time value at 100 %
        // a year is beyond 128-bit exact arithmetic; the minute-fast rail's is not.
        let rails = [TestRail("decade", .quote(fee: "1.00", p50Seconds: 315_360_000, p95Seconds: 315_360_000)),
                     TestRail("minute", .quote(fee: "1.00", p50Seconds: 60, p95Seconds: 60))]
        let result = try await Fixture.engine(rails).route(Fixture.intent("9999999999999999.99", objective: .balanced(annualTimeValueRate: ExactDecimal(1))))
        #expect(result.ranked.map(\.railID.rawValue) == ["minute"])
        let reasons = try #require(result.excluded.first { $0.railID == "decade" }?.reasons)
        #expect(reasons.map(\.code) == [.amountOutOfRange])
        #expect(reasons[0].message.contains("too large to score for the balanced objective"), "\(reasons)")
    }

    @Test("an amount of more than 18 digits is refused as input: no payment message could carry it")
    func eighteenDigits() throws {
        func intent(_ amount: String) throws -> PaymentIntent {
            try PaymentIntent(debtor: Party(name: "Acme", country: .unitedStates), creditor: Party(name: "Harbour", country: .hongKong),
                              sourceCurrency: .usd, destinationCurrency: .cnh, amount: PaymentAmount(try .fiat(amount, .usd), fixed: .send))
        }
        _ = try intent("9999999999999999.99")
        #expect { _ = try intent("10000000000000000.00") } throws: { ($0 as? ValidationError)?.rule == "amount.too_many_digits" }
    }

    @Test("limits from capabilities exclude before quoting")
    func limits() async throws {
        let result = try await Fixture.engine([TestRail("big-only", .quote(fee: "1.00", p50Seconds: 1, p95Seconds: 1), minimum: "5000000.00")])
            .route(Fixture.intent())
        #expect(result.excluded.first?.reasons.map(\.code) == [.amountBelowMinimum])
    }

    @Test("deterministic: same inputs and clock, same result; every rail exactly once")
    func deterministic() async throws {
        let rails = Self.rails + [TestRail("broken", .fail)]
        let first = try await Fixture.engine(rails).route(Fixture.intent())
        let second = try await Fixture.engine(rails).route(Fixture.intent())
        #expect(first.ranked.map(\.quote) == second.ranked.map(\.quote))
        #expect(first.explanation == second.explanation)
        let listed = first.ranked.map(\.railID) + first.excluded.map(\.railID)
        #expect(listed.sorted() == rails.map(\.descriptor.id).sorted())
        #expect(Set(listed).count == listed.count)
    }
}
