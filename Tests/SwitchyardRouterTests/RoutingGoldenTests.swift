import Crypto
import EVMKit
import Foundation
import Logging
import RailKit
import RailKitTesting
import SwitchyardAPI
import SwitchyardRouter
import Testing
@testable import SwitchyardCommands

/// Routing decisions pinned byte for byte: a generated set of payments (the samples with amounts
/// across every limit, both fixed sides, every objective and charge bearer, other creditor
/// countries and names, deadlines, instants across weekends, holidays and DST changes) routed
/// through the shipped configuration, the JSON report and the table compared with what the code
/// answered when the set was recorded. Making routing faster must not change one byte of it.
///
/// The recorded file keeps each case's intent and instant, so the cases stay fixed when the
/// generator changes; `SWITCHYARD_RECORD_ROUTING_GOLDEN=1` records it again (only for a change
/// meant to alter decisions, and say so in the commit).
@Suite("Routing decisions byte for byte against the recorded set")
struct RoutingGoldenTests {
    static let file = Fixture.repository.appendingPathComponent("Tests/SwitchyardRouterTests/Fixtures/routing-golden.jsonl")

    struct Case: Codable {
        var now: String
        var intent: String
        /// SHA-256 of the JSON report, then of the table.
        var report: String
        var table: String
    }

    static func configuration() throws -> SwitchyardConfiguration {
        try SwitchyardConfiguration.load(from: Fixture.config, overlay: Fixture.repository.appendingPathComponent("Sandbox/sample-config"),
                                         factories: RailModules.factories(environment: [:]))
    }

    /// The report and the table for one case, or the error's text when the intent is refused.
    static func answer(intent json: String, now: Date, configuration: SwitchyardConfiguration) async throws -> (report: String, table: String) {
        let intent: PaymentIntent
        do {
            intent = try PaymentIntent.decodeStrictly(from: Data(json.utf8))
            try intent.checkEVMAddresses()
        } catch {
            return ("refused: \(error)", "")
        }
        var engine = configuration.makeEngine(clock: { now })
        engine.makeQuoteID = { QuoteID("q-\($0.rawValue)") }
        engine.logger = Logger(label: "golden", factory: { _ in SwiftLogNoOpLogHandler() })
        let result = try await engine.route(intent)
        return (try QuoteReport(result: result).jsonString(), QuoteTable.render(result))
    }

