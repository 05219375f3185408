import RailKit
import Foundation

/// Business days and hours of a market or bank: weekends, public holidays, working weekend
/// days (mainland China's make-up days) and daily opening hours, in one IANA time zone.
///
/// Dates outside ``coverage`` throw rather than guess: holiday lists are published a year at a time.
public struct BusinessCalendar: Sendable {
    /// Everything the calendar holds, behind one reference: a calendar is copied into every
    /// latency of every rail, and a copy is then one retain, not one per field.
    private final class Storage: Sendable {
        let id: String
        let name: String
        let timeZone: TimeZone
        let weekend: Set<Int>
        let holidays: [LocalDate: String]
        let workingWeekendDays: Set<LocalDate>
        let opens: LocalTime
        let closes: LocalTime
        let coverage: ClosedRange<LocalDate>
        let source: String
        /// The zone's UTC offsets over the coverage (and a year either side), so local dates and
        /// wall-clock instants are integer arithmetic, not Foundation calendar calls (5–8 µs each,
        /// behind a lock), on the routing path.
        let offsets: UTCOffsetTable
        /// Day numbers of the coverage, and whether each is a business day (weekends, holidays
        /// and working weekend days applied once, at load).
        let firstDay: Int
        let lastDay: Int
        let businessDays: [Bool]

        init(id: String, name: String, timeZone: TimeZone, weekend: Set<Int>, holidays: [LocalDate: String], workingWeekendDays: Set<LocalDate>,
             opens: LocalTime, closes: LocalTime, coverage: ClosedRange<LocalDate>, source: String) {
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
            firstDay = coverage.lowerBound.dayNumber
            lastDay = coverage.upperBound.dayNumber
            businessDays = (firstDay...lastDay).map { day in
                let date = LocalDate(dayNumber: day)
                if holidays[date] != nil { return false }
                if workingWeekendDays.contains(date) { return true }
                return !weekend.contains(date.isoWeekday)
            }
        }
    }

    private let storage: Storage

    public var id: String { storage.id }
    public var name: String { storage.name }
    public var timeZone: TimeZone { storage.timeZone }
    /// ISO weekdays that are not business days (6 = Saturday, 7 = Sunday).
    public var weekend: Set<Int> { storage.weekend }
    public var holidays: [LocalDate: String] { storage.holidays }
    /// Weekend dates that are business days.
    public var workingWeekendDays: Set<LocalDate> { storage.workingWeekendDays }
    public var opens: LocalTime { storage.opens }
    public var closes: LocalTime { storage.closes }
    public var coverage: ClosedRange<LocalDate> { storage.coverage }
    public var source: String { storage.source }

    public init(id: String, name: String, timeZone: TimeZone, weekend: Set<Int> = [6, 7],
                holidays: [LocalDate: String], workingWeekendDays: Set<LocalDate> = [],
                opens: LocalTime, closes: LocalTime, coverage: ClosedRange<LocalDate>, source: String) {
        precondition(opens < closes, "a calendar opens before it closes")
        storage = Storage(id: id, name: name, timeZone: timeZone, weekend: weekend, holidays: holidays, workingWeekendDays: workingWeekendDays,
                          opens: opens, closes: closes, coverage: coverage, source: source)
    }

    /// Whether `date` is a business day.
    public func isBusinessDay(_ date: LocalDate) throws(RailError) -> Bool {
        try isBusinessDay(day: date.dayNumber)
    }

    /// The first business day after `date`.
    public func nextBusinessDay(after date: LocalDate) throws(RailError) -> LocalDate {
        LocalDate(dayNumber: try nextBusinessDay(after: date.dayNumber))
    }

    /// The local date of an instant.
    public func localDate(of instant: Date) -> LocalDate {
        LocalDate(dayNumber: localDay(of: instant))
    }

