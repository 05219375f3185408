/// An International Bank Account Number (ISO 13616): country, two check digits (mod 97-10,
/// ISO 7064) and a country-specific BBAN of fixed length.
public struct IBAN: Sendable, Hashable, CustomStringConvertible {
    /// Electronic form: upper case, no spaces.
    public let electronic: String

    /// Parses an IBAN in electronic or print form (groups of four separated by single spaces).
    public init(_ text: String, field: String = "iban") throws(ValidationError) {
        func fail(_ rule: String, _ message: String) -> ValidationError {
            ValidationError(field: field, value: text, rule: rule, message: message)
        }
        let compact = text.replacingSpaces()
        guard compact.count >= 5, compact.allSatisfy({ $0.isASCII && ($0.isNumber || ($0.isLetter && $0.isUppercase)) }) else {
            throw fail("iban.format", "an IBAN is a country code, 2 check digits and upper-case letters or digits")
        }
        let country = String(compact.prefix(2))
        guard let expectedLength = Self.lengthByCountry[country] else {
            throw fail("iban.country", "\(country) does not issue IBANs (US, CN and HK use account numbers with a BIC)")
        }
        guard compact.count == expectedLength else {
            throw fail("iban.length", "a \(country) IBAN has \(expectedLength) characters, got \(compact.count)")
        }
        guard compact.dropFirst(2).prefix(2).allSatisfy(\.isNumber) else {
            throw fail("iban.format", "characters 3-4 of an IBAN are check digits")
        }
        // Mod 97-10 check digits are 02 to 98: 00, 01 and 99 are never issued (ISO 7064).
        guard let checkDigits = Int(compact.dropFirst(2).prefix(2)), (2...98).contains(checkDigits) else {
            throw fail("iban.check_digits", "IBAN check digits are 02 to 98")
        }
        guard Self.mod97(compact.dropFirst(4) + compact.prefix(4)) == 1 else {
            throw fail("iban.checksum", "the check digits do not match (mod 97 check failed)")
        }
        self.electronic = compact
    }

    public var country: CountryCode { try! CountryCode(String(electronic.prefix(2))) }
    /// Print form: groups of four characters separated by spaces.
    public var printed: String {
        stride(from: 0, to: electronic.count, by: 4).map { start in
            let from = electronic.index(electronic.startIndex, offsetBy: start)
            let to = electronic.index(from, offsetBy: min(4, electronic.count - start))
            return String(electronic[from..<to])
        }.joined(separator: " ")
    }
    public var description: String { electronic }

    /// ISO 7064 mod 97-10 over letters expanded to two digits (A=10 … Z=35).
    static func mod97<S: StringProtocol>(_ text: S) -> Int {
        var remainder = 0
        for character in text {
            guard let value = character.isNumber ? character.wholeNumberValue : (character.asciiValue.map { Int($0) - 55 }) else { return -1 }
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97
        }
        return remainder
    }

    /// IBAN length per country, from the SWIFT IBAN Registry (release 99, 2024).
    static let lengthByCountry: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
        "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
        "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
        "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
        "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
        "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
        "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
        "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
        "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
        "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
    ]
}

extension String {
    /// Removes the single spaces of an IBAN's print form.
    fileprivate func replacingSpaces() -> String { filter { $0 != " " } }
}

extension IBAN: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try IBAN(text, field: CodingPath.format(decoder.codingPath))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(electronic)
    }
}
