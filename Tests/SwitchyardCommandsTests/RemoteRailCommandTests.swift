import BankSimulator
import CorrespondentBankingRail
import DevChainTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RailHost
import RailKit
import RailKitSupport
import SandboxHTTP
import Testing

/// A rail added without recompiling: the correspondent rail served by RailHost in this process,
/// added to a copy of `Config/` by URL and token, used by the shipped `switchyard` binary.
@Suite("A rail added by configuration alone")
struct RemoteRailCommandTests {
    static func run(_ arguments: [String], environment: [String: String]) async throws -> CLI.Output {
        try await CLI.run(arguments, environment: environment)
    }

    @Test("with the shipped binary unchanged, a rail added to a copy of Config/ by URL appears in `switchyard rails` with its protocol version, quotes, executes and reports status")
    func addedByURL() async throws {
        let token = "remote-bank-token"
        let (bank, bankURL) = try await DurablePayCommandTests.startBank(token: token)
        defer { bank.terminate() }
        // The rail's own process, here in the test process: the correspondent rail behind RailHost.
        let calendars = try CalendarFile.loadDirectory(CLI.repository.appendingPathComponent("Config/calendars"))
        let rail = try RailFactory(CorrespondentBankingRail.self, environment: ["SWITCHYARD_BANK_A_URL": bankURL.absoluteString, "SWITCHYARD_BANK_A_TOKEN": token])
            .makeAdapter(id: "correspondent-bank-a", settings: Data(contentsOf: CLI.repository.appendingPathComponent("Config/rails/correspondent-bank-a.json")),
                         file: "correspondent-bank-a.json", context: RailConfigurationContext(calendars: calendars))
        let host = try await LoopbackServer.start { try await RailHost(adapter: rail, token: "host-token").run(port: 0, onListening: $0) }
        defer { host.stop() }

        // The operator's change: a copy of Config/ with one rail more, by URL.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-remote-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = root.appendingPathComponent("Config")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.repository.appendingPathComponent("Config"), to: config)
        let main = config.appendingPathComponent("switchyard.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: main)) as? [String: Any])
        var rails = try #require(json["rails"] as? [[String: Any]])
        rails.append(["id": "remote-bank", "adapter": "remote", "settings": "rails/remote-bank.json", "note": "the correspondent rail, out of process"])
        json["rails"] = rails
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys]).write(to: main)
        try Data(#"{"url": "\#(host.url.absoluteString)", "token": {"environment": "REMOTE_BANK_TOKEN"}, "timeoutSeconds": 10}"#.utf8)
            .write(to: config.appendingPathComponent("rails/remote-bank.json"))
        let data = root.appendingPathComponent("data")
        let environment = ["SWITCHYARD_CONFIG": config.path, "REMOTE_BANK_TOKEN": "host-token", "SWITCHYARD_DATA_DIR": data.path]

        let listed = try await Self.run(["rails", "--json"], environment: environment)
        #expect(listed.status == 0, "\(listed.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        let remote = try #require(rows.first { $0["rail"] as? String == "remote-bank" })
        #expect(remote["protocolVersion"] as? String == "1" && remote["canExecute"] as? Bool == true, "\(remote)")

        let quoted = try await Self.run(["quote", "--request", "Config/samples/hk-supplier-usd-cnh.json", "--json"], environment: environment)
        #expect(quoted.status == 0, "\(quoted.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(quoted.stdout.utf8)) as? [String: Any])
        let entry = try #require((report["rails"] as? [[String: Any]])?.first { $0["rail"] as? String == "remote-bank" })
        // Ranked beside the same rail in process, at the same price: it is that rail.
        let local = try #require((report["rails"] as? [[String: Any]])?.first { $0["rail"] as? String == "correspondent-bank-a" })
        #expect(entry["eligible"] as? Bool == true, "\(entry)")
        #expect((entry["quote"] as? [String: Any])?["debtorPays"] as? [String: String] == (local["quote"] as? [String: Any])?["debtorPays"] as? [String: String])

        let paid = try await Self.run(["pay", "--request", "Config/samples/hk-supplier-usd-cnh.json", "--rail", "remote-bank",
                                       "--idempotency-key", "remote-1", "--no-wait"], environment: environment)
        #expect(paid.status == 0, "\(paid.stdout)\(paid.stderr)")
        #expect(paid.stdout.contains("journal: prepared uetr:"), "\(paid.stdout)")

        let status = try await Self.run(["status", "remote-1", "--key", "--refresh"], environment: environment)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("on remote-bank"), "\(status.stdout)")

