import EVMKit
import FXQuotes
import Foundation
import RailKit
import RailKitSupport

/// The JSON settings of one offshore-CNH stablecoin instance (`Config/rails/axcnh-conflux.json`).
public struct CNHStablecoinSettings: Decodable, Sendable {
    struct Network: Decodable, Sendable {
        var name: String
        /// The node's JSON-RPC URL; absent (or an unset environment variable) means quotes only.
        var rpcURL: SettingValue?
        var timeoutSeconds: Int?
        var source: String
    }

    struct OnRamp: Decodable, Sendable {
        var provider: String
        var fxSpreadTiers: [SpreadTier]
    }

    struct OffRamp: Decodable, Sendable {
        var partner: String
        var fee: ConfiguredCharge
        var latency: ConfiguredLatencyProfile
        /// Where the partner's bank payouts can land (the creditor's bank and account); Hong Kong when absent.
        var payoutCountries: [CountryCode]?
    }

    struct WalletDelivery: Decodable, Sendable {
        var latency: ConfiguredLatencyProfile
    }

    struct CorridorSettings: Decodable, Sendable {
        var source: Currency
        var destination: Currency
        var minimum: ConfiguredMoney?
        var maximum: ConfiguredMoney?
    }

    struct Finality: Decodable, Sendable {
        /// The profile in force (`pos-finality`, `two-confirmations`, ...).
        var policy: String
        var profiles: [String: FinalityProfile]
    }

    /// An HTTP counterpart: its base URL and bearer token, each literal or from the environment.
    struct Endpoint: Decodable, Sendable {
        var url: SettingValue
        var token: SettingValue?
    }

    /// What execution needs; absent, or any part unset in the environment, means quotes only.
    struct Execution: Decodable, Sendable {
        /// The liquidity wallet that holds the token inventory and sends each payment's tokens.
        var signer: SignerSetting
        var nonceFile: String?
        var gasLimitPercent: Int?
        /// The FX dealer's SEP-38 style RFQ API (firm quote and booking at execution).
        var fx: Endpoint
        /// The off-ramp partner's payout API; without it only wallet deliveries execute.
        var offRamp: Endpoint?
        /// How far the firm price may be worse than the payment's quote before execution stops.
        var maxPriceMoveBasisPoints: ExactDecimal
    }

    var displayName: String
    var token: ConfiguredToken
    var network: Network
    var gas: ConfiguredGas
    var finality: Finality
    var onRamp: OnRamp
    var issuerFee: ConfiguredCharge
    var offRamp: OffRamp
    var walletDelivery: WalletDelivery
    var corridors: [CorridorSettings]
    var quoteValiditySeconds: Int
    var execution: Execution?
}
