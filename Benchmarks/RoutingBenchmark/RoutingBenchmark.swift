import AllocationCounter
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import RailKit
import SwitchyardCommands
import SwitchyardRouter

/// `swift run -c release routing-benchmark [file]`: routing decisions for the sample HK intent
/// (eligibility, policy, config-only quotes from every rail, ranking, explanation) with 3, 30 and
/// 300 rail instances (generated from the shipped configuration with distinct ids): latency p50
/// and p99, decisions/s on one stream and on two at once, heap allocations per decision, the cost
/// of each added rail, and the `switchyard quote --json` process's wall time and peak resident
/// memory. Figures go to standard output and to the file (default Benchmarks/results/routing.txt),
/// each beside its target. Each size runs in a child process of its own (a fresh heap, as a
/// server's at start). `ROUTING_BENCHMARK_INSTANCES=300` measures one size only, in this process
/// (for a profiler).
@main
struct RoutingBenchmark {
    static let now = Timestamp.parse("2026-11-20T15:00:00Z")!

    static func main() async throws {
        let output = CommandLine.arguments.dropFirst().first ?? "Benchmarks/results/routing.txt"
        let intent = try JSONDecoder().decode(PaymentIntent.self, from: Data(contentsOf: URL(fileURLWithPath: "Config/samples/hk-supplier-usd-cnh.json")))
        var lines = ["# routing-benchmark — \(Timestamp.format(Date())); \(ProcessInfo.processInfo.activeProcessorCount) cores; release build",
                     "# sample: Config/samples/hk-supplier-usd-cnh.json, config-only quotes (no counterpart configured), as of \(Timestamp.format(now))",
                     "# latency: one stream's decisions; decisions/s: the best of three runs (one stream, and two at once, each stream its own payment)",
                     pad(["measure", "value", "target"])]
        // One size alone (ROUTING_BENCHMARK_INSTANCES, for a profiler, or a child of a whole run):
        // no quote-alone loops or child processes in its profile.
        if let instances = ProcessInfo.processInfo.environment["ROUTING_BENCHMARK_INSTANCES"].flatMap(Int.init) {
            let (sizeLines, median) = try await measure(instances: instances, intent: intent)
            lines += sizeLines
            lines.append("\(medianPrefix)\(instances) \(median)")
            try write(lines, to: output)
            return
        }
        // The quote process first, on a machine not yet loaded by the decision benchmarks: this
        // 2-core virtual machine's speed moves by up to a third for minutes at a time, after
        // sustained full load among other times (README "Benchmarks"), and a command-line process
        // is not started on a saturated host.
        let process = try quoteProcess()
        // Each size in a process of its own, as a server loads its configuration into a fresh
        // heap at start: measured one after another in one process, 300 rails' engine was built
        // into the heap the smaller sizes had left and its decisions ran ~10 % slower (README "Benchmarks").
        var medians = [Int: Double]()
        for instances in [3, 30, 300] {
            let (sizeLines, median) = try measureInChildProcess(instances: instances)
            lines += sizeLines
            medians[instances] = median
        }
        if let small = medians[3], let large = medians[300] {
            lines.append(pad(["cost per added rail µs (p50 at 300 - p50 at 3) / 297", format((large - small) / 297), "<= 3"]))
        }
        // Each shipped rail's quote alone (the adapter's share of a rail's cost; the rest is the engine's).
        let single = try makeEngines(instances: 4, copies: 1)[0]
        for rail in single.rails {
            guard let adapter = rail.adapter else { continue }
            let request = QuoteRequest(quoteID: QuoteID("q"), intent: intent, now: now, market: try await single.market.snapshot())
            let (time, allocations) = try await timeQuotes(adapter, request: request)
            lines.append(pad(["\(rail.id) quote alone µs (mean of 20000)", format(time), "-"]))
            lines.append(pad(["\(rail.id) quote alone heap allocations", format(allocations), "-"]))
        }
        lines.append(pad(["quote --json process ms (median of \(processRuns), run first)", process.wall, "<= 10"]))
        lines.append(pad(["quote --json process ms, middle half of the runs", process.middleHalf, "-"]))
        lines.append(pad(["quote --json process peak RSS MB (largest of \(processRuns))", process.peakMemory, "-"]))
        try write(lines, to: output)
    }

