import Foundation
import RailKit

/// Builds ``CorrespondentBankingRail`` instances from `adapter: "correspondent-banking"` entries.
public struct CorrespondentBankingRailFactory: RailAdapterFactory {
    public init() {}

    public var adapterType: String { "correspondent-banking" }

    public func makeAdapter(id: RailID, settings: Data, file: String, context: RailConfigurationContext) throws(ConfigurationError) -> any RailAdapter {
        let decoded = try ConfigurationDecoding.decode(CorrespondentSettings.self, from: settings, file: file)
        do {
            return try CorrespondentBankingRail(id: id, settings: decoded, context: context)
        } catch {
            throw ConfigurationDecoding.describe(error, file: file)
        }
    }
}
