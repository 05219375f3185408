import ArgumentParser
import Foundation
import RailKit
import SwitchyardExecutor
import SwitchyardRouter

/// `switchyard status ID`: a stored payment's state, attempts, funds' location and journal, from
/// any process (the store is the source of truth). `--refresh` asks the rail once first.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show a payment: state, attempts, where the funds are, and its journal.")

    @Argument(help: ArgumentHelp("The payment id (or, with --key, the idempotency key).", valueName: "id"))
    var id: String

    @Flag(name: .long, help: "The argument is the idempotency key the payment was created with.")
    var key = false

    @Flag(name: .long, help: "Ask the payment's rail for its current state first (records any change).")
    var refresh = false

    @Flag(name: .long, help: "Print as JSON (the record and its journal).")
    var json = false

    @OptionGroup var configuration: ConfigurationOptions
    @OptionGroup var store: StoreOptions

    struct Report: Encodable {
        var payment: PaymentRecord
        var journal: [JournalEntry]
    }

    func run() async throws {
        _ = LoggingSetup.once
        do {
            try await store.withStore { payments in
                guard var record = try await (key ? payments.payment(idempotencyKey: id) : payments.payment(id: id)) else {
                    throw CommandFailure(exitCode: 2, message: "no payment \(key ? "with idempotency key " : "")\(id) in \(store.name)")
                }
                if refresh, record.submission != nil, !record.state.isFinal {
                    // Only while no executor holds the payment: its record is theirs to write meanwhile.
                    let token = "status-" + UUID().uuidString.lowercased(), now = ProcessClock.now()
                    if try await payments.lease(paymentID: record.id, owner: token, now: now, until: now.addingTimeInterval(30)) {
                        var engine = try configuration.load().makeEngine(clock: ProcessClock.now)
                        engine.logger = configuration.logger()
                        _ = try await engine.makeExecutor(store: payments).status(of: record.id)
                        try await payments.releaseLease(paymentID: record.id, owner: token)
                        record = try await payments.payment(id: record.id) ?? record
                    } else {
                        FileHandle.standardError.write(Data("note: an executor holds this payment right now; showing its stored state\n".utf8))
                    }
                }
                let journal = try await payments.journal(of: record.id)
                if json {
                    let encoder = RailCoding.encoder()
                    encoder.outputFormatting.insert(.prettyPrinted)
                    print(String(decoding: try encoder.encode(Report(payment: record, journal: journal)), as: UTF8.self))
                } else {
                    print(Self.render(record, journal: journal))
                }
            }
        } catch let failure as CommandFailure {
            throw fail(failure)
        }
    }

    static func render(_ record: PaymentRecord, journal: [JournalEntry]) -> String {
        var lines = ["payment \(record.id): \(record.state.rawValue) on \(record.railID)"]
        if let key = record.idempotencyKey { lines.append("  idempotency key: \(key)") }
        lines.append("  quote \(record.quote.id): debtor pays \(record.quote.debtorPays), creditor receives \(record.quote.creditorReceives)")
        lines.append("  created \(Timestamp.format(record.createdAt)), updated \(Timestamp.format(record.updatedAt)), attempts \(record.attempt)")
        if let reference = record.submission?.reference { lines.append("  reference: \(reference)") }
        if let failure = record.failure { lines.append("  reason: \(failure.code.rawValue): \(failure.message)") }
        if let location = record.fundsLocation { lines.append("  funds: \(location)") }
        lines.append("  journal:")
        for entry in journal {
            lines.append("    #\(entry.sequence) \(Timestamp.format(entry.recordedAt)) attempt \(entry.attempt) " + PrintingJournal.summary(entry.event))
        }
        return lines.joined(separator: "\n")
    }
}

/// `switchyard payments`: stored payments, newest first, filtered by state, rail and time.
struct PaymentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "payments", abstract: "List stored payments, newest first.")

    @Option(name: .long, help: ArgumentHelp("Only payments in this state (repeatable): \(PaymentState.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "state"))
    var state: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only payments on this rail.", valueName: "rail"))
    var rail: String?

    @Option(name: .long, help: ArgumentHelp("Created at or after this instant (ISO 8601).", valueName: "time"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Created before this instant (ISO 8601).", valueName: "time"))
    var until: String?

    @Option(name: .long, help: "At most this many (1 to 1000).")
    var limit = 50

    @Flag(name: .long, help: "Print as JSON.")
    var json = false

    @OptionGroup var store: StoreOptions

    func run() async throws {
        do {
            let filter = try makeFilter()
            let payments = try await store.withStore { try await $0.payments(matching: filter) }
            if json {
                let encoder = RailCoding.encoder()
                encoder.outputFormatting.insert(.prettyPrinted)
                print(String(decoding: try encoder.encode(payments), as: UTF8.self))
                return
            }
            for payment in payments {
                print([payment.id, payment.state.rawValue, payment.railID.rawValue, Timestamp.format(payment.createdAt),
                       payment.quote.debtorPays.description, "→", payment.quote.creditorReceives.description].joined(separator: "  "))
            }
        } catch let failure as CommandFailure {
            throw fail(failure)
        }
    }

    private func makeFilter() throws -> PaymentFilter {
        var states = Set<PaymentState>()
        for text in state {
            guard let parsed = PaymentState(rawValue: text) else {
                throw CommandFailure(exitCode: 2, message: "--state: \(text) is not a state; one of \(PaymentState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            states.insert(parsed)
        }
        func instant(_ text: String?, _ flag: String) throws -> Date? {
            guard let text else { return nil }
            guard let date = Timestamp.parse(text) else {
                throw CommandFailure(exitCode: 2, message: "\(flag): an ISO 8601 date-time with offset, e.g. 2026-11-20T15:00:00Z")
            }
            return date
        }
        guard (1...1000).contains(limit) else { throw CommandFailure(exitCode: 2, message: "--limit: between 1 and 1000") }
        var railID: RailID?
        if let rail {
            do { railID = try RailID(rail, field: "--rail") } catch { throw CommandFailure(exitCode: 2, message: "--rail: \(error.message)") }
        }
        return PaymentFilter(states: states.isEmpty ? nil : states, rail: railID, since: try instant(since, "--since"),
                             until: try instant(until, "--until"), limit: limit)
    }
}
