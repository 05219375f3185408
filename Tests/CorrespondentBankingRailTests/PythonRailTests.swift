import DevChainTesting
import Foundation
import RailKit
import RailKitTesting
import RemoteRail
import RemoteRailProtocol
import Testing

/// The protocol is language-neutral: a minimal rail written in Python (standard library only,
/// `Tests/Fixtures/python-rail/rail.py`) passes the same conformance kit over the wire.
@Suite("A rail written in Python over the remote rail protocol")
struct PythonRailTests {
    @Test("the conformance kit passes against a rail in Python: quotes, declines, execution in steps and status to settlement")
    func conformance() async throws {
        let root = DevChain.projectRoot
        let process = Process()
        process.executableURL = root.appendingPathComponent(".venv/bin/python")
        process.arguments = [root.appendingPathComponent("Tests/Fixtures/python-rail/rail.py").path, "0", "python-rail-token"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate() }
        let line = try await ChildProcess.readLine(from: out.fileHandleForReading)
        let ready = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let url = try #require((ready["url"] as? String).flatMap(URL.init(string:)))

        let rail = try await RemoteRailTests.configure("python-rail", url: url, token: "python-rail-token")
        #expect(rail.protocolVersion == RemoteRailProtocol.version, "\(rail.descriptor.capabilities.quoteOnlyReason ?? "-")")
        #expect(rail.descriptor.capabilities.canExecute)
        let now = Timestamp.parse("2026-11-18T15:00:00Z")!
        try await RailConformance(adapter: rail, market: Fixture.market, now: now, scenarios: [
            ConformanceScenario("USD to a HK account", intent: Fixture.intent(amount: "2500.00"), expect: .quote),
            ConformanceScenario("USD to CNH (not carried)", intent: Fixture.intent(to: .cnh), expect: .decline(.corridorNotSupported)),
            ConformanceScenario("below the minimum", intent: Fixture.intent(amount: "0.50"), expect: .decline(.amountBelowMinimum)),
        ], execution: ExecutionCheck(polls: 2)).run()
    }
}
