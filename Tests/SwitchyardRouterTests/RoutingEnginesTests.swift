import Foundation
import Logging
import RailKit
import RailKitSupport
import Synchronization
import Testing
@testable import SwitchyardCommands
@testable import SwitchyardRouter

/// An engine per thread (`RoutingEngines`, as `switchyard serve` decides) from copies of one
/// reading of the configuration, and a decision's own logger.
@Suite("Routing engines per thread and configuration copies")
struct RoutingEnginesTests {
    @Test("a copy of the configuration routes the 400 recorded payments exactly as recorded")
    func copiesDecideAlike() async throws {
        let copies = try SwitchyardConfiguration.loadCopies(3, from: Fixture.config, overlay: RepositoryConfiguration.overlay,
                                                            factories: RailModules.factories(environment: [:]))
        #expect(copies.count == 3)
        #expect(copies.allSatisfy { $0.rails.map(\.id) == copies[0].rails.map(\.id) })
        let lines = try String(contentsOf: RoutingGoldenTests.file, encoding: .utf8).split(separator: "\n")
        var mismatches = 0
        for line in lines {
            let recorded = try JSONDecoder().decode(RoutingGoldenTests.Case.self, from: Data(line.utf8))
            let answer = try await RoutingGoldenTests.answer(intent: recorded.intent, now: Timestamp.parse(recorded.now)!, configuration: copies[2])
            if RoutingGoldenTests.digest(answer.report) != recorded.report || RoutingGoldenTests.digest(answer.table) != recorded.table { mismatches += 1 }
        }
        #expect(lines.count == 400)
        #expect(mismatches == 0, "\(mismatches) of \(lines.count) cases route differently on a copy")
    }

    @Test("a rail that contacts its counterpart, to be built or to quote, is built once for all copies; a config-only rail once per copy")
    func counterpartRailsBuiltOnce() throws {
        let directory = try ConfigurationTests.scratchCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        try ConfigurationTests.edit(directory, "switchyard.json") { json in
            var rails = json["rails"] as! [[String: Any]]
            rails.append(["id": "remote-test", "adapter": "counted-remote", "settings": "rails/counted.json", "enabled": true])
            rails.append(["id": "quoting-test", "adapter": "counted-quoting", "settings": "rails/counted.json", "enabled": true])
            rails.append(["id": "local-test", "adapter": "counted-local", "settings": "rails/counted.json", "enabled": true])
            json["rails"] = rails
        }
        try Data("{}".utf8).write(to: directory.appendingPathComponent("rails/counted.json"))
        let remote = CountingFactory(adapterType: "counted-remote", buildingContactsCounterpart: true, quoteCallsCounterpart: false)
        let quoting = CountingFactory(adapterType: "counted-quoting", buildingContactsCounterpart: false, quoteCallsCounterpart: true)
        let local = CountingFactory(adapterType: "counted-local", buildingContactsCounterpart: false, quoteCallsCounterpart: false)
        let copies = try SwitchyardConfiguration.loadCopies(3, from: directory, overlay: RepositoryConfiguration.overlay,
                                                            factories: RailModules.factories(environment: [:]) + [remote, quoting, local])
        #expect(remote.builds.withLock { $0 } == 1)
        #expect(quoting.builds.withLock { $0 } == 1)
        #expect(local.builds.withLock { $0 } == 3)
        for copy in copies {
            #expect(copy.rails.contains { $0.id == "remote-test" && $0.adapter != nil })
            #expect(copy.rails.contains { $0.id == "quoting-test" && $0.adapter != nil })
            #expect(copy.rails.contains { $0.id == "local-test" && $0.adapter != nil })
        }
    }

