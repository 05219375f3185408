import Foundation
import RailKit
import SwitchyardExecutor

/// A submission as the counterpart received it: what moves money (a pacs.008, a signed
/// transaction, an FX booking), the key a rail's checkpoint names it by (a UETR, a transaction
/// hash, a firm FX quote id) and the instant it arrived.
public struct ObservedSubmission: Sendable, Hashable {
    public var key: String
    public var at: ContinuousClock.Instant

    public init(key: String, at: ContinuousClock.Instant) {
        self.key = key
        self.at = at
    }
}

/// What the conformance kit reads to know what the counterpart actually received — a recording
/// proxy in front of it, or the counterpart's own books — never the rail's word for it.
public struct CounterpartObserver: Sendable {
    /// Every submission received so far, in order of arrival.
    public var submissions: @Sendable () async throws -> [ObservedSubmission]

    public init(_ submissions: @escaping @Sendable () async throws -> [ObservedSubmission]) {
        self.submissions = submissions
    }

    /// Several counterparts read as one (a CNH payment books FX at a dealer and sends on a chain).
    public static func merging(_ observers: [CounterpartObserver]) -> CounterpartObserver {
        CounterpartObserver {
            var all = [ObservedSubmission]()
            for observer in observers { all += try await observer.submissions() }
            return all.sorted { $0.at < $1.at }
        }
    }
}

/// Submissions in memory, stamped as they are recorded: the sink of a recording proxy, or the
/// "counterpart" of a test double.
public actor SubmissionLog {
    public private(set) var submissions = [ObservedSubmission]()

    public init() {}

    public func record(_ key: String) {
        submissions.append(ObservedSubmission(key: key, at: .now))
    }

    public nonisolated var observer: CounterpartObserver {
        CounterpartObserver { await self.submissions }
    }
}

/// A payment journal that stamps each event with the instant it was committed (the executor
/// tells its observer after the store's transaction), to order it against what a counterpart received.
actor TimedJournal: PaymentJournal {
    struct Entry {
        var event: ExecutionEvent
        var at: ContinuousClock.Instant
    }

    private var entries = [String: [Entry]]()

    func record(_ event: ExecutionEvent, payment paymentID: String) async throws {
        entries[paymentID, default: []].append(Entry(event: event, at: .now))
    }

    func entries(of paymentID: String) -> [Entry] { entries[paymentID] ?? [] }

    func events(of paymentID: String) -> [ExecutionEvent] { entries(of: paymentID).map(\.event) }
}
