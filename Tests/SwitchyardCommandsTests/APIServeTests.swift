import DevChainTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RailKit
import Testing

/// `switchyard serve` as shipped: a process on a free port, an API key made by `switchyard keys`,
/// the sandbox bank (`switchyard-sandbox bank`) behind both correspondent-bank rails.
@Suite("switchyard serve")
struct APIServeTests {
    final class Server: @unchecked Sendable {
        var process: Process
        var url: URL
        let key: String
        let data: URL
        let bank: Process
        let environment: [String: String]

        init(process: Process, url: URL, key: String, data: URL, bank: Process, environment: [String: String]) {
            self.process = process
            self.url = url
            self.key = key
            self.data = data
            self.bank = bank
            self.environment = environment
        }

        /// Kills the server without warning (SIGKILL) and starts another on the same store.
        func crashAndRestart() async throws {
            kill(process.processIdentifier, SIGKILL)
            _ = ChildProcess.waitForExit(process)
            (process, url) = try await APIServeTests.launch(environment: environment)
        }

        /// A request to the API with the write key; the answer's status and JSON body.
        func request(_ method: String, _ path: String, json: Any? = nil, headers: [String: String] = [:]) async throws -> (Int, [String: Any]) {
            var request = URLRequest(url: URL(string: path, relativeTo: url)!)
            request.httpMethod = method
            request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            if let json {
                request.httpBody = try JSONSerialization.data(withJSONObject: json)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
        }

        func stop() {
            process.terminate()
            bank.terminate()
            try? FileManager.default.removeItem(at: data)
        }
    }

    static func start() async throws -> Server {
        let (bank, bankURL) = try await DurablePayCommandTests.startBank(token: "serve-bank-token")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-serve-\(UUID())")
        let environment = ["SWITCHYARD_DATA_DIR": data.path, "SWITCHYARD_WEBHOOK_RETRY_SECONDS": "1,1,1,1,1", "SWITCHYARD_LEASE_SECONDS": "2", "SWITCHYARD_BANK_A_URL": bankURL.absoluteString, "SWITCHYARD_BANK_A_TOKEN": "serve-bank-token",
                           "SWITCHYARD_BANK_B_URL": bankURL.absoluteString, "SWITCHYARD_BANK_B_TOKEN": "serve-bank-token"]
        let created = try await CLI.run(["keys", "create", "--scope", "write", "--label", "schemathesis"], environment: environment)
        #expect(created.status == 0, "\(created.stderr)")
        let key = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("syk_"))

        let (process, url) = try await launch(environment: environment)
        return Server(process: process, url: url, key: key, data: data, bank: bank, environment: environment)
    }

    /// `switchyard serve --port 0`; returns once it listens.
    static func launch(environment: [String: String]) async throws -> (Process, URL) {
        let (process, line) = try await CLI.launch(CLI.executable, ["serve", "--port", "0"], environment: environment)
        let address = try #require(line.split(separator: " ").last.map(String.init), "\(line)")
        return (process, try #require(URL(string: address)))
    }

    @Test("schemathesis against the running server: every route, a few hundred generated requests each; no 5xx, every answer as documented")
    func conformsToItsOpenAPIDocument() async throws {
        let server = try await Self.start()
        defer { server.stop() }
        let schemathesis = CLI.repository.appendingPathComponent(".venv/bin/schemathesis")
        #expect(FileManager.default.isExecutableFile(atPath: schemathesis.path), "run ./scripts/setup.sh --python (it installs schemathesis into .venv)")
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("schemathesis-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: report) }
        let run = try await ChildProcess.run(schemathesis, [
            "run", "Sources/SwitchyardServer/openapi.json", "--url", server.url.absoluteString,
            "--header", "Authorization: Bearer \(server.key)",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance",
            "--max-examples", "200", "--seed", "20261129", "--generation-database", "none", "--request-timeout", "10",
            "--report", "ndjson", "--report-ndjson-path", report.path,
        ], environment: CLI.cleanEnvironment.merging(["NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"]) { $1 }, directory: CLI.repository)
        #expect(run.status == 0, "schemathesis found problems:\n\(run.stdout.suffix(6000))\n\(run.stderr.suffix(2000))")
        // It really exercised the API: thousands of cases, and every operation in the document.
        let summary = run.stdout
        let generated = summary.firstMatch(of: /([0-9]+) generated/).flatMap { Int($0.1) } ?? 0
        #expect(generated >= 2000, "\(summary.suffix(2000))")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.repository
            .appendingPathComponent("Sources/SwitchyardServer/openapi.json"))) as? [String: Any])
        let operations = (document["paths"] as? [String: [String: Any]] ?? [:]).values.map(\.count).reduce(0, +)
        #expect(operations >= 14)
        #expect(summary.contains("Tested: \(operations)\n"), "\(summary.suffix(2000))")

