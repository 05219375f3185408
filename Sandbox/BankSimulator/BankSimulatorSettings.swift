import Foundation
import ISO20022
import RailKit
import RailKitSupport

/// How the simulated correspondent bank behaves: who it is, its cut-off and calendars, the
/// currencies it clears, the fees agents deduct, its sanctions list and the accounts its
/// beneficiary banks return. Read from `Sandbox/config/bank-simulator.json`; every number
/// carries its source.
public struct BankSimulatorSettings: Decodable, Sendable {
    public struct Bank: Decodable, Sendable {
        public var name: String
        public var bic: BIC
    }

    /// A currency the bank clears and how long each stage takes (business time in a calendar).
    public struct CurrencyClearing: Decodable, Sendable {
        public var currency: Currency
        /// Interbank settlement (ACSP → ACSC), e.g. on Fedwire for USD or HK RTGS for CNH.
        public var settlement: ConfiguredLatency
        /// Credit to the creditor (ACSC → ACCC) at the beneficiary bank.
        public var credit: ConfiguredLatency
        /// Largest amount accepted (AM02 above it).
        public var maximum: ConfiguredMoney?
        /// What the beneficiary bank deducts under SHA and BEN.
        public var beneficiaryBankFee: ConfiguredMoney?
        public var source: String
    }

    /// A fee an agent on the route deducts under SHA/BEN, by settlement currency.
    public struct AgentFee: Decodable, Sendable {
        public var bic: BIC
        public var fees: [ConfiguredMoney]
        public var source: String
    }

    public struct SanctionedParty: Decodable, Sendable {
        public var name: String
        public var source: String
    }

    /// An account the beneficiary bank cannot credit: the payment comes back with pacs.004.
    public struct ReturnedAccount: Decodable, Sendable {
        public var account: String
        public var reason: String
        /// How long after interbank settlement the beneficiary bank sends it back.
        public var after: ConfiguredLatency
    }

    /// A scheme's rules beyond the schema, checked on receipt (a CIPS participant's, say):
    /// the text it carries, where creditors' banks may be, the documentation it requires.
    public struct MessageRules: Decodable, Sendable {
        /// What names and remittance text may hold (CIPS: Chinese characters as well).
        public var characterSet: MessageCharacterSet
        /// Countries the creditor agent may be in.
        public var creditorCountries: [CountryCode]?
        /// Purpose codes the bank accepts; a message without one of them is refused (RR05).
        public var purposes: [String]?
        /// Purposes whose remittance text must name the invoice (`/INV/<number>`).
        public var invoiceRequiredFor: [String]?
        public var source: String
    }

    public var bank: Bank
    /// The bank's own calendar (for the cut-off and the zone of its messages).
    public var calendar: String
    public var cutOff: LocalTime
    public var cutOffSource: String
    public var currencies: [CurrencyClearing]
    public var agentFees: [AgentFee]
    /// Creditor agents the bank can reach; empty means any well-formed BIC.
    public var reachableBICs: [BIC]
    public var sanctions: [SanctionedParty]
    public var returnedAccounts: [ReturnedAccount]
    /// A scheme's rules beyond CBPR+ parsing; absent for a SWIFT correspondent.
    public var messageRules: MessageRules?
    /// Bearer token clients must present; taken from this environment variable.
    public var tokenEnvironment: String?
    /// Where status messages are pushed (optional), and the environment variable holding the
    /// HMAC secret that signs them.
    public var callbackURL: URL?
    public var callbackSecretEnvironment: String?

    /// - Throws: ``ConfigurationError`` naming the file and the field.
    public static func load(from file: URL) throws -> BankSimulatorSettings {
        try ConfigurationDecoding.decode(BankSimulatorSettings.self, from: Data(contentsOf: file), file: file.path)
    }

    func clearing(for currency: Currency) -> CurrencyClearing? {
        currencies.first { $0.currency == currency }
    }

    func fee(of agent: BIC, in asset: Asset) -> Money? {
        agentFees.first { $0.bic.bic11 == agent.bic11 }?.fees.first { $0.money.asset == asset }?.money
    }
}
