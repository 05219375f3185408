import Foundation
import RailKit
import SwitchyardRouter
import Testing
@testable import SwitchyardCommands

/// `switchyard quote` loads its configuration beside the parsing; a load is used only for the
/// directories the parsed command names.
@Suite("Configuration loaded while a quote's command line is parsed")
struct ConfigurationPrefetchTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let config = repository.appendingPathComponent("Config").path
    static let overlay = repository.appendingPathComponent("Sandbox/sample-config").path

    @Test("the directories are foreseen as the options resolve them; only quote is prefetched")
    func foreseen() throws {
        let both = try #require(ConfigurationPrefetch(arguments: ["quote", "--json", "--config", "/a", "--overlay=/b"], environment: [:]))
        #expect(both.directory == "/a" && both.overlay == "/b")
        let last = try #require(ConfigurationPrefetch(arguments: ["quote", "--config=/a", "--config", "/c"], environment: [:]))
        #expect(last.directory == "/c" && last.overlay == nil)
        let fromEnvironment = try #require(ConfigurationPrefetch(arguments: ["quote"], environment: ["SWITCHYARD_CONFIG": "/e", "SWITCHYARD_CONFIG_OVERLAY": "/o"]))
        #expect(fromEnvironment.directory == "/e" && fromEnvironment.overlay == "/o")
        let emptyOverlay = try #require(ConfigurationPrefetch(arguments: ["quote"], environment: ["SWITCHYARD_CONFIG_OVERLAY": ""]))
        #expect(emptyOverlay.directory == URL(fileURLWithPath: "Config").path && emptyOverlay.overlay == nil)
        let afterTerminator = try #require(ConfigurationPrefetch(arguments: ["quote", "--", "--config", "/a"], environment: [:]))
        #expect(afterTerminator.directory == URL(fileURLWithPath: "Config").path)
        #expect(ConfigurationPrefetch(arguments: ["pay", "--config", "/a"], environment: [:]) == nil)
        #expect(ConfigurationPrefetch(arguments: [], environment: [:]) == nil)
    }

    @Test("a prefetch is used for the very directories the command names, and for no others")
    func usedOnlyWhenTheSame() async throws {
        // A prefetch of a directory that does not exist: its result is an error.
        let missing = try #require(ConfigurationPrefetch(arguments: ["quote", "--config", "/no-such-config", "--overlay", Self.overlay], environment: [:]))
        missing.load()
        // Other directories named: the command loads its own, and the error is not seen.
        let other = try ConfigurationOptions.parse(["--config", Self.config, "--overlay", Self.overlay])
        let loaded = try await other.load(prefetched: missing)
        #expect(loaded.rails.count == 7)

        // The same directories named: the prefetched configuration is the command's, even once its
        // directory is gone (a load of its own would fail).
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("prefetch-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.config), to: scratch)
        let prefetch = try #require(ConfigurationPrefetch(arguments: ["quote", "--config", scratch.path, "--overlay", Self.overlay], environment: [:]))
        prefetch.load()
        try FileManager.default.removeItem(at: scratch)
        let same = try ConfigurationOptions.parse(["--config", scratch.path, "--overlay", Self.overlay])
        #expect(throws: CommandFailure.self) { try same.load() }
        let prefetched = try await same.load(prefetched: prefetch)
        #expect(prefetched.rails.map(\.id) == loaded.rails.map(\.id))
    }

    @Test("a command waiting for the load is resumed when it finishes, without holding a thread", .timeLimit(.minutes(1)))
    func waitsForTheLoad() async throws {
        let prefetch = try #require(ConfigurationPrefetch(arguments: ["quote", "--config", Self.config, "--overlay", Self.overlay], environment: [:]))
        let options = try ConfigurationOptions.parse(["--config", Self.config, "--overlay", Self.overlay])
        async let waited = options.load(prefetched: prefetch)
        // Give the waiter time to suspend first; the load then runs on this task.
        try await Task.sleep(for: .milliseconds(50))
        prefetch.load()
        #expect(try await waited.rails.count == 7)
    }
}
