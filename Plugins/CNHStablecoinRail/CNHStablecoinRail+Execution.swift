import EVMKit
import FXQuotes
import Foundation
import Logging
import OffRampAPI
import RailKit
import RailKitSupport

extension CNHStablecoinRail {
    /// Executes in legs: lock a firm FX quote (and, for an off-ramp, open the partner's payout
    /// order) → journal the plan → book the FX → sign, journal and send the token transfer →
    /// report the funding to the partner. Nothing is booked until every check has passed; after
    /// the booking, a failure leaves an explicit state saying where the money is.
    public func execute(_ request: ExecutionRequest, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        guard let execution else { throw RailError.unsupported(operation: "execute", rail: descriptor.id) }
        if let recorded = request.resumeFrom {
            return try await resume(request, from: recorded, execution: execution, recorder: recorder)
        }
        return try await run(request, execution: execution, recorder: recorder)
    }

    /// Continues a payment from its last checkpoint after a restart: never books the FX again once
    /// a deal is recorded (and the dealer answers a repeated booking of one quote with its first
    /// deal), never signs a second transfer once one is recorded, never opens a second payout order.
    private func resume(_ request: ExecutionRequest, from recorded: RailSubmission, execution: CNHExecution,
                        recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        let checkpoint = try recorded.checkpoint.decode(CNHCheckpoint.self)
        let plan = checkpoint.plan
        request.logger.notice("resuming the CNH legs from the last checkpoint", metadata: [
            "deal": .string(checkpoint.dealID ?? "not booked"), "transfer": .string(checkpoint.transferHash ?? "not signed"),
        ])
        if let hash = checkpoint.transferHash {
            // Everything that moves money was already recorded: status follows it (and resends its bytes if needed).
            let status = RailPaymentStatus(reference: recorded.reference, state: .submitted, railCode: "resumed: token transfer recorded",
                                           observedAt: request.now, breakdown: receiptLines(plan), fxRate: plan.rate, notes: [roundingNote(plan)],
                                           legs: legs(plan).all(token: .submitted, tokenReference: hash, offRamp: plan.delivery == .offRamp ? .prepared : nil))
            return ExecutionReceipt(submission: recorded, status: status)
        }
        let firm = FirmFXQuote(id: plan.fxQuoteID, price: FXPrice(sellAmount: plan.sold, buyAmount: plan.bought, rate: plan.rate, mid: nil,
                                                                  source: "the payment's checkpoint"), expiresAt: plan.fxQuoteExpiresAt)
        return try await continueLegs(reference: recorded.reference, checkpoint: checkpoint, firmQuote: firm, request: request,
                                      execution: execution, recorder: recorder)
    }

    private func run(_ request: ExecutionRequest, execution: CNHExecution, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        let intent = request.intent, quote = request.quote
        let log = request.logger
        // The rail's own rule, checked again whatever the quote said: never to a mainland resident or account.
        if let decline = jurisdictionDecline(intent) { throw RailError.declined(decline) }
        let delivery: Delivery
        switch self.delivery(for: intent, offRampAvailable: execution.offRamp != nil) {
        case .failure(let decline): throw RailError.declined(decline)
        case .success(let found): delivery = found
        }
        do {
            try await execution.transfers.verifyChainAndDecimals()
        } catch let error as EVMClientError {
            throw RailError.unavailable(error.description)
        }

        let (plan, firmQuote) = try await plan(request, delivery: delivery, execution: execution)
        try checkPriceMove(plan, quote: quote, tolerance: execution.maxPriceMoveBasisPoints)
        let balance = try await execution.transfers.balance(of: execution.liquidityWallet)
        let baseUnits = try baseUnits(plan.tokens)
        guard balance.amount >= baseUnits.amount else {
            throw RailError.declined(RailDecline(.insufficientFunds,
                "The liquidity wallet \(execution.liquidityWallet) holds \(balance) base units of \(token.symbol); the payment needs \(baseUnits)."))
        }

        let reference = RailReference(kind: "payment", value: "cnh-" + request.paymentID)
        let checkpoint = CNHCheckpoint(plan: plan, liquidityWallet: execution.liquidityWallet, travelRule: intent.travelRule)
        try await recorder.record(.prepared(RailSubmission(reference: reference, checkpoint: try RailCheckpoint(checkpoint))))
        log.info("CNH plan recorded; booking FX", metadata: ["fx_quote": .string(plan.fxQuoteID), "sold": .string(plan.sold.description),
                                                             "bought": .string(plan.bought.description)])
        return try await continueLegs(reference: reference, checkpoint: checkpoint, firmQuote: firmQuote, request: request,
                                      execution: execution, recorder: recorder)
    }

