import Foundation

/// ISO 8601 timestamps with a mandatory offset (UTC `Z` or `±hh:mm`), as every boundary uses.
public enum Timestamp {
    /// Parses `2026-11-25T17:00:00+08:00`, `2026-11-25T09:00:00Z` or with fractional seconds.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: false)) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Formats in UTC with a `Z`, second precision.
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
    }

    /// Formats in UTC with a `Z` and milliseconds, for instants that are stored and read back.
    public static func formatMilliseconds(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
