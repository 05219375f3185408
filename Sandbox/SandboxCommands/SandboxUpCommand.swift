import ArgumentParser
import BankSimulator
import CIPSRail
import DevChainTesting
import EVMKit
import FXQuotes
import Foundation
import Logging
import RailHost
import RailKit
import RailKitSupport
import SandboxFXDesk
import SandboxHTTP
import SandboxOffRamp
import SwitchyardCommands
import UnixSignals

extension SandboxCommand {
    /// `switchyard-sandbox up`: every counterpart the three executing rails need, on free loopback
    /// ports, and a configuration pointing at them in the data directory — then it supervises
    /// them until SIGINT or SIGTERM, and stops them.
    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "up",
            abstract: "Start the whole sandbox (two dev chains, bank simulator, FX dealer, off-ramp partner, CIPS participant and the CIPS rail) and write a configuration using it.",
            discussion: """
                Writes <data-dir>/config (a copy of --config with the deposit-token sandbox rail enabled, the CIPS
                rail enabled at the rail host this process runs (out of the router's process, over the remote
                rail protocol), and every executing rail pointed at the sandbox: no variables to export) and <data-dir>/sandbox.json
                (the counterparts' URLs), prints one JSON line when ready, and runs until interrupted:
                  switchyard serve --config <data-dir>/config --data-dir <data-dir>
                The dev keys in <data-dir>/keys are eth-tester's well-known keys: never use them on a real network.
                """)

        @OptionGroup var configuration: ConfigurationOptions

        @Option(name: .customLong("data-dir"), help: ArgumentHelp("Where to write the configuration (default: ./.switchyard-sandbox).", valueName: "dir"))
        var dataDirectory = ".switchyard-sandbox"

        @Option(help: "How many times faster than real time the bank and the off-ramp partner run (3600: an hour a second).")
        var speed = 3600.0

        @Option(help: ArgumentHelp("Folder with the ISO 20022 XSDs the bank validates against.", valueName: "dir"))
        var schemas = "Tests/Fixtures/iso20022"

        func validate() throws { try CommandLineRanges.checkSpeed(speed) }

        func run() async throws {
            _ = LoggingSetup.once
            var logger = Logger(label: "switchyard.sandbox")
            logger.logLevel = configuration.verbose ? .info : .warning
            let source = configuration.directory
            let data = URL(fileURLWithPath: dataDirectory).standardizedFileURL
            let calendars = try CalendarFile.loadDirectory(source.appendingPathComponent("calendars"))

            // The two chains: 31337 with the sandbox deposit token (dev account 2 pays), 1030 with
            // the sandbox CNH token (account 4 is the liquidity wallet, 5 the partner's deposit wallet).
            let tokenChain = try await DevChain.start(chainID: 31337, arguments: ["--sandbox", "--block-time", "1"])
            let cnhChain = try await DevChain.start(chainID: 1030, arguments: ["--sandbox-cnh", "--block-time", "1"])
            let sandboxToken = try EVMAddress("0xF2E246BB76DF876Cef8b38ae84130F4F55De395b", field: "token")

            let bankSettings = try BankSimulatorSettings.load(from: URL(fileURLWithPath: SandboxSettingsFiles.bank))
            let validator = SchemaValidator(schemaDirectory: URL(fileURLWithPath: schemas))
            try validator.checkInstalled()
            let bankClock = AcceleratedClock(start: ProcessClock.now(), speed: speed)
            let bank = try await RunningBankSimulator.start(settings: bankSettings, calendars: calendars, schemaDirectory: URL(fileURLWithPath: schemas),
                                                            clock: bankClock, logger: logger)
            let loaded = try configuration.load()
            let table = try FXRateTable.load(from: source.appendingPathComponent("market/fx-desk.json"))
            // The dealer and the partner require credentials, as the partners they stand for do: a
            // fresh token each, written into the sandbox's rail configuration (never printed).
            let credentials = (fx: Hex.random(), offRamp: Hex.random())
            let desk = try await RunningFXDesk.start(desk: ConfiguredFXProvider(table: table, market: loaded.market), token: credentials.fx)
            let partnerClock = AcceleratedClock(start: ProcessClock.now(), speed: speed)
            let partner = try await RunningOffRamp.start(partner: try SimulatedOffRamp(
                settings: try OffRampPartnerSettings.load(from: URL(fileURLWithPath: SandboxSettingsFiles.offRamp)),
                client: cnhChain.client, chainID: cnhChain.chainID, token: sandboxToken, depositWallet: cnhChain.accounts[4].address,
                calendars: calendars, clock: { partnerClock.now() }), token: credentials.offRamp)
            // The CIPS rail in a process apart from the router (this one), over the remote rail
            // protocol, paying through the sandbox CIPS participant bank on the mainland calendar.
            let cipsCredentials = (participant: Hex.random(), rail: Hex.random())
            let participant = try await RunningBankSimulator.start(
                settings: try BankSimulatorSettings.load(from: URL(fileURLWithPath: SandboxSettingsFiles.cipsParticipant)), calendars: calendars,
                schemaDirectory: URL(fileURLWithPath: schemas), clock: bankClock, token: cipsCredentials.participant, logger: logger)
            let cipsRail = try RailFactory(CIPSRail.self, environment: ["SWITCHYARD_CIPS_PARTICIPANT_URL": participant.url.absoluteString,
                                                                       "SWITCHYARD_CIPS_PARTICIPANT_TOKEN": cipsCredentials.participant])
                .makeAdapter(id: "cips-participant", settings: try Data(contentsOf: source.appendingPathComponent("remote-rails/cips.json")),
                             file: "remote-rails/cips.json", context: RailConfigurationContext(calendars: calendars, logger: logger))
            let cipsRailHost = RailHost(adapter: cipsRail, token: cipsCredentials.rail, logger: logger)
            let cipsHost = try await LoopbackServer.start { try await cipsRailHost.run(port: 0, onListening: $0) }
            defer {
                cipsHost.stop()
                participant.stop()
                bank.stop()
                desk.stop()
                partner.stop()
                tokenChain.stop()
                cnhChain.stop()
            }

            let written = try SandboxConfiguration.write(
                from: source, overlay: configuration.overlayDirectory ?? SandboxConfiguration.sampleOverlay, to: data, tokenChain: tokenChain.url,
                cnhChain: cnhChain.url, bank: bank.url, fx: desk.url, offRamp: partner.url, cnhToken: sandboxToken,
                fxToken: credentials.fx, offRampToken: credentials.offRamp, cipsRail: cipsHost.url, cipsRailToken: cipsCredentials.rail)
            let ready: [String: Any] = [
                "ready": true, "config": written.path, "dataDirectory": data.path,
                "counterparts": ["depositTokenChain": tokenChain.url.absoluteString, "cnhChain": cnhChain.url.absoluteString,
                                 "bank": bank.url.absoluteString, "fx": desk.url.absoluteString, "offRamp": partner.url.absoluteString,
                                 "cipsParticipant": participant.url.absoluteString, "cipsRail": cipsHost.url.absoluteString],
            ]
            let line = try JSONSerialization.data(withJSONObject: ready, options: [.sortedKeys, .withoutEscapingSlashes])
            try line.write(to: data.appendingPathComponent("sandbox.json"))
            FileHandle.standardOutput.write(line + Data("\n".utf8))

            // Supervise until told to stop; the chains stop with this process in any case.
            for await _ in await UnixSignalsSequence(trapping: .sigterm, .sigint) { break }
            logger.notice("sandbox stopping")
        }
    }
}

