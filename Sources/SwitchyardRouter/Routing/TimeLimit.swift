import Synchronization

/// The outcome of work raced against a time limit.
enum TimeLimitOutcome<Value: Sendable>: Sendable {
    case finished(Value)
    case failed(any Error)
    case timedOut
}

/// Runs `operation` with a time limit. On time-out the operation is cancelled and this returns
/// at once, even if the operation ignores cancellation (a hung counterparty must not hold up
/// the other rails).
func withTimeLimit<Value: Sendable>(
    _ limit: Duration, operation: @escaping @Sendable () async throws -> Value
) async -> TimeLimitOutcome<Value> {
    let race = Race<Value>()
    return await withCheckedContinuation { continuation in
        race.start(continuation)
        let work = Task {
            do {
                race.finish(.finished(try await operation()))
            } catch {
                race.finish(.failed(error))
            }
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            if race.finish(.timedOut) { work.cancel() }
        }
        race.onFinish { timer.cancel() }
    }
}

/// Resumes a continuation exactly once, with whichever result arrives first.
private final class Race<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<TimeLimitOutcome<Value>, Never>?
        var done = false
        var cleanup: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<TimeLimitOutcome<Value>, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Registers clean-up to run when the race ends (now, if it already has).
    func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
        let alreadyDone = state.withLock { state -> Bool in
            if state.done { return true }
            state.cleanup = cleanup
            return false
        }
        if alreadyDone { cleanup() }
    }

    /// Delivers `outcome` if nothing has yet; returns whether it won.
    @discardableResult
    func finish(_ outcome: TimeLimitOutcome<Value>) -> Bool {
        let (continuation, cleanup) = state.withLock { state -> (CheckedContinuation<TimeLimitOutcome<Value>, Never>?, (@Sendable () -> Void)?) in
            guard !state.done else { return (nil, nil) }
            state.done = true
            defer { state.continuation = nil; state.cleanup = nil }
            return (state.continuation, state.cleanup)
        }
        guard let continuation else { return false }
        continuation.resume(returning: outcome)
        cleanup?()
        return true
    }
}
