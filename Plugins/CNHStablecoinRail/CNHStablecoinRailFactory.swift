import Foundation
import RailKit

/// Builds ``CNHStablecoinRail`` instances from `adapter: "cnh-stablecoin"` entries.
public struct CNHStablecoinRailFactory: RailAdapterFactory {
    /// Where `{"environment": NAME}` settings (node, key, FX dealer, off-ramp partner) are looked up.
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public var adapterType: String { "cnh-stablecoin" }

    public func makeAdapter(id: RailID, settings: Data, file: String, context: RailConfigurationContext) throws(ConfigurationError) -> any RailAdapter {
        let decoded = try ConfigurationDecoding.decode(CNHStablecoinSettings.self, from: settings, file: file)
        do {
            return try CNHStablecoinRail(id: id, settings: decoded, context: context, environment: environment)
        } catch {
            throw ConfigurationDecoding.describe(error, file: file)
        }
    }
}
