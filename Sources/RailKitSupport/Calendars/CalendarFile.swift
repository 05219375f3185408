import RailKit
import Foundation

/// The JSON form of a ``BusinessCalendar`` in `Config/calendars/`.
public struct CalendarFile: Decodable, Sendable {
    public struct NamedDate: Decodable, Sendable {
        public var date: LocalDate
        public var name: String
    }

    public struct Coverage: Decodable, Sendable {
        public var from: LocalDate
        public var to: LocalDate
    }

    public var id: String
    public var name: String
    public var timeZone: String
    public var weekend: [String]
    public var opens: LocalTime
    public var closes: LocalTime
    public var coverage: Coverage
    public var source: String
    public var holidays: [NamedDate]
    public var workingWeekendDays: [NamedDate]?

    private static let weekdays = ["monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7]

    /// The calendar, after checking what JSON alone cannot.
    public func makeCalendar() throws(ValidationError) -> BusinessCalendar {
        guard let zone = TimeZone(identifier: timeZone) else {
            throw ValidationError(field: "timeZone", value: timeZone, rule: "calendar.time_zone",
                                  message: "an IANA time zone such as Asia/Hong_Kong")
        }
        var weekendDays = Set<Int>()
        for (index, day) in weekend.enumerated() {
            guard let number = Self.weekdays[day.lowercased()] else {
                throw ValidationError(field: "weekend[\(index)]", value: day, rule: "calendar.weekday", message: "a weekday name such as saturday")
            }
            weekendDays.insert(number)
        }
        guard opens < closes else {
            throw ValidationError(field: "closes", value: closes.description, rule: "calendar.hours", message: "must be after opens (\(opens))")
        }
        guard coverage.from <= coverage.to else {
            throw ValidationError(field: "coverage.to", value: coverage.to.description, rule: "calendar.coverage", message: "must not be before coverage.from")
        }
        var holidayMap = [LocalDate: String]()
        for (index, holiday) in holidays.enumerated() {
            guard (coverage.from...coverage.to).contains(holiday.date) else {
                throw ValidationError(field: "holidays[\(index)].date", value: holiday.date.description, rule: "calendar.outside_coverage",
                                      message: "outside the calendar's coverage \(coverage.from) to \(coverage.to)")
            }
            holidayMap[holiday.date] = holiday.name
        }
        return BusinessCalendar(
            id: id, name: name, timeZone: zone, weekend: weekendDays, holidays: holidayMap,
            workingWeekendDays: Set((workingWeekendDays ?? []).map(\.date)), opens: opens, closes: closes,
            coverage: coverage.from...coverage.to, source: source)
    }
}

extension CalendarFile {
    /// Calendars by id from the `*.json` calendar files in `directory` (the repository's `Config/calendars`).
    public static func loadDirectory(_ directory: URL) throws -> [String: BusinessCalendar] {
        var calendars = [String: BusinessCalendar]()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where file.hasSuffix(".json") {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            let calendar = try JSONDecoder().decode(CalendarFile.self, from: data).makeCalendar()
            calendars[calendar.id] = calendar
        }
        return calendars
    }
}