    /// The legs from the FX booking on, from `checkpoint`: the booking (unless a deal is recorded),
    /// then the token transfer, then the funding report to the partner.
    private func continueLegs(reference: RailReference, checkpoint recorded: CNHCheckpoint, firmQuote: FirmFXQuote, request: ExecutionRequest,
                              execution: CNHExecution, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        let log = request.logger
        let plan = recorded.plan
        var checkpoint = recorded
        let baseUnits = try baseUnits(plan.tokens)

        // Leg 1: the FX conversion. An expired or refused booking moves nothing.
        let deal: FXDeal
        if let dealID = checkpoint.dealID {
            deal = FXDeal(dealID: dealID, quoteID: plan.fxQuoteID, price: firmQuote.price, bookedAt: request.now)
        } else {
            do {
                deal = try await execution.fx.book(firmQuote, at: request.now)
            } catch .unavailable(let detail) {
                // No answer that can be read (lost, too slow, a 5xx): the dealer may hold the deal,
                // so this is not a refusal, and nothing is said to have failed. The payment stays at
                // its recorded plan and resumes from it; booking the same firm quote again returns
                // the first deal if there is one.
                log.warning("FX booking unanswered; the payment resumes and asks again", metadata: ["fx_quote": .string(plan.fxQuoteID)])
                throw RailError.unavailable("the FX dealer did not answer the booking (\(detail)); it is asked again when the payment resumes")
            } catch {
                let decline = Self.decline(for: error)
                log.notice("FX not booked; nothing moved", metadata: ["code": .string(decline.code.rawValue)])
                try await recorder.record(.statusChanged(RailPaymentStatus(
                    reference: reference, state: .rejected, railCode: "fx not booked", reason: decline, observedAt: request.now,
                    legs: [legs(plan).fx(state: .rejected, detail: error.description, location: "nothing moved")])))
                throw RailError.declined(decline)
            }
            checkpoint.dealID = deal.dealID
            // The booking is recorded before the tokens move, so a restart never books it again.
            try await recorder.record(.prepared(RailSubmission(reference: reference, checkpoint: try RailCheckpoint(checkpoint))))
            log.info("FX booked", metadata: ["deal": .string(deal.dealID)])
        }
        let booked = legs(plan, deal: deal)
        let bookedCheckpoint = checkpoint

        // Leg 2: the token transfer, journaled (hash and signed bytes) before it leaves the process.
        let gas: TransferGas
        do {
            switch try await execution.transfers.transferGas(from: execution.liquidityWallet, to: plan.recipient, amount: baseUnits) {
            case .gas(let found): gas = found
            case .reverts(let reason):
                return try await stranded(reference, checkpoint: checkpoint, booked: booked, execution: execution,
                                          now: request.now, why: "the token transfer would revert: \(reason)", log)
            }
        } catch {
            return try await stranded(reference, checkpoint: checkpoint, booked: booked, execution: execution,
                                      now: request.now, why: "the chain could not price the transfer: \(error)", log)
        }
        let withTransfer: @Sendable (ERC20TransferRecord, String) throws(RailError) -> RailSubmission = { record, hash throws(RailError) in
            var signed = bookedCheckpoint
            signed.transfer = record
            signed.transferHash = hash
            return RailSubmission(reference: reference, checkpoint: try RailCheckpoint(signed))
        }
        let submission: RailSubmission
        let hash: String
        do {
            let sent = try await execution.transfers.send(gas) { record, hash in
                try await recorder.record(.prepared(try withTransfer(record, hash)))
                log.info("token transfer checkpoint recorded; sending", metadata: ["tx_hash": .string(hash)])
            }
            submission = try withTransfer(sent.record, sent.hash)
            hash = sent.hash
        } catch SubmissionError.outcomeUnknown(let signed, _) {
            // It may be in the node's pool: status follows the hash and resends the journaled bytes if needed.
            submission = try withTransfer(execution.transfers.record(of: signed, gas: gas), signed.hashHex)
            hash = signed.hashHex
        } catch SubmissionError.rejected(_, let error) {
            return try await stranded(reference, checkpoint: checkpoint, booked: booked, execution: execution,
                                      now: request.now, why: "the node refused the token transfer: \(error)", log)
        } catch SubmissionError.notSent(let error) {
            return try await stranded(reference, checkpoint: checkpoint, booked: booked, execution: execution,
                                      now: request.now, why: "the token transfer was not sent: \(error)", log)
        }
        try await recorder.record(.submitted(reference))

        // Leg 3: tell the partner which transaction funds the payout (status retries if this fails).
        if let payoutID = plan.offRampID, let partner = execution.offRamp {
            do {
                _ = try await partner.reportFunding(payoutID: payoutID, transactionHash: hash)
            } catch {
                log.warning("funding not reported to the partner yet; status reports it again", metadata: ["payout": .string(payoutID)])
            }
        }
        let status = RailPaymentStatus(
            reference: reference, state: .submitted, railCode: "token transfer sent", observedAt: request.now,
            breakdown: receiptLines(plan), fxRate: plan.rate, notes: [roundingNote(plan)],
            legs: booked.all(token: .submitted, tokenReference: hash, offRamp: plan.delivery == .offRamp ? .prepared : nil))
        return ExecutionReceipt(submission: submission, status: status)
    }

