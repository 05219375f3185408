import Foundation
import RailKit

/// The JSON settings of one deposit-token rail instance (`Config/rails/jpmd-base.json`).
struct DepositTokenSettings: Decodable, Sendable {
    struct Network: Decodable, Sendable {
        var name: String
        var rpcURL: String
        var source: String
    }

    struct Finality: Decodable, Sendable {
        /// The profile in force (`l2-inclusion`, `l1-finality`, ...).
        var policy: String
        var profiles: [String: ConfiguredLatencyProfile]
    }

    struct Allowlist: Decodable, Sendable {
        var source: String
        var wallets: [EVMAddress]
    }

    enum Delivery: String, Decodable, Sendable {
        /// Tokens go to the creditor's own allowlisted wallet.
        case token
        /// Tokens go to a payout bank that converts and credits the creditor's bank account.
        case bankPayout = "bank-payout"
    }

    struct Payout: Decodable, Sendable {
        var partner: String
        var wallet: EVMAddress
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
    var gas: ConfiguredGas
    var finality: Finality
    var allowlist: Allowlist
    var issuerFee: ConfiguredCharge
    var corridors: [CorridorSettings]
    var quoteValiditySeconds: Int
}
