import Foundation
import RailKit
import RailKitSupport

/// Every problem found in a configuration directory (all of them, not just the first).
public struct ConfigurationErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigurationError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// The loaded `Config/` directory: rails built by their factories, calendars, market data,
/// compliance policy and routing settings.
public struct SwitchyardConfiguration: Sendable {
    public var directory: URL
    public var rails: [RoutedRail]
    public var calendars: [String: BusinessCalendar]
    public var market: MarketSnapshot
    public var policy: CompliancePolicy
    public var quoteTimeout: Duration

    /// The environment variable that points at another configuration directory.
    public static let directoryVariable = "SWITCHYARD_CONFIG"

    private struct TopLevel: Decodable, Sendable {
        struct RailEntry: Decodable, Sendable {
            var id: RailID
            var adapter: String
            var settings: String?
            var enabled: Bool?
            var note: String?
        }

        struct Routing: Decodable, Sendable {
            var quoteTimeoutMilliseconds: Int
        }

        var rails: [RailEntry]
        var calendars: [String]
        var market: String
        var policy: String
        var routing: Routing
    }

    /// Loads `switchyard.json` in `directory` and every file it names, building rails with the
    /// factory registered for each `adapter` type. Collects every error before throwing, in the
    /// order of the files and of the rails list. The files are read and decoded, and the rails
    /// built in process, on every core at once; a rail whose building contacts its counterpart is
    /// built on the calling thread, one after another. Factories are called from several threads.
    /// - Parameter overlay: a directory of JSON merge patches over the files of `directory`
    ///   (``ConfigurationOverlay``): the operator's own lists and values, or the sandbox's samples.
    public static func load(from directory: URL, overlay: URL? = nil,
                            factories: [any RailAdapterFactory]) throws(ConfigurationErrors) -> SwitchyardConfiguration {
        var files = [String: Data]()
        return try load(from: directory, overlay: overlay, factories: factories, files: &files, sharingRemoteRailsOf: nil)
    }

    /// `count` configurations from one reading of the configuration's files, alike, each
    /// in-process rail built again from the same bytes, for an engine per thread
    /// (``RoutingEngines``): two cores deciding at once then never count references on the same
    /// objects. Rails that contact a counterpart, to be built or to quote, are built once and
    /// shared: their quotes wait on the network (a copy would gain nothing), a counterpart is
    /// asked for its descriptor once, and their clients and connections are not duplicated.
    ///
    /// Copies are for deciding. Execute through one of them (the first): each copy's adapters
    /// would keep their own execution state (nonces, say) for the same accounts. What an adapter
    /// reads by itself (a file or variable its settings name) is read by each copy.
    public static func loadCopies(_ count: Int, from directory: URL, overlay: URL? = nil,
                                  factories: [any RailAdapterFactory]) throws(ConfigurationErrors) -> [SwitchyardConfiguration] {
        precondition(count > 0, "at least one configuration")
        var files = [String: Data]()
        let first = try load(from: directory, overlay: overlay, factories: factories, files: &files, sharingRemoteRailsOf: nil)
        var copies = [first]
        for _ in 1..<count {
            copies.append(try load(from: directory, overlay: overlay, factories: factories, files: &files, sharingRemoteRailsOf: first))
        }
        return copies
    }

