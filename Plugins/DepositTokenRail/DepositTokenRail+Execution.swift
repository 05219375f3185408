import EVMKit
import Foundation
import Logging
import RailKit
import RailKitSupport

extension DepositTokenRail {
    /// Signs and sends the ERC-20 transfer of the quoted principal. The transaction hash and
    /// signed bytes are recorded (the checkpoint) before the transaction leaves the process.
    public func execute(_ request: ExecutionRequest, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        guard let chain, chain.submitter != nil else {
            throw RailError.unsupported(operation: "execute", rail: descriptor.id)
        }
        if let recorded = request.resumeFrom {
            // The checkpoint holds the signed transfer: resuming never signs another; status
            // follows it (and resends its bytes if the node never saw them).
            return ExecutionReceipt(submission: recorded, status: try await status(of: recorded, at: request.now))
        }
        return try await submit(request, chain: chain, recorder: recorder)
    }

    private func submit(_ request: ExecutionRequest, chain: DepositTokenChain, recorder: any ExecutionRecorder) async throws -> ExecutionReceipt {
        let quote = request.quote
        let route: Route
        switch self.route(request.intent, admitting: false) {
        case .failure(let decline): throw RailError.declined(decline)
        case .success(let found): route = found
        }
        let amount: Wei
        do {
            try await chain.transfers.verifyChainAndDecimals()
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
        let gas: TransferGas
        switch try await chain.transfers.transferGas(from: route.debtor, to: route.recipient, amount: amount) {
        case .reverts(let reason):
            throw RailError.declined(RailDecline(.transactionReverted, "The transfer would revert: \(reason)."))
        case .gas(let found): gas = found
        }

        let log = request.logger
        do {
            let sent = try await chain.transfers.send(gas) { record, hash in
                try await recorder.record(.prepared(try Self.submission(record, hash: hash)))
                log.info("token transfer checkpoint recorded; sending", metadata: ["tx_hash": .string(hash), "nonce": .stringConvertible(record.nonce)])
            }
            return try await submitted(try Self.submission(sent.record, hash: sent.hash), recorder: recorder, now: request.now, code: "sent", log)
        } catch SubmissionError.outcomeUnknown(let signed, _) {
            // It may be in the node's pool: follow the hash; status resends the journaled bytes if needed.
            return try await submitted(try Self.submission(chain.transfers.record(of: signed, gas: gas), hash: signed.hashHex),
                                       recorder: recorder, now: request.now, code: "send outcome unknown", log)
        } catch SubmissionError.rejected(let signed, let error) {
            let submission = try Self.submission(chain.transfers.record(of: signed, gas: gas), hash: signed.hashHex)
            log.notice("node refused the transfer", metadata: ["tx_hash": .string(signed.hashHex)])
            let status = RailPaymentStatus(reference: submission.reference, state: .rejected, railCode: "rejected by node",
                                           reason: RailDecline(.submissionRejected, "The node refused the transaction: \(error)."),
                                           observedAt: request.now)
            return ExecutionReceipt(submission: submission, status: status)
        } catch SubmissionError.notSent(let error) {
            throw RailError.unavailable("nothing was sent: \(error)")
        }
    }

    /// The rail's submission for a transfer: its hash and checkpoint.
    static func submission(_ record: ERC20TransferRecord, hash: String) throws(RailError) -> RailSubmission {
        RailSubmission(reference: .transactionHash(hash), checkpoint: try RailCheckpoint(DepositTokenCheckpoint(transfer: record)))
    }

    private func submitted(_ submission: RailSubmission, recorder: any ExecutionRecorder, now: Date, code: String,
                           _ log: Logger) async throws -> ExecutionReceipt {
        try await recorder.record(.submitted(submission.reference))
        log.info("token transfer submitted", metadata: ["tx_hash": .string(submission.reference.value), "outcome": .string(code)])
        return ExecutionReceipt(submission: submission,
                                status: RailPaymentStatus(reference: submission.reference, state: .submitted, railCode: code, observedAt: now))
    }

    /// Pending (in the pool) → in flight (included, not yet final) → settled (final under the
    /// finality policy, its `Transfer` log matching the instruction). A reverted transaction is
    /// rejected with its revert reason; one whose nonce another transaction took is rejected as dropped.
    public func status(of submission: RailSubmission, at now: Date) async throws -> RailPaymentStatus {
        guard let chain else { throw RailError.unsupported(operation: "status", rail: descriptor.id) }
        let record = try submission.checkpoint.decode(DepositTokenCheckpoint.self).transfer
        func status(_ state: RailPaymentState, _ code: String, _ reason: RailDecline? = nil) -> RailPaymentStatus {
            RailPaymentStatus(reference: submission.reference, state: state, railCode: code, reason: reason, observedAt: now)
        }
        switch try await chain.transfers.observe(record, hash: submission.reference.value, finality: finalityRule) {
        case .pending: return status(.submitted, "pending")
        case .resent: return status(.submitted, "resent")
        case .unknownToNode: return status(.submitted, "unknown to the node")
        case .dropped(let nonce):
            return status(.rejected, "dropped", RailDecline(.transactionDropped,
                "Nonce \(nonce) of \(record.from) was used by another transaction; this one will never be mined and nothing moved."))
        case .reverted(let block, let reason):
            return status(.rejected, "status 0x0 in block \(block)",
                          RailDecline(.transactionReverted, "The transfer reverted on chain: \(reason). Nothing moved; gas was spent."))
        case .logMismatch(let expected, let found):
            let listed = found.map { "\($0.from)→\($0.to) \($0.amount)" }.joined(separator: ", ")
            return status(.failed, "mined, log mismatch", RailDecline(.reconciliationMismatch,
                "Expected one Transfer \(expected.from)→\(expected.to) of \(expected.amount) base units; found [\(listed)]."))
        case .included(let block, let progress):
            return status(.inFlight, "included in block \(block): \(progress)")
        case .final(_, let rule):
            var settled = status(.settled, "final: \(rule)")
            // What the Transfer log moved (checked against the instruction), in the token's currency.
            settled.credited = token.denomination.flatMap { currency in
                try? Money(minorUnits: Int128(record.amount.amount), asset: .token(token)).rebased(to: .fiat(currency))
            }
            return settled
        }
    }
}
