import Foundation
import RailKit

/// Builds ``CNHStablecoinRail`` instances from `adapter: "cnh-stablecoin"` entries.
public struct CNHStablecoinRailFactory: RailAdapterFactory {
    public init() {}

    public var adapterType: String { "cnh-stablecoin" }

    public func makeAdapter(id: RailID, settings: Data, file: String, context: RailConfigurationContext) throws(ConfigurationError) -> any RailAdapter {
        let decoded = try ConfigurationDecoding.decode(CNHStablecoinSettings.self, from: settings, file: file)
        do {
            return try CNHStablecoinRail(id: id, settings: decoded, context: context)
        } catch {
            throw ConfigurationDecoding.describe(error, file: file)
        }
    }
}
