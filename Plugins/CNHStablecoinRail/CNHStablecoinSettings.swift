import Foundation
import RailKit

/// The JSON settings of one offshore-CNH stablecoin instance (`Config/rails/axcnh-conflux.json`).
struct CNHStablecoinSettings: Decodable, Sendable {
    struct Network: Decodable, Sendable {
        var name: String
        var rpcURL: String
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

    var displayName: String
    var token: ConfiguredToken
    var network: Network
    var gas: ConfiguredGas
    var onRamp: OnRamp
    var issuerFee: ConfiguredCharge
    var offRamp: OffRamp
    var walletDelivery: WalletDelivery
    var corridors: [CorridorSettings]
    var quoteValiditySeconds: Int
}
