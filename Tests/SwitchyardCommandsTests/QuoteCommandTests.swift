import DevChainTesting
import Foundation
import RailKit
import RailKitSupport
import Testing

/// Runs the built `switchyard` executable (it sits beside the test bundle) from the repository root.
enum CLI {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var executable: URL { built("switchyard") }
    /// The sandbox counterparts' executable, apart from the shipped one.
    static var sandboxExecutable: URL { built("switchyard-sandbox") }

    static func built(_ name: String) -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The test runner may live inside a bundle directory; the executable is in the build folder.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: "/nonexistent/\(name)")
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:] }
    }

    /// The process environment without any `SWITCHYARD_*` setting: a test sees only what it passes.
    /// This process's environment without any `SWITCHYARD_*` it inherited, with the sandbox's
    /// sample data (Sandbox/sample-config) as the configuration overlay, as the tests expect it.
    /// and every process on one pinned timeline (`SWITCHYARD_TIME_OFFSET_SECONDS`): it starts at
    /// ``pinnedStart`` when this test process starts, so no result depends on today's date.
    static var cleanEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SWITCHYARD_") }
            .merging(["SWITCHYARD_CONFIG_OVERLAY": repository.appendingPathComponent("Sandbox/sample-config").path,
                      "SWITCHYARD_TIME_OFFSET_SECONDS": String(timeOffset)]) { $1 }
    }

    /// A Wednesday afternoon in New York inside the calendars' coverage: the tests' "now".
    static let pinnedStart = Timestamp.parse("2026-11-18T15:00:00Z")!
    /// Seconds from the wall clock to the pinned timeline, fixed once for every child process.
    static let timeOffset = pinnedStart.timeIntervalSinceNow.rounded()

    /// Now on the pinned timeline the child processes share.
    static func now() -> Date { Date().addingTimeInterval(timeOffset) }

    /// Starts `executable` from the repository root with only `environment` beyond the clean one,
    /// and returns it once it has printed its first line (its "ready" line), with that line.
    static func launch(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) async throws -> (Process, String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = repository
        process.environment = cleanEnvironment.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, try await ChildProcess.readLine(from: out.fileHandleForReading))
    }

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws -> Output {
        let result = try await ChildProcess.run(executable, arguments, stdin: stdin.map { Data($0.utf8) },
                                          environment: cleanEnvironment.merging(environment) { $1 }, directory: repository)
        return Output(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}

@Suite("switchyard CLI", .serialized)
struct QuoteCommandTests {
    static let now = ["--now", "2026-11-20T15:00:00Z"]

    static func rails(_ output: CLI.Output) -> [[String: Any]] { output.json["rails"] as? [[String: Any]] ?? [] }
    static func rail(_ output: CLI.Output, _ id: String) -> [String: Any]? { rails(output).first { $0["rail"] as? String == id } }
    static func decimal(_ money: Any?) throws -> ExactDecimal {
        let object = try #require(money as? [String: Any])
        return try ExactDecimal(parsing: try #require(object["amount"] as? String), maxScale: 36, allowNegative: true)
    }

    @Test("250,000 USD → CNH to a Hong Kong company: the three rails ranked, costs summing exactly")
    func hongKongJSON() async throws {
        let output = try await CLI.run(["quote", "--json", "--request", "Config/samples/hk-supplier-usd-cnh.json"] + Self.now)
        #expect(output.status == 0, "\(output.stderr)")
        let rails = Self.rails(output)
        // Every configured rail exactly once.
        #expect(rails.compactMap { $0["rail"] as? String }.sorted() == ["axcnh-conflux", "cips-participant", "correspondent-bank-a", "correspondent-bank-b", "deposit-token-sandbox", "ecny-mbridge", "jpmd-base"])
        let eligible = rails.filter { $0["eligible"] as? Bool == true }
        #expect(Set(eligible.compactMap { $0["kind"] as? String }) == ["deposit-token", "correspondent-banking", "stablecoin"])
        #expect(eligible.compactMap { $0["rank"] as? Int } == [1, 2, 3, 4])
        #expect(output.json["chosenRail"] as? String == eligible.first?["rail"] as? String)
        for rail in eligible {
            let quote = try #require(rail["quote"] as? [String: Any])
            let costs = try #require(quote["costs"] as? [[String: Any]])
            var sum = ExactDecimal.zero
            for cost in costs {
                sum = try sum.adding(try Self.decimal(cost["amount"]))
                #expect((cost["amount"] as? [String: Any])?["currency"] as? String == "USD")
            }
            #expect(try sum == Self.decimal(quote["totalCost"]), "\(rail["rail"] ?? "")")
            let eta = try #require(quote["eta"] as? [String: Any])
            #expect((eta["p50Seconds"] as? Int ?? -1) > 0 && (eta["p95Seconds"] as? Int ?? -1) >= (eta["p50Seconds"] as? Int ?? 0))
            #expect((quote["expiresAt"] as? String ?? "") > "2026-11-20T15:00:00Z")
            // Amounts are decimal strings, never JSON numbers.
            #expect((quote["creditorReceives"] as? [String: Any])?["amount"] is String)
        }
        let disabled = try #require(Self.rail(output, "ecny-mbridge"))
        #expect(disabled["eligible"] as? Bool == false)
        #expect(disabled["reasonCodes"] as? [String] == ["RAIL_DISABLED"])
    }

    @Test("a mainland-China supplier paid in CNY: a bank rail is ranked, the stablecoin excluded with its reason code")
    func mainlandJSON() async throws {
        let output = try await CLI.run(["quote", "--json", "--request", "Config/samples/cn-supplier-usd-cnh.json"] + Self.now)
        #expect(output.status == 0)
        let stablecoin = try #require(Self.rail(output, "axcnh-conflux"))
        #expect(stablecoin["eligible"] as? Bool == false)
        #expect((stablecoin["reasonCodes"] as? [String])?.contains("JURISDICTION_PROHIBITS_STABLECOIN") == true, "\(stablecoin)")
        #expect(Self.rail(output, "correspondent-bank-a")?["eligible"] as? Bool == true)
        // The CIPS rail runs in its own process: in the shipped configuration it is listed, disabled, with how to start it.
        #expect(Self.rail(output, "cips-participant")?["reasonCodes"] as? [String] == ["RAIL_DISABLED"])
    }

    @Test("flags for people, and the human table")
    func flagsAndTable() async throws {
        let output = try await CLI.run(["quote", "--amount", "250000", "--from", "USD", "--to", "CNH", "--creditor-country", "HK",
                                  "--creditor-bic", "SWYEHKHH", "--creditor-account", "012345678901", "--objective", "cheapest"] + Self.now)
        #expect(output.status == 0)
        #expect(output.stdout.contains("RANK  RAIL"))
        #expect(output.stdout.contains("correspondent-bank-b"))
        #expect(output.stdout.contains("TRAVEL_RULE_DATA_MISSING"))
        #expect(output.stdout.contains("Chosen: "))
    }

    @Test("a request on standard input equals the same request from a file")
    func standardInput() async throws {
        let body = try String(contentsOf: CLI.repository.appendingPathComponent("Config/samples/hk-invoice-fixed-receive-cnh.json"), encoding: .utf8)
        let piped = try await CLI.run(["quote", "--json", "--request", "-"] + Self.now, stdin: body)
        let file = try await CLI.run(["quote", "--json", "--request", "Config/samples/hk-invoice-fixed-receive-cnh.json"] + Self.now)
        #expect(piped.status == 0)
        #expect(Self.rails(piped).count == 7)
        // Quote ids are fresh per run; everything else is deterministic for the same clock.
        let strip = { (text: String) in text.split(separator: "\n").filter { !$0.contains("\"id\"") }.joined(separator: "\n") }
        #expect(strip(piped.stdout) == strip(file.stdout))
        for rail in Self.rails(piped) where rail["eligible"] as? Bool == true {
            let quote = try #require(rail["quote"] as? [String: Any])
            #expect((quote["creditorReceives"] as? [String: Any])?["amount"] as? String == "1780000.00")
        }
    }

    @Test("bad input: a clear error naming the field and rule, exit 2", arguments: [
        (["quote", "--amount", "1e5", "--from", "USD", "--to", "CNH", "--creditor-country", "HK"], "--amount"),
        (["quote", "--amount", "100.001", "--from", "USD", "--to", "CNH", "--creditor-country", "HK"], "decimal.too_many_decimals"),
        (["quote", "--amount", "100", "--from", "USD", "--to", "CNH", "--creditor-country", "hk"], "--creditor-country"),
        (["quote", "--amount", "100", "--from", "USD", "--to", "CNH"], "--creditor-country: is required"),
        (["quote", "--amount", "100", "--from", "USD", "--to", "XYZ", "--creditor-country", "HK"], "--to"),
        (["quote", "--request", "Config/samples/hk-supplier-usd-cnh.json", "--amount", "5"], "cannot be combined"),
        (["quote", "--request", "/nonexistent.json"], "cannot read"),
        // ArgumentParser's own errors: an unknown flag, a flag without its value (it would exit 64).
        (["quote", "--amount", "100", "--from", "USD", "--to", "CNH", "--creditor-country", "HK", "--bogus"], "--bogus"),
        (["quote", "--amount"], "--amount"),
        // Flags go through the JSON intent's rules, named by flag.
        (["quote", "--amount=-5", "--from", "USD", "--to", "CNH", "--creditor-country", "HK"], "--amount: must not be negative"),
        (["quote", "--amount", "100", "--from", "USD", "--to", "CNH", "--creditor-country", "HK", "--creditor-name", "  "], "--creditor-name: a name has 1 to 140"),
        (["quote", "--amount", "100", "--from", "USD", "--to", "CNH", "--creditor-country", "HK", "--creditor-account", String(repeating: "7", count: 35)],
         "--creditor-account: an account number has 1 to 34"),
        // An account that looks like an IBAN is one, and must pass its checks: never silently a domestic number.
        (["quote", "--amount", "100", "--from", "USD", "--to", "CNH", "--creditor-country", "HK", "--creditor-account", "DE89370400440532013001"],
         "--creditor-account: the check digits do not match"),
        (["quote", "--amount", "100", "--from", "USD", "--to", "CNH", "--creditor-country", "HK", "--creditor-account", "XX89 3704 0044 0532 0130 00"],
         "--creditor-account: XX does not issue IBANs"),
    ])
    func badInput(arguments: [String], mention: String) async throws {
        let output = try await CLI.run(arguments + Self.now)
        #expect(output.status == 2)
        #expect(output.stderr.contains(mention), "\(output.stderr)")
        #expect(output.stdout.isEmpty)
    }

    /// The help is printed while the configuration is still being loaded beside it: the process
    /// ends without waiting for the load, its output whole.
    @Test("quote --help prints the whole help to standard output and exits 0")
    func help() async throws {
        let output = try await CLI.run(["quote", "--help"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("OVERVIEW: Quote a payment") && output.stdout.contains("USAGE: switchyard quote")
                && output.stdout.contains("--overlay <dir>"), "\(output.stdout)")
        #expect(output.stderr.isEmpty, "\(output.stderr)")
    }

    @Test("a malformed request file names the field")
    func badRequest() async throws {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.repository.appendingPathComponent("Config/samples/hk-supplier-usd-cnh.json"))) as! [String: Any]
        object.removeValue(forKey: "debtor")
        let output = try await CLI.run(["quote", "--request", "-"] + Self.now, stdin: String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        #expect(output.status == 2)
        #expect(output.stderr.contains("debtor: is required"), "\(output.stderr)")
    }

    @Test("a clock shift that is not a number of seconds, or an overlay that is not a directory, is an error naming it")
    func badClockShiftAndOverlay() async throws {
        let shifted = try await CLI.run(["quote", "--request", "Config/samples/hk-supplier-usd-cnh.json"], environment: ["SWITCHYARD_TIME_OFFSET_SECONDS": "a week"])
        #expect(shifted.status == 2 && shifted.stderr.contains("SWITCHYARD_TIME_OFFSET_SECONDS"), "\(shifted.stderr)")
        let overlay = try await CLI.run(["quote", "--request", "Config/samples/hk-supplier-usd-cnh.json", "--overlay", "no-such-overlay"])
        #expect(overlay.status == 3 && overlay.stderr.contains("no-such-overlay") && overlay.stderr.contains("overlay"), "\(overlay.stderr)")
    }

    @Test("a key the intent does not have is an error naming it, not silently dropped")
    func unknownKey() async throws {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.repository.appendingPathComponent("Config/samples/hk-supplier-usd-cnh.json"))) as! [String: Any]
        object["deadlin"] = "2026-11-25T17:00:00+08:00"
        let output = try await CLI.run(["quote", "--request", "-"] + Self.now, stdin: String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        #expect(output.status == 2)
        #expect(output.stderr.contains("deadlin: is not a field of a payment intent"), "\(output.stderr)")
        // Every shipped sample is read strictly.
        for sample in try FileManager.default.contentsOfDirectory(atPath: CLI.repository.appendingPathComponent("Config/samples").path) {
            let quoted = try await CLI.run(["quote", "--json", "--request", "Config/samples/\(sample)"] + Self.now)
            #expect(quoted.status == 0, "\(sample): \(quoted.stderr)")
        }
    }

    @Test("rails lists every configured rail and its capabilities")
    func rails() async throws {
        let output = try await CLI.run(["rails", "--json"])
        #expect(output.status == 0)
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(listing.count == 7)
        let sandbox = try #require(listing.first { $0["rail"] as? String == "deposit-token-sandbox" })
        #expect(sandbox["enabled"] as? Bool == false)
        let jpmd = try #require(listing.first { $0["rail"] as? String == "jpmd-base" })
        #expect(jpmd["canExecute"] as? Bool == false)
        #expect(jpmd["operatingHours"] as? String == "24/7")
        #expect((jpmd["corridors"] as? [Any])?.count == 2)
    }

    @Test("config check passes on the repository and fails naming the broken file and field")
    func configCheck() async throws {
        let good = try await CLI.run(["config", "check"])
        #expect(good.status == 0)
        #expect(good.stdout.contains("configuration OK"))

        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-cli-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: CLI.repository.appendingPathComponent("Config"), to: broken)
        defer { try? FileManager.default.removeItem(at: broken) }
        let file = broken.appendingPathComponent("rails/axcnh-conflux.json")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "\"basisPoints\": \"10\"", with: "\"basisPoints\": \"1e1\"")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let output = try await CLI.run(["config", "check"], environment: ["SWITCHYARD_CONFIG": broken.path])
        #expect(output.status == 3)
        #expect(output.stderr.contains("rails/axcnh-conflux.json: onRamp.fxSpreadTiers[2].basisPoints: exponent notation is not allowed"), "\(output.stderr)")

        // The files the router does not read itself are checked too: the FX dealer's table and the sample intents.
        let desk = broken.appendingPathComponent("market/fx-desk.json")
        try String(contentsOf: desk, encoding: .utf8).replacingOccurrences(of: "\"quoteValiditySeconds\"", with: "\"quoteValiditySecondz\"")
            .write(to: desk, atomically: true, encoding: .utf8)
        let sample = broken.appendingPathComponent("samples/hk-supplier-usd-cnh.json")
        try String(contentsOf: sample, encoding: .utf8).replacingOccurrences(of: "\"objective\"", with: "\"objectiv\"")
            .write(to: sample, atomically: true, encoding: .utf8)
        let others = try await CLI.run(["config", "check"], environment: ["SWITCHYARD_CONFIG": broken.path])
        #expect(others.status == 3)
        #expect(others.stderr.contains("market/fx-desk.json: quoteValiditySeconds"), "\(others.stderr)")
        #expect(others.stderr.contains("samples/hk-supplier-usd-cnh.json: objectiv: is not a field of a payment intent"), "\(others.stderr)")
    }
}
