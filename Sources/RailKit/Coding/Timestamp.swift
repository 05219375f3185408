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

    /// Formats in UTC with a `Z` and milliseconds (`2026-11-20T15:00:00.250Z`), for instants that
    /// are stored and read back. Written out by hand: it runs for every instant of every stored
    /// record, and a format style costs several times more.
    public static func formatMilliseconds(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let ofDay = millis - days * 86_400_000
        // Days since 1970-01-01 to a civil date (proleptic Gregorian; Hinnant's civil-from-days).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(ofDay / 3_600_000, 2) + ":"
            + pad(ofDay / 60_000 % 60, 2) + ":" + pad(ofDay / 1000 % 60, 2) + "." + pad(ofDay % 1000, 3) + "Z"
    }
}
