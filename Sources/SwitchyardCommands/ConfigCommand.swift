import ArgumentParser
import FXQuotes
import Foundation
import RailKit
import EVMKit
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
                // The files the router does not load itself, checked all the same: the FX dealer's
                // table and every sample intent (strictly, as `quote --request` reads one).
                let samples = Self.samples(in: configuration.directory)
                let others = Self.otherFiles(in: configuration.directory, samples: samples)
                let loaded: SwitchyardConfiguration
                do {
                    loaded = try configuration.load()
                } catch let failure as CommandFailure where !others.isEmpty {
                    throw CommandFailure(exitCode: 3, message: failure.message + "\n" + others.map { "  \($0)" }.joined(separator: "\n"))
                }
                guard others.isEmpty else {
                    throw CommandFailure(exitCode: 3, message: "configuration is invalid:\n" + others.map { "  \($0)" }.joined(separator: "\n"))
                }
                let enabled = loaded.rails.filter(\.enabled).map(\.id.rawValue)
                print("configuration OK: \(configuration.directory.path)")
                print("  rails: \(loaded.rails.count) configured, \(enabled.count) enabled (\(enabled.joined(separator: ", ")))")
                print("  calendars: \(loaded.calendars.keys.sorted().joined(separator: ", "))")
                print("  policy: \(loaded.policy.rules.count) rules (\(loaded.policy.rules.map(\.id).joined(separator: ", ")))")
                print("  market data: \(loaded.market.midRates.count) mid rates, \(loaded.market.coinPrices.count) coin prices")
                print("  also checked: market/fx-desk.json, \(samples.count) sample intents")
            } catch let failure as CommandFailure {
                throw fail(failure)
            }
        }

        static func samples(in directory: URL) -> [URL] {
            let folder = directory.appendingPathComponent("samples")
            return ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        }

        /// What is wrong with the FX dealer's table and the sample intents, each naming its file and field.
        static func otherFiles(in directory: URL, samples: [URL]) -> [ConfigurationError] {
            var errors = [ConfigurationError]()
            let desk = directory.appendingPathComponent("market/fx-desk.json")
            if FileManager.default.fileExists(atPath: desk.path) {
                do { _ = try FXRateTable.load(from: desk) } catch let error as ConfigurationError { errors.append(error) } catch {
                    errors.append(ConfigurationError(file: desk.path, field: "", message: "cannot be read"))
                }
            }
            for sample in samples {
                let file = "samples/" + sample.lastPathComponent
                do {
                    let intent = try PaymentIntent.decodeStrictly(from: try Data(contentsOf: sample))
                    try intent.checkEVMAddresses()
                } catch let error as RailKit.ValidationError {
                    errors.append(ConfigurationError(file: file, field: error.field, message: "\(error.message) (rule \(error.rule))"))
                } catch {
                    errors.append(ConfigurationDecoding.describe(error, file: file))
                }
            }
            return errors
        }
    }
}
