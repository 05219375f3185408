import Foundation

/// The time this process works at: the wall clock, or with `SWITCHYARD_TIME_OFFSET_SECONDS` the
/// wall clock shifted by that many seconds. Tests and demos set it so nothing they check depends on
/// today's date (calendars cover their listed years only, and a weekend moves every ETA); every
/// process given the same offset shares one timeline, as the real clock would.
public enum ProcessClock {
    public static let variable = "SWITCHYARD_TIME_OFFSET_SECONDS"

    /// Seconds added to the wall clock (0 unless the variable says otherwise).
    public static let offset: TimeInterval = ProcessInfo.processInfo.environment[variable].flatMap(TimeInterval.init) ?? 0

    @Sendable public static func now() -> Date { Date().addingTimeInterval(offset) }

    /// A value that is not a number of seconds is an error naming the variable, not the wall clock unannounced.
    static func check() throws {
        guard let text = ProcessInfo.processInfo.environment[variable], TimeInterval(text) == nil else { return }
        throw CommandFailure(exitCode: 2, message: "\(variable): a number of seconds to shift the clock by, not \(text.debugDescription)")
    }
}
