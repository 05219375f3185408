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
        guard let structure = Self.structureByCountry[country] else {
            throw fail("iban.country", "\(country) does not issue IBANs in the SWIFT IBAN Registry (US, CN and HK use account numbers with a BIC)")
        }
        let expectedLength = 4 + structure.reduce(0) { $0 + $1.length }
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
        // The account part (BBAN) has the country's structure, group by group.
        var bban = Array(compact.utf8.dropFirst(4))[...]
        for group in structure {
            if let offset = bban.prefix(group.length).firstIndex(where: { !group.characterClass.admits($0) }) {
                throw fail("iban.bban_format",
                    "a \(country) IBAN's account part (BBAN) is \(Self.describe(structure)); character \(offset + 5) ('\(UnicodeScalar(bban[offset]))') must be one of the \(group.characterClass.words)")
            }
            bban = bban.dropFirst(group.length)
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

    /// One group of a BBAN's structure: so many characters of one class.
    struct BBANGroup: Sendable {
        enum CharacterClass: Sendable {
            case digits, letters, lettersOrDigits
            func admits(_ byte: UInt8) -> Bool {
                let digit = (0x30...0x39).contains(byte), letter = (0x41...0x5A).contains(byte)
                switch self {
                case .digits: return digit
                case .letters: return letter
                case .lettersOrDigits: return digit || letter
                }
            }
            var words: String {
                switch self {
                case .digits: "digits"
                case .letters: "letters"
                case .lettersOrDigits: "letters or digits"
                }
            }
        }
        let length: Int
        let characterClass: CharacterClass
    }

    /// ``bbanStructureByCountry`` parsed once ("8!n10!n": 8 digits, then 10 digits).
    static let structureByCountry: [String: [BBANGroup]] = bbanStructureByCountry.mapValues { spec in
        var groups = [BBANGroup](), length = 0
        for byte in spec.utf8 {
            switch byte {
            case 0x30...0x39: length = length * 10 + Int(byte - 0x30)
            case UInt8(ascii: "!"): continue
            default:
                let characterClass: BBANGroup.CharacterClass = byte == UInt8(ascii: "n") ? .digits : byte == UInt8(ascii: "a") ? .letters : .lettersOrDigits
                groups.append(BBANGroup(length: length, characterClass: characterClass))
                length = 0
            }
        }
        return groups
    }

    /// The BBAN's structure in words: "8 digits, 10 digits".
    static func describe(_ structure: [BBANGroup]) -> String {
        structure.map { "\($0.length) \($0.characterClass.words)" }.joined(separator: ", ")
    }
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
