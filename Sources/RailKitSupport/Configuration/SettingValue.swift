import RailKit
/// A setting given literally (`"https://…"`) or named by an environment variable
/// (`{"environment": "NAME"}`), for URLs with API keys and secrets kept out of files.
public enum SettingValue: Decodable, Sendable, Hashable {
    case literal(String)
    case environment(String)

    private enum Keys: String, CodingKey { case value, environment }

    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self = .literal(text)
            return
        }
        let container = try decoder.container(keyedBy: Keys.self)
        if let name = try container.decodeIfPresent(String.self, forKey: .environment) {
            self = .environment(name)
        } else {
            self = .literal(try container.decode(String.self, forKey: .value))
        }
    }

    /// The value, or nil when it names an unset environment variable.
    public func resolve(_ environment: [String: String]) -> String? {
        switch self {
        case .literal(let text): text
        case .environment(let name): environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
    }
}