    static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    @Test("400 generated payments route exactly as recorded")
    func recordedDecisions() async throws {
        let configuration = try Self.configuration()
        if ProcessInfo.processInfo.environment["SWITCHYARD_RECORD_ROUTING_GOLDEN"] == "1" {
            try await Self.record(configuration: configuration)
            // Comparing with what was just written could not fail: a recording run is not a passing one.
            Issue.record("recorded \(Self.file.lastPathComponent) again; run the test without SWITCHYARD_RECORD_ROUTING_GOLDEN to compare")
            return
        }
        let lines = try String(contentsOf: Self.file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 400)
        var mismatches = 0
        for (number, line) in lines.enumerated() {
            let recorded = try JSONDecoder().decode(Case.self, from: Data(line.utf8))
            let answer = try await Self.answer(intent: recorded.intent, now: Timestamp.parse(recorded.now)!, configuration: configuration)
            if Self.digest(answer.report) != recorded.report || Self.digest(answer.table) != recorded.table {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record("case \(number + 1) (\(recorded.now)) routes differently now:\n\(answer.report)\n\(answer.table)")
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(lines.count) cases differ from the recorded set")
    }

    /// Generates the cases and writes them with today's answers.
    static func record(configuration: SwitchyardConfiguration) async throws {
        var random = SeededRandom(seed: 14_2026_1129)
        let samples = try ["hk-supplier-usd-cnh", "hk-invoice-fixed-receive-cnh", "eu-buyer-eur-hk-usd", "hk-usd-deposit-token",
                           "cn-supplier-usd-cnh", "sandbox-deposit-token"].map { name in
            try JSONSerialization.jsonObject(with: Data(contentsOf: Fixture.config.appendingPathComponent("samples/\(name).json"))) as! [String: Any]
        }
        // Instants around the calendars' hard days as well as anywhere in their coverage.
        let pinned = ["2026-03-08T06:59:00Z", "2026-03-08T07:01:00Z", "2026-11-01T05:30:00Z", "2026-12-24T21:59:00Z", "2026-12-31T23:59:00Z",
                      "2027-01-01T00:00:00Z", "2026-04-03T01:00:00Z", "2026-02-16T02:00:00Z", "2026-10-01T09:00:00Z", "2026-11-20T15:00:00Z",
                      "2026-11-18T03:00:00Z", "2027-02-06T08:00:00Z", "2026-09-26T12:00:00Z"]
        let start = Timestamp.parse("2026-01-02T00:00:00Z")!.timeIntervalSince1970
        let end = Timestamp.parse("2027-12-20T00:00:00Z")!.timeIntervalSince1970
        var lines = [String]()
        for number in 0..<400 {
            let now = number < pinned.count ? Timestamp.parse(pinned[number])!
                : Date(timeIntervalSince1970: (Double.random(in: start..<end, using: &random) / 60).rounded(.down) * 60)
            var intent = samples[number % samples.count]
            Self.mutate(&intent, now: now, random: &random)
            let json = String(decoding: try JSONSerialization.data(withJSONObject: intent, options: [.sortedKeys]), as: UTF8.self)
            let answer = try await Self.answer(intent: json, now: now, configuration: configuration)
            let line = Case(now: Timestamp.format(now), intent: json, report: Self.digest(answer.report), table: Self.digest(answer.table))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            lines.append(String(decoding: try encoder.encode(line), as: UTF8.self))
        }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    }

    static func mutate(_ intent: inout [String: Any], now: Date, random: inout SeededRandom) {
        var amount = intent["amount"] as! [String: Any]
        let source = intent["sourceCurrency"] as! String, destination = intent["destinationCurrency"] as! String
        if Bool.random(using: &random) {
            let fixedReceive = Int.random(in: 0..<4, using: &random) == 0
            amount["fixed"] = fixedReceive ? "receive" : "send"
            amount["currency"] = fixedReceive ? destination : source
        }
        let edges = ["0.01", "1.00", "999.99", "1000.00", "1000.01", "2999.99", "10000.00", "49999.99", "50000.00", "100000.00", "250000.00",
                     "999999.99", "1000000.00", "1999999.99", "2000000.00", "2000000.01", "5000000.00"]
        if Bool.random(using: &random) {
            amount["amount"] = edges.randomElement(using: &random)!
        } else {
            amount["amount"] = "\(Int.random(in: 1...3_000_000, using: &random)).\(String(format: "%02d", Int.random(in: 0...99, using: &random)))"
        }
        intent["amount"] = amount
        switch Int.random(in: 0..<5, using: &random) {
        case 0: intent["objective"] = "cheapest"
        case 1: intent["objective"] = "fastest"
        case 2: intent["objective"] = ["type": "balanced", "annualTimeValueRate": ["0.08", "0.25", "0.015"].randomElement(using: &random)!]
        default: break
        }
        if Int.random(in: 0..<3, using: &random) == 0 { intent["chargeBearer"] = ["OUR", "SHA", "BEN"].randomElement(using: &random)! }
        if Int.random(in: 0..<4, using: &random) == 0 {
            intent["deadline"] = Timestamp.format(now.addingTimeInterval(TimeInterval(Int.random(in: 1...96, using: &random) * 3600)))
        }
        var creditor = intent["creditor"] as! [String: Any]
        switch Int.random(in: 0..<10, using: &random) {
        case 0: creditor["name"] = "Harbour Électronique Supply Ltd"
        case 1: creditor["name"] = "深圳精密零件有限公司"
        case 2:
            creditor["country"] = "CN"
            var address = creditor["address"] as? [String: Any] ?? [:]
            address["country"] = "CN"
            creditor["address"] = address
        case 3: creditor["country"] = "SG"
        default: break
        }
        if Int.random(in: 0..<8, using: &random) == 0 {
            creditor["accounts"] = ["wallets": [["chain": "eip155:8453", "address": "0x2222222222222222222222222222222222222222"]]]
        }
        intent["creditor"] = creditor
        if Int.random(in: 0..<8, using: &random) == 0, var debtor = intent["debtor"] as? [String: Any] {
            debtor["accounts"] = ["accountNumber": "000123456789", "bic": "SWYAUS33"]
            intent["debtor"] = debtor
        }
        if Int.random(in: 0..<6, using: &random) == 0 { intent.removeValue(forKey: "travelRule") }
    }
}

@Suite("An engine changed after it is built")
struct EngineChangeTests {
    static func intent(_ amount: String) throws -> PaymentIntent {
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixture.config.appendingPathComponent("samples/hk-supplier-usd-cnh.json"))) as! [String: Any]
        json["amount"] = ["amount": amount, "currency": "USD", "fixed": "send"]
        return try PaymentIntent.decodeStrictly(from: JSONSerialization.data(withJSONObject: json))
    }