    /// Reads the files first, then decodes them and builds the rails, each step's independent
    /// parts on every core at once (``Swift/Array/concurrentMap(_:)``): calendars and market data
    /// together, then the policy (which names calendars) with every rail built in process. Rails
    /// whose building contacts a counterpart are built one after another on the calling thread,
    /// as before: a remote rail served by this very process needs a task thread free to answer.
    /// What is loaded, and every error in its order, is what a load one file after another gives.
    /// - Parameters:
    ///   - files: each file's bytes (the overlay merged in) by its path in `directory`: read once,
    ///     then reused, so copies never see a file changed between two readings.
    ///   - shared: a copy already built, whose rails that contact a counterpart are reused.
    private static func load(from directory: URL, overlay: URL?, factories: [any RailAdapterFactory], files: inout [String: Data],
                             sharingRemoteRailsOf shared: SwitchyardConfiguration?) throws(ConfigurationErrors) -> SwitchyardConfiguration {
        var errors = [ConfigurationError]()
        var isDirectory: ObjCBool = false
        if let overlay, !FileManager.default.fileExists(atPath: overlay.path, isDirectory: &isDirectory) || !isDirectory.boolValue {
            errors.append(ConfigurationError(file: overlay.path, field: "", message: "is not a directory (the configuration overlay)"))
        }
        let reader = ConfigurationFileReader(directory: directory, overlay: overlay)
        let topFile = "switchyard.json"
        let topReading = files[topFile].map { .success($0) } ?? reader.read(topFile)
        if case .success(let data) = topReading { files[topFile] = data }
        let top: TopLevel
        switch reader.decode(TopLevel.self, topFile, topReading) {
        case .success(let decoded): top = decoded
        case .failure(let error): throw ConfigurationErrors(errors: errors + [error])
        }

        // Each rail entry: settled from switchyard.json alone (an error, listed disabled, shared
        // with the first copy), or to be built from its settings file.
        let factoriesByType = Dictionary(factories.map { ($0.adapterType, $0) }, uniquingKeysWith: { first, _ in first })
        var settled = [Int: RailOutcome]()
        var builds = [RailBuild]()
        var seen = Set<RailID>()
        for (index, entry) in top.rails.enumerated() {
            let field = "rails[\(index)]"
            if !seen.insert(entry.id).inserted {
                settled[index] = RailOutcome(errors: [ConfigurationError(file: reader.display(topFile), field: field + ".id", message: "rail id \(entry.id) is used twice")])
                continue
            }
            let enabled = entry.enabled ?? true
            guard let factory = factoriesByType[entry.adapter] else {
                settled[index] = enabled
                    ? RailOutcome(errors: [ConfigurationError(
                        file: reader.display(topFile), field: field + ".adapter",
                        message: "no adapter module of type \"\(entry.adapter)\" is linked (known: \(factoriesByType.keys.sorted().joined(separator: ", ")))")])
                    : RailOutcome(rail: RoutedRail(disabled: entry.id, displayName: entry.id.rawValue, note: entry.note))
                continue
            }
            if let sharedRail = shared?.rails.first(where: { $0.id == entry.id }),
               factory.buildingContactsCounterpart || sharedRail.descriptor?.capabilities.quoteCallsCounterpart == true {
                settled[index] = RailOutcome(rail: sharedRail)
                continue
            }
            guard let settingsFile = entry.settings else {
                settled[index] = RailOutcome(errors: [ConfigurationError(file: reader.display(topFile), field: field + ".settings", message: "names the rail's settings file")])
                continue
            }
            builds.append(RailBuild(index: index, entry: entry, enabled: enabled, factory: factory, settingsFile: settingsFile))
        }

        // Every file not read yet, each read once (a file that cannot be read is reported at each use,
        // as a second reading would fail again).
        var unread = [String]()
        for file in top.calendars + [top.market, top.policy] + builds.map(\.settingsFile) where files[file] == nil && !unread.contains(file) {
            unread.append(file)
        }
        var readings = files.mapValues { Result<Data, ConfigurationError>.success($0) }
        for (file, reading) in zip(unread, unread.concurrentMap { reader.read($0) }) {
            readings[file] = reading
            if case .success(let data) = reading { files[file] = data }
        }
        let available = readings
        @Sendable func reading(_ file: String) -> Result<Data, ConfigurationError> { available[file]! }

        // Calendars and market data at once; each calendar file's outcome, then the market's.
        let calendarOutcomes = (top.calendars.map(Optional.some) + [nil]).concurrentMap { file -> CalendarOrMarket in
            guard let file else {
                return .market(reader.decode(MarketFile.self, top.market, reading(top.market)).flatMap { marketFile in
                    reader.checking(top.market) { try marketFile.snapshot() }
                })
            }
            return .calendar(reader.decode(CalendarFile.self, file, reading(file)).flatMap { calendarFile in
                reader.checking(file) { try calendarFile.makeCalendar() }
            })
        }
        var calendars = [String: BusinessCalendar]()
        var market: MarketSnapshot?
        for (file, outcome) in zip(top.calendars.map(Optional.some) + [nil], calendarOutcomes) {
            switch outcome {
            case .calendar(.success(let calendar)):
                if calendars[calendar.id] != nil {
                    errors.append(ConfigurationError(file: reader.display(file!), field: "id", message: "calendar id \(calendar.id) is used twice"))
                }
                calendars[calendar.id] = calendar
            case .market(.success(let snapshot)): market = snapshot
            case .calendar(.failure(let error)), .market(.failure(let error)): errors.append(error)
            }
        }

        // The policy and the rails built in process at once; then those that contact a counterpart.
        let context = RailConfigurationContext(calendars: calendars)
        let loadedCalendars = calendars
        let inProcess = builds.filter { !$0.factory.buildingContactsCounterpart }
        let policyAndRails = ([nil] + inProcess.map(Optional.some)).concurrentMap { build -> PolicyOrRail in
            guard let build else {
                return .policy(reader.decode(PolicyFile.self, top.policy, reading(top.policy)).flatMap { policyFile in
                    reader.checking(top.policy) { try policyFile.policy(calendars: loadedCalendars) }
                })
            }
            return .rail(build.index, build.make(reading: reading(build.settingsFile), context: context, reader: reader))
        }
        var policy: CompliancePolicy?
        var built = settled
        for outcome in policyAndRails {
            switch outcome {
            case .policy(.success(let compliance)): policy = compliance
            case .policy(.failure(let error)): errors.append(error)
            case .rail(let index, let outcome): built[index] = outcome
            }
        }
        for build in builds where build.factory.buildingContactsCounterpart {
            built[build.index] = build.make(reading: reading(build.settingsFile), context: context, reader: reader)
        }
        var rails = [RoutedRail]()
        for index in top.rails.indices {
            guard let outcome = built[index] else { continue }
            errors += outcome.errors
            if let rail = outcome.rail { rails.append(rail) }
        }

        if top.routing.quoteTimeoutMilliseconds <= 0 {
            errors.append(ConfigurationError(file: reader.display(topFile), field: "routing.quoteTimeoutMilliseconds", message: "must be positive"))
        }
        guard errors.isEmpty, let market, let policy else { throw ConfigurationErrors(errors: errors) }
        return SwitchyardConfiguration(
            directory: directory, rails: rails, calendars: calendars, market: market, policy: policy,
            quoteTimeout: .milliseconds(top.routing.quoteTimeoutMilliseconds))
    }

