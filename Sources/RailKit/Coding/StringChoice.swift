/// A choice among fixed strings (`send` or `receive`, `OUR`, `SHA` or `BEN`) that decodes with an
/// error listing the accepted values — never the Swift type's name, which means nothing to whoever
/// wrote the JSON.
public protocol StringChoice: RawRepresentable, CaseIterable, Decodable where RawValue == String {}

extension StringChoice {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "\"\(text)\" is not one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        self = value
    }
}

extension FixedSide: StringChoice {}
extension ChargeBearer: StringChoice {}
extension PartyKind: StringChoice {}
