import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SwitchyardExecutor
import SwitchyardRouter

/// `switchyard executor`: runs the payment executor alone, driving stored payments to a final
/// state (after a crash, or beside an API server); several may share one store.
struct ExecutorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "executor", abstract: "Run the payment executor: pick up due payments from the store and drive them to a final state.")

    @OptionGroup var configuration: ConfigurationOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var keyRetention: KeyRetentionOptions

    @Option(name: .long, help: ArgumentHelp("This process's name on the payments it leases (default: host and process id).", valueName: "name"))
    var owner: String?

    @Flag(name: .long, help: "Make one round over the due payments and exit.")
    var once = false

    func run() async throws {
        _ = LoggingSetup.once
        do {
            var engine = try configuration.load().makeEngine(clock: ProcessClock.now)
            var logger = configuration.logger()
            logger.logLevel = configuration.verbose ? .info : .notice
            engine.logger = logger
            let name = owner ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
            let engineForRun = engine
            try await store.withStore { payments in
                let executor = engineForRun.makeExecutor(store: payments, observer: nil, logger: logger, lease: store.lease, afterStep: CrashHarness.afterStep)
                if once {
                    let moved = try await executor.runDue(owner: name)
                    try await executor.forgetIdempotencyKeys(keptFor: keyRetention.retention)
                    print("moved \(moved) due payment\(moved == 1 ? "" : "s")")
                    return
                }
                let service = PaymentExecutorService(executor: executor, owner: name, keyRetention: keyRetention.retention, logger: logger)
                let group = ServiceGroup(configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
                try await group.run()
            }
        } catch let failure as CommandFailure {
            throw fail(failure)
        }
    }
}
