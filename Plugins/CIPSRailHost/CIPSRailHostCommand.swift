import ArgumentParser
import CIPSRail
import Foundation
import Logging
import RailHost
import RailKit
import RailKitSupport

/// `cips-rail`: the CIPS rail in its own process. A router adds it by configuration alone (a
/// `remote` rail with this process's URL and token); nothing in the router is rebuilt.
@main
struct CIPSRailHostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cips-rail",
        abstract: "Serve the CIPS rail (onshore CNY to mainland China) over the remote rail protocol.",
        discussion: """
            Prints one JSON line when listening: {"ready": true, "url": "http://127.0.0.1:<port>"}.
            Routers reach it with a `remote` rail: {"url": <that url>, "token": {"environment": "<variable>"}}.
            Plain HTTP: off loopback, put a TLS-terminating proxy in front (routers require https there).
            """)

    @Option(help: ArgumentHelp("The rail's settings (fees, hours, documentation, the participant's API).", valueName: "file"))
    var settings = "Config/remote-rails/cips.json"

    @Option(help: ArgumentHelp("Folder of business calendars (the mainland calendar among them).", valueName: "dir"))
    var calendars = "Config/calendars"

    @Option(help: "The rail's id, as it names itself to routers.")
    var id = "cips-participant"

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one; the bound port is printed).")
    var port = 8630

    @Option(name: .customLong("token-environment"), help: ArgumentHelp("Variable holding the bearer token routers must send.", valueName: "name"))
    var tokenEnvironment = "SWITCHYARD_CIPS_RAIL_TOKEN"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535, got \(port)") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let token = environment[tokenEnvironment], !token.isEmpty else {
            FileHandle.standardError.write(Data("cips-rail: \(tokenEnvironment) is not set: routers must present a bearer token\n".utf8))
            throw ExitCode(3)
        }
        let adapter: any RailAdapter
        do {
            let rail = try RailID(id, field: "--id")
            let context = RailConfigurationContext(calendars: try CalendarFile.loadDirectory(URL(fileURLWithPath: calendars)),
                                                   logger: Logger(label: "switchyard.cips-rail"))
            adapter = try RailFactory(CIPSRail.self, environment: environment)
                .makeAdapter(id: rail, settings: try Data(contentsOf: URL(fileURLWithPath: settings)), file: settings, context: context)
        } catch {
            FileHandle.standardError.write(Data("cips-rail: \(error)\n".utf8))
            throw ExitCode(3)
        }
        let host = self.host
        try await RailHost(adapter: adapter, token: token, logger: Logger(label: "switchyard.cips-rail")).run(host: host, port: port) { bound in
            FileHandle.standardOutput.write(Data("{\"ready\": true, \"url\": \"http://\(host):\(bound)\"}\n".utf8))
        }
    }
}
