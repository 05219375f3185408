import Foundation
import Synchronization
import SwitchyardExecutor

/// Fault injection for the crash harness: with `SWITCHYARD_CRASH_AFTER=<step>[:<n>]` (step: stored,
/// checkpoint, submitted, receipt; n: its n-th occurrence, 1 by default) the process kills itself
/// with SIGKILL right after that durable step, as a power cut would. A multi-leg rail commits
/// several checkpoints (`checkpoint:2` is after the second: for CNH, the FX deal). Tests set it;
/// nothing else should.
enum CrashHarness {
    static let variable = "SWITCHYARD_CRASH_AFTER"

    static var afterStep: @Sendable (ExecutionStep) -> Void {
        guard let text = ProcessInfo.processInfo.environment[variable] else { return { _ in } }
        let parts = text.split(separator: ":", maxSplits: 1)
        guard let target = parts.first.flatMap({ ExecutionStep(rawValue: String($0)) }) else { return { _ in } }
        let occurrence = parts.count == 2 ? Int(parts[1]) ?? 1 : 1
        // How many times the target step was reached in this process.
        let seen = Mutex(0)
        return { step in
            guard step == target else { return }
            let count = seen.withLock { count in
                count += 1
                return count
            }
            if count == occurrence { kill(getpid(), SIGKILL) }
        }
    }
}
