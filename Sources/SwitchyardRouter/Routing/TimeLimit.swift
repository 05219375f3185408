import Synchronization

/// The outcome of work raced against a time limit.
enum TimeLimitOutcome<Value: Sendable>: Sendable {
    case finished(Value)
    case failed(any Error)
    case timedOut
}

/// Runs `operations` concurrently under one time limit for the group: returns when all have
/// finished or the limit passes, whichever is first; those still running then are cancelled and
/// reported timed out (even if they ignore cancellation: a hung counterparty must not hold up
/// the decision). One timer for the group, not one per operation.
func withTimeLimit<Value: Sendable>(
    _ limit: Duration, operations: [@Sendable () async throws -> Value]
) async -> [TimeLimitOutcome<Value>] {
    guard !operations.isEmpty else { return [] }
    let collector = GroupRace<Value>(count: operations.count)
    return await withCheckedContinuation { continuation in
        collector.start(continuation)
        let tasks = operations.enumerated().map { index, operation in
            Task {
                do {
                    collector.finish(index, .finished(try await operation()))
                } catch {
                    collector.finish(index, .failed(error))
                }
            }
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            if collector.expire() { for task in tasks { task.cancel() } }
        }
        collector.onFinish { timer.cancel() }
    }
}

/// Collects a group's outcomes and resumes the continuation exactly once: when the last arrives,
/// or at the deadline with the missing ones timed out.
private final class GroupRace<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<[TimeLimitOutcome<Value>], Never>?
        var outcomes: [TimeLimitOutcome<Value>?]
        var remaining: Int
        var done = false
        var cleanup: (@Sendable () -> Void)?
    }

    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(outcomes: Array(repeating: nil, count: count), remaining: count)) }

    func start(_ continuation: CheckedContinuation<[TimeLimitOutcome<Value>], Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
        let alreadyDone = state.withLock { state -> Bool in
            if state.done { return true }
            state.cleanup = cleanup
            return false
        }
        if alreadyDone { cleanup() }
    }

    func finish(_ index: Int, _ outcome: TimeLimitOutcome<Value>) {
        let ready = state.withLock { state -> (CheckedContinuation<[TimeLimitOutcome<Value>], Never>, [TimeLimitOutcome<Value>], (@Sendable () -> Void)?)? in
            guard !state.done, state.outcomes[index] == nil else { return nil }
            state.outcomes[index] = outcome
            state.remaining -= 1
            guard state.remaining == 0, let continuation = state.continuation else { return nil }
            state.done = true
            defer { state.continuation = nil; state.cleanup = nil }
            return (continuation, state.outcomes.map { $0! }, state.cleanup)
        }
        guard let (continuation, outcomes, cleanup) = ready else { return }
        continuation.resume(returning: outcomes)
        cleanup?()
    }

    /// Ends the race at the deadline; returns whether anything was still running.
    func expire() -> Bool {
        let ready = state.withLock { state -> (CheckedContinuation<[TimeLimitOutcome<Value>], Never>, [TimeLimitOutcome<Value>])? in
            guard !state.done, let continuation = state.continuation else { return nil }
            state.done = true
            defer { state.continuation = nil; state.cleanup = nil }
            return (continuation, state.outcomes.map { $0 ?? .timedOut })
        }
        guard let (continuation, outcomes) = ready else { return false }
        continuation.resume(returning: outcomes)
        return true
    }
}
