import RailKit
import Foundation

/// A delay, either in wall-clock seconds (24/7 rails) or in business time of a calendar.
public enum Latency: Sendable, Hashable {
    case seconds(Int)
    /// Open business hours of the calendar.
    case businessHours(Int, calendar: BusinessCalendar)
    /// Close of business on the N-th business day (0 = the same business day).
    case businessDays(Int, calendar: BusinessCalendar)

    /// The instant this delay after `start` ends.
    public func end(from start: Date) throws(RailError) -> Date {
        switch self {
        case .seconds(let seconds): start.addingTimeInterval(TimeInterval(seconds))
        case .businessHours(let hours, let calendar): try calendar.addingBusinessTime(seconds: hours * 3600, to: start)
        case .businessDays(let days, let calendar): try calendar.closeOfBusiness(businessDaysAfter: days, from: start)
        }
    }

    /// For people and assumptions lists: `120 s`, `4 business hours (HK)`.
    public var summary: String {
        switch self {
        case .seconds(let seconds): "\(seconds) s"
        case .businessHours(let hours, let calendar): "\(hours) business hours (\(calendar.id))"
        case .businessDays(let days, let calendar): "close of business day +\(days) (\(calendar.id))"
        }
    }
}

extension BusinessCalendar: Hashable {
    public static func == (lhs: BusinessCalendar, rhs: BusinessCalendar) -> Bool {
        lhs.id == rhs.id && lhs.timeZone == rhs.timeZone && lhs.holidays == rhs.holidays
            && lhs.workingWeekendDays == rhs.workingWeekendDays && lhs.opens == rhs.opens && lhs.closes == rhs.closes
            && lhs.weekend == rhs.weekend && lhs.coverage == rhs.coverage
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// Earliest, median and 95th-percentile delays, measured from when processing starts.
public struct LatencyProfile: Sendable, Hashable {
    public var earliest: Latency
    public var p50: Latency
    public var p95: Latency

    public init(earliest: Latency, p50: Latency, p95: Latency) {
        self.earliest = earliest
        self.p50 = p50
        self.p95 = p95
    }

    /// The estimate for processing that starts at `start`. Each later percentile is at least
    /// the earlier one, whatever the configuration says.
    public func estimate(from start: Date) throws(RailError) -> SettlementEstimate {
        let earliest = try earliest.end(from: start)
        let p50 = max(earliest, try p50.end(from: start))
        let p95 = max(p50, try p95.end(from: start))
        return SettlementEstimate(earliest: earliest, p50: p50, p95: p95)
    }
}
