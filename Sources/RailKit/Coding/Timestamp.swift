import Foundation

/// ISO 8601 timestamps with a mandatory offset (UTC `Z` or `±hh:mm`), as every boundary uses.
public enum Timestamp {
    /// Parses `2026-11-25T17:00:00+08:00`, `2026-11-25T09:00:00Z` or with fractional seconds.
    ///
    /// Strict RFC 3339: the whole string is `YYYY-MM-DDTHH:MM:SS`, an optional fraction of up to
    /// nine digits, and `Z` or a `±HH:MM` offset — nothing before or after it, every field in its
    /// range (`2026-02-30`, `24:00:00`, `…Z+08:00` and a missing offset are refused, where a
    /// lenient parser would guess).
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + count)] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2), expect("Tt"),
              let hour = digits(2), expect(":"), let minute = digits(2), expect(":"), let second = digits(2) else { return nil }
        guard (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        // The fraction as whole nanoseconds, so `.250` is exactly a quarter second.
        var nanoseconds = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]), index - start < 9 {
                nanoseconds = nanoseconds * 10 + Int(bytes[index] - 0x30)
                index += 1
            }
            guard index > start else { return nil }
            for _ in (index - start)..<9 { nanoseconds *= 10 }
        }
        var offset = 0
        if expect("Zz") {
            offset = 0
        } else {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return nil }
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = digits(2), expect(":"), let minutes = digits(2), hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard index == bytes.count else { return nil }
        let days = CivilDate.dayNumber(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(nanoseconds) / 1e9)
    }



    /// Formats in UTC with a `Z`, second precision (the second truncated, as Foundation's ISO 8601
    /// style writes it). Written out by hand: quotes and explanations format several instants per
    /// rail, and the format style cost more than the rest of a quote's text.
    public static func format(_ date: Date) -> String {
        // From the seconds since 2001 that a `Date` keeps, as Foundation does: since 1970 they may
        // round up to the next second. Only 1601–9999 (proleptic Gregorian in both, as the property
        // test checks); anything else, non-finite included, is Foundation's to write.
        let sinceReference = date.timeIntervalSinceReferenceDate
        guard sinceReference >= -12_622_780_800, sinceReference < 252_423_993_600 else {
            return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
        }
        let seconds = Int64(sinceReference.rounded(.down)) + 978_307_200
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let ofDay = Int(seconds - days * 86_400)
        let (year, month, day) = CivilDate.date(dayNumber: Int(days))
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { text in
            func put(_ value: Int, at index: Int, width: Int) {
                var value = value
                for offset in stride(from: width - 1, through: 0, by: -1) {
                    text[index + offset] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, at: 0, width: 4)
            text[4] = UInt8(ascii: "-")
            put(month, at: 5, width: 2)
            text[7] = UInt8(ascii: "-")
            put(day, at: 8, width: 2)
            text[10] = UInt8(ascii: "T")
            put(ofDay / 3600, at: 11, width: 2)
            text[13] = UInt8(ascii: ":")
            put(ofDay / 60 % 60, at: 14, width: 2)
            text[16] = UInt8(ascii: ":")
            put(ofDay % 60, at: 17, width: 2)
            text[19] = UInt8(ascii: "Z")
            return String(decoding: UnsafeBufferPointer(text), as: UTF8.self)
        }
    }

    /// Formats in UTC with a `Z` and milliseconds (`2026-11-20T15:00:00.250Z`), for instants that
    /// are stored and read back. Written out by hand: it runs for every instant of every stored
    /// record, and a format style costs several times more.
    public static func formatMilliseconds(_ date: Date) -> String {
        // Truncated to the millisecond, as the standard formatter writes it — except that an instant
        // within floating-point noise of a whole millisecond is that millisecond: an instant read back
        // from this text is a rounding error either side of it, and must write the same text again.
        // (A `Date` keeps seconds since 2001, so its noise is that value's, seen from 1970.)
        let scaled = date.timeIntervalSince1970 * 1000
        let nearest = scaled.rounded()
        let noise = max(scaled.ulp, date.timeIntervalSinceReferenceDate.ulp * 1000) * 4
        let millis = Int64(abs(scaled - nearest) <= noise ? nearest : scaled.rounded(.down))
        let days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let ofDay = millis - days * 86_400_000
        let (year, month, day) = CivilDate.date(dayNumber: Int(days))
        func pad(_ value: some BinaryInteger, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(ofDay / 3_600_000, 2) + ":"
            + pad(ofDay / 60_000 % 60, 2) + ":" + pad(ofDay / 1000 % 60, 2) + "." + pad(ofDay % 1000, 3) + "Z"
    }
}
