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

    private struct TopLevel: Decodable {
        struct RailEntry: Decodable {
            var id: RailID
            var adapter: String
            var settings: String?
            var enabled: Bool?
            var note: String?
        }

        struct Routing: Decodable {
            var quoteTimeoutMilliseconds: Int
        }

        var rails: [RailEntry]
        var calendars: [String]
        var market: String
        var policy: String
        var routing: Routing
    }

    /// Loads `switchyard.json` in `directory` and every file it names, building rails with the
    /// factory registered for each `adapter` type. Collects every error before throwing.
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
        func display(_ relative: String) -> String { directory.appendingPathComponent(relative).path }
        func read(_ relative: String) -> Data? {
            if let known = files[relative] { return known }
            guard let data = readFile(relative) else { return nil }
            files[relative] = data
            return data
        }
        func readFile(_ relative: String) -> Data? {
            let base: Data
            do {
                base = try Data(contentsOf: directory.appendingPathComponent(relative))
            } catch {
                errors.append(ConfigurationError(file: display(relative), field: "", message: "cannot be read (\(error.localizedDescription))"))
                return nil
            }
            guard let patchFile = overlay?.appendingPathComponent(relative), FileManager.default.fileExists(atPath: patchFile.path) else { return base }
            do {
                return try ConfigurationOverlay.apply(try Data(contentsOf: patchFile), to: base)
            } catch let duplicate as ConfigurationOverlay.DuplicateKey {
                // The file the key is in, and the key: the merge could not say which of the two counts.
                errors.append(ConfigurationError(file: duplicate.inPatch ? patchFile.path : display(relative), field: duplicate.path,
                                                 message: "appears twice in one object; give each key once"))
                return nil
            } catch {
                errors.append(ConfigurationError(file: patchFile.path, field: "", message: "is not a JSON merge patch of \(display(relative)) (\(error.localizedDescription))"))
                return nil
            }
        }
        func decode<T: Decodable>(_ type: T.Type, _ relative: String) -> T? {
            guard let data = read(relative) else { return nil }
            do {
                return try ConfigurationDecoding.decode(type, from: data, file: display(relative))
            } catch {
                errors.append(error)
                return nil
            }
        }

        guard let top = decode(TopLevel.self, "switchyard.json") else { throw ConfigurationErrors(errors: errors) }

        var calendars = [String: BusinessCalendar]()
        for file in top.calendars {
            guard let calendarFile = decode(CalendarFile.self, file) else { continue }
            do {
                let calendar = try calendarFile.makeCalendar()
                if calendars[calendar.id] != nil {
                    errors.append(ConfigurationError(file: display(file), field: "id", message: "calendar id \(calendar.id) is used twice"))
                }
                calendars[calendar.id] = calendar
            } catch {
                errors.append(ConfigurationDecoding.describe(error, file: display(file)))
            }
        }

        var market: MarketSnapshot?
        if let marketFile = decode(MarketFile.self, top.market) {
            do { market = try marketFile.snapshot() } catch { errors.append(ConfigurationDecoding.describe(error, file: display(top.market))) }
        }
        var policy: CompliancePolicy?
        if let policyFile = decode(PolicyFile.self, top.policy) {
            do { policy = try policyFile.policy(calendars: calendars) } catch { errors.append(ConfigurationDecoding.describe(error, file: display(top.policy))) }
        }

        let context = RailConfigurationContext(calendars: calendars)
        let factoriesByType = Dictionary(factories.map { ($0.adapterType, $0) }, uniquingKeysWith: { first, _ in first })
        var rails = [RoutedRail]()
        var seen = Set<RailID>()
        for (index, entry) in top.rails.enumerated() {
            let field = "rails[\(index)]"
            if !seen.insert(entry.id).inserted {
                errors.append(ConfigurationError(file: display("switchyard.json"), field: field + ".id", message: "rail id \(entry.id) is used twice"))
                continue
            }
            let enabled = entry.enabled ?? true
            guard let factory = factoriesByType[entry.adapter] else {
                if enabled {
                    errors.append(ConfigurationError(
                        file: display("switchyard.json"), field: field + ".adapter",
                        message: "no adapter module of type \"\(entry.adapter)\" is linked (known: \(factoriesByType.keys.sorted().joined(separator: ", ")))"))
                } else {
                    rails.append(RoutedRail(disabled: entry.id, displayName: entry.id.rawValue, note: entry.note))
                }
                continue
            }
            if let sharedRail = shared?.rails.first(where: { $0.id == entry.id }),
               factory.buildingContactsCounterpart || sharedRail.descriptor?.capabilities.quoteCallsCounterpart == true {
                rails.append(sharedRail)
                continue
            }
            guard let settingsFile = entry.settings else {
                errors.append(ConfigurationError(file: display("switchyard.json"), field: field + ".settings", message: "names the rail's settings file"))
                continue
            }
            guard let data = read(settingsFile) else { continue }
            do {
                let adapter: any RailAdapter
                do {
                    adapter = try factory.makeAdapter(id: entry.id, settings: data, file: display(settingsFile), context: context)
                } catch where !enabled && factory.buildingContactsCounterpart {
                    // A disabled remote rail whose settings do not resolve here (its token unset, say) is
                    // listed disabled, never asked for its descriptor; one that resolves is built, so the
                    // payments it still carries are followed while it drains.
                    rails.append(RoutedRail(disabled: entry.id, displayName: entry.id.rawValue, note: entry.note))
                    continue
                }
                // Checked here for every adapter type, so no rail's limits are silently never compared.
                for (corridorIndex, corridor) in adapter.descriptor.capabilities.corridors.enumerated() {
                    for problem in corridor.limitProblems {
                        errors.append(ConfigurationError(file: display(settingsFile), field: "corridors[\(corridorIndex)].\(problem.field)",
                                                         message: problem.message))
                    }
                }
                rails.append(RoutedRail(adapter: adapter, enabled: enabled, note: entry.note))
            } catch {
                errors.append(error)
            }
        }

        if top.routing.quoteTimeoutMilliseconds <= 0 {
            errors.append(ConfigurationError(file: display("switchyard.json"), field: "routing.quoteTimeoutMilliseconds", message: "must be positive"))
        }
        guard errors.isEmpty, let market, let policy else { throw ConfigurationErrors(errors: errors) }
        return SwitchyardConfiguration(
            directory: directory, rails: rails, calendars: calendars, market: market, policy: policy,
            quoteTimeout: .milliseconds(top.routing.quoteTimeoutMilliseconds))
    }

    /// A routing engine over this configuration.
    public func makeEngine(clock: @escaping @Sendable () -> Date = { Date() }) -> RoutingEngine {
        RoutingEngine(rails: rails, policy: policy, market: StaticMarketData(market), quoteTimeout: quoteTimeout, clock: clock)
    }
}
