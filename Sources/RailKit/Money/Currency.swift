/// A fiat currency: an ISO 4217 alphabetic code with its minor units, plus `CNH`.
///
/// `CNH` is the market code for offshore yuan. It is not in ISO 4217 (which has only `CNY`), but
/// offshore and onshore yuan trade at different rates, so a router must keep them apart.
public struct Currency: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The three ASCII letters of the code, packed big-endian into one integer: a currency is then
    /// a plain value, and copying money (which happens at every step of pricing) retains nothing.
    /// Every supported code is three upper-case letters, so the packed order is the codes' order.
    private let packedCode: UInt32
    /// Digits after the decimal point in the smallest unit (USD 2, JPY 0, KWD 3).
    public let minorUnits: Int

    /// The three-letter code, upper case.
    public var code: String {
        let letters = (UInt8(truncatingIfNeeded: packedCode >> 16), UInt8(truncatingIfNeeded: packedCode >> 8), UInt8(truncatingIfNeeded: packedCode))
        return withUnsafeBytes(of: letters) { String(decoding: $0, as: UTF8.self) }
    }

    /// `code` is one of the supported codes: three ASCII upper-case letters.
    private init(code: String, minorUnits: Int) {
        let bytes = Array(code.utf8)
        precondition(bytes.count == 3, "a supported currency code is three letters")
        packedCode = UInt32(bytes[0]) << 16 | UInt32(bytes[1]) << 8 | UInt32(bytes[2])
        self.minorUnits = minorUnits
    }

    /// Looks a code up in the table of supported currencies.
    public init(code: String, field: String = "currency") throws(ValidationError) {
        guard let minorUnits = Self.minorUnitsByCode[code] else {
            let hint = code.uppercased() != code && Self.minorUnitsByCode[code.uppercased()] != nil
                ? "; codes are upper case (\(code.uppercased()))" : ""
            throw ValidationError(
                field: field, value: code, rule: "currency.unknown",
                message: "not a supported ISO 4217 currency code\(hint)")
        }
        self.init(code: code, minorUnits: minorUnits)
    }

    public static let usd = Currency(code: "USD", minorUnits: 2)
    public static let eur = Currency(code: "EUR", minorUnits: 2)
    public static let hkd = Currency(code: "HKD", minorUnits: 2)
    public static let cny = Currency(code: "CNY", minorUnits: 2)
    public static let cnh = Currency(code: "CNH", minorUnits: 2)
    public static let jpy = Currency(code: "JPY", minorUnits: 0)

    public var description: String { code }
    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.packedCode < rhs.packedCode }

    /// ISO 4217 minor units (list of codes, 2024 amendment) for the currencies Switchyard supports.
    static let minorUnitsByCode: [String: Int] = [
        "AED": 2, "AUD": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0, "CNH": 2, "CNY": 2,
        "CZK": 2, "DKK": 2, "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2,
        "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "KZT": 2, "MXN": 2, "MYR": 2, "NOK": 2,
        "NZD": 2, "OMR": 3, "PHP": 2, "PLN": 2, "QAR": 2, "SAR": 2, "SEK": 2, "SGD": 2, "THB": 2,
        "TND": 3, "TRY": 2, "TWD": 2, "UGX": 0, "USD": 2, "VND": 0, "ZAR": 2,
    ]

}

extension Currency: Codable {
    public init(from decoder: any Decoder) throws {
        let code = try decoder.singleValueContainer().decode(String.self)
        let path = CodingPath.format(decoder.codingPath)
        self = try Currency(code: code, field: path.isEmpty ? "currency" : path)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