    /// Firm FX quote (and partner order) with every amount worked out, before anything is booked.
    private func plan(_ request: ExecutionRequest, delivery: Delivery, execution: CNHExecution) async throws -> (CNHPaymentPlan, FirmFXQuote) {
        let intent = request.intent
        let networkFee = try request.quote.costs.filter { $0.kind == .networkFee }.map(\.amount).sum(in: .fiat(intent.sourceCurrency))
        let issuer = issuerCharge
        func firm(_ amount: FXAmount) async throws -> FirmFXQuote {
            do {
                return try await execution.fx.firmQuote(FXRequest(sell: intent.sourceCurrency, buy: .cnh, amount: amount, now: request.now))
            } catch {
                throw RailError.declined(Self.decline(for: error))
            }
        }
        switch intent.amount.fixed {
        case .receive:
            let invoice = intent.amount.money
            var order: OffRampWire.Payout?
            var tokens = invoice
            if case .offRamp(let account) = delivery {
                let opened = try await openPayout(request, account: account, payout: invoice, funding: nil, execution: execution)
                order = opened
                tokens = try cnh(opened.fundingAmount, field: "fundingAmount")
            }
            let bought = try PaymentPricing.grossUp(tokens, for: [issuer])
            let quote = try await firm(.buy(bought))
            return (try CNHPaymentPlan(
                fixed: .receive, delivery: delivery.kind, fxQuoteID: quote.id, fxQuoteExpiresAt: quote.expiresAt, rate: quote.price.rate,
                sold: quote.price.sellAmount, bought: quote.price.buyAmount, issuerFee: try issuer.amount(on: bought), tokens: tokens,
                recipient: try recipient(delivery, order: order), offRampID: order?.id,
                offRampFee: try order.map { try cnh($0.fee, field: "fee") }, creditorReceives: invoice, networkFee: networkFee), quote)
        case .send:
            let quote = try await firm(.sell(intent.amount.money))
            let bought = quote.price.buyAmount
            let issuerFee = try issuer.amount(on: bought)
            let tokens = try bought.subtracting(issuerFee)
            var order: OffRampWire.Payout?
            var receives = tokens
            if case .offRamp(let account) = delivery {
                let opened = try await openPayout(request, account: account, payout: nil, funding: tokens, fxQuoteID: quote.id, execution: execution)
                order = opened
                receives = try cnh(opened.payoutAmount, field: "payoutAmount")
            }
            return (try CNHPaymentPlan(
                fixed: .send, delivery: delivery.kind, fxQuoteID: quote.id, fxQuoteExpiresAt: quote.expiresAt, rate: quote.price.rate,
                sold: quote.price.sellAmount, bought: bought, issuerFee: issuerFee, tokens: tokens,
                recipient: try recipient(delivery, order: order), offRampID: order?.id,
                offRampFee: try order.map { try cnh($0.fee, field: "fee") }, creditorReceives: receives, networkFee: networkFee), quote)
        }
    }

