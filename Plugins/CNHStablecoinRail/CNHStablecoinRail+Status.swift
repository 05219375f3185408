import EVMKit
import FXQuotes
import Foundation
import OffRampAPI
import RailKit
import RailKitSupport

extension CNHStablecoinRail {
    /// Follows the legs from the journaled submission: the token transfer to finality on chain,
    /// then (for an off-ramp) the partner's payout to the bank credit. A failed leg reports where
    /// the money is.
    public func status(of submission: RailSubmission, at now: Date) async throws -> RailPaymentStatus {
        guard let execution else { throw RailError.unsupported(operation: "status", rail: descriptor.id) }
        let checkpoint = try submission.checkpoint.decode(CNHCheckpoint.self)
        let plan = checkpoint.plan
        let legs = CNHLegs(plan: plan, dealID: checkpoint.dealID, symbol: token.symbol, liquidityWallet: checkpoint.liquidityWallet.checksummed)
        let payoutPending: RailPaymentState? = plan.delivery == .offRamp ? .prepared : nil
        func status(_ state: RailPaymentState, _ code: String, _ reason: RailDecline? = nil, _ legs: [PaymentLeg]) -> RailPaymentStatus {
            RailPaymentStatus(reference: submission.reference, state: state, railCode: code, reason: reason, observedAt: now,
                              breakdown: receiptLines(plan), fxRate: plan.rate, notes: [roundingNote(plan)], legs: legs)
        }
        guard let hash = checkpoint.transferHash, let record = checkpoint.transfer else {
            // Recorded before the transfer was signed (a process stopped between the legs): not
            // everything was sent, so the executor resumes from this checkpoint.
            var steps = [legs.fx(state: checkpoint.dealID == nil ? .prepared : .settled), legs.token(state: .prepared, reference: nil)]
            if let payout = legs.offRamp(state: .prepared) { steps.append(payout) }
            return status(.prepared, checkpoint.dealID == nil ? "plan recorded; FX not booked" : "FX booked; token transfer not signed", nil, steps)
        }
        let stuck = "\(plan.tokens) of \(token.symbol) never left the liquidity wallet \(record.from); \(plan.bought) was bought under FX deal \(legs.dealID ?? plan.fxQuoteID)"
        switch try await execution.transfers.observe(record, hash: hash, finality: finalityRule) {
        case .pending, .resent, .unknownToNode:
            return status(.submitted, "token transfer pending", nil, legs.all(token: .submitted, tokenReference: hash, offRamp: payoutPending))
        case .included(_, let progress):
            return status(.inFlight, "token transfer included: \(progress)", nil,
                          legs.all(token: .inFlight, tokenReference: hash, tokenDetail: progress, offRamp: payoutPending))
        case .dropped(let nonce):
            return status(.failed, "token transfer dropped", RailDecline(.legFailedFundsHeld,
                "Nonce \(nonce) was used by another transaction, so the token transfer will never be mined. Funds: \(stuck)."),
                legs.all(token: .failed, tokenReference: hash, tokenLocation: stuck, offRamp: payoutPending))
        case .reverted(let block, let reason):
            return status(.failed, "token transfer reverted in block \(block)", RailDecline(.legFailedFundsHeld,
                "The token transfer reverted (\(reason)). Funds: \(stuck)."),
                legs.all(token: .failed, tokenReference: hash, tokenLocation: stuck, offRamp: payoutPending))
        case .logMismatch(let expected, let found):
            let listed = found.map { "\($0.from)→\($0.to) \($0.amount)" }.joined(separator: ", ")
            return status(.failed, "token transfer log mismatch", RailDecline(.reconciliationMismatch,
                "Expected one Transfer of \(expected.amount) base units to \(expected.to); found [\(listed)]. Reconcile before anything else moves."),
                legs.all(token: .failed, tokenReference: hash, tokenLocation: "see the transaction's logs", offRamp: payoutPending))
        case .final(_, let rule):
            guard plan.delivery == .offRamp, let payoutID = plan.offRampID else {
                var settled = status(.settled, "final: \(rule)", nil, legs.all(token: .settled, tokenReference: hash, tokenDetail: rule, offRamp: nil))
                settled.credited = plan.creditorReceives
                return settled
            }
            return try await payoutStatus(payoutID, hash: hash, plan: plan, legs: legs, execution: execution, status: status)
        }
    }

    /// The off-ramp leg once the tokens are final at the partner's deposit wallet.
    private func payoutStatus(_ id: String, hash: String, plan: CNHPaymentPlan, legs: CNHLegs, execution: CNHExecution,
                              status: (RailPaymentState, String, RailDecline?, [PaymentLeg]) -> RailPaymentStatus) async throws -> RailPaymentStatus {
        guard let partner = execution.offRamp else { throw RailError.misconfigured("no off-ramp partner configured to follow payout \(id)") }
        var payout: OffRampWire.Payout
        do {
            payout = try await partner.payout(id: id)
            if payout.status == .awaitingFunds {
                payout = try await partner.reportFunding(payoutID: id, transactionHash: hash)
            }
        } catch {
            throw RailError.unavailable("off-ramp partner: \(error)")
        }
        let atPartner = "\(plan.tokens) of \(token.symbol) at the off-ramp partner's deposit wallet \(plan.recipient) (payout \(id))"
        switch payout.status {
        case .awaitingFunds, .confirmingFunds:
            return status(.inFlight, "payout \(payout.status.rawValue)", nil,
                          legs.all(token: .settled, tokenReference: hash, offRamp: .submitted, payoutLocation: atPartner))
        case .processing:
            return status(.inFlight, "payout processing", nil,
                          legs.all(token: .settled, tokenReference: hash, offRamp: .inFlight, payoutLocation: atPartner,
                                   payoutDetail: "funded at \(payout.fundedAt ?? "?"); bank payout under way"))
        case .paid:
            guard let paid = try? Money(parsing: payout.payoutAmount, asset: .fiat(.cnh)), paid == plan.creditorReceives else {
                return status(.failed, "payout amount mismatch", RailDecline(.reconciliationMismatch,
                    "The partner paid \(payout.payoutAmount) CNH; the plan says \(plan.creditorReceives)."),
                    legs.all(token: .settled, tokenReference: hash, offRamp: .failed))
            }
            var settled = status(.settled, "paid: bank reference \(payout.bankReference ?? "?")", nil,
                                 legs.all(token: .settled, tokenReference: hash, offRamp: .settled,
                                          payoutDetail: "paid \(payout.paidAt ?? "?"), bank reference \(payout.bankReference ?? "?")"))
            settled.credited = paid
            settled.counterpartReferences = payout.bankReference.map { [RailReference(kind: "bank_reference", value: $0)] } ?? []
            return settled
        case .rejected:
            // Where this payment's tokens are, from its own transfer; the partner's note beside it
            // (its words may be about another transfer, as when an order is funded by the wrong one).
            let location = atPartner + (payout.fundsHeldBy.map { "; the partner says: \($0)" } ?? "")
            return status(.failed, "payout rejected", RailDecline(.legFailedFundsHeld,
                "The off-ramp partner rejected payout \(id) (\(payout.reasonCode ?? "?")): \(payout.reason ?? "no reason"). Funds: \(location)."),
                legs.all(token: .settled, tokenReference: hash, offRamp: .failed, payoutLocation: location))
        }
    }
}