    private enum CalendarOrMarket: Sendable {
        case calendar(Result<BusinessCalendar, ConfigurationError>)
        case market(Result<MarketSnapshot, ConfigurationError>)
    }

    private enum PolicyOrRail: Sendable {
        case policy(Result<CompliancePolicy, ConfigurationError>)
        case rail(Int, RailOutcome)
    }

    /// What one entry of the rails list adds: a rail, errors, or both (a rail whose limits are wrong).
    private struct RailOutcome: Sendable {
        var rail: RoutedRail?
        var errors: [ConfigurationError] = []
    }

    /// A rail entry to build from its settings file.
    private struct RailBuild: Sendable {
        var index: Int
        var entry: TopLevel.RailEntry
        var enabled: Bool
        var factory: any RailAdapterFactory
        var settingsFile: String

        func make(reading: Result<Data, ConfigurationError>, context: RailConfigurationContext, reader: ConfigurationFileReader) -> RailOutcome {
            let data: Data
            switch reading {
            case .success(let bytes): data = bytes
            case .failure(let error): return RailOutcome(errors: [error])
            }
            let adapter: any RailAdapter
            do {
                adapter = try factory.makeAdapter(id: entry.id, settings: data, file: reader.display(settingsFile), context: context)
            } catch where !enabled && factory.buildingContactsCounterpart {
                // A disabled remote rail whose settings do not resolve here (its token unset, say) is
                // listed disabled, never asked for its descriptor; one that resolves is built, so the
                // payments it still carries are followed while it drains.
                return RailOutcome(rail: RoutedRail(disabled: entry.id, displayName: entry.id.rawValue, note: entry.note))
            } catch {
                return RailOutcome(errors: [error])
            }
            // Checked here for every adapter type, so no rail's limits are silently never compared.
            var outcome = RailOutcome(rail: RoutedRail(adapter: adapter, enabled: enabled, note: entry.note))
            for (corridorIndex, corridor) in adapter.descriptor.capabilities.corridors.enumerated() {
                for problem in corridor.limitProblems {
                    outcome.errors.append(ConfigurationError(file: reader.display(settingsFile), field: "corridors[\(corridorIndex)].\(problem.field)",
                                                             message: problem.message))
                }
            }
            return outcome
        }
    }

    /// A routing engine over this configuration.
    public func makeEngine(clock: @escaping @Sendable () -> Date = { Date() }) -> RoutingEngine {
        RoutingEngine(rails: rails, policy: policy, market: StaticMarketData(market), quoteTimeout: quoteTimeout, clock: clock)
    }
}
