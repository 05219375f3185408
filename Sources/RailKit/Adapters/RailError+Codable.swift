/// Errors cross the wire too (an out-of-process rail answers with them): `{"kind": ..., ...}`.
extension RailError: Codable {
    private enum CodingKeys: String, CodingKey { case kind, detail, operation, rail, money, decline }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .unavailable(let detail):
            try container.encode("unavailable", forKey: .kind)
            try container.encode(detail, forKey: .detail)
        case .invalidResponse(let detail):
            try container.encode("invalid_response", forKey: .kind)
            try container.encode(detail, forKey: .detail)
        case .misconfigured(let detail):
            try container.encode("misconfigured", forKey: .kind)
            try container.encode(detail, forKey: .detail)
        case .unsupported(let operation, let rail):
            try container.encode("unsupported", forKey: .kind)
            try container.encode(operation, forKey: .operation)
            try container.encode(rail, forKey: .rail)
        case .money(let error):
            try container.encode("money", forKey: .kind)
            try container.encode(error, forKey: .money)
        case .declined(let decline):
            try container.encode("declined", forKey: .kind)
            try container.encode(decline, forKey: .decline)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "unavailable": self = .unavailable(try container.decode(String.self, forKey: .detail))
        case "invalid_response": self = .invalidResponse(try container.decode(String.self, forKey: .detail))
        case "misconfigured": self = .misconfigured(try container.decode(String.self, forKey: .detail))
        case "unsupported":
            self = .unsupported(operation: try container.decode(String.self, forKey: .operation), rail: try container.decode(RailID.self, forKey: .rail))
        case "money": self = .money(try container.decode(MoneyError.self, forKey: .money))
        case "declined": self = .declined(try container.decode(RailDecline.self, forKey: .decline))
        case let other:
            throw ValidationError(field: CodingPath.format(decoder.codingPath + [CodingKeys.kind]), value: other, rule: "rail_error.kind",
                                  message: "one of unavailable, invalid_response, misconfigured, unsupported, money, declined")
        }
    }
}

extension MoneyError: Codable {
    private enum CodingKeys: String, CodingKey { case kind, detail }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .assetMismatch(let detail): try container.encode("asset_mismatch", forKey: .kind); try container.encode(detail, forKey: .detail)
        case .overflow(let detail): try container.encode("overflow", forKey: .kind); try container.encode(detail, forKey: .detail)
        case .inexact(let detail): try container.encode("inexact", forKey: .kind); try container.encode(detail, forKey: .detail)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let detail = try container.decode(String.self, forKey: .detail)
        switch try container.decode(String.self, forKey: .kind) {
        case "asset_mismatch": self = .assetMismatch(detail)
        case "overflow": self = .overflow(detail)
        case "inexact": self = .inexact(detail)
        case let other:
            throw ValidationError(field: CodingPath.format(decoder.codingPath + [CodingKeys.kind]), value: other, rule: "money_error.kind",
                                  message: "one of asset_mismatch, overflow, inexact")
        }
    }
}

extension Admission: Codable {
    private enum CodingKeys: String, CodingKey { case admittedCorridorIndex, declined }

    /// `{"admittedCorridorIndex": 0}` or `{"declined": {...}}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .admitted(let index): try container.encode(index, forKey: .admittedCorridorIndex)
        case .declined(let decline): try container.encode(decline, forKey: .declined)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let index = try container.decodeIfPresent(Int.self, forKey: .admittedCorridorIndex) {
            self = .admitted(corridorIndex: index)
        } else {
            self = .declined(try container.decode(RailDecline.self, forKey: .declined))
        }
    }
}
