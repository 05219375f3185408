import EVMKit
import Foundation
import RailKit
import RailKitSupport

/// The JSON settings of one deposit-token rail instance (`Config/rails/jpmd-base.json`).
public struct DepositTokenSettings: Decodable, Sendable {
    struct Network: Decodable, Sendable {
        var name: String
        /// The node's JSON-RPC URL. Absent (or an unset environment variable) means quotes come
        /// from configuration only and the rail cannot execute.
        var rpcURL: SettingValue?
        var timeoutSeconds: Int?
        var blockTimeSeconds: Sourced<Int>?
        var source: String
    }

    struct Finality: Decodable, Sendable {
        /// The profile in force (`l2-inclusion`, `l1-finality`, ...).
        var policy: String
        var profiles: [String: FinalityProfile]
    }

    struct Allowlist: Decodable, Sendable {
        var source: String
        /// The allowlist as configured: used when the chain is not read.
        var wallets: [EVMAddress]?
        /// The contract's allowlist query, `isAllowlisted(address)`-shaped (returns bool); read when connected.
        var onChainQuery: String?
    }

    /// Signing and nonce settings; absent means the instance only quotes.
    struct Execution: Decodable, Sendable {
        var signer: SignerSetting
        /// Where issued nonces survive restarts; in memory when absent.
        var nonceFile: String?
        /// Gas limit as a percentage of eth_estimateGas (headroom for state changes before inclusion).
        var gasLimitPercent: Int?
    }

    enum Delivery: String, Decodable, Sendable {
        /// Tokens go to the creditor's own allowlisted wallet.
        case token
        /// Tokens go to a payout bank that converts and credits the creditor's bank account.
        case bankPayout = "bank-payout"
    }

    struct Payout: Decodable, Sendable {
        var partner: String
        /// The payout bank's wallet the tokens go to; none configured: the corridor declines.
        var wallet: EVMAddress?
        var fxSpreadTiers: [SpreadTier]
        var fee: ConfiguredCharge
        var latency: ConfiguredLatencyProfile
    }

    struct CorridorSettings: Decodable, Sendable {
        var source: Currency
        var destination: Currency
        var creditorCountries: [CountryCode]?
        var minimum: ConfiguredMoney?
        var maximum: ConfiguredMoney?
        var delivery: Delivery
        var payout: Payout?
    }

    var displayName: String
    var token: ConfiguredToken
    var network: Network
    /// Gas from configuration, for quotes when the chain is not read.
    var gas: ConfiguredGas
    var finality: Finality
    var allowlist: Allowlist
    var issuerFee: ConfiguredCharge
    var corridors: [CorridorSettings]
    var quoteValiditySeconds: Int
    var execution: Execution?
}
