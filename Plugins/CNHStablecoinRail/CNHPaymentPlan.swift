import EVMKit
import Foundation
import RailKit

/// Every amount of one execution, fixed before anything is booked or sent, and journaled with
/// the submission so status, audit and a restart read the same numbers.
///
/// Rounding (each step exact in its currency's minor units):
/// - fixed-send: the dealer converts the send amount and rounds the CNH bought **down**; the
///   issuer fee is taken from it half-even; the rest moves as tokens (2-decimal CNH in 6-decimal
///   token units, exactly); an off-ramp partner pays that less its fixed fee.
/// - fixed-receive: the partner adds its fee to the invoiced CNH, the CNH to buy is the smallest
///   amount that leaves that after the issuer fee, and the dealer rounds the USD sold **up**:
///   the creditor receives exactly the invoice.
struct CNHPaymentPlan: Sendable, Hashable {
    enum Delivery: String, Sendable, Hashable {
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

    /// The plan as submission details, amounts as decimal strings with their currency.
    var details: [String: String] {
        var details = [
            "fixed": fixed.rawValue, "delivery": delivery.rawValue, "fx.quote_id": fxQuoteID,
            "fx.quote_expires_at": Timestamp.format(fxQuoteExpiresAt), "fx.rate": rate.rate.description,
            "fx.sold": sold.description, "fx.bought": bought.description, "issuer_fee": issuerFee.description,
            "tokens": tokens.description, "recipient": recipient.checksummed, "creditor_receives": creditorReceives.description,
            "network_fee": networkFee.description, "debtor_pays": debtorPays.description,
        ]
        details["offramp.id"] = offRampID
        details["offramp.fee"] = offRampFee?.description
        return details
    }

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

    /// Reads a plan written by ``details``.
    init(details: [String: String], owner: String) throws(RailError) {
        func field(_ name: String) throws(RailError) -> String {
            guard let value = details[name] else { throw .invalidResponse("\(owner) has no \(name)") }
            return value
        }
        func money(_ name: String) throws(RailError) -> Money {
            let parts = try field(name).split(separator: " ")
            guard parts.count == 2, let currency = try? Currency(code: String(parts[1])),
                  let amount = try? Money(parsing: String(parts[0]), asset: .fiat(currency)) else {
                throw .invalidResponse("\(owner) has a malformed \(name)")
            }
            return amount
        }
        guard let fixed = FixedSide(rawValue: try field("fixed")), let delivery = Delivery(rawValue: try field("delivery")),
              let expires = Timestamp.parse(try field("fx.quote_expires_at")),
              let recipient = try? EVMAddress(try field("recipient")) else {
            throw .invalidResponse("\(owner) has a malformed plan")
        }
        let sold = try money("fx.sold"), bought = try money("fx.bought")
        guard let rateValue = try? ExactDecimal(parsing: try field("fx.rate")),
              let rate = try? ExchangeRate(base: sold.currency!, quote: bought.currency!, rate: rateValue) else {
            throw .invalidResponse("\(owner) has a malformed fx.rate")
        }
        do {
            try self.init(fixed: fixed, delivery: delivery, fxQuoteID: try field("fx.quote_id"), fxQuoteExpiresAt: expires, rate: rate,
                          sold: sold, bought: bought, issuerFee: try money("issuer_fee"), tokens: try money("tokens"), recipient: recipient,
                          offRampID: details["offramp.id"], offRampFee: details["offramp.fee"] == nil ? nil : try money("offramp.fee"),
                          creditorReceives: try money("creditor_receives"), networkFee: try money("network_fee"))
        } catch let error as RailError {
            throw error
        } catch {
            throw .invalidResponse("\(owner): \(error)")
        }
    }
}
