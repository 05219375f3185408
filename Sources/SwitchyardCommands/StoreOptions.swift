import ArgumentParser
import Foundation
import PostgresPaymentStore
import SQLitePaymentStore
import SwitchyardExecutor

/// Where payments are stored: SQLite under a data directory by default; PostgreSQL (for several
/// routers on one database) when `SWITCHYARD_DATABASE_URL` is set.
struct StoreOptions: ParsableArguments {
    static let dataDirectoryVariable = "SWITCHYARD_DATA_DIR"
    static let databaseURLVariable = "SWITCHYARD_DATABASE_URL"

    @Option(name: .customLong("data-dir"),
            help: ArgumentHelp("Where payments are stored (default: $SWITCHYARD_DATA_DIR, else ./.switchyard); $SWITCHYARD_DATABASE_URL selects PostgreSQL instead.",
                               valueName: "dir"))
    var dataDirectory: String?

    var path: String {
        let directory = dataDirectory ?? ProcessInfo.processInfo.environment[Self.dataDirectoryVariable] ?? ".switchyard"
        return URL(fileURLWithPath: directory).appendingPathComponent("payments.sqlite").path
    }

    /// How long a process holds a payment it executes (`SWITCHYARD_LEASE_SECONDS`, default 30): a
    /// process that dies holding one delays that payment's recovery this long.
    var lease: Duration {
        let seconds = ProcessInfo.processInfo.environment["SWITCHYARD_LEASE_SECONDS"].flatMap(Int.init) ?? 30
        return .seconds(min(max(seconds, 1), 3600))
    }

    /// Where the payments are, for messages (never a password).
    var name: String {
        if let url = databaseURL, let components = URLComponents(string: url) {
            return "PostgreSQL at \(components.host ?? "?"):\(components.port ?? 5432)\(components.path)"
        }
        return path
    }

    private var databaseURL: String? {
        ProcessInfo.processInfo.environment[Self.databaseURLVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Runs `body` with the store open and migrated (for PostgreSQL, its connection pool running
    /// meanwhile); a store that cannot be opened or migrated exits 3 naming it.
    func withStore<Result: Sendable>(_ body: (any SwitchyardStore) async throws -> Result) async throws -> Result {
        guard let databaseURL else {
            let store: SQLitePaymentStore
            do { store = try SQLitePaymentStore(path: path) } catch { throw CommandFailure(exitCode: 3, message: error.description) }
            return try await body(store)
        }
        let store: PostgresPaymentStore
        do { store = try PostgresPaymentStore(url: databaseURL) } catch {
            throw CommandFailure(exitCode: 3, message: "\(Self.databaseURLVariable): \(error.description)")
        }
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await store.run(); return nil }
            defer { group.cancelAll() }
            do {
                try await store.migrate()
            } catch {
                throw CommandFailure(exitCode: 3, message: "cannot open or migrate the payment store (\(name)): \(error)")
            }
            return try await body(store)
        }
    }
}

/// How long the executor keeps the idempotency keys of final payments (`serve` and `executor`).
struct KeyRetentionOptions: ParsableArguments {
    @Option(name: .customLong("idempotency-key-hours"),
            help: ArgumentHelp("Hours an idempotency key of a final payment is kept before the key may name a new payment (at least 24).",
                               valueName: "hours"))
    var hours = Int(PaymentExecutor.defaultKeyRetention.components.seconds / 3600)

    func validate() throws {
        guard hours >= 24 else {
            throw ValidationError("--idempotency-key-hours: keys are kept at least 24 hours (a client may retry for a day), not \(hours)")
        }
    }

    var retention: Duration { .seconds(hours * 3600) }
}
