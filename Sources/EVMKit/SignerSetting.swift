import RailKit
import RailKitSupport

/// Where a rail's signing key comes from: `{"keyEnvironment": NAME}` or `{"keyFile": PATH}`.
/// The key itself is never in configuration, logs or errors.
public enum SignerSetting: Decodable, Sendable {
    case environment(String)
    case file(String)

    private enum Keys: String, CodingKey { case keyEnvironment, keyFile }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let name = try container.decodeIfPresent(String.self, forKey: .keyEnvironment) {
            self = .environment(name)
        } else {
            self = .file(try container.decode(String.self, forKey: .keyFile))
        }
    }

    /// The signer, or nil when the key is named by an unset environment variable (the instance
    /// then only quotes: that is a deployment choice, not a broken configuration).
    public func signer(environment: [String: String], field: String) throws(ValidationError) -> LocalKeySigner? {
        do {
            switch self {
            case .environment(let name):
                guard !(environment[name] ?? "").isEmpty else { return nil }
                return try LocalKeySigner.fromEnvironment(name, environment: environment)
            case .file(let path):
                return try LocalKeySigner.fromFile(path)
            }
        } catch {
            throw ValidationError(field: field, value: "(key not shown)", rule: "execution.signer", message: error.description)
        }
    }
}