/// The sandbox's configuration: a copy of the configuration directory with every executing rail
/// pointed at the sandbox's counterparts (literal URLs, dev key files), as JSON edits.
enum SandboxConfiguration {
    /// The sample data the sandbox runs with (a screening list, wallet registrations, allowlisted
    /// wallets), kept out of the shipped `Config/`.
    static let sampleOverlay = URL(fileURLWithPath: "Sandbox/sample-config")

    static func write(from source: URL, overlay: URL?, to data: URL, tokenChain: URL, cnhChain: URL, bank: URL, fx: URL, offRamp: URL,
                      cnhToken: EVMAddress, fxToken: String, offRampToken: String, cipsRail: URL, cipsRailToken: String) throws -> URL {
        let files = FileManager.default
        let config = data.appendingPathComponent("config")
        let keys = data.appendingPathComponent("keys")
        try? files.removeItem(at: config)
        try files.createDirectory(at: data, withIntermediateDirectories: true)
        try files.copyItem(at: source, to: config)
        // The overlay's patches written into the copy: the sandbox's configuration stands alone.
        if let overlay, let patches = files.enumerator(at: overlay, includingPropertiesForKeys: nil) {
            for case let patch as URL in patches where patch.pathExtension == "json" {
                let relative = String(patch.standardizedFileURL.path.dropFirst(overlay.standardizedFileURL.path.count + 1))
                let target = config.appendingPathComponent(relative)
                guard files.fileExists(atPath: target.path) else { continue }
                try ConfigurationOverlay.apply(Data(contentsOf: patch), to: Data(contentsOf: target)).write(to: target)
            }
        }
        try files.createDirectory(at: keys, withIntermediateDirectories: true)
        // eth-tester's well-known dev keys 2 (the sample payer on 31337) and 4 (the CNH liquidity wallet on 1030).
        let signerKey = keys.appendingPathComponent("deposit-token-sandbox.key")
        let liquidityKey = keys.appendingPathComponent("cnh-liquidity.key")
        try Data("0x\(String(repeating: "0", count: 63))2\n".utf8).write(to: signerKey)
        try Data("0x\(String(repeating: "0", count: 63))4\n".utf8).write(to: liquidityKey)
        for key in [signerKey, liquidityKey] { try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key.path) }

