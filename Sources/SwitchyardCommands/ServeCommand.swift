import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import SwitchyardExecutor
import SwitchyardRouter
import RailKit
import SwitchyardServer

/// `switchyard serve`: the HTTP API and the payment executor as services of one group, on the
/// payment store. SIGTERM (or SIGINT) stops taking requests, lets those in flight finish, and
/// gives the executor's leases back for another process to continue.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the HTTP API (and run the payment executor beside it).",
        discussion: """
            Every route but /healthz, /readyz and the rails' notification endpoints needs an API key:
            create one with `switchyard keys create --scope write`. The OpenAPI document is at /openapi.json.
            """)

    @OptionGroup var configuration: ConfigurationOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var keyRetention: KeyRetentionOptions

    @Option(name: .long, help: "The address to listen on (default: loopback only).")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0 picks a free one; the line 'listening on …' names it).")
    var port = 8080

    func validate() throws { try CommandLineRanges.checkPort(port) }

    @Option(name: .long, help: ArgumentHelp("This process's name on the payments it leases (default: host and process id).", valueName: "name"))
    var owner: String?

    @Flag(name: .customLong("no-executor"), help: "Serve the API only; another process runs `switchyard executor` on the same store.")
    var noExecutor = false

    /// The waits between webhook attempts: the Standard Webhooks schedule, or, for the sandbox and
    /// tests, `SWITCHYARD_WEBHOOK_RETRY_SECONDS` (comma-separated seconds).
    static var webhookSchedule: [Duration] {
        guard let text = ProcessInfo.processInfo.environment["SWITCHYARD_WEBHOOK_RETRY_SECONDS"] else { return WebhookDispatcher.standardSchedule }
        let seconds = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
        return seconds.isEmpty ? WebhookDispatcher.standardSchedule : seconds.map { .seconds($0) }
    }

    func run() async throws {
        _ = LoggingSetup.once
        guard (0...65535).contains(port) else { throw fail(CommandFailure(exitCode: 2, message: "--port: 0 to 65535")) }
        do {
            var logger = Logger(label: "switchyard")
            // SWITCHYARD_LOG_LEVEL (trace … critical) overrides: info, or debug with --verbose.
            logger.logLevel = ProcessInfo.processInfo.environment["SWITCHYARD_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
                ?? (configuration.verbose ? .debug : .info)
            // An engine per core, from one reading of the configuration: requests decided on two
            // cores at once then share no reference counts (RoutingEngines).
            let engines = try configuration.loadCopies(max(1, ProcessInfo.processInfo.activeProcessorCount)).map { loaded in
                var engine = loaded.makeEngine(clock: ProcessClock.now)
                engine.logger = logger
                return engine
            }
            let name = owner ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
            let engineForRun = engines[0], routing = RoutingEngines(engines), host = host, port = port, noExecutor = noExecutor
            // swift-metrics, once per process, into the registry /metrics exports.
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            try await store.withStore { payments in
                let executor = engineForRun.makeExecutor(store: payments, observer: nil, logger: logger, lease: store.lease,
                                                         afterStep: CrashHarness.afterStep)
                let server = SwitchyardAPIServer(engine: engineForRun, routing: routing, executor: executor, store: payments, metrics: registry, clock: ProcessClock.now)
                // The webhook outbox is delivered by every server (leases keep two from sending one delivery).
                var services: [any Service] = [server.quotes,
                                               WebhookDispatcher(store: payments, owner: name, schedule: Self.webhookSchedule, clock: ProcessClock.now, logger: logger)]
                if !noExecutor {
                    services.append(PaymentExecutorService(executor: executor, owner: name, interval: .milliseconds(100),
                                                           keyRetention: keyRetention.retention, logger: logger))
                }
                let app = server.application(host: host, port: port, services: services, logger: logger) { bound in
                    // On standard output, once, so a script (or a test) starting with --port 0 learns the port.
                    FileHandle.standardOutput.write(Data("switchyard: listening on http://\(host):\(bound)\n".utf8))
                }
                try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
            }
        } catch let failure as CommandFailure {
            throw fail(failure)
        }
    }
}

/// `switchyard keys create|list|revoke`: API keys, kept hashed in the payment store.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create, list and revoke API keys.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create an API key; its token is printed once (only a hash of it is stored).")

        @OptionGroup var store: StoreOptions

        @Option(name: .long, help: "read (GET routes) or write (also POST and DELETE).")
        var scope: String

        @Option(name: .long, help: "What the key is for (shown by `keys list`).")
        var label: String?

        func run() async throws {
            do {
                guard let scope = APIKeyScope(rawValue: scope) else { throw CommandFailure(exitCode: 2, message: "--scope: read or write") }
                let (token, stored) = APIKeyToken.generate(scope: scope, label: label, at: Date())
                try await store.withStore { keys in try await keys.saveAPIKey(stored) }
                print(token)
            } catch let failure as CommandFailure {
                throw fail(failure)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List API keys (ids, scopes and labels; never a secret).")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            do {
                for key in try await store.withStore({ try await $0.apiKeys() }) {
                    let revoked = key.revokedAt.map { "  revoked \(Timestamp.format($0))" } ?? ""
                    print("\(key.id)  \(key.scope.rawValue)  created \(Timestamp.format(key.createdAt))\(revoked)  \(key.label ?? "")")
                }
            } catch let failure as CommandFailure {
                throw fail(failure)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an API key by id; servers stop accepting it within seconds.")

        @OptionGroup var store: StoreOptions

        @Argument(help: "The key's id (the part after syk_).")
        var id: String

        func run() async throws {
            do {
                guard try await store.withStore({ try await $0.revokeAPIKey(id: id, at: Date()) }) else {
                    throw CommandFailure(exitCode: 2, message: "no unrevoked API key \(id)")
                }
                print("revoked \(id)")
            } catch let failure as CommandFailure {
                throw fail(failure)
            }
        }
    }
}