    /// Opens (or, for a retried payment, finds) the partner's payout order. A refusal moves nothing.
    private func openPayout(_ request: ExecutionRequest, account: OffRampWire.BankAccount, payout: Money?, funding: Money?,
                            fxQuoteID: String? = nil, execution: CNHExecution) async throws -> OffRampWire.Payout {
        // The partner's idempotency key: a retried payment finds its order. A fixed-send order's
        // terms depend on the FX quote, so a retry with a new quote is a new order.
        let reference = "cnh-" + request.paymentID + (fxQuoteID.map { "-" + $0 } ?? "")
        let order = OffRampWire.CreatePayout(
            reference: reference, currency: "CNH", payoutAmount: payout?.decimalValue.description,
            fundingAmount: funding?.decimalValue.description, beneficiary: account, travelRule: request.intent.travelRule,
            chainId: execution.transfers.chainID, token: execution.transfers.token.checksummed,
            fundingWallet: execution.liquidityWallet.checksummed)
        let opened: OffRampWire.Payout
        do throws(OffRampError) {
            opened = try await execution.offRamp!.create(order)
        } catch .refused(_, let problem) {
            // The partner's own codes for the rules Switchyard shares keep their meaning.
            let shared: [ReasonCode] = [.travelRuleDataMissing, .jurisdictionProhibitsStablecoin]
            let code = shared.first { $0.rawValue == problem.code } ?? .payoutRejected
            throw RailError.declined(RailDecline(code, "The off-ramp partner refused the payout (\(problem.code)): \(problem.error). Nothing moved."))
        } catch {
            throw RailError.unavailable("off-ramp partner: \(error)")
        }
        guard (try? EVMAddress(opened.depositAddress)) != nil else {
            throw RailError.invalidResponse("off-ramp partner: depositAddress is not an address")
        }
        return opened
    }

    private func recipient(_ delivery: Delivery, order: OffRampWire.Payout?) throws -> EVMAddress {
        switch delivery {
        case .wallet(let wallet): wallet
        case .offRamp: try EVMAddress(order!.depositAddress, field: "depositAddress")
        }
    }

