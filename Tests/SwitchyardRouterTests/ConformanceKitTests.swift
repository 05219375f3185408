import Foundation
import RailKit
import RailKitSupport
import RailKitTesting
import Testing

/// The kit must catch broken adapters, or passing it means nothing.
@Suite("Conformance kit catches broken adapters")
struct ConformanceKitTests {
    @Test("costs that do not add up, a thrown decline, and ignored limits are all reported")
    func catchesViolations() async throws {
        let scenarios = [
            ConformanceScenario("pays", intent: Fixture.intent("1000.00"), expect: .quote),
        ]
        await #expect {
            try await RailConformance(adapter: TestRail("liar", .brokenCosts), market: Fixture.market, now: Fixture.now, scenarios: scenarios).run()
        } throws: { error in
            let failure = try #require(error as? ConformanceFailure)
            return failure.violations.contains { $0.contains("costs sum to") }
        }
        await #expect {
            try await RailConformance(adapter: TestRail("thrower", .fail), market: Fixture.market, now: Fixture.now, scenarios: scenarios).run()
        } throws: { error in
            (error as? ConformanceFailure)?.violations.contains { $0.contains("must decline as data") } == true
        }
        // A rail declaring a 5,000 USD minimum that quotes 1,000 USD anyway.
        await #expect {
            try await RailConformance(adapter: TestRail("no-limits", .quote(fee: "1.00", p50Seconds: 1, p95Seconds: 1), minimum: "5000.00", honoursCapabilities: false),
                                      market: Fixture.market, now: Fixture.now, scenarios: scenarios).run()
        } throws: { error in
            (error as? ConformanceFailure)?.violations.contains { $0.contains("below the declared minimum") } == true
        }
    }

    @Test("a well-behaved double passes")
    func passes() async throws {
        let report = try await RailConformance(adapter: TestRail("good", .quote(fee: "1.00", p50Seconds: 1, p95Seconds: 1)), market: Fixture.market,
                                               now: Fixture.now, scenarios: [ConformanceScenario("pays", intent: Fixture.intent("1000.00"), expect: .quote)]).run()
        #expect(report.quotes == 2)  // the scenario and its fixed-receive twin
    }
}
