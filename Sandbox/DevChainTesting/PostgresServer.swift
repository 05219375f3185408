import Foundation

/// A real PostgreSQL server for tests, started by the project's own `scripts/postgres.sh` on a
/// free loopback port (the same in CI), and stopped by the script's watcher when this process exits.
public struct PostgresServer: Sendable {
    /// `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication on loopback).
    public let url: URL

    /// One server per test process.
    public static let shared = Task { try await start() }

    public static func start() async throws -> PostgresServer {
        let script = DevChain.projectRoot.appendingPathComponent("scripts/postgres.sh").path
        let result = try await ChildProcess.run(URL(fileURLWithPath: "/bin/bash"), [script, "start", "--exit-with", String(getpid())])
        guard result.status == 0, let line = result.stdout.split(separator: "\n").last,
              let ready = try? JSONDecoder().decode([String: String].self, from: Data(line.utf8)),
              let text = ready["url"], let url = URL(string: text) else {
            throw DevChainError.notInstalled("scripts/postgres.sh start failed (\(result.status)): \(result.stderr.suffix(500))")
        }
        return PostgresServer(url: url)
    }

    /// A new, empty database on the server, so each test has its own.
    public func makeDatabase(_ name: String = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")) async throws -> URL {
        let result = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["psql", url.absoluteString, "-v", "ON_ERROR_STOP=1",
                                                                              "-q", "-c", "CREATE DATABASE \(name)"])
        guard result.status == 0 else { throw DevChainError.notInstalled("psql could not create a database: \(result.stderr.suffix(300))") }
        return url.deletingLastPathComponent().appendingPathComponent(name)
    }
}
