import Foundation

/// The JSON form of RailKit's types wherever they cross a boundary (journal, store, wire):
/// sorted keys, instants as ISO 8601 text in UTC to the millisecond, amounts as decimal strings
/// (each type's own Codable).
public enum RailCoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.formatMilliseconds(date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw ValidationError(field: CodingPath.format(decoder.codingPath), value: text, rule: "timestamp.format",
                                      message: "an ISO 8601 timestamp with an offset")
            }
            return date
        }
        return decoder
    }
}
