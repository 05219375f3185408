import CIPSRail
import DevChainTesting
import Foundation
import Logging
import RailHost
import RailKit
import RailKitSupport
import RailKitTesting
import RemoteRailTesting
import SandboxHTTP
import Testing

/// The remote rail protocol's OpenAPI document (`Schemas/remote-rail-protocol.openapi.json`)
/// checked against the wire, independently of the Swift types: every body the router and a
/// rail exchanged is validated by jsonschema against the document's schema for its route.
@Suite("The remote rail protocol's OpenAPI document describes the wire")
struct ProtocolDocumentTests {
    static let document = CIPSFixture.root.appendingPathComponent("Schemas/remote-rail-protocol.openapi.json")

    /// The document's schema names for one exchange: the request body's and the answer's.
    static func definitions(method: String, path: String, status: Int) -> (request: String?, answer: String?) {
        let failure = status >= 300 ? "Failure" : nil
        return switch (method, path) {
        case ("GET", "/v1/rail"): (nil, failure ?? "Hello")
        case ("POST", "/v1/quote"): ("QuoteRequest", failure ?? "QuoteOutcome")
        case ("POST", "/v1/execute"): ("ExecutionRequest", failure ?? "StepAnswer")
        case ("POST", "/v1/status"): ("StatusRequest", failure ?? "RailPaymentStatus")
        case ("POST", "/v1/notification"): ("NotificationRequest", failure ?? "RailPaymentStatus")
        default: ("unknown \(method) \(path)", nil)
        }
    }

    @Test("every message of a conformance run over the wire (hello, quotes, declines, execution steps, status, failures) is what the document says")
    func conformanceRunMatchesDocument() async throws {
        let harness = try await CIPSHarness.start()
        defer { harness.stop() }
        let host = try await LoopbackServer.start { try await RailHost(adapter: harness.rail, token: "t",
                                                                   logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })).run(port: 0, onListening: $0) }
        defer { host.stop() }
        let wire = try await RecordingProxy.start(forwardingTo: host.url) { method, path, _ in "\(method) \(path)" }
        defer { wire.stop() }
        let remote = try await RemoteRailTesting.configure("cips-participant", url: wire.url, token: "t")
        let clock = harness.clock
        try await RailConformance(adapter: remote, market: CIPSFixture.market, now: harness.now, scenarios: [
            ConformanceScenario("USD to a mainland supplier's invoice", intent: CIPSFixture.intent(), expect: .quote),
            ConformanceScenario("fixed CNY received", intent: CIPSFixture.intent(amount: "700000.00", fixed: .receive), expect: .quote),
            ConformanceScenario("no purpose", intent: CIPSFixture.intent(purpose: nil), expect: .decline(CIPSRail.documentationMissing)),
        ], execution: ExecutionCheck(polls: 6, advance: { clock.advance(by: 3600) }, counterpart: harness.counterpart)).run()
        // A failure answer: a status for a checkpoint the rail cannot read.
        let foreign = RailSubmission(reference: RailReference(kind: "uetr", value: "x"), checkpoint: try RailCheckpoint(ForeignCheckpoint(note: "x")))
        await #expect(throws: RailError.self) { try await remote.status(of: foreign, at: harness.now) }

        var items = [[String: Any]]()
        for exchange in await wire.recorded() {
            let parts = exchange.key.split(separator: " ", maxSplits: 1).map(String.init)
            let status = exchange.answerStatus ?? 0
            let (request, answer) = Self.definitions(method: parts[0], path: parts[1], status: status)
            if let request {
                items.append(["definition": request, "what": "request \(exchange.key)", "body": try JSONSerialization.jsonObject(with: exchange.body)])
            }
            if let answer, let body = exchange.answer {
                items.append(["definition": answer, "what": "answer \(status) to \(exchange.key)", "body": try JSONSerialization.jsonObject(with: body)])
            }
        }
        let kinds = Set(items.compactMap { $0["definition"] as? String })
        #expect(kinds.isSuperset(of: ["Hello", "QuoteRequest", "QuoteOutcome", "ExecutionRequest", "StepAnswer", "StatusRequest", "RailPaymentStatus", "Failure"]),
                "not every kind of message was exchanged: \(kinds.sorted())")
        if let dump = ProcessInfo.processInfo.environment["SWITCHYARD_DUMP_WIRE"] {
            try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: dump))
        }
        let run = try await ChildProcess.run(CIPSFixture.root.appendingPathComponent(".venv/bin/python"),
                                       [CIPSFixture.root.appendingPathComponent("scripts/check_wire.py").path, Self.document.path],
                                       stdin: try JSONSerialization.data(withJSONObject: items), directory: CIPSFixture.root)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    }
}

/// A checkpoint of another rail type, which the CIPS rail refuses to read.
struct ForeignCheckpoint: RailCheckpointPayload {
    static let railType = "other"
    static let schemaVersion = 1
    var note: String
}