    /// The lines to standard output and to `output` (its directory made if need be).
    static func write(_ lines: [String], to output: String) throws {
        let text = lines.joined(separator: "\n") + "\n"
        print(text, terminator: "")
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: output).deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(toFile: output, atomically: true, encoding: .utf8)
    }

    /// A size measured in a child process that failed or took too long.
    struct ChildFailure: Error, CustomStringConvertible {
        var instances: Int
        var reason: String
        var description: String { "measuring \(instances) rails in a child process: \(reason)" }
    }

    /// How a child's result file gives its unrounded median (a comment line).
    static let medianPrefix = "# decision p50 µs unrounded, rails: "

    /// One size's figures: latency, decisions/s on one and two streams, allocations; and the p50 in µs.
    static func measure(instances: Int, intent: PaymentIntent) async throws -> (lines: [String], median: Double) {
        var lines = [String]()
        // Two engines from one reading of the configuration, as `switchyard serve` builds one per core.
        let engines = try makeEngines(instances: instances, copies: 2)
        let engine = engines[0]
        let decisions = instances == 300 ? 300 : instances == 30 ? 3_000 : 20_000
        _ = try await stream(engine, intent: intent, decisions: decisions / 10)  // warm up
        // Throughput is the best of three runs, for one stream and for two: on a shared virtual
        // machine a run is sometimes slowed by what else the host does.
        let clock = ContinuousClock()
        var latencies = [Double]()
        var single = 0.0
        for _ in 0..<3 {
            let started = clock.now
            let run = try await stream(engine, intent: intent, decisions: decisions)
            single = max(single, Double(decisions) / seconds(clock.now - started))
            if latencies.isEmpty { latencies = run.sorted() }
        }
        // Two streams at once, after a warm-up of their own (a second thread's first allocations
        // set up its own malloc arena), each as long as the one stream was: deciding through
        // `RoutingEngines` as the server does (each thread keeps to an engine of its own).
        let perThread = RoutingEngines(engines)
        _ = try await twoStreams(perThread, intent: intent, decisions: decisions / 10)
        var double = 0.0
        for _ in 0..<3 { double = max(double, try await twoStreams(perThread, intent: intent, decisions: decisions)) }
        // The same with one engine shared by both threads: the difference is what the cores
        // spend passing the shared engine's reference counts back and forth (see the README).
        let shared = RoutingEngines([engine])
        _ = try await twoStreams(shared, intent: intent, decisions: decisions / 10)
        var doubleShared = 0.0
        for _ in 0..<3 { doubleShared = max(doubleShared, try await twoStreams(shared, intent: intent, decisions: decisions)) }
        // Allocations in one stream, after the warm-up: every thread's, so nothing else runs meanwhile.
        let allocations = try await allocationsPerDecision(engine, intent: intent, decisions: decisions)
        let p50Target = instances == 3 ? "<= 20 µs" : instances == 300 ? "<= 1000 µs" : "-"
        lines.append(pad(["\(instances) rails: decision p50 µs", format(latencies[latencies.count / 2]), p50Target]))
        lines.append(pad(["\(instances) rails: decision p99 µs", format(latencies[latencies.count * 99 / 100]), "-"]))
        lines.append(pad(["\(instances) rails: decisions/s, one stream", format(single), instances == 3 ? ">= 40000" : "-"]))
        lines.append(pad(["\(instances) rails: decisions/s, two streams (an engine per thread)", format(double), instances == 3 ? ">= 1.8x one" : "-"]))
        lines.append(pad(["\(instances) rails: two streams / one (an engine per thread)", String(format: "%.2f", double / single), ">= 1.8"]))
        lines.append(pad(["\(instances) rails: two streams / one, one engine shared", String(format: "%.2f", doubleShared / single), "-"]))
        lines.append(pad(["\(instances) rails: heap allocations per decision", format(allocations), instances == 3 ? "<= 60" : "-"]))
        return (lines, latencies[latencies.count / 2])
    }

    /// `measure(instances:)` in a child process (this executable with ROUTING_BENCHMARK_INSTANCES):
    /// its figure lines, and its unrounded p50.
    static func measureInChildProcess(instances: Int) throws -> (lines: [String], median: Double) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("routing-benchmark-\(instances)-\(UUID()).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        let child = Process()
        #if os(Linux)
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        #else
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        #endif
        child.arguments = [file.path]
        child.environment = ProcessInfo.processInfo.environment.merging(["ROUTING_BENCHMARK_INSTANCES": String(instances)]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        try child.run()
        // A size takes seconds; ten minutes means it hangs.
        let deadline = ContinuousClock.now + .seconds(600)
        while child.isRunning {
            guard ContinuousClock.now < deadline else {
                child.terminate()
                throw ChildFailure(instances: instances, reason: "still running after 600 s (stopped)")
            }
            usleep(10_000)
        }
        guard child.terminationStatus == 0 else {
            throw ChildFailure(instances: instances, reason: "exit status \(child.terminationStatus) (\(child.terminationReason == .uncaughtSignal ? "signal" : "exit"))")
        }
        let written = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        guard let median = written.first(where: { $0.hasPrefix(medianPrefix) }).flatMap({ $0.split(separator: " ").last }).flatMap({ Double($0) }) else {
            throw ChildFailure(instances: instances, reason: "no median in its figures")
        }
        return (written.filter { !$0.hasPrefix("#") && !$0.hasPrefix("measure") }, median)
    }

    /// One stream of decisions, each timed. Off the main actor, as a server's request handler is:
    /// awaiting the engine from the main actor would time two thread hops per decision.
    static func stream(_ engine: RoutingEngine, intent: PaymentIntent, decisions: Int) async throws -> [Double] {
        var latencies = [Double]()
        latencies.reserveCapacity(decisions)
        let clock = ContinuousClock()
        for _ in 0..<decisions {
            let start = clock.now
            _ = try await engine.route(intent)
            latencies.append(microseconds(clock.now - start))
        }
        return latencies
    }

    /// Microseconds and heap allocations per quote of one adapter, off the main actor.
    static func timeQuotes(_ adapter: any RailAdapter, request: QuoteRequest) async throws -> (microseconds: Double, allocations: Double) {
        let clock = ContinuousClock(), count = 20_000
        for _ in 0..<1000 { _ = try await adapter.quote(request) }
        let started = clock.now
        for _ in 0..<count { _ = try await adapter.quote(request) }
        let time = microseconds(clock.now - started) / Double(count)
        let before = allocation_count()
        for _ in 0..<1000 { _ = try await adapter.quote(request) }
        return (time, Double(allocation_count() - before) / 1000)
    }

    /// One thread for each of the two streams.
    static let streamExecutors = [ThreadExecutor(name: "stream-1"), ThreadExecutor(name: "stream-2")]

    /// Decisions per second of two streams running at once, each on its own thread, deciding
    /// through `engines` (an engine per thread, as the server does, or one engine shared).
    static func twoStreams(_ engines: RoutingEngines, intent: PaymentIntent, decisions: Int) async throws -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for executor in streamExecutors {
                // Each stream its own payment (decoded afresh, sharing no storage), as two requests would be.
                let own = try JSONDecoder().decode(PaymentIntent.self, from: try JSONEncoder().encode(intent))
                group.addTask(executorPreference: executor) { for _ in 0..<decisions { _ = try await engines.route(own) } }
            }
            try await group.waitForAll()
        }
        return Double(2 * decisions) / seconds(clock.now - started)
    }

    /// Heap allocations per decision on one stream (every thread's are counted, so nothing else runs meanwhile).
    static func allocationsPerDecision(_ engine: RoutingEngine, intent: PaymentIntent, decisions: Int) async throws -> Double {
        let before = allocation_count()
        for _ in 0..<decisions { _ = try await engine.route(intent) }
        return Double(allocation_count() - before) / Double(decisions)
    }

    /// `copies` engines alike over the shipped configuration (with the sample overlay) with
    /// `instances` rails: the enabled ones repeated under distinct ids.
    static func makeEngines(instances: Int, copies: Int) throws -> [RoutingEngine] {
        let source = URL(fileURLWithPath: "Config")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("routing-benchmark-\(UUID())")
        try FileManager.default.copyItem(at: source, to: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("switchyard.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
        let enabled = (json["rails"] as! [[String: Any]]).filter { $0["enabled"] as? Bool == true && $0["settings"] is String }
        json["rails"] = (0..<instances).map { index -> [String: Any] in
            var rail = enabled[index % enabled.count]
            if index >= enabled.count { rail["id"] = "\(rail["id"] as! String)-\(index)" }
            return rail
        }
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        // With the sandbox's sample data, as before the shipped files dropped it: the same decisions to time.
        let configurations = try SwitchyardConfiguration.loadCopies(copies, from: directory, overlay: URL(fileURLWithPath: "Sandbox/sample-config"),
                                                                    factories: RailModules.factories(environment: [:]))
        return configurations.map { configuration in
            var engine = configuration.makeEngine(clock: { now })
            // The decision alone: a routing log line per decision would be measured too.
            engine.logger = Logger(label: "benchmark", factory: { _ in SwiftLogNoOpLogHandler() })
            return engine
        }
    }

    /// The median wall time (and the middle half of the runs) and the largest peak resident memory of `switchyard quote --json` for
    /// the sample, the release binary beside this one (spawned directly and reaped with `wait4`,
    /// whose resource usage carries the child's peak RSS).
    static let processRuns = 40

    static func quoteProcess() throws -> (wall: String, middleHalf: String, peakMemory: String) {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("switchyard")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { return ("n/a (build the switchyard product in release)", "n/a", "n/a") }
        let arguments = [binary.path, "quote", "--json", "--request", "Config/samples/hk-supplier-usd-cnh.json", "--now", "2026-11-20T15:00:00Z",
                         "--overlay", "Sandbox/sample-config"]
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SWITCHYARD_") }.map { "\($0.key)=\($0.value)" }
        var times = [Double]()
        var peakKilobytes = 0
        for _ in 0..<processRuns {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            defer { posix_spawn_file_actions_destroy(&actions) }
            let argv = arguments.map { strdup($0) } + [nil]
            let envp = environment.map { strdup($0) } + [nil]
            defer { (argv + envp).forEach { free($0) } }
            var pid = pid_t()
            let start = ContinuousClock.now
            let spawned = posix_spawn(&pid, binary.path, &actions, nil, argv, envp)
            guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
            var status: Int32 = 0
            var usage = rusage()
            guard wait4(pid, &status, 0, &usage) == pid else { throw POSIXError(.ECHILD) }
            times.append(microseconds(ContinuousClock.now - start) / 1000)
            guard status == 0 else { throw POSIXError(.EIO) }
            peakKilobytes = max(peakKilobytes, usage.ru_maxrss)
        }
        times.sort()
        return (String(format: "%.1f", times[times.count / 2]), String(format: "%.1f–%.1f", times[times.count / 4], times[times.count * 3 / 4 - 1]),
                String(format: "%.1f", Double(peakKilobytes) / 1024))
    }

    static func microseconds(_ duration: Duration) -> Double { seconds(duration) * 1_000_000 }
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
    static func format(_ value: Double) -> String { String(format: value >= 100 ? "%.0f" : "%.1f", value) }
    static func pad(_ cells: [String]) -> String {
        cells[0].padding(toLength: 60, withPad: " ", startingAt: 0) + cells[1].padding(toLength: 14, withPad: " ", startingAt: 0) + cells[2]
    }
}
