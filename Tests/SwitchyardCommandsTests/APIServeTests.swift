import DevChainTesting
import Foundation
import RailKit
import Testing

/// `switchyard serve` as shipped: a process on a free port, an API key made by `switchyard keys`,
/// the sandbox bank (`switchyard-sandbox bank`) behind both correspondent-bank rails.
@Suite("switchyard serve")
struct APIServeTests {
    struct Server {
        let process: Process
        let url: URL
        let key: String
        let data: URL
        let bank: Process

        func stop() {
            process.terminate()
            bank.terminate()
            try? FileManager.default.removeItem(at: data)
        }
    }

    static func start() async throws -> Server {
        let (bank, bankURL) = try await DurablePayCommandTests.startBank(token: "serve-bank-token")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-serve-\(UUID())")
        let environment = ["SWITCHYARD_DATA_DIR": data.path, "SWITCHYARD_BANK_A_URL": bankURL.absoluteString, "SWITCHYARD_BANK_A_TOKEN": "serve-bank-token",
                           "SWITCHYARD_BANK_B_URL": bankURL.absoluteString, "SWITCHYARD_BANK_B_TOKEN": "serve-bank-token"]
        let created = try CLI.run(["keys", "create", "--scope", "write", "--label", "schemathesis"], environment: environment)
        #expect(created.status == 0, "\(created.stderr)")
        let key = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("syk_"))

        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["serve", "--port", "0"]
        process.currentDirectoryURL = CLI.repository
        process.environment = CLI.cleanEnvironment.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = try await ChildProcess.readLine(from: out.fileHandleForReading)
        let address = try #require(line.split(separator: " ").last.map(String.init), "\(line)")
        return Server(process: process, url: try #require(URL(string: address)), key: key, data: data, bank: bank)
    }

    @Test("schemathesis against the running server: every route, a few hundred generated requests each; no 5xx, every answer as documented")
    func conformsToItsOpenAPIDocument() async throws {
        let server = try await Self.start()
        defer { server.stop() }
        let schemathesis = CLI.repository.appendingPathComponent(".venv/bin/schemathesis")
        #expect(FileManager.default.isExecutableFile(atPath: schemathesis.path), "run ./scripts/setup.sh --python (it installs schemathesis into .venv)")
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("schemathesis-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: report) }
        let run = try ChildProcess.run(schemathesis, [
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
        #expect(summary.contains("Tested: 10"), "\(summary.suffix(2000))")

        // The server stops cleanly on SIGTERM.
        server.process.terminate()
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
    }
}
