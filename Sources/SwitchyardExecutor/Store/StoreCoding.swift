import Foundation
import RailKit

/// How every store driver writes what it keeps: records as ``RailCoding`` JSON text, instants in
/// indexed columns as whole milliseconds since 1970 (rounded down).
public enum StoreCoding {
    public static func text(_ value: some Encodable) throws -> String {
        String(decoding: try RailCoding.encoder().encode(value), as: UTF8.self)
    }

    public static func record(_ text: String) throws -> PaymentRecord {
        try RailCoding.decoder().decode(PaymentRecord.self, from: Data(text.utf8))
    }

    public static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    public static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(millis) / 1000) }
}