    /// The instant of a local wall-clock time (daylight-saving aware). `24:00` is the next day's
    /// midnight. A time that occurs twice (clocks going back) is its first occurrence; a time that
    /// does not occur (clocks going forward) is the instant the clocks jump, the next time that exists.
    public func instant(on date: LocalDate, at time: LocalTime) -> Date {
        instant(onDay: date.dayNumber, at: time)
    }

    /// When business time next runs at or after `instant`: the instant itself if the calendar is
    /// open, else the next opening.
    public func nextOpening(atOrAfter instant: Date) throws(RailError) -> Date {
        let day = localDay(of: instant)
        if try isBusinessDay(day: day) {
            let open = self.instant(onDay: day, at: opens)
            if instant < open { return open }
            if instant < self.instant(onDay: day, at: closes) { return instant }
        }
        return self.instant(onDay: try nextBusinessDay(after: day), at: opens)
    }

    /// When an instruction entered at `instant` starts processing, given a daily `cutOff`:
    /// now if open and before the cut-off, otherwise the next business day's opening.
    public func processingStart(for instant: Date, cutOff: LocalTime) throws(RailError) -> Date {
        let day = localDay(of: instant)
        if try isBusinessDay(day: day), instant < self.instant(onDay: day, at: min(cutOff, closes)) {
            return max(instant, self.instant(onDay: day, at: opens))
        }
        return self.instant(onDay: try nextBusinessDay(after: day), at: opens)
    }

    /// `instant` plus `seconds` of open business time.
    public func addingBusinessTime(seconds: Int, to instant: Date) throws(RailError) -> Date {
        var cursor = try nextOpening(atOrAfter: instant)
        var remaining = TimeInterval(seconds)
        while true {
            let close = self.instant(onDay: localDay(of: cursor), at: closes)
            let available = close.timeIntervalSince(cursor)
            if remaining <= available { return cursor.addingTimeInterval(remaining) }
            remaining -= available
            cursor = try nextOpening(atOrAfter: close)
        }
    }

    /// Close of business on the `days`-th business day after the business day `instant` falls in
    /// (0 = the close of that day; an instant after the close counts from the next business day).
    public func closeOfBusiness(businessDaysAfter days: Int, from instant: Date) throws(RailError) -> Date {
        var day = localDay(of: try nextOpening(atOrAfter: instant))
        for _ in 0..<days { day = try nextBusinessDay(after: day) }
        return self.instant(onDay: day, at: closes)
    }

    // Day numbers (days since 1970-01-01) inside: a `LocalDate` is year, month and day, and
    // converting one costs more than the lookups themselves.

    private func isBusinessDay(day: Int) throws(RailError) -> Bool {
        guard day >= storage.firstDay, day <= storage.lastDay else {
            let date = LocalDate(dayNumber: day)
            throw .declined(RailDecline(.calendarNotCovered,
                "Calendar \(id) (\(name)) has no holiday list for \(date.year): it covers \(coverage.lowerBound) to \(coverage.upperBound), and this payment reaches \(date). Add \(date.year)'s holidays to the calendar's file."))
        }
        return storage.businessDays[day - storage.firstDay]
    }

    private func nextBusinessDay(after day: Int) throws(RailError) -> Int {
        var candidate = day + 1
        while try !isBusinessDay(day: candidate) { candidate += 1 }
        return candidate
    }

    private func localDay(of instant: Date) -> Int {
        let seconds = instant.timeIntervalSince1970
        let local = Int((seconds + Double(storage.offsets.offset(at: seconds))).rounded(.down))
        return local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    }

    private func instant(onDay day: Int, at time: LocalTime) -> Date {
        if time.hour == 24 { return instant(onDay: day + 1, at: LocalTime(hour: 0, minute: 0)) }
        let local = day * 86_400 + time.secondsIntoDay
        return Date(timeIntervalSince1970: TimeInterval(storage.offsets.utc(ofLocal: local)))
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
        // A zone without changes in the table's years (Hong Kong, Shanghai): one offset, no gaps or repeats.
        if offsets.count == 1, range.contains(local - offsets[0]) { return local - offsets[0] }
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
