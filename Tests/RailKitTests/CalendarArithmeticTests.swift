import Foundation
import RailKitTesting
import Testing
@testable import RailKit
@testable import RailKitSupport

/// The calendar's integer arithmetic against Foundation's `Calendar`, which it replaced on the
/// routing path: the same local dates and wall-clock instants, including across daylight-saving
/// changes, holidays and year ends, in every configured zone and some with unusual rules.
@Suite("Calendar arithmetic without Foundation on the hot path")
struct CalendarArithmeticTests {
    /// Foundation's answers, as `BusinessCalendar` computed them before.
    struct Reference {
        let gregorian: Calendar

        init(_ zone: TimeZone) {
            var gregorian = Calendar(identifier: .gregorian)
            gregorian.timeZone = zone
            self.gregorian = gregorian
        }

        func localDate(of instant: Date) -> LocalDate {
            let parts = gregorian.dateComponents([.year, .month, .day], from: instant)
            return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)
        }

        func instant(on date: LocalDate, at time: LocalTime) -> Date {
            let midnight = gregorian.date(from: DateComponents(year: date.year, month: date.month, day: date.day))!
            if time.hour == 24 { return gregorian.date(byAdding: .day, value: 1, to: midnight)! }
            return gregorian.date(bySettingHour: time.hour, minute: time.minute, second: 0, of: midnight)!
        }
    }

    static let zones = ["America/New_York", "Asia/Hong_Kong", "Asia/Shanghai", "Europe/London", "Australia/Lord_Howe", "America/Sao_Paulo",
                        "Pacific/Chatham", "UTC"]

    static func calendar(_ zone: String) -> BusinessCalendar {
        BusinessCalendar(id: zone, name: zone, timeZone: TimeZone(identifier: zone)!, holidays: [:], opens: LocalTime(hour: 9, minute: 0),
                         closes: LocalTime(hour: 17, minute: 0),
                         coverage: LocalDate(year: 2026, month: 1, day: 1)...LocalDate(year: 2027, month: 12, day: 31), source: "test")
    }

    @Test("property: the local date of 20,000 random instants per zone is Foundation's, DST switches and year ends included", arguments: zones)
    func localDates(zone: String) {
        let calendar = Self.calendar(zone)
        let reference = Reference(TimeZone(identifier: zone)!)
        var random = SeededRandom(seed: 20261129)
        let start = Timestamp.parse("2025-01-01T00:00:00Z")!.timeIntervalSince1970, end = Timestamp.parse("2029-01-01T00:00:00Z")!.timeIntervalSince1970
        var instants = (0..<20_000).map { _ in Date(timeIntervalSince1970: Double.random(in: start..<end, using: &random).rounded(.down)) }
        // Every second around each change of offset, and around each year end.
        var cursor = Date(timeIntervalSince1970: start)
        while let next = TimeZone(identifier: zone)!.nextDaylightSavingTimeTransition(after: cursor), next.timeIntervalSince1970 < end {
            instants += (-3...3).map { next.addingTimeInterval(TimeInterval($0)) }
            cursor = next
        }
        for year in 2025...2028 {
            let midnight = reference.instant(on: LocalDate(year: year, month: 12, day: 31), at: LocalTime(hour: 24, minute: 0))
            instants += (-3...3).map { midnight.addingTimeInterval(TimeInterval($0)) }
        }
        for instant in instants {
            #expect(calendar.localDate(of: instant) == reference.localDate(of: instant), "\(zone) \(instant)")
        }
    }

    @Test("property: the instant of every quarter hour on 600 random days and on each change day is Foundation's; gaps and repeats follow the stated rule",
          arguments: zones)
    func instants(zone: String) {
        let calendar = Self.calendar(zone)
        let timeZone = TimeZone(identifier: zone)!
        let reference = Reference(timeZone)
        var random = SeededRandom(seed: 7)
        var days = (0..<600).map { _ in LocalDate(dayNumber: Int.random(in: LocalDate(year: 2025, month: 1, day: 1).dayNumber...LocalDate(year: 2028, month: 12, day: 31).dayNumber, using: &random)) }
        var cursor = Timestamp.parse("2025-01-01T00:00:00Z")!
        while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next < Timestamp.parse("2029-01-01T00:00:00Z")! {
            days.append(reference.localDate(of: next))
            days.append(reference.localDate(of: next.addingTimeInterval(-86_400)))
            cursor = next
        }
        var gaps = 0
        for day in days {
            for quarter in 0...96 {
                let time = LocalTime(hour: quarter / 4, minute: quarter == 96 ? 0 : (quarter % 4) * 15)
                let ours = calendar.instant(on: day, at: time)
                let shown = reference.gregorian.dateComponents([.year, .month, .day, .hour, .minute], from: ours)
                let wanted = time.hour == 24 ? (day.adding(days: 1), 0, 0) : (day, time.hour, time.minute)
                if LocalDate(year: shown.year!, month: shown.month!, day: shown.day!) == wanted.0, shown.hour == wanted.1, shown.minute == wanted.2 {
                    // A time that exists: Foundation's answer (a repeated one: its first occurrence, as Foundation's default).
                    #expect(ours == reference.instant(on: day, at: time), "\(zone) \(day) \(time)")
                } else {
                    // A time the clocks skip: the instant they jump (Foundation's own answer there varies by zone
                    // and is sometimes on another day; the rule is ours, stated and tested below).
                    gaps += 1
                    #expect(timeZone.secondsFromGMT(for: ours) != timeZone.secondsFromGMT(for: ours.addingTimeInterval(-1)), "\(zone) \(day) \(time)")
                }
            }
        }
        #expect(gaps < days.count)
    }

    @Test("the rule, stated: a repeated time is its first occurrence; a skipped time is the instant the clocks jump")
    func daylightSavingRule() throws {
        let newYork = Self.calendar("America/New_York")
        // 2026-11-01 01:30 happens twice in New York (EDT, then EST): the first is 05:30Z.
        #expect(newYork.instant(on: LocalDate(year: 2026, month: 11, day: 1), at: LocalTime(hour: 1, minute: 30))
            == Timestamp.parse("2026-11-01T05:30:00Z"))
        // 2026-03-08 02:30 never happens (02:00 EST becomes 03:00 EDT): the jump, 07:00Z.
        #expect(newYork.instant(on: LocalDate(year: 2026, month: 3, day: 8), at: LocalTime(hour: 2, minute: 30))
            == Timestamp.parse("2026-03-08T07:00:00Z"))
        // 24:00 is the next midnight.
        #expect(newYork.instant(on: LocalDate(year: 2026, month: 12, day: 31), at: LocalTime(hour: 24, minute: 0))
            == Timestamp.parse("2027-01-01T05:00:00Z"))
    }
}
