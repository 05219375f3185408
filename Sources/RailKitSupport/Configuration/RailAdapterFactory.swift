import RailKit
import Foundation
import Logging

/// Builds adapters of one type from their configuration. The executable registers one factory
/// per adapter module; `Config/switchyard.json` names instances by `adapter` type.
public protocol RailAdapterFactory: Sendable {
    /// The `adapter` value in the rails list, e.g. `deposit-token`.
    var adapterType: String { get }

    /// Builds the instance `id` from the JSON in `settings` (read from `file`, named in errors).
    /// A router builds its rails on several threads at once, outside any task: this may run
    /// concurrently for different instances, and must not block waiting for Swift concurrency work
    /// (a `Task` and a semaphore, say). A rail whose building does I/O says so with
    /// ``buildingContactsCounterpart``, and is then built alone on the loading thread.
    func makeAdapter(id: RailID, settings: Data, file: String, context: RailConfigurationContext) throws(ConfigurationError) -> any RailAdapter

    /// Whether building an instance contacts its counterpart (a remote rail asks for its
    /// descriptor). A router builds such rails one after another on the loading thread, and lists
    /// a disabled rail of such a type without it when its settings do not resolve (its token
    /// unset), rather than failing the whole configuration.
    var buildingContactsCounterpart: Bool { get }
}

extension RailAdapterFactory {
    public var buildingContactsCounterpart: Bool { false }
}

/// A rail type built from a settings file: what a rail author declares so that ``RailFactory``
/// can build its instances (no factory to write).
public protocol ConfigurableRail: RailAdapter {
    /// The rail's settings file, as decoded from `Config/rails/<id>.json`.
    associatedtype Settings: Decodable & Sendable
    /// The `adapter` value in `Config/switchyard.json`'s rails list, e.g. `deposit-token`.
    static var adapterType: String { get }
    /// Builds the instance `id`. `environment` resolves `{"environment": NAME}` settings (URLs, keys).
    /// Runs on any thread, beside other rails' building (``RailAdapterFactory/makeAdapter(id:settings:file:context:)``).
    init(id: RailID, settings: Settings, context: RailConfigurationContext, environment: [String: String]) throws
    /// Whether `init` contacts the rail's counterpart (see ``RailAdapterFactory/buildingContactsCounterpart``).
    static var buildingContactsCounterpart: Bool { get }
}

extension ConfigurableRail {
    public static var buildingContactsCounterpart: Bool { false }
}

/// The factory for any ``ConfigurableRail``: decodes its settings (errors name the file and
/// field) and builds the instance.
public struct RailFactory<Rail: ConfigurableRail>: RailAdapterFactory {
    /// Where `{"environment": NAME}` settings (RPC URLs, signing keys, tokens) are looked up.
    let environment: [String: String]

    public init(_ rail: Rail.Type, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public var adapterType: String { Rail.adapterType }
    public var buildingContactsCounterpart: Bool { Rail.buildingContactsCounterpart }

    public func makeAdapter(id: RailID, settings: Data, file: String, context: RailConfigurationContext) throws(ConfigurationError) -> any RailAdapter {
        let decoded = try ConfigurationDecoding.decode(Rail.Settings.self, from: settings, file: file)
        do {
            return try Rail(id: id, settings: decoded, context: context, environment: environment)
        } catch {
            throw ConfigurationDecoding.describe(error, file: file)
        }
    }
}

/// Shared configuration an adapter may refer to by name.
public struct RailConfigurationContext: Sendable {
    public var calendars: [String: BusinessCalendar]
    /// The logger a rail gives its counterpart clients (each outbound call at `debug`); the
    /// rail adds its id to the metadata.
    public var logger: Logger

    public init(calendars: [String: BusinessCalendar],
                logger: Logger = Logger(label: "switchyard.rail", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.calendars = calendars
        self.logger = logger
    }

    /// The context's logger with `rail` in its metadata.
    public func logger(for rail: RailID) -> Logger {
        var logger = self.logger
        logger[metadataKey: "rail"] = .string(rail.rawValue)
        return logger
    }

    public func calendar(_ id: String, field: String) throws(ValidationError) -> BusinessCalendar {
        guard let calendar = calendars[id] else {
            throw ValidationError(field: field, value: id, rule: "calendar.unknown",
                                  message: "no such calendar; known: \(calendars.keys.sorted().joined(separator: ", "))")
        }
        return calendar
    }
}
