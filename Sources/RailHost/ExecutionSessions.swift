import Foundation
import RailKit
import RemoteRailProtocol

/// Executions in progress at the host, one per payment: each adapter runs in the host's task
/// group and is held *inside* its `record(.prepared(…))` call — before anything of that checkpoint
/// leaves — until the router's next step says it committed that checkpoint (`resumeFrom` names
/// it). Then the same call returns and the adapter goes on exactly as in the router's process:
/// an EVM rail keeps the nonce it reserved, a multi-leg rail its legs in memory.
///
/// A step that resumes from anything else (the router never got the checkpoint, or restarted)
/// abandons the held adapter (its record call throws: nothing of that checkpoint was sent) and
/// runs the adapter afresh from `resumeFrom`, its own recovery path. So does a step after the host
/// restarted. A held adapter the router does not come back for within the hold time is abandoned
/// the same way. Steps for one payment never run at once: a second one meanwhile is refused as
/// unavailable, and the router asks again.
actor ExecutionSessions {
    typealias Job = @Sendable () async -> Void

    /// What one step answers.
    enum Outcome: Sendable {
        case checkpoint(RailSubmission, events: [ExecutionEvent])
        case finished(events: [ExecutionEvent], receipt: ExecutionReceipt)
        case failed(any Error)
    }

    /// One payment's execution at the host.
    final class Session {
        /// The checkpoint the adapter is held at, and how to let it go on (or stop it).
        var held: (submission: RailSubmission, release: CheckedContinuation<Void, any Error>)?
        /// The step waiting for the adapter's next outcome.
        var waiter: CheckedContinuation<Outcome, Never>?
        /// Events the adapter recorded since the last checkpoint.
        var events = [ExecutionEvent]()
        /// A step is running (waiting for an outcome).
        var busy = false
    }

    private var sessions = [String: Session]()
    private let jobs: AsyncStream<Job>.Continuation
    private let holdTime: Duration

    init(jobs: AsyncStream<Job>.Continuation, holdTime: Duration) {
        self.jobs = jobs
        self.holdTime = holdTime
    }

    /// One execution step for `request.paymentID`.
    func step(_ request: ExecutionRequest, adapter: any RailAdapter) async throws -> RemoteRailProtocol.StepAnswer {
        let id = request.paymentID
        if let session = sessions[id] {
            guard !session.busy else { throw RailError.unavailable("a step for payment \(id) is already running; ask again") }
            if let held = session.held, held.submission == request.resumeFrom {
                // The router committed the checkpoint the adapter is held at: let it go on.
                session.busy = true
                session.held = nil
                let outcome = await withCheckedContinuation { continuation in
                    session.waiter = continuation
                    held.release.resume()
                }
                return try answer(outcome, id: id, session: session)
            }
            // The router resumes from another point: the held checkpoint was never committed.
            abandon(id)
        }
        let session = Session()
        session.busy = true
        sessions[id] = session
        let recorder = SessionRecorder(sessions: self, paymentID: id, resumedFrom: request.resumeFrom)
        let identity = ObjectIdentifier(session)
        let outcome = await withCheckedContinuation { continuation in
            session.waiter = continuation
            jobs.yield {
                let outcome: Outcome
                do {
                    let receipt = try await adapter.execute(request, recorder: recorder)
                    outcome = .finished(events: await self.takeEvents(id, identity), receipt: receipt)
                } catch {
                    outcome = .failed(error)
                }
                await self.deliver(outcome, to: id, identity)
            }
        }
        return try answer(outcome, id: id, session: session)
    }

    private func answer(_ outcome: Outcome, id: String, session: Session) throws -> RemoteRailProtocol.StepAnswer {
        session.busy = false
        switch outcome {
        case .checkpoint(let submission, let events):
            return .checkpoint(submission, events: events)
        case .finished(let events, let receipt):
            if sessions[id] === session { sessions[id] = nil }
            return .finished(events: events, receipt: receipt)
        case .failed(let error):
            if sessions[id] === session { sessions[id] = nil }
            // An adapter stopped at a checkpoint it was not allowed past has sent nothing of it.
            if error is StopAtCheckpoint { throw RailError.unavailable("the step was abandoned at an uncommitted checkpoint; ask again") }
            throw error
        }
    }

    /// Called by the adapter's recorder at a new checkpoint: answers it to the waiting step and
    /// holds the adapter until the router commits it (or abandons it).
    func hold(_ paymentID: String, at submission: RailSubmission) async throws {
        guard let session = sessions[paymentID] else { throw StopAtCheckpoint(submission: submission) }
        try await withCheckedThrowingContinuation { (release: CheckedContinuation<Void, any Error>) in
            session.held = (submission, release)
            let events = session.events
            session.events = []
            session.waiter?.resume(returning: .checkpoint(submission, events: events))
            session.waiter = nil
            let holdTime = holdTime, identity = ObjectIdentifier(session)
            jobs.yield {
                try? await Task.sleep(for: holdTime)
                await self.expire(paymentID, identity, submission: submission)
            }
        }
    }

    func append(_ paymentID: String, _ event: ExecutionEvent) {
        sessions[paymentID]?.events.append(event)
    }

    /// The session for `paymentID` if it is still the one `identity` names (not abandoned and replaced).
    private func session(_ paymentID: String, _ identity: ObjectIdentifier) -> Session? {
        sessions[paymentID].flatMap { ObjectIdentifier($0) == identity ? $0 : nil }
    }

    private func takeEvents(_ paymentID: String, _ identity: ObjectIdentifier) -> [ExecutionEvent] {
        guard let session = session(paymentID, identity) else { return [] }
        defer { session.events = [] }
        return session.events
    }

    /// The adapter's run ended: its outcome to the waiting step (none waits for an abandoned run).
    private func deliver(_ outcome: Outcome, to paymentID: String, _ identity: ObjectIdentifier) {
        guard let session = session(paymentID, identity) else { return }
        session.waiter?.resume(returning: outcome)
        session.waiter = nil
    }

    /// Stops a held adapter (its record call throws) and forgets the session.
    private func abandon(_ paymentID: String) {
        guard let session = sessions.removeValue(forKey: paymentID) else { return }
        if let held = session.held {
            session.held = nil
            held.release.resume(throwing: StopAtCheckpoint(submission: held.submission))
        }
    }

    private func expire(_ paymentID: String, _ identity: ObjectIdentifier, submission: RailSubmission) {
        guard let session = session(paymentID, identity), !session.busy, session.held?.submission == submission else { return }
        abandon(paymentID)
    }

    /// Every held adapter stopped and no new work taken (the host is shutting down).
    func shutDown() {
        for id in Array(sessions.keys) { abandon(id) }
        jobs.finish()
    }
}

/// Thrown into an adapter held at a checkpoint the router did not commit: nothing of it was sent.
struct StopAtCheckpoint: Error {
    let submission: RailSubmission
}

/// The recorder an adapter executes with at the host: a new checkpoint holds the adapter there
/// (see ``ExecutionSessions``); other events go to the router with the step's answer.
struct SessionRecorder: ExecutionRecorder {
    let sessions: ExecutionSessions
    let paymentID: String
    let resumedFrom: RailSubmission?

    func record(_ event: ExecutionEvent) async throws {
        if case .prepared(let submission) = event, submission != resumedFrom {
            try await sessions.hold(paymentID, at: submission)
        } else {
            await sessions.append(paymentID, event)
        }
    }
}