    static func engine() throws -> RoutingEngine {
        var engine = try RoutingGoldenTests.configuration().makeEngine(clock: { Timestamp.parse("2026-11-20T15:00:00Z")! })
        engine.makeQuoteID = { QuoteID("q-\($0.rawValue)") }
        return engine
    }

    @Test("rails removed, reordered or replaced after the engine is built are routed as configured now")
    func railsChanged() async throws {
        var engine = try Self.engine()
        let all = try await engine.route(Self.intent("250000.00"))
        #expect(all.ranked.contains { $0.railID == "axcnh-conflux" })
        engine.rails.removeAll { $0.id == "axcnh-conflux" }
        let without = try await engine.route(Self.intent("250000.00"))
        #expect(!without.ranked.contains { $0.railID == "axcnh-conflux" } && !without.excluded.contains { $0.railID == "axcnh-conflux" })
        // A rail disabled in place: excluded as disabled, never quoted.
        let index = try #require(engine.rails.firstIndex { $0.id == "correspondent-bank-a" })
        engine.rails[index].enabled = false
        let disabled = try await engine.route(Self.intent("250000.00"))
        #expect(disabled.excluded.first { $0.railID == "correspondent-bank-a" }?.reasons.map(\.code) == [.railDisabled])
    }

    @Test("policy rules added or removed after the engine is built are applied")
    func policyChanged() async throws {
        var engine = try Self.engine()
        // Above the stablecoin's USD 2,000,000 exposure limit: the CNH rail is excluded by that rule.
        let large = try Self.intent("2500000.00")
        let limited = try await engine.route(large)
        #expect(limited.excluded.first { $0.railID == "axcnh-conflux" }?.reasons.map(\.code).contains(.policyAmountLimit) == true)
        engine.policy.rules.removeAll { if case .amountLimit = $0 { true } else { false } }
        let unlimited = try await engine.route(large)
        #expect(unlimited.excluded.first { $0.railID == "axcnh-conflux" }?.reasons.map(\.code).contains(.policyAmountLimit) != true)
        // A rule added after the engine was built (beyond the rules it had worked out which rails answer to).
        engine.policy.rules.append(.amountLimit(id: "bank-cap", railKinds: [.correspondentBanking], rails: nil, minimum: nil,
                                                maximum: try .fiat("1000.00", .usd), source: "test"))
        let capped = try await engine.route(large)
        #expect(capped.excluded.first { $0.railID == "correspondent-bank-a" }?.reasons.map(\.code).contains(.policyAmountLimit) == true)
    }
}

@Suite("The end of a calendar's coverage")
struct CalendarCoverageTests {
    @Test("a payment whose ETA runs past the calendars' last year: the rail is excluded as CALENDAR_NOT_COVERED naming the calendar and the year, not RAIL_UNAVAILABLE")
    func endOfCoverage() async throws {
        var engine = try RoutingGoldenTests.configuration().makeEngine(clock: { Timestamp.parse("2027-12-31T12:00:00Z")! })
        engine.makeQuoteID = { QuoteID("q-\($0.rawValue)") }
        let intent = try EngineChangeTests.intent("250000.00")
        let result = try await engine.route(intent)
        let bank = try #require(result.excluded.first { $0.railID == "correspondent-bank-a" })
        #expect(bank.reasons.map(\.code) == [.calendarNotCovered])
        #expect(bank.reasons.first?.message.contains("2028") == true && bank.reasons.first?.message.contains("Calendar ") == true)
        #expect(!result.excluded.flatMap(\.reasons).contains { $0.code == .railUnavailable })
    }
}

@Suite("Quote ids")
struct QuoteIDTests {
    @Test("random quote ids are q_ and a lower-case version 4 UUID, and 200,000 of them from two tasks are distinct")
    func randomIDs() async throws {
        let batches = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<2 { group.addTask { (0..<100_000).map { _ in QuoteID.random().rawValue } } }
            return await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        let ids = batches.flatMap { $0 }
        #expect(Set(ids).count == 200_000)
        let form = /q_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/
        #expect(ids.allSatisfy { $0.wholeMatch(of: form) != nil })
        // Every hex digit position that is random takes many values: the bytes are not a constant or a counter.
        for position in [2, 3, 12, 18, 23, 30, 37] {
            #expect(Set(ids.prefix(1000).map { Array($0.utf8)[position] }).count >= 8, "position \(position)")
        }
    }
}
