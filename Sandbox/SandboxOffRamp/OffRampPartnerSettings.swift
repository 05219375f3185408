import EVMKit
import Foundation
import RailKit
import RailKitSupport

/// How the simulated off-ramp partner behaves (`Sandbox/config/offramp-partner.json`): its fee,
/// how many confirmations it waits for, how long a bank payout takes, who it refuses.
public struct OffRampPartnerSettings: Decodable, Sendable {
    public var partner: String
    /// The wallet that receives funding; tests and the sandbox may replace it at start.
    public var depositWallet: EVMAddress
    public var currency: Currency
    /// Taken from the funding; the beneficiary receives funding − fee.
    public var fee: ConfiguredMoney
    public var feeSource: String
    /// Blocks (including the funding's own) before the partner counts the funds as received.
    public var confirmations: Int
    /// From funded to the bank account credited.
    public var payout: ConfiguredLatency
    public var payoutSource: String
    /// Countries of residence the partner never pays out to (and BIC countries it never pays into).
    public var prohibitedCountries: [CountryCode]
    public var prohibitedSource: String
    /// Payouts at or above this amount need originator and beneficiary data.
    public var travelRuleThreshold: ConfiguredMoney
    public var travelRuleSource: String
    public var maximum: ConfiguredMoney
    /// Bearer token clients must present; read from this environment variable when set.
    public var tokenEnvironment: String?

    /// - Throws: ``ConfigurationError`` naming the file and the field.
    public static func load(from file: URL) throws -> OffRampPartnerSettings {
        try ConfigurationDecoding.decode(OffRampPartnerSettings.self, from: Data(contentsOf: file), file: file.path)
    }
}
