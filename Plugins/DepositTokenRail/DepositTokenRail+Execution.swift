import EVMKit
import Foundation
import RailKit

extension DepositTokenRail {
    /// Signs and sends the ERC-20 transfer of the quoted principal. The transaction hash is
    /// journaled (with the signed bytes) before the transaction leaves the process. A repeated
    /// payment id returns the first execution.
    public func execute(_ request: ExecutionRequest) async throws -> ExecutionReceipt {
        guard let chain, let submitter = chain.submitter else {
            throw RailError.unsupported(operation: "execute", rail: descriptor.id)
        }
        return try await ledger.once(request.paymentID) {
            try await submit(request, chain: chain, submitter: submitter)
        }
    }

    private func submit(_ request: ExecutionRequest, chain: DepositTokenChain, submitter: TransactionSubmitter) async throws -> ExecutionReceipt {
        let quote = request.quote
        try quote.checkExecutable(on: descriptor.id, at: request.now)
        let route: Route
        switch self.route(request.intent, market: nil) {
        case .failure(let decline): throw RailError.declined(decline)
        case .success(let found): route = found
        }
        let amount: Wei
        do {
            try await chain.verifyChainAndDecimals()
            let onChain = try quote.principal.rebased(to: .token(token))
            amount = Wei(UInt128(onChain.minorUnits))
            // The chain may have changed since the quote: check again, with the real amount.
            let eligibility = try await chain.eligibility(debtor: route.debtor, recipient: route.recipient)
            if let decline = allowlistDecline(route, onChain: eligibility) ?? insufficientFunds(route, balance: eligibility.debtorBalance, needed: onChain) {
                throw RailError.declined(decline)
            }
        } catch let error as EVMClientError {
            throw RailError.unavailable(error.description)
        } catch let error as MoneyError {
            throw RailError.money(error)
        }
        let gas: DepositTokenChain.TransferGas
        switch try await chain.transferGas(from: route.debtor, to: route.recipient, amount: amount) {
        case .reverts(let reason):
            throw RailError.declined(RailDecline(.transactionReverted, "The transfer would revert: \(reason)."))
        case .gas(let found): gas = found
        }

        let journal = request.journal
        do {
            let signed = try await submitter.submit(to: chain.token, data: gas.data, gasLimit: gas.limit, fees: gas.fees) { signed in
                try await journal.record(.prepared(record(signed, amount: amount, route: route, chain: chain).submission(hash: signed.hashHex)))
            }
            return try await submitted(signed, amount: amount, route: route, chain: chain, journal: journal, now: request.now, code: "sent")
        } catch SubmissionError.outcomeUnknown(let signed, _) {
            // It may be in the node's pool: follow the hash; status resends the journaled bytes if needed.
            return try await submitted(signed, amount: amount, route: route, chain: chain, journal: journal, now: request.now,
                                       code: "send outcome unknown")
        } catch SubmissionError.rejected(let signed, let error) {
            let submission = record(signed, amount: amount, route: route, chain: chain).submission(hash: signed.hashHex)
            let status = RailPaymentStatus(reference: submission.reference, state: .rejected, railCode: "rejected by node",
                                           reason: RailDecline(.submissionRejected, "The node refused the transaction: \(error)."),
                                           observedAt: request.now)
            try await journal.record(.statusChanged(status))
            return ExecutionReceipt(submission: submission, status: status)
        } catch SubmissionError.notSent(let error) {
            throw RailError.unavailable("nothing was sent: \(error)")
        }
    }

    private func record(_ signed: SignedTransaction, amount: Wei, route: Route, chain: DepositTokenChain) -> DepositTokenSubmission {
        DepositTokenSubmission(token: chain.token, from: route.debtor, to: route.recipient, amount: amount,
                               nonce: signed.transaction.nonce, rawTransaction: signed.rawHex)
    }

    private func submitted(_ signed: SignedTransaction, amount: Wei, route: Route, chain: DepositTokenChain,
                           journal: any ExecutionJournal, now: Date, code: String) async throws -> ExecutionReceipt {
        let submission = record(signed, amount: amount, route: route, chain: chain).submission(hash: signed.hashHex)
        try await journal.record(.submitted(submission.reference))
        return ExecutionReceipt(submission: submission,
                                status: RailPaymentStatus(reference: submission.reference, state: .submitted, railCode: code, observedAt: now))
    }

