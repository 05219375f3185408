import ArgumentParser
import Foundation
import RailKit
import RailKitSupport
import SwitchyardExecutor
import SwitchyardAPI
import SwitchyardRouter

/// `switchyard quote`: rank every configured rail for one payment.
struct QuoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote",
        abstract: "Quote a payment on every configured rail, rank by the objective and explain.",
        discussion: """
            Describe the payment with flags, or pass its JSON form with --request FILE (- for stdin);
            the JSON is the same the HTTP API accepts (see Config/samples/).
            """)

    @OptionGroup var configuration: ConfigurationOptions
    @OptionGroup var payment: PaymentFlags

    @Option(name: .long, help: ArgumentHelp("A payment intent as JSON; - reads standard input.", valueName: "file"))
    var request: String?

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Quote as of this instant (ISO 8601), for reproducible output.", valueName: "time"))
    var now: String?

    @Flag(name: .long, help: "Keep the ranked quotes in the payment store, so `switchyard pay --quote ID` can pay one before it expires.")
    var save = false

    @OptionGroup var store: StoreOptions

    func run() async throws {
        _ = LoggingSetup.once
        do {
            let intent = try loadIntent()
            let loaded = try await configuration.load(prefetched: ConfigurationPrefetch.current)
            var clockTime = ProcessClock.now()
            if let now {
                guard let parsed = Timestamp.parse(now) else {
                    throw CommandFailure(exitCode: 2, message: "--now: an ISO 8601 date-time with offset, e.g. 2026-11-20T15:00:00Z")
                }
                clockTime = parsed
            }
            let fixedTime = clockTime
            var engine = loaded.makeEngine(clock: { fixedTime })
            engine.logger = configuration.logger()
            let result = try await engine.route(intent)
            if save {
                try await store.withStore { payments in
                    for ranked in result.ranked { try await payments.saveQuote(StoredQuote(quote: ranked.quote, intent: intent)) }
                }
            }
            if json {
                print(try QuoteReport(result: result).jsonString())
            } else {
                print(QuoteTable.render(result))
            }
        } catch let failure as CommandFailure {
            throw fail(failure)
        }
    }

    private func loadIntent() throws -> PaymentIntent {
        guard let request else { return try payment.intent() }
        guard !payment.anySet else {
            throw CommandFailure(exitCode: 2, message: "--request and payment flags (--amount, --from, ...) cannot be combined")
        }
        return try IntentFile.read(request)
    }
}