        // The bank holds the payment once.
        var request = URLRequest(url: bankURL.appendingPathComponent("v1/sandbox/payments"))
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let ledger = try #require(try JSONSerialization.jsonObject(with: try await URLSession.shared.data(for: request).0) as? [[String: Any]])
        #expect(ledger.count == 1, "\(ledger)")
    }

    @Test("the mainland supplier gets a route: the CIPS rail run by its own executable (cips-rail), added to a copy of Config/ by enabling it, ranks first; the stablecoin never; it pays through the sandbox participant and settles on the mainland calendar")
    func cipsOutOfProcess() async throws {
        // The sandbox CIPS participant bank, on a clock the test moves.
        let clock = ManualClock(CLI.now())
        let calendars = try CalendarFile.loadDirectory(CLI.repository.appendingPathComponent("Config/calendars"))
        let settings = try BankSimulatorSettings.load(from: CLI.repository.appendingPathComponent("Sandbox/config/cips-participant-bank.json"))
        let participant = try await RunningBankSimulator.start(settings: settings, calendars: calendars,
                                                               schemaDirectory: CLI.repository.appendingPathComponent("Tests/Fixtures/iso20022"),
                                                               clock: clock, token: "participant-token")
        defer { participant.stop() }
        // The rail's own process, as its vendor ships it.
        let (host, ready) = try await CLI.launch(CLI.built("cips-rail"), ["--port", "0"], environment: [
            "SWITCHYARD_CIPS_RAIL_TOKEN": "cips-host-token", "SWITCHYARD_CIPS_PARTICIPANT_URL": participant.url.absoluteString,
            "SWITCHYARD_CIPS_PARTICIPANT_TOKEN": "participant-token"])
        defer { host.terminate() }
        let hostURL = try #require((try JSONSerialization.jsonObject(with: Data(ready.utf8)) as? [String: Any])?["url"] as? String, "\(ready)")

        // The operator's change: the shipped entry enabled, pointed at that process.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-cips-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = root.appendingPathComponent("Config")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.repository.appendingPathComponent("Config"), to: config)
        let main = config.appendingPathComponent("switchyard.json")
        let enabled = try String(contentsOf: main, encoding: .utf8).replacingOccurrences(
            of: #""settings": "rails/cips-participant.json", "enabled": false"#, with: #""settings": "rails/cips-participant.json", "enabled": true"#)
        try enabled.write(to: main, atomically: true, encoding: .utf8)
        try Data(#"{"url": "\#(hostURL)", "token": {"environment": "SWITCHYARD_CIPS_RAIL_TOKEN"}, "timeoutSeconds": 10}"#.utf8)
            .write(to: config.appendingPathComponent("rails/cips-participant.json"))
        let environment = ["SWITCHYARD_CONFIG": config.path, "SWITCHYARD_CIPS_RAIL_TOKEN": "cips-host-token",
                           "SWITCHYARD_DATA_DIR": root.appendingPathComponent("data").path]

        let listed = try await Self.run(["rails", "--json"], environment: environment)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]], "\(listed.stderr)")
        let cips = try #require(rows.first { $0["rail"] as? String == "cips-participant" })
        #expect(cips["protocolVersion"] as? String == "1" && cips["canExecute"] as? Bool == true, "\(cips)")

        let quoted = try await Self.run(["quote", "--request", "Config/samples/cn-supplier-usd-cnh.json", "--json"], environment: environment)
        #expect(quoted.status == 0, "\(quoted.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(quoted.stdout.utf8)) as? [String: Any])
        let rails = try #require(report["rails"] as? [[String: Any]])
        func entry(_ id: String) -> [String: Any]? { rails.first { $0["rail"] as? String == id } }
        #expect(entry("cips-participant")?["rank"] as? Int == 1, "\(entry("cips-participant") ?? [:])")
        #expect(entry("correspondent-bank-a")?["eligible"] as? Bool == true)
        #expect(entry("axcnh-conflux")?["eligible"] as? Bool == false)
        #expect((entry("axcnh-conflux")?["reasonCodes"] as? [String])?.contains("JURISDICTION_PROHIBITS_STABLECOIN") == true)
        #expect(report["chosenRail"] as? String == "cips-participant")
        #expect((report["explanation"] as? String)?.contains("cips-participant is best for the cheapest objective") == true, "\(report["explanation"] ?? "")")

        let paid = try await Self.run(["pay", "--request", "Config/samples/cn-supplier-usd-cnh.json", "--rail", "cips-participant",
                                       "--idempotency-key", "cips-1", "--no-wait"], environment: environment)
        #expect(paid.status == 0, "\(paid.stdout)\(paid.stderr)")
        #expect(paid.stdout.contains("journal: prepared uetr:"), "\(paid.stdout)")
        // 23:00 in Shanghai on the pinned Wednesday: CIPS takes it at 09:00 and the creditor's bank credits by 11:00.
        clock.advance(by: 13 * 3600)
        let status = try await Self.run(["status", "cips-1", "--key", "--refresh"], environment: environment)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("settled"), "\(status.stdout)")
        #expect(await participant.bank.ledger().count == 1)
    }
}
