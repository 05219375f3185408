import DevChainTesting
import Foundation
import Testing

/// The tests' child processes cannot stall CI: a hung child is killed and its test fails.
@Suite("Child processes in tests")
struct ChildProcessTests {
    @Test("a child that runs past its time limit is killed and the call throws; one that says nothing is given up on")
    func timeouts() async throws {
        // Timed around the blocking call itself, not an `await`: at the suite's start every task
        // thread can be busy for seconds, and resuming a task would be timed with it (a fresh-clone
        // CI run measured 26.4 s that way).
        let started = ContinuousClock.now
        do {
            _ = try ChildProcess.runBlocking(URL(fileURLWithPath: "/bin/sleep"), ["30"], timeout: .seconds(1))
            Issue.record("sleep 30 finished within a 1 s limit")
        } catch ChildProcessError.timedOut(_, _, let output) {
            // Killed, not finished: the signal is its status, and `sleep 30` would have taken 30 s.
            // (Not tighter: beside the whole suite on two cores, reaping a killed child has taken up to 10 s.)
            #expect(output.status == SIGKILL)
            #expect(ContinuousClock.now - started < .seconds(25))
        }
        await #expect(throws: ChildProcessError.self) {
            try await ChildProcess.run(URL(fileURLWithPath: "/bin/sleep"), ["30"], timeout: .seconds(1))
        }

        let silent = Process()
        silent.executableURL = URL(fileURLWithPath: "/bin/sleep")
        silent.arguments = ["30"]
        let pipe = Pipe()
        silent.standardOutput = pipe
        try silent.run()
        defer { silent.terminate() }
        await #expect(throws: ChildProcessError.self) { try await ChildProcess.readLine(from: pipe.fileHandleForReading, timeout: .seconds(1)) }
        #expect(try await ChildProcess.run(URL(fileURLWithPath: "/bin/echo"), ["ready"]).stdout == "ready\n")
    }

    @Test("a child's end is seen when it exits, even while a process it left behind holds its descriptors; exit codes and signals are reported")
    func exitSeenDespiteInheritedDescriptors() async throws {
        // The shell exits at once, leaving `sleep 8` with every descriptor it inherited, Foundation's
        // exit-notification socket among them: Foundation's own wait returned only when that closed.
        // Timed around the blocking wait itself, not an `await`: at the suite's start every task
        // thread can be busy for seconds, and resuming a task would be timed with it.
        let started = ContinuousClock.now
        let left = try ChildProcess.runBlocking(URL(fileURLWithPath: "/bin/sh"), ["-c", "(sleep 8 &); exit 3"], timeout: .seconds(30))
        let waited = ContinuousClock.now - started
        #expect(left.status == 3)
        #expect(waited < .seconds(6), "the exit was seen only when the leftover process ended")
        #expect(try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "kill -9 $$"]).status == SIGKILL)
    }
}
