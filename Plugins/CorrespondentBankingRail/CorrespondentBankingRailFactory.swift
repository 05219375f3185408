import Foundation
import RailKit

/// Builds ``CorrespondentBankingRail`` instances from `adapter: "correspondent-banking"` entries.
public struct CorrespondentBankingRailFactory: RailAdapterFactory {
    /// Where `{"environment": NAME}` settings (endpoint, token, callback secret) are looked up.
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public var adapterType: String { "correspondent-banking" }

    public func makeAdapter(id: RailID, settings: Data, file: String, context: RailConfigurationContext) throws(ConfigurationError) -> any RailAdapter {
        let decoded = try ConfigurationDecoding.decode(CorrespondentSettings.self, from: settings, file: file)
        do {
            return try CorrespondentBankingRail(id: id, settings: decoded, context: context, environment: environment)
        } catch {
            throw ConfigurationDecoding.describe(error, file: file)
        }
    }
}
