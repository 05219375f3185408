import ArgumentParser
import Foundation
import RailKit
import SwitchyardRouter

/// `switchyard pay`: quote, execute on the chosen rail and follow the payment to a final state,
/// in one process. Nothing is stored yet: the journal is printed as it is written.
struct PayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay",
        abstract: "Quote a payment, execute it on the best (or a named) rail and follow it until it is final.",
        discussion: """
            The journal of the execution is printed as it is written (prepared, submitted, each
            status), then the receipt with each leg. Payments are not stored yet: run it again and
            it is a new payment unless --payment-id repeats one in the same process.
            """)

    @OptionGroup var configuration: ConfigurationOptions

    @Option(name: .long, help: ArgumentHelp("A payment intent as JSON; - reads standard input.", valueName: "file"))
    var request: String

    @Option(name: .long, help: ArgumentHelp("Execute on this rail instead of the best-ranked one.", valueName: "rail"))
    var rail: String?

    @Option(name: .customLong("payment-id"), help: ArgumentHelp("The payment's id (the idempotency key towards the rail).", valueName: "id"))
    var paymentID: String?

    @Option(name: .long, help: "Stop following after this many seconds.")
    var timeout = 120

    func run() async throws {
        _ = LoggingSetup.once
        do {
            let intent = try IntentFile.read(request)
            let loaded = try configuration.load()
            var engine = loaded.makeEngine()
            engine.logger = configuration.logger()
            let result = try await engine.route(intent)
            let chosen: RankedQuote
            if let rail {
                guard let ranked = result.ranked.first(where: { $0.railID.rawValue == rail }) else {
                    let reasons = result.excluded.first { $0.railID.rawValue == rail }?.reasons
                        .map { "\($0.code.rawValue): \($0.message)" }.joined(separator: "; ") ?? "not configured"
                    throw CommandFailure(exitCode: 4, message: "rail \(rail) cannot carry this payment: \(reasons)")
                }
                chosen = ranked
            } else {
                guard let best = result.chosen else {
                    throw CommandFailure(exitCode: 4, message: "no rail can carry this payment:\n" + QuoteTable.render(result))
                }
                chosen = best
            }
            let quote = chosen.quote
            print("quote \(quote.id) on \(chosen.railID): debtor pays \(quote.debtorPays), creditor receives \(quote.creditorReceives)")
            guard let adapter = engine.rails.first(where: { $0.id == chosen.railID })?.adapter, adapter.descriptor.capabilities.canExecute else {
                let why = quote.assumptions.first { $0.name == "execution" }?.value ?? "its execution settings are not set"
                throw CommandFailure(exitCode: 4, message: "rail \(chosen.railID) only quotes here (\(why); see README)")
            }
            let id = paymentID ?? "pay-" + UUID().uuidString.lowercased()
            let receipt: ExecutionReceipt
            do {
                receipt = try await engine.execute(paymentID: id, intent: intent, quote: quote, journal: PrintingJournal())
            } catch let refused as ExecutionRefused {
                throw CommandFailure(exitCode: 5, message: refused.description)
            } catch RailError.declined(let decline) {
                throw CommandFailure(exitCode: 5, message: "\(chosen.railID) declined at execution: \(decline.code.rawValue): \(decline.message)")
            }
            var status = receipt.status
            let deadline = Date().addingTimeInterval(TimeInterval(timeout))
            while !status.state.isTerminal, Date() < deadline {
                try await Task.sleep(for: .seconds(1))
                let next = try await adapter.status(of: receipt.submission, at: Date())
                if next.state != status.state || next.legs.map(\.state) != status.legs.map(\.state) { print(PrintingJournal.line(next)) }
                status = next
            }
            print(ReceiptText.render(status))
            if status.state != .settled { throw ExitCode(status.state.isTerminal ? 6 : 7) }
        } catch let failure as CommandFailure {
            throw fail(failure)
        }
    }
}

/// Prints each journal event as it is recorded (the store's job once there is one).
struct PrintingJournal: ExecutionJournal {
    func record(_ event: ExecutionEvent) async throws {
        switch event {
        case .prepared(let submission):
            print("journal: prepared \(submission.reference) (\(submission.details.count) fields)")
        case .submitted(let reference):
            print("journal: submitted \(reference)")
        case .statusChanged(let status):
            print("journal: " + Self.line(status))
        }
    }

    static func line(_ status: RailPaymentStatus) -> String {
        let legs = status.legs.map { "\($0.kind)=\($0.state.rawValue)" }.joined(separator: " ")
        return "status \(status.state.rawValue) (\(status.railCode ?? "-"))" + (legs.isEmpty ? "" : " legs: \(legs)")
    }
}

/// The final status as text: each step's amount, each leg, where the money is.
enum ReceiptText {
    static func render(_ status: RailPaymentStatus) -> String {
        var lines = ["payment \(status.reference): \(status.state.rawValue)" + (status.railCode.map { " (\($0))" } ?? "")]
        if let reason = status.reason { lines.append("  reason: \(reason.code.rawValue): \(reason.message)") }
        for key in status.details.keys.sorted() { lines.append("  \(key): \(status.details[key]!)") }
        for leg in status.legs {
            lines.append("  leg \(leg.kind) \(leg.reference): \(leg.state.rawValue)"
                + (leg.amountIn.map { " in \($0)" } ?? "") + (leg.amountOut.map { " out \($0)" } ?? ""))
            if let location = leg.fundsLocation { lines.append("    funds: \(location)") }
        }
        return lines.joined(separator: "\n")
    }
}
