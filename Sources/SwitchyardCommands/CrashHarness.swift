import Foundation
import SwitchyardExecutor

/// Fault injection for the crash harness: with `SWITCHYARD_CRASH_AFTER=<step>` (stored,
/// checkpoint, submitted, receipt) the process kills itself with SIGKILL right after that durable
/// step of its first execution, as a power cut would. Tests set it; nothing else should.
enum CrashHarness {
    static let variable = "SWITCHYARD_CRASH_AFTER"

    static var afterStep: @Sendable (ExecutionStep) -> Void {
        guard let text = ProcessInfo.processInfo.environment[variable], let target = ExecutionStep(rawValue: text) else { return { _ in } }
        return { step in
            if step == target { kill(getpid(), SIGKILL) }
        }
    }
}
