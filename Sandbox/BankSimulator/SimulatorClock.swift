import Foundation
import Synchronization

/// The simulator's idea of now. Tests move a ``ManualClock``; the sandbox runs an
/// ``AcceleratedClock`` so a business day passes in minutes.
public protocol SimulatorClock: Sendable {
    func now() -> Date
}

/// A clock that stands still until told to move.
public final class ManualClock: SimulatorClock {
    private let current: Mutex<Date>

    public init(_ start: Date) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    public func set(_ instant: Date) { current.withLock { $0 = instant } }

    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// Simulated time that starts at `start` and runs `speed` times faster than the wall clock.
public struct AcceleratedClock: SimulatorClock {
    public let start: Date
    public let speed: Double
    private let wallStart = Date()

    public init(start: Date = Date(), speed: Double) {
        self.start = start
        self.speed = speed
    }

    public func now() -> Date { start.addingTimeInterval(Date().timeIntervalSince(wallStart) * speed) }
}
