import Foundation
import Testing
@testable import RailKit
@testable import RailKitSupport

/// Calendars from the repository's Config/calendars, as the rails use them.
enum RepositoryCalendars {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/calendars")

    static func load(_ id: String) throws -> BusinessCalendar {
        let data = try Data(contentsOf: directory.appendingPathComponent("\(id).json"))
        return try JSONDecoder().decode(CalendarFile.self, from: data).makeCalendar()
    }
}

func instant(_ text: String) -> Date { Timestamp.parse(text)! }

@Suite("Business calendars")
struct CalendarTests {
    @Test("property: day numbers and weekdays round-trip")
    func localDates() throws {
        #expect(LocalDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(try LocalDate("2026-11-20").isoWeekday == 5)  // a Friday
        #expect(try LocalDate("2027-02-28").adding(days: 1) == LocalDate("2027-03-01"))
        #expect(try LocalDate("2028-02-28").adding(days: 1) == LocalDate("2028-02-29"))
        for day in -50_000...50_000 where day % 7 == 0 {
            #expect(LocalDate(dayNumber: LocalDate(dayNumber: day).dayNumber).dayNumber == day)
        }
        #expect(throws: ValidationError.self) { try LocalDate("2026-02-30") }
        #expect(throws: ValidationError.self) { try LocalDate("2026-2-3") }
    }

    @Test("holidays, weekends and mainland make-up days")
    func businessDays() throws {
        let us = try RepositoryCalendars.load("US")
        let hk = try RepositoryCalendars.load("HK")
        let cn = try RepositoryCalendars.load("CN")
        #expect(try !us.isBusinessDay(LocalDate("2026-11-26")))  // Thanksgiving
        #expect(try us.isBusinessDay(LocalDate("2026-07-03")))   // Fed open the Friday before a Saturday holiday
        #expect(try !us.isBusinessDay(LocalDate("2027-07-05")))  // Sunday holiday observed Monday
        #expect(try !hk.isBusinessDay(LocalDate("2026-10-01")))  // National Day
        #expect(try !hk.isBusinessDay(LocalDate("2026-02-17")))  // Lunar New Year
        // General holidays the statutory list lacks: banks close on Good Friday and the days after Easter Monday and Ching Ming.
        #expect(try !hk.isBusinessDay(LocalDate("2026-04-03")))  // Good Friday
        #expect(try !hk.isBusinessDay(LocalDate("2027-03-26")))  // Good Friday
        #expect(try !hk.isBusinessDay(LocalDate("2026-04-07")))  // the day following Easter Monday
        #expect(try hk.isBusinessDay(LocalDate("2026-04-08")))
        #expect(try !cn.isBusinessDay(LocalDate("2026-10-07")))  // Golden Week
        #expect(try cn.isBusinessDay(LocalDate("2026-10-10")))   // a Saturday worked in exchange
        #expect(try !cn.isBusinessDay(LocalDate("2026-10-11")))  // an ordinary Sunday
        #expect(throws: RailError.self) { try us.isBusinessDay(LocalDate("2028-01-03")) }  // beyond coverage
    }

    @Test("Friday after the cut-off starts Monday; before it, now")
    func cutOff() throws {
        let us = try RepositoryCalendars.load("US")
        let cutOff = try LocalTime("17:00")
        // Friday 2026-11-20 at 17:30 ET (22:30Z) → Monday 09:00 ET (14:00Z).
        #expect(try us.processingStart(for: instant("2026-11-20T22:30:00Z"), cutOff: cutOff) == instant("2026-11-23T14:00:00Z"))
        // Friday at 16:00 ET → now.
        #expect(try us.processingStart(for: instant("2026-11-20T21:00:00Z"), cutOff: cutOff) == instant("2026-11-20T21:00:00Z"))
        // Wednesday before Thanksgiving after cut-off → Friday.
        #expect(try us.processingStart(for: instant("2026-11-25T23:00:00Z"), cutOff: cutOff) == instant("2026-11-27T14:00:00Z"))
        // Before opening on a business day → opening.
        #expect(try us.processingStart(for: instant("2026-11-20T12:00:00Z"), cutOff: cutOff) == instant("2026-11-20T14:00:00Z"))
    }

    @Test("cut-offs follow daylight saving time")
    func dst() throws {
        let us = try RepositoryCalendars.load("US")
        // 17:00 New York is 21:00Z in EDT (Fri 2026-10-30) and 22:00Z in EST (Mon 2026-11-02).
        #expect(us.instant(on: try LocalDate("2026-10-30"), at: try LocalTime("17:00")) == instant("2026-10-30T21:00:00Z"))
        #expect(us.instant(on: try LocalDate("2026-11-02"), at: try LocalTime("17:00")) == instant("2026-11-02T22:00:00Z"))
        // 21:30Z on Friday 30 Oct is after the EDT cut-off; the same clock time on Monday 2 Nov is before the EST one.
        let cutOff = try LocalTime("17:00")
        #expect(try us.processingStart(for: instant("2026-10-30T21:30:00Z"), cutOff: cutOff) == instant("2026-11-02T14:00:00Z"))
        #expect(try us.processingStart(for: instant("2026-11-02T21:30:00Z"), cutOff: cutOff) == instant("2026-11-02T21:30:00Z"))
        // Spring forward: 2027-03-14. Friday 12 March 17:00 ET is 22:00Z; Monday 15 March 17:00 ET is 21:00Z.
        #expect(us.instant(on: try LocalDate("2027-03-15"), at: cutOff) == instant("2027-03-15T21:00:00Z"))
    }

    @Test("business time skips nights, weekends and holidays")
    func businessTime() throws {
        let hk = try RepositoryCalendars.load("HK")
        // HK opens 09:00-17:00 (01:00Z-09:00Z). Friday 2026-09-25 16:00 HKT + 3 business hours → Tuesday 29th 11:00 HKT?
        // Saturday 26th is a holiday anyway; Monday 28th is a business day: 1 h Friday + 2 h Monday → Monday 11:00 HKT.
        #expect(try hk.addingBusinessTime(seconds: 3 * 3600, to: instant("2026-09-25T08:00:00Z")) == instant("2026-09-28T03:00:00Z"))
        // Wednesday 2026-09-30 + close of business one business day later skips National Day (Thu 1 Oct) → Friday 2 Oct 17:00.
        #expect(try hk.closeOfBusiness(businessDaysAfter: 1, from: instant("2026-09-30T02:00:00Z")) == instant("2026-10-02T09:00:00Z"))
        // After the close counts from the next business day.
        #expect(try hk.closeOfBusiness(businessDaysAfter: 0, from: instant("2026-09-30T10:00:00Z")) == instant("2026-10-02T09:00:00Z"))
    }
}
