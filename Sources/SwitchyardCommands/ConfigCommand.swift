import ArgumentParser
import Foundation
import RailKit
import RailKitSupport
import SwitchyardRouter

/// `switchyard config check`: validate every configuration file.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the configuration.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate the configuration; exits non-zero naming each broken file and field.")

        @OptionGroup var configuration: ConfigurationOptions

        func run() async throws {
            do {
                let loaded = try configuration.load()
                let enabled = loaded.rails.filter(\.enabled).map(\.id.rawValue)
                print("configuration OK: \(configuration.directory.path)")
                print("  rails: \(loaded.rails.count) configured, \(enabled.count) enabled (\(enabled.joined(separator: ", ")))")
                print("  calendars: \(loaded.calendars.keys.sorted().joined(separator: ", "))")
                print("  policy: \(loaded.policy.rules.count) rules (\(loaded.policy.rules.map(\.id).joined(separator: ", ")))")
                print("  market data: \(loaded.market.midRates.count) mid rates, \(loaded.market.coinPrices.count) coin prices")
            } catch let failure as CommandFailure {
                throw fail(failure)
            }
        }
    }
}
