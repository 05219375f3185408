import Foundation
import Logging
import RailKit
import RailKitSupport
import RailKitTesting
import Testing
@testable import SwitchyardRouter

@Suite("Corridor limits on the amount the debtor sends")
struct CorridorLimitTests {
    /// The hk-supplier sample as a fixed-receive payment of `amount`.
    static func fixedReceive(_ amount: Money) throws -> PaymentIntent {
        var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
        intent.amount = PaymentAmount(amount, fixed: .receive)
        return intent
    }

    static let limitCodes: Set<ReasonCode> = [.amountBelowMinimum, .amountAboveMaximum]

    @Test("property: a fixed-receive payment is inside a rail's corridor limits exactly when the principal that rail quotes is; CNH amounts generated on both sides of every configured minimum and maximum, and at the exact crossing")
    func fixedReceiveAgainstQuotedPrincipal() async throws {
        let configuration = try RepositoryConfiguration.load()
        let engine = configuration.makeEngine(clock: { Fixture.now })
        let sample = try Self.fixedReceive(try .fiat("1000.00", .cnh))
        var random = SeededRandom(seed: 1_515)
        var judged = [String: (inside: Int, outside: Int)]()

        for rail in configuration.rails where rail.enabled {
            let adapter = try #require(rail.adapter)
            let capabilities = adapter.descriptor.capabilities
            guard let corridorIndex = capabilities.corridorIndex(serving: sample) else { continue }
            let corridor = capabilities.corridors[corridorIndex]
            /// The oracle: the rail's own quote, asked directly (nil when it does not quote).
            func principal(_ cnhMinorUnits: Int128) async throws -> Money? {
                let request = QuoteRequest(quoteID: QuoteID("q-oracle"), intent: try Self.fixedReceive(Money(minorUnits: cnhMinorUnits, asset: .fiat(.cnh))),
                                           now: Fixture.now, market: configuration.market, logger: Logger(label: "test"))
                guard case .quoted(let quote) = try await adapter.quote(request) else { return nil }
                return quote.principal
            }
            for (name, limit) in [("minimum", corridor.minimum), ("maximum", corridor.maximum)] {
                guard let limit else { continue }
                // The smallest CNH amount whose principal on this rail is above the limit (the
                // principal grows with the amount), by bisection over the rail's own quotes; the
                // rail's fees may put every principal above a small minimum.
                var (low, high): (Int128, Int128) = (1, 1_000_000_000_00)
                while low < high {
                    let middle = (low + high) / 2
                    if let sent = try await principal(middle), sent > limit { high = middle } else { low = middle + 1 }
                }
                let crossing = low
                let spread = max(crossing * 3 / 100, 500)
                var amounts: [Int128] = [crossing - 2, crossing - 1, crossing, crossing + 1]
                for _ in 0..<30 { amounts.append(crossing + Int128(Int64.random(in: -Int64(spread)...Int64(spread), using: &random))) }
                for minorUnits in amounts where minorUnits > 0 {
                    guard let sent = try await principal(minorUnits) else { continue }
                    let below = corridor.minimum.map { sent < $0 } ?? false
                    let above = corridor.maximum.map { sent > $0 } ?? false
                    let expected: Set<ReasonCode> = below ? [.amountBelowMinimum] : above ? [.amountAboveMaximum] : []

                    let result = try await engine.route(try Self.fixedReceive(Money(minorUnits: minorUnits, asset: .fiat(.cnh))))
                    let codes = Set(result.reasons(rail.id)).intersection(Self.limitCodes)
                    #expect(codes == expected, "\(rail.id) \(name) \(limit): CNH minor units \(minorUnits) need \(sent); \(result.explanation)")
                    let key = "\(rail.id) \(name)"
                    judged[key, default: (0, 0)].inside += expected.isEmpty ? 1 : 0
                    judged[key, default: (0, 0)].outside += expected.isEmpty ? 0 : 1
                }
            }
        }
        #expect(judged.keys.sorted() == ["axcnh-conflux maximum", "axcnh-conflux minimum", "correspondent-bank-a minimum",
                                         "correspondent-bank-b minimum", "jpmd-base maximum", "jpmd-base minimum"], "\(judged)")
        // Both sides of each limit a fixed-receive payment can break. The fees deducted on the way
        // (the correspondents' USD 35, the off-ramp's CNH 106) alone make every principal more than
        // those rails' minimums, so no fixed-receive payment is below them.
        let reachable: Set = ["jpmd-base minimum", "jpmd-base maximum", "axcnh-conflux maximum"]
        for (key, counts) in judged {
            let reachable = reachable.contains(key)
            #expect(counts.inside > 0 && (counts.outside > 0) == reachable, "\(key): \(counts)")
        }
    }

    @Test("a fixed-receive amount whose mid equivalent is just under the minimum, but whose principal at the rail's rate is not, is carried")
    func midUnderMinimumPrincipalOver() async throws {
        // jpmd-base carries USD→CNH from USD 100.00. CNH 711.50 is USD 99.93 at mid 7.12; the rail's
        // conversion and fees make its principal more than USD 100.
        let result = try await RepositoryConfiguration.route(try Self.fixedReceive(try .fiat("711.50", .cnh)))
        let quote = try #require(result.ranked.first { $0.railID == "jpmd-base" }?.quote, "\(result.explanation)")
        #expect(quote.principal >= (try .fiat("100.00", .usd)))
    }

    @Test("a fixed-send amount at a limit is carried, a cent beyond it is not, and the message names the limit")
    func fixedSendBoundaries() async throws {
        func route(_ usd: String) async throws -> RoutingResult {
            var intent = try RepositoryConfiguration.sample("hk-supplier-usd-cnh.json")
            intent.amount = PaymentAmount(try .fiat(usd, .usd), fixed: .send)
            return try await RepositoryConfiguration.route(intent)
        }
        #expect(Set(try await route("100.00").reasons("jpmd-base")).isDisjoint(with: Self.limitCodes))
        let below = try await route("99.99")
        #expect(below.reasons("jpmd-base") == [.amountBelowMinimum])
        #expect(below.excluded.first { $0.railID == "jpmd-base" }?.reasons.first?.message == "99.99 USD is below the rail's minimum of 100.00 USD.")
        #expect(Set(try await route("5000000.00").reasons("axcnh-conflux")).isDisjoint(with: Self.limitCodes))
        #expect(try await route("5000000.01").reasons("axcnh-conflux").contains(.amountAboveMaximum))
    }

    @Test("a fixed-receive payment over a rail's maximum lists the limit and every policy rule it breaks, and the message says what the principal pays for")
    func everyRuleListed() async throws {
        // CNH 40,000,000 needs more than USD 5,000,000 on the stablecoin: over its corridor maximum
        // and over the policy's USD 2,000,000 exposure cap.
        let result = try await RepositoryConfiguration.route(try Self.fixedReceive(try .fiat("40000000.00", .cnh)))
        let reasons = try #require(result.excluded.first { $0.railID == "axcnh-conflux" }?.reasons)
        #expect(reasons.map(\.code) == [.amountAboveMaximum, .policyAmountLimit], "\(reasons)")
        #expect(reasons[0].message.contains("the principal this rail needs to deliver 40000000.00 CNH"), "\(reasons[0].message)")
    }

    @Test("a rail excluded before quoting for another reason still lists the amount rules a fixed-receive payment breaks at mid, marked as at mid")
    func estimatesBesideAnotherReason() async throws {
        // A mainland creditor: the stablecoin is excluded whatever the amount, so it never quotes;
        // CNH 40,000,000 at mid is over its corridor maximum and the policy's exposure cap as well.
        var intent = try RepositoryConfiguration.sample("cn-supplier-usd-cnh.json")
        intent.destinationCurrency = .cnh
        intent.amount = PaymentAmount(try .fiat("40000000.00", .cnh), fixed: .receive)
        let result = try await RepositoryConfiguration.route(intent)
        let reasons = try #require(result.excluded.first { $0.railID == "axcnh-conflux" }?.reasons)
        #expect(reasons.map(\.code).contains(.jurisdictionProhibitsStablecoin), "\(reasons)")
        #expect(reasons.map(\.code).contains(.amountAboveMaximum), "\(reasons)")
        #expect(reasons.map(\.code).contains(.policyAmountLimit), "\(reasons)")
        let limit = try #require(reasons.first { $0.code == .amountAboveMaximum })
        #expect(limit.message.hasPrefix("40000000.00 CNH is ") && limit.message.contains(" at the mid rate, above the rail's maximum of 5000000.00 USD"),
                "\(limit.message)")
    }

    @Test("a corridor limit in another currency than the corridor's source, a negative one, or a minimum above the maximum is a configuration error naming the file and field")
    func limitsChecked() throws {
        let directory = try ConfigurationTests.scratchCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        try ConfigurationTests.edit(directory, "rails/jpmd-base.json") { json in
            var corridors = json["corridors"] as! [[String: Any]]
            corridors[0]["minimum"] = ["amount": "100.00", "currency": "CNH"]
            corridors[1]["minimum"] = ["amount": "60000000.00", "currency": "USD"]
            json["corridors"] = corridors
        }
        // Without the sandbox overlay, which replaces jpmd-base's corridors.
        let errors: [ConfigurationError]
        do { _ = try RepositoryConfiguration.load(directory, overlay: nil); errors = [] } catch { errors = error.errors }
        #expect(errors.map(\.field) == ["corridors[0].minimum", "corridors[1].minimum"], "\(errors)")
        #expect(errors.allSatisfy { $0.file.hasSuffix("rails/jpmd-base.json") })
        #expect(errors.first?.message.contains("source currency USD") == true)
        #expect(errors.last?.message.contains("above the maximum") == true)
    }
}
