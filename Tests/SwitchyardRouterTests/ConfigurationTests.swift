import Foundation
import RailKit
import RailKitSupport
import Testing
@testable import SwitchyardRouter

@Suite("Configuration loading")
struct ConfigurationTests {
    /// A scratch copy of Config/ that a test may break.
    static func scratchCopy() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-config-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Fixture.config, to: directory)
        return directory
    }

    static func edit(_ directory: URL, _ file: String, _ change: (inout [String: Any]) -> Void) throws {
        let url = directory.appendingPathComponent(file)
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        change(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: url)
    }

    /// Gives the policy's first rule a type no policy has (`rules[0].type`).
    static func breakFirstPolicyRule(in directory: URL) throws {
        try edit(directory, "compliance/policy.json") { json in
            var rules = json["rules"] as! [[String: Any]]
            rules[0]["type"] = "forbidEverything"
            json["rules"] = rules
        }
    }

    static func errors(_ directory: URL) -> [ConfigurationError] {
        do {
            _ = try RepositoryConfiguration.load(directory)
            return []
        } catch {
            return error.errors
        }
    }

    @Test("the repository's configuration loads: rails, calendars, market, policy")
    func repository() throws {
        let configuration = try RepositoryConfiguration.load()
        #expect(configuration.rails.map(\.id) == ["jpmd-base", "deposit-token-sandbox", "correspondent-bank-a", "correspondent-bank-b", "axcnh-conflux", "cips-participant", "ecny-mbridge"])
        #expect(configuration.rails.filter(\.enabled).count == 4)
        #expect(configuration.calendars.keys.sorted() == ["CN", "HK", "US"])
        #expect(configuration.policy.rules.count == 6)
        #expect(configuration.quoteTimeout == .milliseconds(2000))
    }

    @Test("a bad figure names the file and the field")
    func badFigure() throws {
        let directory = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.edit(directory, "rails/correspondent-bank-a.json") { json in
            json["senderFee"] = ["fixed": ["amount": "35.001", "currency": "USD"], "source": "x"]
        }
        let errors = Self.errors(directory)
        #expect(errors.count == 1)
        #expect(errors.first?.file.hasSuffix("rails/correspondent-bank-a.json") == true)
        #expect(errors.first?.field == "senderFee.fixed.amount")
    }

    @Test("every broken file is reported, not just the first")
    func severalErrors() throws {
        let directory = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.edit(directory, "rails/correspondent-bank-b.json") { json in
            var release = json["release"] as! [String: Any]
            release["calendar"] = "SG"
            json["release"] = release
        }
        try Self.breakFirstPolicyRule(in: directory)
        try Self.edit(directory, "switchyard.json") { json in
            var rails = json["rails"] as! [[String: Any]]
            rails[0]["adapter"] = "carrier-pigeon"
            json["rails"] = rails
        }
        let errors = Self.errors(directory)
        #expect(errors.contains { $0.file.hasSuffix("correspondent-bank-b.json") && $0.field == "release.calendar" })
        #expect(errors.contains { $0.file.hasSuffix("policy.json") && $0.field == "rules[0].type" })
        #expect(errors.contains { $0.file.hasSuffix("switchyard.json") && $0.field == "rails[0].adapter" && $0.message.contains("carrier-pigeon") })
    }

    @Test("every error comes in the order of the files and the rails list, however the cores share the work")
    func errorsInOrder() throws {
        let directory = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.edit(directory, "switchyard.json") { json in
            json["calendars"] = ["calendars/US.json", "calendars/XX.json", "calendars/HK.json", "calendars/HK.json", "calendars/CN.json"]
            var rails = json["rails"] as! [[String: Any]]
            rails[0]["adapter"] = "carrier-pigeon"
            rails[1]["settings"] = "rails/missing.json"
            rails[3]["id"] = rails[2]["id"]
            // A rail built after the others (its building contacts its counterpart), from the same missing file.
            rails[5]["enabled"] = true
            rails[5]["settings"] = "rails/missing.json"
            json["rails"] = rails
            json["routing"] = ["quoteTimeoutMilliseconds": 0]
        }
        try Self.edit(directory, "calendars/US.json") { json in json["opens"] = "25:00" }
        try Self.edit(directory, "market/reference-rates.json") { json in
            var rates = json["midRates"] as! [[String: Any]]
            rates[0]["rate"] = "seven"
            json["midRates"] = rates
        }
        try Self.breakFirstPolicyRule(in: directory)
        try Self.edit(directory, "rails/correspondent-bank-a.json") { json in
            json["senderFee"] = ["fixed": ["amount": "35.001", "currency": "USD"], "source": "x"]
        }
        try Self.edit(directory, "rails/axcnh-conflux.json") { json in
            var token = json["token"] as! [String: Any]
            token["chainId"] = "Conflux"
            json["token"] = token
        }
        let expected = [
            ("calendars/US.json", "opens"), ("calendars/XX.json", ""), ("calendars/HK.json", "id"),
            ("market/reference-rates.json", "midRates[0].rate"), ("compliance/policy.json", "rules[0].type"),
            ("switchyard.json", "rails[0].adapter"), ("rails/missing.json", ""), ("rails/correspondent-bank-a.json", "senderFee.fixed.amount"),
            ("switchyard.json", "rails[3].id"), ("rails/axcnh-conflux.json", "token.chainId"), ("rails/missing.json", ""),
            ("switchyard.json", "routing.quoteTimeoutMilliseconds"),
        ]
        let first = Self.errors(directory)
        #expect(first.map { "\($0.file.replacingOccurrences(of: directory.path + "/", with: "")) \($0.field)" } == expected.map { "\($0.0) \($0.1)" },
                "\(first)")
        // A missing file is reported at each use, as a second reading would fail again.
        #expect(first.filter { $0.file.hasSuffix("rails/missing.json") }.count == 2)
        for _ in 0..<5 { #expect(Self.errors(directory) == first) }
    }

    /// Blank as Foundation's `.whitespaces` reads it on Linux: tab, the space separators (Zs) and U+200B.
    @Test("a figure without its source is refused, blank sources too", arguments: ["", " ", "\t\u{3000}\u{A0}", "\u{200B}"])
    func sourceRequired(source: String) throws {
        let directory = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.edit(directory, "rails/jpmd-base.json") { json in
            var gas = json["gas"] as! [String: Any]
            gas["gasPriceGwei"] = ["value": "0.05", "source": source]
            json["gas"] = gas
        }
        #expect(Self.errors(directory).first?.field == "gas.gasPriceGwei.source")
    }

    @Test("an overlay is a JSON merge patch (RFC 7386) per file; rules with ids merge by id; null removes; a missing overlay directory is an error")
    func overlay() throws {
        func apply(_ patch: String, _ base: String) throws -> String {
            // Keys sorted here: the overlay's own output keeps whatever order the merge left.
            let merged = try JSONSerialization.jsonObject(with: try ConfigurationOverlay.apply(Data(patch.utf8), to: Data(base.utf8)))
            return String(decoding: try JSONSerialization.data(withJSONObject: merged, options: [.sortedKeys]), as: UTF8.self)
        }
        // RFC 7386's own examples.
        #expect(try apply(#"{"a":"z","c":{"f":null}}"#, #"{"a":"b","c":{"d":"e","f":"g"}}"#) == #"{"a":"z","c":{"d":"e"}}"#)
        #expect(try apply(#"{"a":["c"]}"#, #"{"a":["b"]}"#) == #"{"a":["c"]}"#)
        #expect(try apply(#"{"b":"c"}"#, #"{"a":"b"}"#) == #"{"a":"b","b":"c"}"#)
        // Objects with ids: the named one patched, a new one appended, the rest kept in order.
        #expect(try apply(#"{"rules":[{"id":"y","v":2},{"id":"z","v":3}]}"#, #"{"rules":[{"id":"x","v":0},{"id":"y","v":1,"w":true}]}"#)
                == #"{"rules":[{"id":"x","v":0},{"id":"y","v":2,"w":true},{"id":"z","v":3}]}"#)

        // Numbers keep their text; a key given twice in either document is refused, naming it.
        #expect(try String(decoding: ConfigurationOverlay.apply(Data(#"{"b":1.50}"#.utf8), to: Data(#"{"a":12345678901234567890123}"#.utf8)),
                           as: UTF8.self) == #"{"a":12345678901234567890123,"b":1.50}"#)
        #expect(throws: ConfigurationOverlay.DuplicateKey(path: "rules[0].v", inPatch: true)) {
            try ConfigurationOverlay.apply(Data(#"{"rules":[{"id":"x","v":1,"v":2}]}"#.utf8), to: Data(#"{"rules":[]}"#.utf8))
        }
        #expect(throws: ConfigurationOverlay.DuplicateKey(path: "a", inPatch: false)) {
            try ConfigurationOverlay.apply(Data(#"{"a":1}"#.utf8), to: Data(#"{"a":0,"a":2}"#.utf8))
        }

        // Loading, the error names the overlay's file and the key given twice.
        let twice = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-overlay-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: twice) }
        try FileManager.default.createDirectory(at: twice.appendingPathComponent("compliance"), withIntermediateDirectories: true)
        let patchFile = twice.appendingPathComponent("compliance/policy.json")
        try Data(#"{"walletRegistrations":[],"walletRegistrations":[]}"#.utf8).write(to: patchFile)
        do {
            _ = try RepositoryConfiguration.load(overlay: twice)
            Issue.record("an overlay with a key given twice loaded")
        } catch {
            #expect(error.errors.contains { $0.file == patchFile.path && $0.field == "walletRegistrations" && $0.message.contains("appears twice") },
                    "\(error.errors)")
        }

        // The sample overlay over the shipped files: its screening list and wallets, nothing else changed.
        let shipped = try RepositoryConfiguration.load(overlay: nil), sampled = try RepositoryConfiguration.load()
        #expect(shipped.policy.rules.count == sampled.policy.rules.count)
        #expect(shipped.policy.walletRegistrations.isEmpty && !sampled.policy.walletRegistrations.isEmpty)
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-overlay-\(UUID())")
        #expect(throws: ConfigurationErrors.self) { try RepositoryConfiguration.load(overlay: missing) }
    }

    @Test("the shipped configuration holds no sample data: no sample wallet, sanction or registration outside Config/samples")
    func noSampleDataShipped() throws {
        let samples = ["0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222",
                       "0x3333333333333333333333333333333333333333", "0x000000000000000000000000000000000000dead",
                       "0x00000000000000000000000000000000000c0ffe", "Blocked Trading", "BLKDHKHH"]
        let root = Fixture.config.standardizedFileURL.path
        let files = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix("samples/") }
        #expect(files.contains("rails/jpmd-base.json") && files.contains("compliance/policy.json"))
        for file in files {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8).lowercased()
            for sample in samples { #expect(!text.contains(sample.lowercased()), "Config/\(file) ships sample data \(sample)") }
        }
    }
}
