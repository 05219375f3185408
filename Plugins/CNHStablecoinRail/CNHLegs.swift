import EVMKit
import FXQuotes
import Foundation
import RailKit
import RailKitSupport

/// Builds the three legs of a CNH payment from its plan, each with its reference, amounts and
/// where the money is while the leg is in that state.
struct CNHLegs: Sendable {
    let plan: CNHPaymentPlan
    let dealID: String?
    let symbol: String
    let liquidityWallet: String

    func fx(state: RailPaymentState, detail: String? = nil, location: String? = nil) -> PaymentLeg {
        PaymentLeg(kind: .fxConversion, reference: RailReference(kind: dealID == nil ? "fx_quote" : "fx_deal", value: dealID ?? plan.fxQuoteID),
                   state: state, amountIn: plan.sold, amountOut: plan.bought,
                   fundsLocation: location ?? (state == .settled ? "CNH \(plan.bought.decimalValue) with the FX dealer for the liquidity wallet" : nil),
                   detail: detail ?? "rate \(plan.rate.rate); issuer fee \(plan.issuerFee)")
    }

    func token(state: RailPaymentState, reference: String?, location: String? = nil, detail: String? = nil) -> PaymentLeg {
        let place: String? = location ?? {
            switch state {
            case .settled: return plan.delivery == .wallet ? "creditor wallet \(plan.recipient)" : "off-ramp partner's deposit wallet \(plan.recipient)"
            case .prepared, .submitted, .inFlight: return "liquidity wallet \(liquidityWallet) until the transfer is final"
            default: return nil
            }
        }()
        return PaymentLeg(kind: .tokenTransfer, reference: reference.map(RailReference.transactionHash) ?? RailReference(kind: "tx_hash", value: "not signed"),
                          state: state, amountIn: plan.tokens, amountOut: plan.tokens, fundsLocation: place,
                          detail: detail ?? "\(plan.tokens.decimalValue) \(symbol) to \(plan.recipient)")
    }

    func offRamp(state: RailPaymentState, location: String? = nil, detail: String? = nil) -> PaymentLeg? {
        guard plan.delivery == .offRamp, let id = plan.offRampID else { return nil }
        return PaymentLeg(kind: .offRamp, reference: RailReference(kind: "payout_id", value: id), state: state,
                          amountIn: plan.tokens, amountOut: plan.creditorReceives,
                          fundsLocation: location ?? (state == .settled ? "creditor's Hong Kong bank account" : nil),
                          detail: detail ?? "partner fee \(plan.offRampFee?.description ?? "0")")
    }

    /// FX booked, then the token leg and (for an off-ramp) the payout leg in the given states.
    func all(token state: RailPaymentState, tokenReference: String?, tokenLocation: String? = nil, tokenDetail: String? = nil,
             offRamp payout: RailPaymentState?, payoutLocation: String? = nil, payoutDetail: String? = nil) -> [PaymentLeg] {
        var legs = [fx(state: .settled), token(state: state, reference: tokenReference, location: tokenLocation, detail: tokenDetail)]
        if let payout, let leg = offRamp(state: payout, location: payoutLocation, detail: payoutDetail) { legs.append(leg) }
        return legs
    }
}

extension CNHStablecoinRail {
    func legs(_ plan: CNHPaymentPlan, deal: FXDeal? = nil) -> CNHLegs {
        CNHLegs(plan: plan, dealID: deal?.dealID, symbol: token.symbol, liquidityWallet: execution?.liquidityWallet.checksummed ?? "?")
    }
}