    /// Pending (in the pool) → in flight (included, not yet final) → settled (final under the
    /// finality policy, its `Transfer` log matching the instruction). A reverted transaction is
    /// rejected with its revert reason; one whose nonce another transaction took is rejected as dropped.
    public func status(of submission: RailSubmission, at now: Date) async throws -> RailPaymentStatus {
        guard let chain else { throw RailError.unsupported(operation: "status", rail: descriptor.id) }
        let instruction = try DepositTokenSubmission(submission)
        let hash = submission.reference.value
        func status(_ state: RailPaymentState, _ code: String, _ reason: RailDecline? = nil) -> RailPaymentStatus {
            RailPaymentStatus(reference: submission.reference, state: state, railCode: code, reason: reason, observedAt: now)
        }
        do {
            guard let receipt = try await chain.client.transactionReceipt(hash: hash) else {
                if try await chain.client.transaction(hash: hash) != nil { return status(.submitted, "pending") }
                let mined = try await chain.client.transactionCount(of: instruction.from, at: .latest)
                if mined > instruction.nonce {
                    return status(.rejected, "dropped", RailDecline(.transactionDropped,
                        "Nonce \(instruction.nonce) of \(instruction.from) was used by another transaction; this one will never be mined and nothing moved."))
                }
                if let raw = instruction.rawTransaction, let bytes = Hex.decode(raw) {
                    let (signed, _) = try SignedTransaction.decode(raw: bytes)
                    guard signed.hashHex == hash else { throw RailError.invalidResponse("journaled bytes do not hash to \(hash)") }
                    try await chain.client.resendRawTransaction(signed)
                    return status(.submitted, "resent")
                }
                return status(.submitted, "unknown to the node")
            }
            guard receipt.succeeded else {
                let reason = await revertReason(of: instruction, block: receipt.blockNumber, chain: chain)
                return status(.rejected, "status 0x0 in block \(receipt.blockNumber)",
                              RailDecline(.transactionReverted, "The transfer reverted on chain: \(reason). Nothing moved; gas was spent."))
            }
            let transfers = try receipt.logs.compactMap { try ERC20.transferEvent(in: $0) }.filter { $0.token == instruction.token }
            let expected = ERC20.TransferEvent(token: instruction.token, from: instruction.from, to: instruction.to, amount: instruction.amount.amount)
            guard transfers == [expected] else {
                let found = transfers.map { "\($0.from)→\($0.to) \($0.amount)" }.joined(separator: ", ")
                return status(.failed, "mined, log mismatch", RailDecline(.reconciliationMismatch,
                    "Expected one Transfer \(expected.from)→\(expected.to) of \(expected.amount) base units; found [\(found)]."))
            }
            let latest = try await chain.client.blockNumber()
            let confirmations = latest >= receipt.blockNumber ? latest - receipt.blockNumber + 1 : 0
            if finalityProfile.finalizedBlock == true {
                if let finalized = try await chain.client.blockNumber(at: .finalized), finalized >= receipt.blockNumber {
                    return status(.settled, "final: block \(receipt.blockNumber) finalized")
                }
                return status(.inFlight, "included in block \(receipt.blockNumber), awaiting finalization")
            }
            let needed = UInt64(finalityProfile.confirmations ?? 1)
            if confirmations >= needed {
                return status(.settled, "final: \(confirmations) confirmation(s) of \(needed)")
            }
            return status(.inFlight, "included in block \(receipt.blockNumber): \(confirmations) of \(needed) confirmations")
        } catch let error as EVMClientError {
            throw RailError.unavailable(error.description)
        } catch let error as RLPError {
            throw RailError.invalidResponse("journaled transaction does not decode: \(error)")
        } catch let error as ABIError {
            throw RailError.invalidResponse(error.description)
        }
    }

    /// Replays a reverted transfer on the state before its block to recover the reason.
    private func revertReason(of instruction: DepositTokenSubmission, block: UInt64, chain: DepositTokenChain) async -> String {
        let call = CallRequest(from: instruction.from, to: instruction.token,
                               data: ERC20.transferCall(to: instruction.to, amount: instruction.amount.amount))
        do {
            _ = try await chain.client.call(call, at: .number(block > 0 ? block - 1 : 0))
            return "reason not reproducible (the state changed within the block)"
        } catch {
            return error.revertReason?.description ?? "reason unavailable (\(error))"
        }
    }
}
