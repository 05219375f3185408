import EVMKit
import FXQuotes
import Foundation
import RailKit
import RailKitSupport

/// Every amount of one execution, fixed before anything is booked or sent, and journaled in the
/// checkpoint so status, audit and a restart read the same numbers.
///
/// Rounding (each step exact in its currency's minor units):
/// - fixed-send: the dealer converts the send amount and rounds the CNH bought **down**; the
///   issuer fee is taken from it half-even; the rest moves as tokens (2-decimal CNH in 6-decimal
///   token units, exactly); an off-ramp partner pays that less its fixed fee.
/// - fixed-receive: the partner adds its fee to the invoiced CNH, the CNH to buy is the smallest
///   amount that leaves that after the issuer fee, and the dealer rounds the USD sold **up**:
///   the creditor receives exactly the invoice.
struct CNHPaymentPlan: Sendable, Hashable, Codable {
    enum Delivery: String, Sendable, Hashable, Codable {
        case wallet
        case offRamp = "off_ramp"
    }

    var fixed: FixedSide
    var delivery: Delivery
    var fxQuoteID: String
    var fxQuoteExpiresAt: Date
    var rate: ExchangeRate
    /// USD sold to the dealer.
    var sold: Money
    /// CNH bought from the dealer.
    var bought: Money
    var issuerFee: Money
    /// CNH moved on chain as tokens.
    var tokens: Money
    /// The token transfer's recipient: the creditor's wallet or the partner's deposit wallet.
    var recipient: EVMAddress
    var offRampID: String?
    var offRampFee: Money?
    var creditorReceives: Money
    /// The quote's network fee, billed to the debtor on top.
    var networkFee: Money
    var debtorPays: Money

    init(fixed: FixedSide, delivery: Delivery, fxQuoteID: String, fxQuoteExpiresAt: Date, rate: ExchangeRate, sold: Money, bought: Money,
         issuerFee: Money, tokens: Money, recipient: EVMAddress, offRampID: String?, offRampFee: Money?, creditorReceives: Money,
         networkFee: Money) throws(MoneyError) {
        self.fixed = fixed
        self.delivery = delivery
        self.fxQuoteID = fxQuoteID
        self.fxQuoteExpiresAt = fxQuoteExpiresAt
        self.rate = rate
        self.sold = sold
        self.bought = bought
        self.issuerFee = issuerFee
        self.tokens = tokens
        self.recipient = recipient
        self.offRampID = offRampID
        self.offRampFee = offRampFee
        self.creditorReceives = creditorReceives
        self.networkFee = networkFee
        self.debtorPays = try sold.adding(networkFee)
    }
}
