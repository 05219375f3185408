/// A wall-clock time of day (`17:00`), interpreted in a calendar's time zone.
public struct LocalTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int

    public init(hour: Int, minute: Int) {
        precondition((0...24).contains(hour) && (0...59).contains(minute) && (hour < 24 || minute == 0))
        self.hour = hour
        self.minute = minute
    }

    /// Parses `HH:MM` (00:00 to 24:00).
    public init(_ text: String, field: String = "time") throws(ValidationError) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...24).contains(hour), (0...59).contains(minute), hour < 24 || minute == 0 else {
            throw ValidationError(field: field, value: text, rule: "time.format", message: "a time of day as HH:MM (24-hour)")
        }
        self.init(hour: hour, minute: minute)
    }

    public var secondsIntoDay: Int { hour * 3600 + minute * 60 }

    public var description: String {
        (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool { lhs.secondsIntoDay < rhs.secondsIntoDay }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(text, field: CodingPath.format(decoder.codingPath))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
