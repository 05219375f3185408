import Foundation
import RailKit

/// Builds ``DepositTokenRail`` instances from `adapter: "deposit-token"` entries.
public struct DepositTokenRailFactory: RailAdapterFactory {
    public init() {}

    public var adapterType: String { "deposit-token" }

    public func makeAdapter(id: RailID, settings: Data, file: String, context: RailConfigurationContext) throws(ConfigurationError) -> any RailAdapter {
        let decoded = try ConfigurationDecoding.decode(DepositTokenSettings.self, from: settings, file: file)
        do {
            return try DepositTokenRail(id: id, settings: decoded, context: context)
        } catch {
            throw ConfigurationDecoding.describe(error, file: file)
        }
    }
}
