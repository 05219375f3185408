import Foundation
import RailKit
import RailKitSupport

/// The JSON settings of one correspondent relationship (`Config/rails/correspondent-*.json`).
public struct CorrespondentSettings: Decodable, Sendable {
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
    var execution: Execution?

    /// The correspondent bank's API this relationship sends pacs.008 to. Absent, or an endpoint
    /// naming an unset environment variable, means the rail quotes but does not execute.
    struct Execution: Decodable, Sendable {
        /// Base URL of the bank's API; `https` unless the host is loopback (the sandbox).
        var endpoint: SettingValue
        /// The correspondent (`InstdAgt` of every pacs.008).
        var correspondent: Bank
        /// Environment variable holding the API's bearer token.
        var tokenEnvironment: String?
        /// Environment variable holding the secret that signs the bank's status callbacks.
        var callbackSecretEnvironment: String?
        /// `INDA` or `INGA`.
        var settlementMethod: String
        var timeoutSeconds: Int?
        /// Wrap each pacs.008 in an envelope with a Business Application Header (head.001).
        var businessApplicationHeader: Bool?
    }
}
