#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import RailKit
import Synchronization

/// Routing engines built alike (``SwitchyardConfiguration/loadCopies(_:from:overlay:factories:)``),
/// one for each core: a decision runs on the engine of the thread it starts on. A thread is given
/// an engine the first time it decides and keeps it; threads are given the engines in turn, by a
/// number never handed out twice, so threads that come and go can leave two busy threads on one
/// engine (slower, never wrong). A decision stays on its engine if it resumes on another thread.
///
/// Why: a decision takes and releases references to its engine's rails, texts, rules and market
/// data thousands of times. With one engine shared, two cores deciding at once write the same
/// reference counts, and the cache lines holding them pass between the cores on every count
/// (two streams gave 1.5–1.7× one; with an engine each, 1.9×). Decisions are the same on every
/// engine; only where their reference counts live differs.
public struct RoutingEngines: Sendable {
    /// The engines, alike. The first is the one to read the configuration from (rails, policy)
    /// and to execute payments through (see `loadCopies`).
    public let engines: [RoutingEngine]
    private let threads: ThreadAssignment

    /// - Parameter engines: at least one; a good number is one per core.
    public init(_ engines: [RoutingEngine]) {
        precondition(!engines.isEmpty, "at least one engine")
        self.engines = engines
        threads = ThreadAssignment()
    }

    /// The calling thread's engine.
    public var current: RoutingEngine { engines[threads.index(among: engines.count)] }

    /// Routes one payment on the calling thread's engine (``RoutingEngine/route(_:logger:)``).
    public func route(_ intent: PaymentIntent, logger: Logger? = nil) async throws -> RoutingResult {
        try await engines[threads.index(among: engines.count)].route(intent, logger: logger)
    }
}

/// Which of a set of engines each thread keeps to: a number in a thread-specific slot, handed
/// out in turn the first time a thread asks. Reading it takes no lock and writes nothing shared.
final class ThreadAssignment: Sendable {
    /// A POSIX thread-specific data key (an integer), created once for this assignment.
    private let key: pthread_key_t
    private let next = Atomic<Int>(0)

    init() {
        var key = pthread_key_t()
        let created = pthread_key_create(&key, nil)
        precondition(created == 0, "no thread-specific data key left (pthread_key_create: \(created))")
        self.key = key
    }

    deinit { pthread_key_delete(key) }

    /// The calling thread's number, below `count`.
    func index(among count: Int) -> Int {
        // The slot holds the number plus one: an empty slot reads as nil.
        if let slot = pthread_getspecific(key) { return (Int(bitPattern: slot) - 1) % count }
        let number = next.add(1, ordering: .relaxed).oldValue
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: number + 1))
        return number % count
    }
}
