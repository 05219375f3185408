import Foundation

/// Builds adapters of one type from their configuration. The executable registers one factory
/// per adapter module; `Config/switchyard.json` names instances by `adapter` type.
public protocol RailAdapterFactory: Sendable {
    /// The `adapter` value in the rails list, e.g. `deposit-token`.
    var adapterType: String { get }

    /// Builds the instance `id` from the JSON in `settings` (read from `file`, named in errors).
    func makeAdapter(id: RailID, settings: Data, file: String, context: RailConfigurationContext) throws(ConfigurationError) -> any RailAdapter
}

/// Shared configuration an adapter may refer to by name.
public struct RailConfigurationContext: Sendable {
    public var calendars: [String: BusinessCalendar]

    public init(calendars: [String: BusinessCalendar]) { self.calendars = calendars }

    public func calendar(_ id: String, field: String) throws(ValidationError) -> BusinessCalendar {
        guard let calendar = calendars[id] else {
            throw ValidationError(field: field, value: id, rule: "calendar.unknown",
                                  message: "no such calendar; known: \(calendars.keys.sorted().joined(separator: ", "))")
        }
        return calendar
    }
}
