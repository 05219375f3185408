import Foundation
import RailKit
import RailKitSupport

/// The JSON of an off-ramp partner's payout API: the partner takes stablecoin tokens at its
/// deposit wallet and pays the same currency out to a bank account.
///
/// - `POST /v1/payouts` creates an order (idempotent by `reference`) and answers with the deposit
///   wallet and the exact funding amount; the partner's fee comes off the funding.
/// - `POST /v1/payouts/{id}/funding` reports the funding transaction; the partner checks it on chain.
/// - `GET /v1/payouts/{id}` answers the order's status.
///
/// Amounts are decimal strings in the payout currency (the token is 1:1 with it).
public enum OffRampWire {
    /// The beneficiary's bank account.
    public struct BankAccount: Codable, Sendable, Hashable {
        public var name: String
        public var accountNumber: String
        public var bic: String
        /// ISO 3166 country of the account holder's residence.
        public var country: String

        public init(name: String, accountNumber: String, bic: String, country: String) {
            self.name = name
            self.accountNumber = accountNumber
            self.bic = bic
            self.country = country
        }
    }

    /// A new payout: either the amount to pay out (the partner adds its fee to the funding) or
    /// the amount the sender will fund (the partner pays it out less its fee).
    public struct CreatePayout: Codable, Sendable, Hashable {
        /// The sender's idempotency key: the same reference returns the same order.
        public var reference: String
        public var currency: String
        public var payoutAmount: String?
        public var fundingAmount: String?
        public var beneficiary: BankAccount
        /// Originator and beneficiary data (IVMS 101 shaped) for transfers above the travel-rule threshold.
        public var travelRule: TravelRuleData?
        public var chainId: UInt64
        public var token: String
        /// The sender's wallet the tokens will come from. The partner credits the order only with a
        /// transfer from it, so nobody else can claim a transfer the sender made for this order.
        public var fundingWallet: String?

        public init(reference: String, currency: String, payoutAmount: String?, fundingAmount: String?, beneficiary: BankAccount,
                    travelRule: TravelRuleData?, chainId: UInt64, token: String, fundingWallet: String?) {
            self.reference = reference
            self.currency = currency
            self.payoutAmount = payoutAmount
            self.fundingAmount = fundingAmount
            self.beneficiary = beneficiary
            self.travelRule = travelRule
            self.chainId = chainId
            self.token = token
            self.fundingWallet = fundingWallet
        }
    }

    /// Where an order stands.
    public enum Status: String, Codable, Sendable, Hashable {
        /// Created; waiting for tokens at the deposit wallet.
        case awaitingFunds = "awaiting_funds"
        /// Funding reported; the transaction is not yet mined or confirmed.
        case confirmingFunds = "confirming_funds"
        /// Funded; the bank payout is under way.
        case processing
        /// The bank account was credited.
        case paid
        /// Refused; `fundsHeldBy` says whether tokens are held by the partner.
        case rejected
    }

    public struct Payout: Codable, Sendable, Hashable {
        public var id: String
        public var reference: String
        public var status: Status
        public var currency: String
        public var depositAddress: String
        public var chainId: UInt64
        public var token: String
        public var fundingAmount: String
        public var fee: String
        public var payoutAmount: String
        public var fundingTransaction: String?
        public var fundedAt: String?
        public var paidAt: String?
        /// The bank's reference for the credit, once paid.
        public var bankReference: String?
        public var reasonCode: String?
        public var reason: String?
        /// For a rejection after funding: where the tokens are.
        public var fundsHeldBy: String?

        public init(id: String, reference: String, status: Status, currency: String, depositAddress: String, chainId: UInt64,
                    token: String, fundingAmount: String, fee: String, payoutAmount: String) {
            self.id = id
            self.reference = reference
            self.status = status
            self.currency = currency
            self.depositAddress = depositAddress
            self.chainId = chainId
            self.token = token
            self.fundingAmount = fundingAmount
            self.fee = fee
            self.payoutAmount = payoutAmount
        }
    }

    public struct Funding: Codable, Sendable, Hashable {
        public var transactionHash: String
        public init(transactionHash: String) { self.transactionHash = transactionHash }
    }

    /// A refusal: a machine-readable code and a sentence naming the field and the rule.
    public struct Problem: Codable, Sendable, Hashable, Error {
        public var code: String
        public var error: String
        public init(code: String, error: String) {
            self.code = code
            self.error = error
        }
    }
}
