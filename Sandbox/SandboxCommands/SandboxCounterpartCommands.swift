import ArgumentParser
import BankSimulator
import EVMKit
import FXQuotes
import Foundation
import RailKit
import RailKitSupport
import SandboxFXDesk
import SandboxHTTP
import SandboxOffRamp
import SwitchyardCommands

extension SandboxCommand {
    /// `switchyard-sandbox fx`: the FX dealer's SEP-38 style RFQ API over `Config/market/fx-desk.json`.
    struct FXDesk: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fx", abstract: "Run the sandbox FX dealer (SEP-38 style RFQ: price, firm quote, booking) on 127.0.0.1.")

        @OptionGroup var configuration: ConfigurationOptions

        @Option(help: "Port to listen on (0 picks a free one; the bound port is printed).")
        var port = 8610

        func validate() throws { try CommandLineRanges.checkPort(port) }

        func run() async throws {
            _ = LoggingSetup.once
            let loaded = try configuration.load()
            let table = try SandboxSettingsFiles.read(configuration.directory.appendingPathComponent("market/fx-desk.json"), FXRateTable.load)
            // A dealer's API requires credentials: the same variable the CNH rail sends from.
            let token = try SandboxSettingsFiles.requiredToken(environment: "SWITCHYARD_FX_RFQ_TOKEN", file: "environment", field: "SWITCHYARD_FX_RFQ_TOKEN")
            let server = FXDeskServer(desk: ConfiguredFXProvider(table: table, market: loaded.market), token: token)
            try await server.run(port: port) { bound in
                FileHandle.standardOutput.write(Data("{\"ready\": true, \"url\": \"http://127.0.0.1:\(bound)\"}\n".utf8))
            }
        }
    }

    /// `switchyard-sandbox offramp`: the simulated off-ramp partner, checking funding on a node.
    struct OffRamp: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "offramp",
            abstract: "Run the simulated HK off-ramp partner (tokens in, CNH bank payout out) on 127.0.0.1.")

        @OptionGroup var configuration: ConfigurationOptions

        @Option(help: "Port to listen on (0 picks a free one; the bound port is printed).")
        var port = 8620

        @Option(name: .customLong("rpc-url"), help: ArgumentHelp("JSON-RPC URL of the chain the token lives on.", valueName: "url"))
        var rpcURL: String

        @Option(help: ArgumentHelp("The token contract the partner accepts.", valueName: "address"))
        var token: String

        @Option(name: .customLong("deposit-wallet"), help: ArgumentHelp("Replaces the configured deposit wallet.", valueName: "address"))
        var depositWallet: String?

        @Option(help: "How many times faster than real time the partner's clock runs (600: an hour in 6 s).")
        var speed = 600.0

        @Option(help: ArgumentHelp("The partner's settings (fee, confirmations, payout delay, limits).", valueName: "file"))
        var settings = SandboxSettingsFiles.offRamp

        func validate() throws {
            try CommandLineRanges.checkPort(port)
            try CommandLineRanges.checkSpeed(speed)
        }

        func run() async throws {
            _ = LoggingSetup.once
            let directory = configuration.directory
            let settings = try SandboxSettingsFiles.read(URL(fileURLWithPath: self.settings), OffRampPartnerSettings.load)
            // The partner requires credentials: its settings name the variable holding the token.
            guard let tokenEnvironment = settings.tokenEnvironment else {
                throw ConfigurationError(file: self.settings, field: "tokenEnvironment", message: "is required: the partner requires a bearer token")
            }
            let secret = try SandboxSettingsFiles.requiredToken(environment: tokenEnvironment, file: self.settings, field: "tokenEnvironment")
            let calendars = try CalendarFile.loadDirectory(directory.appendingPathComponent("calendars"))
            let url = try EndpointURL.parse(rpcURL, field: "--rpc-url", requireTLS: false)
            let client = EthereumClient(rpc: JSONRPCClient(url: url, timeout: .seconds(10)))
            let chainID = try await client.chainID()
            let clock = AcceleratedClock(start: ProcessClock.now(), speed: speed)
            let partner = try SimulatedOffRamp(
                settings: settings, client: client, chainID: chainID, token: try EVMAddress(token, field: "--token"),
                depositWallet: try depositWallet.map { try EVMAddress($0, field: "--deposit-wallet") }, calendars: calendars,
                clock: { clock.now() })
            try await OffRampServer(partner: partner, token: secret).run(port: port) { bound in
                FileHandle.standardOutput.write(Data("{\"ready\": true, \"url\": \"http://127.0.0.1:\(bound)\", \"chainId\": \(chainID)}\n".utf8))
            }
        }
    }
}