        // The server stops cleanly on SIGTERM.
        server.process.terminate()
        for _ in 0..<200 where server.process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!server.process.isRunning, "the server did not stop within 20 s of SIGTERM")
        if server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) }
        #expect(ChildProcess.waitForExit(server.process) == 0)
    }

    /// The sandbox subscriber (scripts/webhook_subscriber.py): verifies with the Standard Webhooks
    /// reference library, appends each verified event to a file.
    static func startSubscriber(secretFile: URL, out: URL, failFirst: Int) async throws -> (Process, URL) {
        let process = Process()
        process.executableURL = CLI.repository.appendingPathComponent(".venv/bin/python")
        process.arguments = ["scripts/webhook_subscriber.py", "--secret-file", secretFile.path, "--out", out.path, "--fail", String(failFirst)]
        process.currentDirectoryURL = CLI.repository
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = try await ChildProcess.readLine(from: pipe.fileHandleForReading)
        return (process, try #require(URL(string: String(line.split(separator: " ").last ?? ""))))
    }

    @Test("a subscriber verifies a signed webhook for every event of a payment, through a refused first delivery and a killed server")
    func webhooksSurviveACrash() async throws {
        let server = try await Self.start()
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-subscriber-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let secretFile = directory.appendingPathComponent("secret"), out = directory.appendingPathComponent("events.jsonl")
        let (subscriber, subscriberURL) = try await Self.startSubscriber(secretFile: secretFile, out: out, failFirst: 1)
        defer { subscriber.terminate() }

        let (created, endpoint) = try await server.request("POST", "/v1/webhook-endpoints", json: ["url": subscriberURL.appendingPathComponent("hooks").absoluteString])
        #expect(created == 201)
        try Data(try #require(endpoint["secret"] as? String).utf8).write(to: secretFile)

        let intent = try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.repository.appendingPathComponent("Config/samples/hk-supplier-usd-cnh.json")))
        let (status, payment) = try await server.request("POST", "/v1/payments", json: ["intent": intent, "rail": "correspondent-bank-a"],
                                                         headers: ["Idempotency-Key": "webhook-crash-1"])
        #expect(status == 201, "\(payment)")
        let id = try #require(payment["id"] as? String)

        func verified() throws -> [[String: Any]] {
            guard let text = try? String(contentsOf: out, encoding: .utf8) else { return [] }
            return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
        // Kill the server as soon as the first webhook is verified; a new one continues from the store.
        for _ in 0..<100 where try verified().isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        #expect(try !verified().isEmpty, "no webhook arrived")
        try await server.crashAndRestart()

        var final = false
        var events = [[String: Any]]()
        // Up to a minute: redeliveries back off, and the suite runs beside every other.
        for _ in 0..<240 {
            let (_, current) = try await server.request("GET", "/v1/payments/\(id)")
            let (_, journal) = try await server.request("GET", "/v1/payments/\(id)/events")
            events = journal["data"] as? [[String: Any]] ?? []
            final = ["settled", "failed", "returned"].contains(current["state"] as? String ?? "")
            let ids = Set(try verified().compactMap { $0["id"] as? String })
            if final && Set(events.compactMap { $0["sequence"] as? Int }.map { "evt_\($0)" }).isSubset(of: ids) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(final, "the payment did not reach a final state")
        let lines = try verified()
        #expect(lines.allSatisfy { $0["rejected"] == nil }, "a delivery failed verification: \(lines)")
        let delivered = Set(lines.compactMap { $0["id"] as? String })
        #expect(delivered == Set(events.compactMap { $0["sequence"] as? Int }.map { "evt_\($0)" }), "\(delivered) vs \(events)")
        #expect(events.last?["state"] as? String == "settled")
        let states = lines.compactMap { ($0["event"] as? [String: Any])?["data"] as? [String: Any] }.compactMap { $0["state"] as? String }
        #expect(states.contains("settled"))
    }
}

/// The README's first command, as its parts: `switchyard-sandbox up`, `switchyard keys create`,
/// `switchyard serve` on the written configuration, `switchyard demo` against it.
@Suite("switchyard-sandbox up and switchyard demo")
struct SandboxDemoTests {
    @Test("the whole sandbox comes up with a ready configuration; the demo pays on all four rails through the API (CIPS out of the router's process) and each payment settles")
    func demoSettlesOnEveryRail() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-sandbox-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        // Ten hours a second: a payment sent on a Friday evening still settles within the test.
        let (sandbox, line) = try await CLI.launch(CLI.sandboxExecutable, ["up", "--data-dir", data.path, "--speed", "36000"])
        defer { sandbox.terminate() }
        let written = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(written["ready"] as? Bool == true)
        let config = try #require(written["config"] as? String)

        // The written configuration stands alone: every executing rail enabled and pointed at the sandbox.
        let rails = try await CLI.run(["rails", "--json", "--config", config])
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(rails.stdout.utf8)) as? [[String: Any]])
        let executing = Set(listed.filter { $0["canExecute"] as? Bool == true }.compactMap { $0["rail"] as? String })
        #expect(executing == ["deposit-token-sandbox", "correspondent-bank-a", "correspondent-bank-b", "axcnh-conflux", "cips-participant"])

        let environment = ["SWITCHYARD_DATA_DIR": data.path]
        let key = try await CLI.run(["keys", "create", "--scope", "write"], environment: environment)
        let keyFile = data.appendingPathComponent("demo.key")
        try Data(key.stdout.utf8).write(to: keyFile)
        let (server, listening) = try await CLI.launch(CLI.executable, ["serve", "--config", config, "--data-dir", data.path, "--port", "0"])
        defer { server.terminate() }
        let url = String(listening.split(separator: " ").last ?? "")

        let demo = try await CLI.run(["demo", "--url", url, "--key-file", keyFile.path, "--timeout", "240"])
        #expect(demo.status == 0, "\(demo.stdout.suffix(4000))\n\(demo.stderr)")
        for rail in ["deposit-token-sandbox", "axcnh-conflux", "correspondent-bank-a", "cips-participant"] {
            #expect(demo.stdout.contains("on \(rail) as pay_"), "\(rail) was not paid")
        }
        #expect(demo.stdout.components(separatedBy: " settled").count - 1 >= 4)
        // The mainland supplier: paid over CIPS, the stablecoin excluded by the mainland rule.
        #expect(demo.stdout.contains(/excluded  axcnh-conflux: [A-Z_, ]*JURISDICTION_PROHIBITS_STABLECOIN/))
        #expect(demo.stdout.contains("AMOUNT_ABOVE_MAXIMUM"))
        #expect(demo.stdout.contains("the same payment, nothing paid twice"))
    }
}