    /// Refuses a firm price worse than the payment's quote by more than the tolerance: for a fixed
    /// receive the debtor would pay more, for a fixed send the creditor would receive less.
    private func checkPriceMove(_ plan: CNHPaymentPlan, quote: Quote, tolerance: ExactDecimal) throws {
        let factor = try tolerance.divided(by: ExactDecimal(10_000), scale: 8, rounding: .halfEven)
        switch plan.fixed {
        case .receive:
            let limit = try quote.debtorPays.adding(try quote.debtorPays.multiplied(by: factor, rounding: .ceiling))
            if plan.debtorPays > limit {
                throw RailError.declined(RailDecline(.fxPriceMoved,
                    "The firm price needs \(plan.debtorPays), more than the quoted \(quote.debtorPays) plus \(tolerance) bps; quote again."))
            }
        case .send:
            let limit = try quote.creditorReceives.subtracting(try quote.creditorReceives.multiplied(by: factor, rounding: .floor))
            if plan.creditorReceives < limit {
                throw RailError.declined(RailDecline(.fxPriceMoved,
                    "The firm price delivers \(plan.creditorReceives), less than the quoted \(quote.creditorReceives) minus \(tolerance) bps; quote again."))
            }
        }
    }

    /// After the FX booking the tokens could not be sent: the CNH is bought, the tokens are still
    /// in the liquidity wallet. Recorded as failed with that location, never silently dropped.
    private func stranded(_ reference: RailReference, checkpoint: CNHCheckpoint, booked: CNHLegs,
                          execution: CNHExecution, now: Date, why: String, _ log: Logger) async throws -> ExecutionReceipt {
        let plan = checkpoint.plan
        log.error("FX booked but the token transfer did not go", metadata: ["why": .string(why)])
        let location = "\(plan.bought) bought under FX deal \(booked.dealID ?? plan.fxQuoteID); \(plan.tokens) of \(token.symbol) still in the liquidity wallet \(execution.liquidityWallet)"
        let status = RailPaymentStatus(
            reference: reference, state: .failed, railCode: "token transfer not sent",
            reason: RailDecline(.legFailedFundsHeld, "The FX leg completed but \(why). Funds: \(location). Retry the transfer or unwind the FX deal."),
            observedAt: now, breakdown: receiptLines(plan), fxRate: plan.rate, notes: [roundingNote(plan)],
            legs: booked.all(token: .failed, tokenReference: nil, tokenLocation: location, offRamp: plan.delivery == .offRamp ? .prepared : nil))
        return ExecutionReceipt(submission: RailSubmission(reference: reference, checkpoint: try RailCheckpoint(checkpoint)), status: status)
    }

    static func decline(for error: FXError) -> RailDecline {
        switch error {
        case .quoteExpired(let id, let expiredAt):
            RailDecline(.fxQuoteExpired, "FX quote \(id) expired at \(Timestamp.format(expiredAt)) before it was booked; nothing moved. Execute again for a new quote.")
        default:
            RailDecline(.fxUnavailable, "The FX dealer did not convert: \(error). Nothing moved.")
        }
    }

    func baseUnits(_ tokens: Money) throws -> Wei {
        Wei(UInt128(try tokens.rebased(to: .token(token)).minorUnits))
    }

    private func cnh(_ text: String, field: String) throws -> Money {
        do { return try Money(parsing: text, asset: .fiat(.cnh), field: field) } catch {
            throw RailError.invalidResponse("off-ramp partner: \(error)")
        }
    }

    /// Each step's amount for the receipt, in order.
    func receiptLines(_ plan: CNHPaymentPlan) -> [ReceiptLine] {
        var lines = [ReceiptLine("debtor_pays", plan.debtorPays), ReceiptLine("usd_sold", plan.sold), ReceiptLine("network_fee", plan.networkFee),
                     ReceiptLine("cnh_bought", plan.bought), ReceiptLine("issuer_fee", plan.issuerFee), ReceiptLine("tokens_sent", plan.tokens)]
        if let fee = plan.offRampFee { lines.append(ReceiptLine("off_ramp_fee", fee)) }
        lines.append(ReceiptLine("creditor_receives", plan.creditorReceives))
        return lines
    }

    /// How the plan's amounts were rounded.
    func roundingNote(_ plan: CNHPaymentPlan) -> String {
        plan.fixed == .send ? "CNH bought rounded down by the dealer; issuer fee half-even"
            : "USD sold rounded up by the dealer; creditor receives the invoice exactly"
    }
}