    @Test("each thread keeps to one engine, and two threads are given different engines")
    func threadsKeepTheirEngine() throws {
        // Engines told apart by their clocks.
        let engines = RoutingEngines((0..<2).map { number in
            var engine = Fixture.engine([])
            engine.clock = { Fixture.now.addingTimeInterval(TimeInterval(number)) }
            return engine
        })
        let seen = Mutex<[[Date]]>([[], []])
        let done = DispatchGroup()
        for thread in 0..<2 {
            done.enter()
            Thread {
                for _ in 0..<100 {
                    let instant = engines.current.clock()
                    seen.withLock { $0[thread].append(instant) }
                }
                done.leave()
            }.start()
        }
        #expect(done.wait(timeout: .now() + 30) == .success)
        let answers = seen.withLock { $0 }
        #expect(answers.allSatisfy { $0.count == 100 && Set($0).count == 1 }, "a thread changed engines")
        #expect(Set(answers.map { $0[0] }).count == 2, "both threads were given the same engine")
    }

    @Test("a decision's own logger logs the decision and reaches each rail's quote request with the rail's id")
    func decisionLogger() async throws {
        let probe = LoggerProbeRail(id: "probe")
        var engine = Fixture.engine([probe])
        let engineLines = RecordedLines()
        engine.logger = Logger(label: "engine", factory: { _ in RecordingLogHandler(lines: engineLines) })
        let requestLines = RecordedLines()
        var requestLogger = Logger(label: "request", factory: { _ in RecordingLogHandler(lines: requestLines) })
        requestLogger[metadataKey: "request"] = "r-1"

        _ = try await RoutingEngines([engine]).route(Fixture.intent(), logger: requestLogger)
        #expect(probe.seen.withLock { $0 } == ["request=r-1 rail=probe"])
        #expect(requestLines.lines.withLock { $0 } == ["routed payment request=r-1"])
        #expect(engineLines.lines.withLock { $0 }.isEmpty)

        // Without one, the engine's own logger, each rail's with the rail's id.
        _ = try await engine.route(Fixture.intent())
        #expect(probe.seen.withLock { $0 }.last == "request=- rail=probe")
        #expect(engineLines.lines.withLock { $0 } == ["routed payment request=-"])
    }
}

/// A factory that counts the instances it builds (each a test rail that declines).
final class CountingFactory: RailAdapterFactory {
    let adapterType: String
    let buildingContactsCounterpart: Bool
    let quoteCallsCounterpart: Bool
    let builds = Mutex(0)

    init(adapterType: String, buildingContactsCounterpart: Bool, quoteCallsCounterpart: Bool) {
        self.adapterType = adapterType
        self.buildingContactsCounterpart = buildingContactsCounterpart
        self.quoteCallsCounterpart = quoteCallsCounterpart
    }

    func makeAdapter(id: RailID, settings: Data, file: String, context: RailConfigurationContext) throws(ConfigurationError) -> any RailAdapter {
        builds.withLock { $0 += 1 }
        return LoggerProbeRail(id: id, quoteCallsCounterpart: quoteCallsCounterpart)
    }
}

/// A rail that notes the `request` and `rail` metadata of each quote request's logger, then declines.
final class LoggerProbeRail: RailAdapter {
    let descriptor: RailDescriptor
    let seen = Mutex<[String]>([])

    init(id: RailID, quoteCallsCounterpart: Bool = false) {
        var descriptor = TestRail(id, .fail).descriptor
        descriptor.capabilities.quoteCallsCounterpart = quoteCallsCounterpart
        self.descriptor = descriptor
    }

    func quote(_ request: QuoteRequest) async throws -> QuoteOutcome {
        let noted = "request=\(request.logger[metadataKey: "request"].map { "\($0)" } ?? "-") rail=\(request.logger[metadataKey: "rail"].map { "\($0)" } ?? "-")"
        seen.withLock { $0.append(noted) }
        return .declined(RailDecline(.railUnavailable, "a probe"))
    }

    func execute(_ request: ExecutionRequest, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        throw RailError.unsupported(operation: "execute", rail: descriptor.id)
    }

    func status(of submission: RailSubmission, at now: Date) async throws -> RailPaymentStatus {
        throw RailError.unsupported(operation: "status", rail: descriptor.id)
    }
}

/// Log lines as "message request=…", shared by the handlers a logger copies.
final class RecordedLines: Sendable {
    let lines = Mutex<[String]>([])
}

struct RecordingLogHandler: LogHandler {
    let lines: RecordedLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.lines.withLock { $0.append("\(event.message) request=\(metadata["request"].map { "\($0)" } ?? "-")") }
    }
}
