/// A Business Identifier Code (ISO 9362): 4 letters institution, 2 letters country,
/// 2 alphanumerics location, optionally 3 alphanumerics branch.
public struct BIC: Sendable, Hashable, CustomStringConvertible {
    /// The code as given, upper case, 8 or 11 characters.
    public let code: String
    /// The country the institution is in (characters 5-6), read once: rails ask it of the
    /// creditor's bank in every quote.
    public let country: CountryCode

    public init(_ text: String, field: String = "bic") throws(ValidationError) {
        func fail(_ message: String) -> ValidationError {
            ValidationError(field: field, value: text, rule: "bic.format", message: message)
        }
        let characters = Array(text)
        guard characters.count == 8 || characters.count == 11 else {
            throw fail("a BIC has 8 or 11 characters, got \(characters.count)")
        }
        let isUpperLetter: (Character) -> Bool = { $0.isASCII && $0.isUppercase && $0.isLetter }
        let isUpperAlphanumeric: (Character) -> Bool = { $0.isASCII && ($0.isNumber || isUpperLetter($0)) }
        guard characters[0..<4].allSatisfy(isUpperLetter) else {
            throw fail("the first 4 characters (institution) must be upper-case letters")
        }
        guard characters[4..<6].allSatisfy(isUpperLetter) else {
            throw fail("characters 5-6 (country) must be upper-case letters")
        }
        // From a substring (a concrete initializer), not the character array's slice: that
        // generic initializer had its metadata made at run time, at every process's first BIC.
        let countryText = String(text.dropFirst(4).prefix(2))
        guard let country = try? CountryCode(countryText) else {
            throw fail("characters 5-6 (\(countryText)) are not an ISO 3166 country code")
        }
        guard characters[6...].allSatisfy(isUpperAlphanumeric) else {
            throw fail("location and branch must be upper-case letters or digits")
        }
        self.code = text
        self.country = country
    }

    /// The 11-character form (`XXX` for the head office when no branch is given).
    public var bic11: String { code.count == 11 ? code : code + "XXX" }
    /// The 8-character institution + country + location part.
    public var bic8: String { String(code.prefix(8)) }

    public var description: String { code }
}

extension BIC: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try BIC(text, field: CodingPath.format(decoder.codingPath))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
