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

    @Test("a map on a task thread finishes while every other task thread is busy waiting for it", .timeLimit(.minutes(1)))
    func neverWaitsForAThread() async {
        // Every task thread but this one blocked until the map is done: the map must not need them.
        let done = Flag()
        let width = ProcessInfo.processInfo.activeProcessorCount
        await withTaskGroup(of: Void.self) { group in
            for _ in 1..<width {
                group.addTask {
                    let deadline = Date().addingTimeInterval(10)
                    while !done.isSet && Date() < deadline { usleep(1_000) }
                }
            }
            group.addTask {
                let squares = Array(0..<64).concurrentMap { $0 * $0 }
                done.set()
                #expect(squares == (0..<64).map { $0 * $0 })
            }
        }
        #expect(done.isSet)
    }
}

/// A flag threads share.
private final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