        try edit(config.appendingPathComponent("switchyard.json")) { json in
            json["rails"] = (json["rails"] as? [[String: Any]] ?? []).map { rail in
                var rail = rail
                if rail["id"] as? String == "deposit-token-sandbox" {
                    rail["enabled"] = true
                    rail["note"] = "the sandbox dev chain (switchyard-sandbox up)"
                }
                if rail["id"] as? String == "cips-participant" {
                    rail["enabled"] = true
                    rail["note"] = "the CIPS rail hosted by switchyard-sandbox up, out of the router's process"
                }
                return rail
            }
        }
        try edit(config.appendingPathComponent("rails/deposit-token-sandbox.json")) { json in
            json["network", default: [:]]["rpcURL"] = tokenChain.absoluteString
            json["execution", default: [:]]["signer"] = ["keyFile": signerKey.path]
            json["execution", default: [:]]["nonceFile"] = keys.appendingPathComponent("nonces-deposit-token-sandbox.json").path
        }
        for bankRail in ["correspondent-bank-a", "correspondent-bank-b"] {
            try edit(config.appendingPathComponent("rails/\(bankRail).json")) { json in
                json["execution", default: [:]]["endpoint"] = bank.absoluteString
            }
        }
        // The files about to hold the sandbox's credentials: readable by their owner only, before they do.
        for file in ["rails/axcnh-conflux.json", "rails/cips-participant.json"] {
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: config.appendingPathComponent(file).path)
        }
        try edit(config.appendingPathComponent("rails/axcnh-conflux.json")) { json in
            json["network", default: [:]]["rpcURL"] = cnhChain.absoluteString
            json["token", default: [:]]["contract"] = ["value": cnhToken.checksummed, "source": "the sandbox CNH token (scripts/devchain/server.py --sandbox-cnh)"]
            json["finality", default: [:]]["policy"] = "two-confirmations"
            json["execution", default: [:]]["signer"] = ["keyFile": liquidityKey.path]
            // Nonces survive a restart: a transfer journaled by a process that died before sending
            // it keeps its nonce, and the next payment never signs over it.
            json["execution", default: [:]]["nonceFile"] = keys.appendingPathComponent("nonces-axcnh-conflux.json").path
            json["execution", default: [:]]["fx", default: [:]]["url"] = fx.absoluteString
            json["execution", default: [:]]["fx", default: [:]]["token"] = ["value": fxToken]
            json["execution", default: [:]]["offRamp", default: [:]]["url"] = offRamp.absoluteString
            json["execution", default: [:]]["offRamp", default: [:]]["token"] = ["value": offRampToken]
        }
        try edit(config.appendingPathComponent("rails/cips-participant.json")) { json in
            json["url"] = cipsRail.absoluteString
            json["token"] = ["value": cipsRailToken]
        }
        return config
    }

    /// Reads a JSON object, lets `change` edit it, writes it back (sorted keys, pretty).
    private static func edit(_ file: URL, _ change: (inout JSONObject) throws -> Void) throws {
        guard var json = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] else {
            throw ValidationError(field: file.lastPathComponent, value: "", rule: "json.object", message: "is not a JSON object")
        }
        var object = JSONObject(json)
        try change(&object)
        json = object.value
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]).write(to: file)
    }
}

/// A JSON object with nested-object subscripts, for editing configuration files.
struct JSONObject {
    var value: [String: Any]
    init(_ value: [String: Any]) { self.value = value }

    subscript(key: String) -> Any? {
        get { value[key] }
        set { value[key] = newValue }
    }

    subscript(key: String, default fallback: JSONObject) -> JSONObject {
        get { (value[key] as? [String: Any]).map(JSONObject.init) ?? fallback }
        set { value[key] = newValue.value }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    init(dictionaryLiteral elements: (String, Any)...) { value = Dictionary(uniqueKeysWithValues: elements) }
}

/// The simulated counterparts' own settings: sandbox data, kept out of the shipped `Config/`.
enum SandboxSettingsFiles {
    static let bank = "Sandbox/config/bank-simulator.json"
    static let offRamp = "Sandbox/config/offramp-partner.json"
    static let cipsParticipant = "Sandbox/config/cips-participant-bank.json"

    /// Loads a settings file; one that cannot be read is a configuration error naming it (exit 3).
    static func read<T>(_ file: URL, _ load: (URL) throws -> T) throws -> T {
        guard FileManager.default.isReadableFile(atPath: file.path) else {
            throw ConfigurationError(file: file.path, field: "", message: "cannot be read")
        }
        return try load(file)
    }

    /// The bearer token in `environment`, or a configuration error naming the variable (exit 3).
    static func requiredToken(environment name: String, file: String, field: String) throws -> String {
        guard let token = ProcessInfo.processInfo.environment[name], !token.isEmpty else {
            throw ConfigurationError(file: file, field: field,
                                     message: "\(name) is not set: the counterpart requires a bearer token, and the rail sends the same variable")
        }
        return token
    }
}
