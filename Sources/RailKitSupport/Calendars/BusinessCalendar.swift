import RailKit
import Foundation

/// Business days and hours of a market or bank: weekends, public holidays, working weekend
/// days (mainland China's make-up days) and daily opening hours, in one IANA time zone.
///
/// Dates outside ``coverage`` throw rather than guess: holiday lists are published a year at a time.
public struct BusinessCalendar: Sendable {
    public let id: String
    public let name: String
    public let timeZone: TimeZone
    /// ISO weekdays that are not business days (6 = Saturday, 7 = Sunday).
    public let weekend: Set<Int>
    public let holidays: [LocalDate: String]
    /// Weekend dates that are business days.
    public let workingWeekendDays: Set<LocalDate>
    public let opens: LocalTime
    public let closes: LocalTime
    public let coverage: ClosedRange<LocalDate>
    public let source: String
    private let gregorian: Calendar

    public init(id: String, name: String, timeZone: TimeZone, weekend: Set<Int> = [6, 7],
                holidays: [LocalDate: String], workingWeekendDays: Set<LocalDate> = [],
                opens: LocalTime, closes: LocalTime, coverage: ClosedRange<LocalDate>, source: String) {
        precondition(opens < closes, "a calendar opens before it closes")
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.weekend = weekend
        self.holidays = holidays
        self.workingWeekendDays = workingWeekendDays
        self.opens = opens
        self.closes = closes
        self.coverage = coverage
        self.source = source
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = timeZone
        self.gregorian = gregorian
    }

    /// Whether `date` is a business day.
    public func isBusinessDay(_ date: LocalDate) throws(RailError) -> Bool {
        guard coverage.contains(date) else {
            throw .misconfigured("calendar \(id) covers \(coverage.lowerBound) to \(coverage.upperBound), not \(date); extend its holiday list")
        }
        if holidays[date] != nil { return false }
        if workingWeekendDays.contains(date) { return true }
        return !weekend.contains(date.isoWeekday)
    }

    /// The first business day after `date`.
    public func nextBusinessDay(after date: LocalDate) throws(RailError) -> LocalDate {
        var candidate = date.adding(days: 1)
        while try !isBusinessDay(candidate) { candidate = candidate.adding(days: 1) }
        return candidate
    }

    /// The local date of an instant.
    public func localDate(of instant: Date) -> LocalDate {
        let parts = gregorian.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    /// The instant of a local wall-clock time (daylight-saving aware).
    public func instant(on date: LocalDate, at time: LocalTime) -> Date {
        let midnight = gregorian.date(from: DateComponents(year: date.year, month: date.month, day: date.day))!
        if time.hour == 24 { return gregorian.date(byAdding: .day, value: 1, to: midnight)! }
        return gregorian.date(bySettingHour: time.hour, minute: time.minute, second: 0, of: midnight)!
    }

    /// When business time next runs at or after `instant`: the instant itself if the calendar is
    /// open, else the next opening.
    public func nextOpening(atOrAfter instant: Date) throws(RailError) -> Date {
        let date = localDate(of: instant)
        if try isBusinessDay(date) {
            let open = self.instant(on: date, at: opens)
            if instant < open { return open }
            if instant < self.instant(on: date, at: closes) { return instant }
        }
        return self.instant(on: try nextBusinessDay(after: date), at: opens)
    }

    /// When an instruction entered at `instant` starts processing, given a daily `cutOff`:
    /// now if open and before the cut-off, otherwise the next business day's opening.
    public func processingStart(for instant: Date, cutOff: LocalTime) throws(RailError) -> Date {
        let date = localDate(of: instant)
        if try isBusinessDay(date), instant < self.instant(on: date, at: min(cutOff, closes)) {
            return max(instant, self.instant(on: date, at: opens))
        }
        return self.instant(on: try nextBusinessDay(after: date), at: opens)
    }

    /// `instant` plus `seconds` of open business time.
    public func addingBusinessTime(seconds: Int, to instant: Date) throws(RailError) -> Date {
        var cursor = try nextOpening(atOrAfter: instant)
        var remaining = TimeInterval(seconds)
        while true {
            let close = self.instant(on: localDate(of: cursor), at: closes)
            let available = close.timeIntervalSince(cursor)
            if remaining <= available { return cursor.addingTimeInterval(remaining) }
            remaining -= available
            cursor = try nextOpening(atOrAfter: close)
        }
    }

    /// Close of business on the `days`-th business day after the business day `instant` falls in
    /// (0 = the close of that day; an instant after the close counts from the next business day).
    public func closeOfBusiness(businessDaysAfter days: Int, from instant: Date) throws(RailError) -> Date {
        var date = localDate(of: try nextOpening(atOrAfter: instant))
        for _ in 0..<days { date = try nextBusinessDay(after: date) }
        return self.instant(on: date, at: closes)
    }
}
