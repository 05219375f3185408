/// A Legal Entity Identifier (ISO 17442): 18 upper-case alphanumerics and 2 check digits
/// (ISO 7064 mod 97-10, as for IBAN).
public struct LEI: Sendable, Hashable, CustomStringConvertible {
    public let code: String

    public init(_ text: String, field: String = "lei") throws(ValidationError) {
        guard text.count == 20,
              text.allSatisfy({ $0.isASCII && ($0.isNumber || ($0.isLetter && $0.isUppercase)) }) else {
            throw ValidationError(field: field, value: text, rule: "lei.format",
                                  message: "an LEI is 20 upper-case letters or digits")
        }
        guard text.suffix(2).allSatisfy(\.isNumber) else {
            throw ValidationError(field: field, value: text, rule: "lei.format",
                                  message: "the last 2 characters of an LEI are check digits")
        }
        guard IBAN.mod97(text) == 1 else {
            throw ValidationError(field: field, value: text, rule: "lei.checksum",
                                  message: "the check digits do not match (mod 97 check failed)")
        }
        self.code = text
    }

    public var description: String { code }
}

extension LEI: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try LEI(text, field: CodingPath.format(decoder.codingPath))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
