import ArgumentParser
import Foundation
import SQLitePaymentStore
import SwitchyardExecutor

/// Where payments are stored: SQLite under a data directory by default.
struct StoreOptions: ParsableArguments {
    static let dataDirectoryVariable = "SWITCHYARD_DATA_DIR"
    static let databaseURLVariable = "SWITCHYARD_DATABASE_URL"

    @Option(name: .customLong("data-dir"),
            help: ArgumentHelp("Where payments are stored (default: $SWITCHYARD_DATA_DIR, else ./.switchyard).", valueName: "dir"))
    var dataDirectory: String?

    var path: String {
        let directory = dataDirectory ?? ProcessInfo.processInfo.environment[Self.dataDirectoryVariable] ?? ".switchyard"
        return URL(fileURLWithPath: directory).appendingPathComponent("payments.sqlite").path
    }

    /// Opens (and migrates) the store; a store that cannot be opened exits 3 naming it.
    func open() throws -> any PaymentStore {
        if let url = ProcessInfo.processInfo.environment[Self.databaseURLVariable], !url.isEmpty {
            // Never echo the URL: it may carry a password.
            throw CommandFailure(exitCode: 3, message: "\(Self.databaseURLVariable) is set, but this build stores payments in SQLite only (PostgreSQL is not available yet); unset it to use --data-dir")
        }
        do {
            return try SQLitePaymentStore(path: path)
        } catch {
            throw CommandFailure(exitCode: 3, message: error.description)
        }
    }
}
