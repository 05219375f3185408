import ArgumentParser
import BankSimulator
import Foundation
import Logging
import RailKit
import SwitchyardCommands
import RailKitSupport

/// `switchyard-sandbox bank|fx|offramp`: runs a sandbox counterpart on loopback. A separate
/// executable, so the shipped `switchyard` links no simulator.
public struct SandboxCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "switchyard-sandbox", abstract: "Run the project's sandbox counterparts on loopback.",
        subcommands: [Up.self, Bank.self, FXDesk.self, OffRamp.self])

    public init() {}

    /// Parses `arguments`, runs the chosen counterpart and exits on failure.
    public static func run(arguments: [String]) async { await runRoot(arguments: arguments) }

    struct Bank: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bank",
            abstract: "Run the correspondent-bank simulator (pacs.008 in, pacs.002/pacs.004 out) on 127.0.0.1.")

        @OptionGroup var configuration: ConfigurationOptions

        @Option(help: "Port to listen on (0 picks a free one; the bound port is printed).")
        var port = 8600

        @Option(help: "How many times faster than real time the simulated clock runs (3600: an hour a second).")
        var speed = 600.0

        @Option(help: ArgumentHelp("Folder with the ISO 20022 XSDs to validate against.", valueName: "dir"))
        var schemas = "Tests/Fixtures/iso20022"

        @Option(help: ArgumentHelp("The simulator's settings (its BIC, clearing, fees, sample sanctions list).", valueName: "file"))
        var settings = SandboxSettingsFiles.bank

        func validate() throws {
            try CommandLineRanges.checkPort(port)
            try CommandLineRanges.checkSpeed(speed)
        }

        func run() async throws {
            _ = LoggingSetup.once
            let directory = configuration.directory
            let settings = try BankSimulatorSettings.load(from: URL(fileURLWithPath: self.settings))
            let calendars = try CalendarFile.loadDirectory(directory.appendingPathComponent("calendars"))
            let environment = ProcessInfo.processInfo.environment
            let token = settings.tokenEnvironment.flatMap { environment[$0] }
            let secret = settings.callbackSecretEnvironment.flatMap { environment[$0] }.map { Data($0.utf8) }
            var logger = Logger(label: "switchyard.bank-simulator")
            logger.logLevel = configuration.verbose ? .info : .notice
            let validator = SchemaValidator(schemaDirectory: URL(fileURLWithPath: schemas))
            try validator.checkInstalled()
            let bank = try SimulatedBank(settings: settings, calendars: calendars, validator: validator,
                                         clock: AcceleratedClock(start: ProcessClock.now(), speed: speed), logger: logger)
            let server = BankSimulatorServer(bank: bank, token: token, callbackURL: settings.callbackURL, callbackSecret: secret, logger: logger)
            try await server.run(port: port) { bound in
                // One JSON line, written unbuffered, so scripts can wait for it.
                FileHandle.standardOutput.write(Data("{\"ready\": true, \"url\": \"http://127.0.0.1:\(bound)\", \"bic\": \"\(settings.bank.bic)\"}\n".utf8))
            }
        }
    }
}
