import Foundation

/// A task executor with a thread of its own: the two-stream measurement runs each stream on one,
/// so the streams are on two threads for certain. (On the shared pool, a stream that never
/// suspends sometimes waited for the other to finish, and the measure was of the scheduler.)
final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    /// Guarded by `signal`'s lock (hence `@unchecked Sendable`).
    private var jobs = [UnownedJob]()
    private let signal = NSCondition()
    /// Starts the thread; it runs for the life of the process (the benchmark keeps its executors).
    init(name: String) {
        let thread = Thread { [unowned self] in self.run() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        signal.lock()
        jobs.append(job)
        signal.signal()
        signal.unlock()
    }

    private func run() {
        while true {
            signal.lock()
            while jobs.isEmpty { signal.wait() }
            let next = jobs.removeFirst()
            signal.unlock()
            next.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
