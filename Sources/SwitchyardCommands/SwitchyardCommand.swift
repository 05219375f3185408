import ArgumentParser
import Foundation
import Logging
import RailKit
import RailKitSupport
import SwitchyardRouter

/// `switchyard`: quote cross-border payments across every configured rail.
public struct SwitchyardCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "switchyard",
        abstract: "Quote, rank, explain and execute cross-border payments across rails.",
        subcommands: [QuoteCommand.self, PayCommand.self, StatusCommand.self, PaymentsCommand.self, ExecutorCommand.self, ServeCommand.self, KeysCommand.self, DemoCommand.self,
                      RailsCommand.self, RailCommand.self, ConfigCommand.self])

    public init() {}
}

/// Options every command shares (the sandbox executable's too).
public struct ConfigurationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration directory (default: $SWITCHYARD_CONFIG, else ./Config).", valueName: "dir"))
    public var config: String?

    @Option(name: .long, help: ArgumentHelp("A directory of JSON merge patches over the configuration's files: your screening lists, allowlists, values (default: $SWITCHYARD_CONFIG_OVERLAY; Sandbox/sample-config holds the samples).", valueName: "dir"))
    public var overlay: String?

    @Flag(name: .long, help: "Log routing decisions to standard error.")
    public var verbose = false

    public init() {}

    public var directory: URL { Self.directory(config, environment: Self.processEnvironment) }

    /// The overlay directory, if one is given.
    public var overlayDirectory: URL? { Self.overlayDirectory(overlay, environment: Self.processEnvironment) }

    /// A variable of this process's environment, read alone: `ProcessInfo`'s `environment` builds
    /// a dictionary of every variable, a cost on the way to a quote.
    static let processEnvironment: @Sendable (String) -> String? = { name in getenv(name).map { String(cString: $0) } }

    /// `--config`, else `$SWITCHYARD_CONFIG`, else ./Config.
    static func directory(_ config: String?, environment: (String) -> String?) -> URL {
        URL(resolvingFilePath: config ?? environment(SwitchyardConfiguration.directoryVariable) ?? "Config")
    }

    /// `--overlay`, else `$SWITCHYARD_CONFIG_OVERLAY`; none if empty.
    static func overlayDirectory(_ overlay: String?, environment: (String) -> String?) -> URL? {
        (overlay ?? environment(ConfigurationOverlay.directoryVariable)).flatMap { $0.isEmpty ? nil : URL(resolvingFilePath: $0) }
    }

    public func load() throws -> SwitchyardConfiguration {
        try loadCopies(1)[0]
    }

    /// The configuration: `prefetched`'s if it loaded these very directories, else loaded now.
    func load(prefetched: ConfigurationPrefetch?) async throws -> SwitchyardConfiguration {
        guard let prefetched, prefetched.directory == directory.path, prefetched.overlay == overlayDirectory?.path else { return try load() }
        try ProcessClock.check()
        switch await prefetched.value() {
        case .success(let configuration): return configuration
        case .failure(let errors): throw Self.invalid(errors)
        }
    }

    private static func invalid(_ errors: ConfigurationErrors) -> CommandFailure {
        CommandFailure(exitCode: 3, message: "configuration is invalid:\n" + errors.errors.map { "  \($0)" }.joined(separator: "\n"))
    }

    /// `count` copies of the configuration from one reading of its files (``SwitchyardConfiguration/loadCopies(_:from:overlay:factories:)``).
    public func loadCopies(_ count: Int) throws -> [SwitchyardConfiguration] {
        try ProcessClock.check()
        do {
            return try SwitchyardConfiguration.loadCopies(count, from: directory, overlay: overlayDirectory, factories: RailModules.factories())
        } catch {
            throw Self.invalid(error)
        }
    }

    public func logger() -> Logger {
        var logger = Logger(label: "switchyard")
        logger.logLevel = verbose ? .info : .critical
        return logger
    }
}

/// A failure reported to the user on standard error with its own exit code.
struct CommandFailure: Error, CustomStringConvertible {
    var exitCode: Int32
    var message: String
    var description: String { message }
}

