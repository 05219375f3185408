import Foundation
import RailKit

/// Builds ``DepositTokenRail`` instances from `adapter: "deposit-token"` entries.
public struct DepositTokenRailFactory: RailAdapterFactory {
    /// Where `{"environment": NAME}` settings (RPC URL, signing key) are looked up.
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public var adapterType: String { "deposit-token" }

    public func makeAdapter(id: RailID, settings: Data, file: String, context: RailConfigurationContext) throws(ConfigurationError) -> any RailAdapter {
        let decoded = try ConfigurationDecoding.decode(DepositTokenSettings.self, from: settings, file: file)
        do {
            return try DepositTokenRail(id: id, settings: decoded, context: context, environment: environment)
        } catch {
            throw ConfigurationDecoding.describe(error, file: file)
        }
    }
}
