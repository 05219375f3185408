import ArgumentParser
import Foundation
import RailKit
import SwitchyardExecutor
import SwitchyardRouter

/// `switchyard pay`: quote, execute on the chosen rail and follow the payment to a final state,
/// in one process. A thin client of the payment executor, which checks and journals; nothing is
/// stored yet, so the journal is printed as it is written.
struct PayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay",
        abstract: "Quote a payment, execute it on the best (or a named) rail and follow it until it is final.",
        discussion: """
            The journal of the execution is printed as it is written (prepared, submitted, each
            status), then the receipt with each leg. Payments are not stored yet: run it again and
            it is a new payment.
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
            let chosen = try choose(from: result)
            let quote = chosen.quote
            print("quote \(quote.id) on \(chosen.railID): debtor pays \(quote.debtorPays), creditor receives \(quote.creditorReceives)")
            if let why = engine.rails.first(where: { $0.id == chosen.railID })?.adapter?.descriptor.capabilities.quoteOnlyReason {
                throw CommandFailure(exitCode: 4, message: "rail \(chosen.railID) only quotes here (quotes only: \(why); see README)")
            }
            let executor = engine.makeExecutor(store: InMemoryPaymentStore(), observer: PrintingJournal())
            let id = paymentID ?? "pay-" + UUID().uuidString.lowercased()
            do {
                _ = try await executor.execute(paymentID: id, intent: intent, quote: quote)
            } catch let refused as ExecutionRefused {
                throw CommandFailure(exitCode: 5, message: refused.description)
            } catch RailError.declined(let decline) {
                throw CommandFailure(exitCode: 5, message: "\(chosen.railID) declined at execution: \(decline.code.rawValue): \(decline.message)")
            }
            let status = try await executor.follow(paymentID: id, budget: .seconds(timeout))
            print(ReceiptText.render(status))
            if status.state != .settled { throw ExitCode(status.state.isTerminal ? 6 : 7) }
        } catch let failure as CommandFailure {
            throw fail(failure)
        }
    }

    /// The named rail's quote, or the best-ranked one; exit 4 naming why when there is none.
    private func choose(from result: RoutingResult) throws -> RankedQuote {
        if let rail {
            guard let ranked = result.ranked.first(where: { $0.railID.rawValue == rail }) else {
                let reasons = result.excluded.first { $0.railID.rawValue == rail }?.reasons
                    .map { "\($0.code.rawValue): \($0.message)" }.joined(separator: "; ") ?? "not configured"
                throw CommandFailure(exitCode: 4, message: "rail \(rail) cannot carry this payment: \(reasons)")
            }
            return ranked
        }
        guard let best = result.chosen else {
            throw CommandFailure(exitCode: 4, message: "no rail can carry this payment:\n" + QuoteTable.render(result))
        }
        return best
    }
}

/// Prints each journal event as it is recorded (the store's job once there is one).
struct PrintingJournal: PaymentJournal {
    func record(_ event: ExecutionEvent, payment paymentID: String) async throws {
        switch event {
        case .prepared(let submission):
            print("journal: prepared \(submission.reference) (\(submission.checkpoint.railType) checkpoint v\(submission.checkpoint.schemaVersion))")
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
        for line in status.breakdown { lines.append("  \(line.name): \(line.amount)") }
        if let rate = status.fxRate { lines.append("  fx_rate: \(rate.rate) (\(rate.base)/\(rate.quote))") }
        if let credited = status.credited { lines.append("  credited_amount: \(credited)") }
        if let returned = status.returned { lines.append("  returned_amount: \(returned)") }
        for charge in status.deductedCharges { lines.append("  charge: \(charge.amount) by \(charge.agent)") }
        if !status.counterpartReasonCodes.isEmpty { lines.append("  reason_codes: \(status.counterpartReasonCodes.joined(separator: ","))") }
        for reference in status.counterpartReferences { lines.append("  \(reference.kind): \(reference.value)") }
        for note in status.notes { lines.append("  note: \(note)") }
        for leg in status.legs {
            lines.append("  leg \(leg.kind) \(leg.reference): \(leg.state.rawValue)"
                + (leg.amountIn.map { " in \($0)" } ?? "") + (leg.amountOut.map { " out \($0)" } ?? ""))
            if let location = leg.fundsLocation { lines.append("    funds: \(location)") }
        }
        return lines.joined(separator: "\n")
    }
}