extension AsyncParsableCommand {
    /// Prints `failure` and exits with its code (ArgumentParser would print a usage banner).
    func fail(_ failure: CommandFailure) -> ExitCode {
        FileHandle.standardError.write(Data(("error: " + failure.message + "\n").utf8))
        return ExitCode(failure.exitCode)
    }
}

/// Bootstraps logging once, to standard error so it never mixes with `--json` output.
public enum LoggingSetup {
    public static let once: Void = {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
    }()
}

extension SwitchyardCommand {
    /// Parses `arguments`, runs the chosen command and exits on failure with its code and message.
    /// For `quote`, the configuration is loaded beside the command (``ConfigurationPrefetch``):
    /// the load, the longer of the two, on this task at once, and the command in a child task,
    /// which starts when a second thread takes it up, reads its command line
    /// (``QuoteCommandLine``, else ArgumentParser) and the payment, then waits for the load and
    /// lends its thread to the load's parallel steps.
    public static func run(arguments: [String]) async {
        guard let prefetch = ConfigurationPrefetch(arguments: arguments) else { return await runRoot(arguments: arguments) }
        await withDiscardingTaskGroup { group in
            group.addTask {
                await ConfigurationPrefetch.$current.withValue(prefetch) {
                    await runRoot(arguments: arguments, parsed: QuoteCommandLine.parse(arguments))
                }
            }
            prefetch.load()
        }
    }
}

extension ParsableCommand {
    /// Parses `arguments` for this root command, runs the chosen subcommand (async where it is)
    /// and exits on failure with the command's exit code and message (every executable's `main`).
    /// Bad arguments (an unknown flag, a missing value) exit 2 like every other bad input, not
    /// ArgumentParser's 64.
    public static func runRoot(arguments: [String]) async {
        await runRoot(arguments: arguments, parsed: nil)
    }

    /// ``runRoot(arguments:)`` with the command already read from `arguments` (nil: parse them here).
    static func runRoot(arguments: [String], parsed: (any AsyncParsableCommand)?) async {
        do {
            if var parsed {
                // Run without asking the runtime whether it is async (a search of the conformance records).
                try await parsed.run()
                return
            }
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ConfigurationError {
            // A configuration that cannot be used exits 3, naming the file and the field.
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exitReporting(ExitCode(3))
        } catch let error as ConfigurationErrors {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exitReporting(ExitCode(3))
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                exitReporting(ExitCode(2))
            }
            exitReporting(error)
        }
    }

    /// Prints what `error` says (help to standard output, anything else to standard error) and
    /// ends the process with its code, as ArgumentParser's `exit(withError:)` does. While a
    /// configuration prefetch still loads on another thread (`quote --help`, a bad flag), the
    /// process ends with `_exit` once standard output and error are flushed: `exit` would run the
    /// exit handlers and static destructors of the runtime and its libraries under the running
    /// load. Nothing is lost: a load writes nothing.
    static func exitReporting(_ error: any Error) -> Never {
        guard let prefetch = ConfigurationPrefetch.current, prefetch.isLoading else { exit(withError: error) }
        let code = exitCode(for: error)
        let text = fullMessage(for: error)
        if !text.isEmpty {
            if code == .success { print(text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
        }
        fflush(nil)
        _exit(code.rawValue)
    }
}

/// Ranges of the numeric flags the commands share, checked before anything starts (exit 2).
public enum CommandLineRanges {
    /// A TCP port: 0 (a free one is picked) to 65535.
    public static func checkPort(_ port: Int, flag: String = "--port") throws {
        guard (0...65_535).contains(port) else {
            throw ArgumentParser.ValidationError("\(flag): \(port) is not a TCP port (0 to 65535; 0 picks a free one)")
        }
    }

    /// A clock speed-up: finite, more than 0 and at most a million times real time.
    public static func checkSpeed(_ speed: Double, flag: String = "--speed") throws {
        guard speed.isFinite, speed > 0, speed <= 1_000_000 else {
            throw ArgumentParser.ValidationError("\(flag): \(speed) is not a speed (more than 0, at most 1000000 times real time)")
        }
    }
}
