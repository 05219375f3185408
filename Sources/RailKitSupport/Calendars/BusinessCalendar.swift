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
    /// The zone's UTC offsets over the coverage (and a year either side), so local dates and
    /// wall-clock instants are integer arithmetic, not Foundation calendar calls (5–8 µs each,
    /// behind a lock), on the routing path.
    private let offsets: UTCOffsetTable

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
        offsets = UTCOffsetTable(timeZone: timeZone, from: coverage.lowerBound.adding(days: -366), through: coverage.upperBound.adding(days: 366))
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
        let seconds = instant.timeIntervalSince1970
        let local = Int((seconds + Double(offsets.offset(at: seconds))).rounded(.down))
        return LocalDate(dayNumber: local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    }

    /// The instant of a local wall-clock time (daylight-saving aware). `24:00` is the next day's
    /// midnight. A time that occurs twice (clocks going back) is its first occurrence; a time that
    /// does not occur (clocks going forward) is the instant the clocks jump, the next time that exists.
    public func instant(on date: LocalDate, at time: LocalTime) -> Date {
        if time.hour == 24 { return instant(on: date.adding(days: 1), at: LocalTime(hour: 0, minute: 0)) }
        let local = date.dayNumber * 86_400 + time.secondsIntoDay
        return Date(timeIntervalSince1970: TimeInterval(offsets.utc(ofLocal: local)))
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

/// A time zone's UTC offsets between two dates: the offset at the start and each change after it,
/// read once from the zone (Foundation) and then looked up by binary search.
struct UTCOffsetTable: Sendable {
    /// Instants (UTC seconds) from which `offsets[i]` applies; `starts[0]` is the table's start.
    private let starts: [Int]
    private let offsets: [Int]
    private let timeZone: TimeZone
    private let range: ClosedRange<Int>

    init(timeZone: TimeZone, from first: LocalDate, through last: LocalDate) {
        let start = first.dayNumber * 86_400 - 86_400, end = (last.dayNumber + 2) * 86_400
        var starts = [start], offsets = [timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(start)))]
        var cursor = Date(timeIntervalSince1970: TimeInterval(start))
        while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next.timeIntervalSince1970 < TimeInterval(end) {
            starts.append(Int(next.timeIntervalSince1970))
            offsets.append(timeZone.secondsFromGMT(for: next))
            cursor = next
        }
        self.starts = starts
        self.offsets = offsets
        self.timeZone = timeZone
        range = start...end
    }

    /// The offset in force at `instant` (UTC seconds).
    func offset(at instant: TimeInterval) -> Int {
        let second = Int(instant.rounded(.down))
        guard range.contains(second) else { return timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: instant)) }
        var low = 0, high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= second { low = middle } else { high = middle - 1 }
        }
        return offsets[low]
    }

    /// The UTC instant showing local wall-clock seconds `local`: the earliest that does (an
    /// ambiguous time is its first occurrence); in a gap, the instant the clocks jump.
    func utc(ofLocal local: Int) -> Int {
        // Whichever offset is in force near `local` (a day either side) may be the one that shows it;
        // almost always they are one and the same.
        let earlier = offset(at: TimeInterval(local - 86_400)), later = offset(at: TimeInterval(local + 86_400))
        let middle = offset(at: TimeInterval(local))
        let largest = max(earlier, middle, later), smallest = min(earlier, middle, later)
        if largest == smallest, offset(at: TimeInterval(local - largest)) == largest { return local - largest }
        // Larger offset first: it gives the earlier instant, the first occurrence of a repeated time.
        for candidate in [largest, earlier + middle + later - largest - smallest, smallest] where offset(at: TimeInterval(local - candidate)) == candidate {
            return local - candidate
        }
        // In a gap: the first instant after it, where the later offset starts.
        let before = local - largest
        return starts.first { $0 > before && $0 <= local - smallest } ?? (local - smallest)
    }
}
