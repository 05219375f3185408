import Foundation
import Synchronization
import SwitchyardRouter

/// The configuration a `switchyard quote` is about to load, loaded at once while the command line
/// and the payment are read on another core (about 3 ms of what was a 12 ms process that kept one
/// of two cores busy); that core then helps with the load's parallel steps
/// (``SwitchyardConfiguration/load(from:overlay:factories:)``).
///
/// The directories are foreseen from the raw arguments (`--config`, `--overlay`, else their
/// environment variables, resolved as ``ConfigurationOptions`` resolves them), and the load is
/// used only if the parsed command names exactly those directories; otherwise the command loads
/// its own, and the unused load still finishes before the process ends (the command runs in a
/// child task of the load's; only a spelling this foresight does not read leads there). A load
/// writes nothing; a rail that contacts its counterpart to be built is asked for its descriptor,
/// as the command's own load would ask it, also when the command then stops at a bad flag or
/// `--help`. A command that stops while the load still runs ends the process without running
/// exit handlers under the load (`exitReporting(_:)` in SwitchyardCommand.swift).
final class ConfigurationPrefetch: Sendable {
    /// The prefetch of the command line being run (``SwitchyardCommand/run(arguments:)``).
    @TaskLocal static var current: ConfigurationPrefetch?

    /// `--config` and `--overlay` as the raw arguments give them.
    private let configArgument: String?
    private let overlayArgument: String?
    /// Reads a variable of the environment the directories are resolved in.
    private let environment: @Sendable (String) -> String?
    private let state = Mutex(State.loading([]))
    /// The directories, resolved once (by whichever asks first: the load, or the command comparing
    /// its own): what is compared is what was loaded.
    private let resolved = Mutex<(directory: URL, overlay: URL?)?>(nil)

    private enum State {
        case loading([CheckedContinuation<Result<SwitchyardConfiguration, ConfigurationErrors>, Never>])
        case loaded(Result<SwitchyardConfiguration, ConfigurationErrors>)
    }

    /// A prefetch for `arguments` when they run `quote`; nil for every other command. Only the
    /// arguments are read here: the environment and the paths are resolved by the load, so the
    /// two lanes part as early as they can.
    init?(arguments: [String], environment: @escaping @Sendable (String) -> String? = ConfigurationOptions.processEnvironment) {
        guard arguments.first == "quote" else { return nil }
        var config: String?, overlay: String?
        // As ArgumentParser reads an option: `--name value` or `--name=value`, the last one given,
        // nothing after `--`. A miss costs only the prefetch: the parsed command is what counts.
        var index = 1
        while index < arguments.count, arguments[index] != "--" {
            let argument = arguments[index]
            let next = index + 1 < arguments.count ? arguments[index + 1] : nil
            if argument == "--config" { config = next } else if argument.hasPrefix("--config=") { config = String(argument.dropFirst(9)) }
            if argument == "--overlay" { overlay = next } else if argument.hasPrefix("--overlay=") { overlay = String(argument.dropFirst(10)) }
            index += 1
        }
        configArgument = config
        overlayArgument = overlay
        self.environment = environment
    }

    /// A prefetch resolving its directories in `environment` rather than the process's.
    convenience init?(arguments: [String], environment: [String: String]) {
        self.init(arguments: arguments, environment: { environment[$0] })
    }

    /// The configuration directory foreseen, as a path, resolved as ``ConfigurationOptions`` resolves it.
    var directory: String { resolvedDirectories().directory.path }
    /// The overlay directory foreseen, as a path.
    var overlay: String? { resolvedDirectories().overlay?.path }

    private func resolvedDirectories() -> (directory: URL, overlay: URL?) {
        resolved.withLock { resolved in
            if let resolved { return resolved }
            let directories = (ConfigurationOptions.directory(configArgument, environment: environment),
                               ConfigurationOptions.overlayDirectory(overlayArgument, environment: environment))
            resolved = directories
            return directories
        }
    }

    /// Whether the load is still running.
    var isLoading: Bool {
        state.withLock { state in
            if case .loading = state { return true }
            return false
        }
    }

    /// Loads the configuration and hands it to whoever waits for it (run once, beside the command).
    func load() {
        let result: Result<SwitchyardConfiguration, ConfigurationErrors>
        do {
            let (directory, overlay) = resolvedDirectories()
            result = .success(try SwitchyardConfiguration.load(from: directory, overlay: overlay, factories: RailModules.factories()))
        } catch {
            result = .failure(error)
        }
        let waiting = state.withLock { state in
            guard case .loading(let waiting) = state else { return [CheckedContinuation<Result<SwitchyardConfiguration, ConfigurationErrors>, Never>]() }
            state = .loaded(result)
            return waiting
        }
        for continuation in waiting { continuation.resume(returning: result) }
    }

    /// The loaded configuration (or why it is invalid), waiting for the load to finish: suspended,
    /// not blocking a thread, so the load runs even with one core.
    func value() async -> Result<SwitchyardConfiguration, ConfigurationErrors> {
        await withCheckedContinuation { continuation in
            let loaded = state.withLock { state -> Result<SwitchyardConfiguration, ConfigurationErrors>? in
                switch state {
                case .loaded(let result): return result
                case .loading(var waiting):
                    waiting.append(continuation)
                    state = .loading(waiting)
                    return nil
                }
            }
            if let loaded { continuation.resume(returning: loaded) }
        }
    }
}
