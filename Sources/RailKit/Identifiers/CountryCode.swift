/// An ISO 3166-1 alpha-2 country code, upper case (`US`, `HK`, `CN`).
public struct CountryCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let code: String

    public init(_ text: String, field: String = "country") throws(ValidationError) {
        // Two ASCII capitals: a look-alike letter from another script is not a country code.
        guard text.unicodeScalars.count == 2, text.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }), Self.isAssigned(text) else {
            let hint = Self.isAssigned(text.uppercased()) ? " (codes are upper case: \(text.uppercased()))" : ""
            throw ValidationError(field: field, value: text, rule: "country.unknown",
                                  message: "not an ISO 3166-1 alpha-2 country code\(hint)")
        }
        self.code = text
    }

    /// Whether `code` is an officially assigned ISO 3166-1 alpha-2 code (or `XK`, Kosovo,
    /// user-assigned but used by SWIFT and the IBAN registry).
    public static func isAssigned(_ code: String) -> Bool { assigned.contains(code) }

    public static let unitedStates = try! CountryCode("US")
    public static let hongKong = try! CountryCode("HK")
    public static let china = try! CountryCode("CN")

    public var description: String { code }
    public static func < (lhs: CountryCode, rhs: CountryCode) -> Bool { lhs.code < rhs.code }

    /// The 249 officially assigned codes (ISO 3166-1:2020 with later newsletters) plus XK.
    static let assigned: Set<String> = Set("""
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR \
        BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ \
        EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW \
        GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY \
        KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV \
        MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
        QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG \
        TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM \
        ZW XK
        """.split(separator: " ").map(String.init))
}

extension CountryCode: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try CountryCode(text, field: CodingPath.format(decoder.codingPath))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
