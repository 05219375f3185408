import ArgumentParser
import Foundation
import RailKit
import SwitchyardAPI
import SwitchyardExecutor
import SwitchyardRouter

/// `switchyard pay`: quote (or take a stored quote), execute on the chosen rail through the payment
/// executor on the payment store, and follow the payment to a final state. The payment is stored
/// before anything is sent and every step is journaled, so `switchyard status ID` in another
/// process shows it, and a repeated request with the same idempotency key never pays twice.
struct PayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay",
        abstract: "Pay: quote (or use --quote ID), execute on the best (or a named) rail, and follow the payment until it is final.",
        discussion: """
            The journal is printed as it is written (prepared, submitted, each status), then the
            receipt with each leg. Payments live in the store under --data-dir: the same
            --idempotency-key with the same request returns the first payment, never a second one.
            """)

    @OptionGroup var configuration: ConfigurationOptions
    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: ArgumentHelp("A payment intent as JSON; - reads standard input.", valueName: "file"))
    var request: String?

    @Option(name: .long, help: ArgumentHelp("Pay this stored quote (from `switchyard quote --save`) before it expires.", valueName: "id"))
    var quote: String?

    @Option(name: .long, help: ArgumentHelp("Execute on this rail instead of the best-ranked one.", valueName: "rail"))
    var rail: String?

    @Option(name: .customLong("payment-id"), help: ArgumentHelp("The payment's id (default: a new one).", valueName: "id"))
    var paymentID: String?

    @Option(name: .customLong("idempotency-key"),
            help: ArgumentHelp("The same key with the same request returns the first payment; with another request it is refused.", valueName: "key"))
    var idempotencyKey: String?

    @Flag(name: .long, inversion: .prefixedNo, help: "Follow the payment until it is final (--no-wait returns once it is submitted).")
    var wait = true

    @Option(name: .long, help: "Stop following after this many seconds.")
    var timeout = 120

    /// Checked in `run` (not ArgumentParser's `validate`), so a bad key exits 2 like every bad input.
    private func checkOptions() throws {
        if let idempotencyKey, idempotencyKey.isEmpty || idempotencyKey.count > 255 {
            throw CommandFailure(exitCode: 2, message: "--idempotency-key: 1 to 255 characters")
        }
    }

    func run() async throws {
        _ = LoggingSetup.once
        do {
            try checkOptions()
            let loaded = try configuration.load()
            var engine = loaded.makeEngine(clock: ProcessClock.now)
            engine.logger = configuration.logger()
            try await store.withStore { payments in
                let (intent, chosen, request) = try await choose(engine: engine, store: payments)
                print("quote \(chosen.id) on \(chosen.railID): debtor pays \(chosen.debtorPays), creditor receives \(chosen.creditorReceives)")
                if let why = engine.rails.first(where: { $0.id == chosen.railID })?.adapter?.descriptor.capabilities.quoteOnlyReason {
                    throw CommandFailure(exitCode: 4, message: "rail \(chosen.railID) only quotes here (quotes only: \(why); see README)")
                }
                let executor = engine.makeExecutor(store: payments, observer: PrintingJournal(), lease: store.lease, afterStep: CrashHarness.afterStep)
                let id = paymentID ?? "pay_" + UUID().uuidString.lowercased()
                let receipt: ExecutionReceipt
                do {
                    receipt = try await executor.execute(paymentID: id, intent: intent, quote: chosen, idempotencyKey: idempotencyKey,
                                                         requestHash: try PaymentExecutor.requestHash(of: request))
                } catch let refused as ExecutionRefused {
                    throw CommandFailure(exitCode: 5, message: refused.description)
                } catch RailError.declined(let decline) {
                    throw CommandFailure(exitCode: 5, message: "\(chosen.railID) declined at execution: \(decline.code.rawValue): \(decline.message)")
                } catch let busy as PaymentInProgress {
                    throw CommandFailure(exitCode: 8, message: "\(busy)")
                } catch let conflict as IdempotencyConflict {
                    throw CommandFailure(exitCode: 2, message: "--idempotency-key: \(conflict)")
                } catch let error as RailError {
                    // The rail's counterpart could not be reached, or answered what cannot be read:
                    // the payment is in the store as the journal left it, never dropped.
                    // With a key the payment may be one an earlier request stored under another id.
                    var stored = try await payments.payment(id: id)
                    if let idempotencyKey, let first = try await payments.payment(idempotencyKey: idempotencyKey) { stored = first }
                    throw Self.counterpartFailure(error, rail: chosen.railID, stored: stored?.state.rawValue)
                }
                // With a key, the payment may be one an earlier request created under another id.
                var paid = try await payments.payment(id: id)
                if let idempotencyKey, let first = try await payments.payment(idempotencyKey: idempotencyKey) { paid = first }
                let paymentID = paid?.id ?? id
                print("payment \(paymentID): \(paid?.state.rawValue ?? "submitted") (\(receipt.reference))")
                // Already final and not settled (the bank refused it at once): say so by exit code, waiting or not.
                if let paid, paid.state.isFinal, paid.state != .settled {
                    if let status = paid.status { print(ReceiptText.render(status)) }
                    throw ExitCode(6)
                }
                guard wait else { return }
                let status = try await executor.follow(paymentID: paymentID, budget: .seconds(timeout))
                print(ReceiptText.render(status))
                if status.state != .settled { throw ExitCode(status.state.isTerminal ? 6 : 7) }
            }
        } catch let failure as CommandFailure {
            throw fail(failure)
        }
    }

    /// The exit for a rail error at execution: 9 the counterpart was unavailable, 10 its answer
    /// could not be read (the outcome may be unknown); either way the message says where the
    /// payment stands in the store and how it is followed.
    static func counterpartFailure(_ error: RailError, rail: RailID, stored: String?) -> CommandFailure {
        let standing = stored.map { "the payment is stored as \($0); `switchyard executor` or `status --refresh` follows it" }
            ?? "nothing was stored or sent"
        switch error {
        case .invalidResponse(let detail):
            return CommandFailure(exitCode: 10, message: "\(rail): the counterpart's answer could not be read (\(detail)); \(standing)")
        case .unavailable(let detail):
            return CommandFailure(exitCode: 9, message: "\(rail) is unavailable (\(detail)); \(standing)")
        case .misconfigured, .unsupported:
            // The rail's configuration, not its counterpart: exit 3 like any configuration error.
            return CommandFailure(exitCode: 3, message: "\(rail) is misconfigured (\(error)); \(standing)")
        case .declined:
            return CommandFailure(exitCode: 5, message: "\(rail) refused at execution (\(error)); \(standing)")
        case .money:
            return CommandFailure(exitCode: 9, message: "\(rail) could not execute (\(error)); \(standing)")
        }
    }

    /// The intent and the quote to pay (a stored quote by id, or the named rail's or the best-ranked
    /// quote now), and the request as the client made it.
    private func choose(engine: RoutingEngine, store: any PaymentStore) async throws -> (PaymentIntent, Quote, PaymentRequestIdentity) {
        if let quote {
            guard request == nil, rail == nil else {
                throw CommandFailure(exitCode: 2, message: "--quote pays a stored quote; it cannot be combined with --request or --rail")
            }
            guard let stored = try await store.quote(id: QuoteID(quote)) else {
                throw CommandFailure(exitCode: 2, message: "--quote: no stored quote \(quote) (quote with --save first, in the same --data-dir)")
            }
            return (stored.intent, stored.quote, PaymentRequestIdentity(quote: quote))
        }
        guard let request else { throw CommandFailure(exitCode: 2, message: "--request (a payment intent) or --quote (a stored quote id) is required") }
        let intent = try IntentFile.read(request)
        let result = try await engine.route(intent)
        if let rail {
            guard let ranked = result.ranked.first(where: { $0.railID.rawValue == rail }) else {
                let reasons = result.excluded.first { $0.railID.rawValue == rail }?.reasons
                    .map { "\($0.code.rawValue): \($0.message)" }.joined(separator: "; ") ?? "not configured"
                throw CommandFailure(exitCode: 4, message: "rail \(rail) cannot carry this payment: \(reasons)")
            }
            return (intent, ranked.quote, PaymentRequestIdentity(intent: intent, rail: rail))
        }
        // The best rail that executes here (one that only quotes is ranked for comparison); with
        // none, the best-ranked, which is refused below with the reason it only quotes.
        guard let best = engine.executable(in: result).first ?? result.chosen else {
            throw CommandFailure(exitCode: 4, message: "no rail can carry this payment:\n" + QuoteTable.render(result))
        }
        return (intent, best.quote, PaymentRequestIdentity(intent: intent))
    }
}

/// Prints each journal event as it is recorded (the store's job once there is one).
struct PrintingJournal: PaymentJournal {
    func record(_ event: ExecutionEvent, payment paymentID: String) async throws {
        print("journal: " + Self.summary(event))
    }

    /// One line per journal event (also what `switchyard status` lists).
    static func summary(_ event: ExecutionEvent) -> String {
        switch event {
        case .prepared(let submission): "prepared \(submission.reference) (\(submission.checkpoint.railType) checkpoint v\(submission.checkpoint.schemaVersion))"
        case .submitted(let reference): "submitted \(reference)"
        case .statusChanged(let status): line(status)
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
