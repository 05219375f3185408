import Foundation
import Synchronization
import Testing
@testable import SwitchyardRouter

@Suite("Mapping on every core at once")
struct ConcurrentMapTests {
    @Test("each element is transformed once and the results keep the elements' order", arguments: [0, 1, 2, 3, 17, 1_000])
    func orderKept(count: Int) {
        let calls = Mutex([Int: Int]())
        let results = Array(0..<count).concurrentMap { element -> String in
            calls.withLock { $0[element, default: 0] += 1 }
            return "#\(element)"
        }
        #expect(results == (0..<count).map { "#\($0)" })
        #expect(calls.withLock { $0 } == Dictionary(uniqueKeysWithValues: (0..<count).map { ($0, 1) }))
    }

    @Test("a map on a task thread finishes at once while every other task thread is busy", .timeLimit(.minutes(1)))
    func neverWaitsForAThread() async {
        // Every task thread but the map's held by a blocker until the map is done (or 20 s pass):
        // a map that needed another thread would take those 20 s.
        let width = ProcessInfo.processInfo.activeProcessorCount
        let started = Counter(), done = Flag()
        await withTaskGroup(of: Void.self) { group in
            for _ in 1..<width {
                group.addTask {
                    started.increment()
                    let deadline = Date().addingTimeInterval(20)
                    while !done.isSet && Date() < deadline { usleep(1_000) }
                }
            }
            group.addTask {
                // At most 2 s: this spin holds a task thread the rest of the suite shares.
                let ready = Date().addingTimeInterval(2)
                while started.value < width - 1 && Date() < ready { usleep(1_000) }
                let start = ContinuousClock.now
                let squares = Array(0..<64).concurrentMap { $0 * $0 }
                let elapsed = ContinuousClock.now - start
                done.set()
                #expect(squares == (0..<64).map { $0 * $0 })
                #expect(elapsed < .seconds(5), "the map took \(elapsed)")
            }
        }
    }
}

/// A count threads share.
private final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}

/// A flag threads share.
private final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
