import Foundation
import RailKit

/// The JSON settings of one correspondent relationship (`Config/rails/correspondent-*.json`).
struct CorrespondentSettings: Decodable, Sendable {
    struct Bank: Decodable, Sendable {
        var name: String
        var bic: BIC
    }

    struct Release: Decodable, Sendable {
        /// The sending bank's calendar for its customer cut-off.
        var calendar: String
        var cutOff: LocalTime
        var source: String
    }

    struct Intermediary: Decodable, Sendable {
        var name: String
        var bic: BIC
        var fee: ConfiguredCharge
    }

    struct CorridorSettings: Decodable, Sendable {
        var source: Currency
        var destination: Currency
        var creditorCountries: [CountryCode]?
        var minimum: ConfiguredMoney?
        var maximum: ConfiguredMoney?
        var intermediaries: [Intermediary]
        var beneficiaryFee: ConfiguredCharge
        var fxSpreadTiers: [SpreadTier]
        var latency: ConfiguredLatencyProfile
    }

    var displayName: String
    var sendingBank: Bank
    var defaultChargeBearer: ChargeBearer
    var senderFee: ConfiguredCharge
    var ourChargesFee: ConfiguredCharge
    var release: Release
    var corridors: [CorridorSettings]
    var quoteValiditySeconds: Int
}
