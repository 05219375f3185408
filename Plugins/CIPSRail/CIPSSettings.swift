import Foundation
import RailKit
import RailKitSupport

/// The JSON settings of one CIPS route (`Config/rails/cips-participant.json`): the sending bank
/// that converts and instructs, the CIPS direct participant that clears, CIPS's hours and
/// calendar, its fees, the FX spread tiers and the documentation mainland banks require.
public struct CIPSSettings: Decodable, Sendable {
    struct Bank: Decodable, Sendable {
        var name: String
        var bic: BIC
    }

    /// When CIPS takes payments: the participant's cut-off on the mainland calendar (working days
    /// and make-up working days; holidays closed).
    struct OperatingHours: Decodable, Sendable {
        var calendar: String
        var cutOff: LocalTime
        var source: String
    }

    struct CorridorSettings: Decodable, Sendable {
        var source: Currency
        var destination: Currency
        var creditorCountries: [CountryCode]
        var minimum: ConfiguredMoney?
        var maximum: ConfiguredMoney?
        var fxSpreadTiers: [SpreadTier]
        var latency: ConfiguredLatencyProfile
    }

    /// A purpose of payment the participant accepts for cross-border RMB, and whether the
    /// payment must name its invoice (trade in goods: the bank checks the trade behind it).
    struct Purpose: Decodable, Sendable {
        var code: String
        var description: String
        var invoiceReferenceRequired: Bool
    }

    struct Documentation: Decodable, Sendable {
        var purposes: [Purpose]
        var source: String
    }

    var displayName: String
    /// The payer's bank: converts, is debtor and instructing agent.
    var sendingBank: Bank
    /// The CIPS direct participant the sending bank instructs (`InstdAgt`).
    var participant: Bank
    var defaultChargeBearer: ChargeBearer
    var senderFee: ConfiguredCharge
    /// CIPS's per-payment processing fee, passed on by the participant.
    var clearingFee: ConfiguredCharge
    var ourChargesFee: ConfiguredCharge
    var beneficiaryFee: ConfiguredCharge
    var operatingHours: OperatingHours
    var corridors: [CorridorSettings]
    var documentation: Documentation
    var quoteValiditySeconds: Int
    var execution: Execution?

    /// The participant's payment API. Absent, or an endpoint naming an unset variable: the rail quotes only.
    struct Execution: Decodable, Sendable {
        /// Base URL; `https` unless the host is loopback (the sandbox).
        var endpoint: SettingValue
        /// The API's bearer token.
        var token: SettingValue?
        /// `INDA` or `INGA`.
        var settlementMethod: String
        var timeoutSeconds: Int?
    }
}
