import Foundation
import Logging

/// A swift-log handler that keeps every line (message and metadata) in memory, so a test can
/// check what a rail logs — and that no secret ever appears in it.
public struct InMemoryLogHandler: LogHandler {
    /// Where the lines go; share one between handlers and read it after the test.
    public final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var _lines = [String]()
        public init() {}
        public var lines: [String] { lock.withLock { _lines } }
        func append(_ line: String) { lock.withLock { _lines.append(line) } }
    }

    public var metadata = Logger.Metadata()
    public var logLevel = Logger.Level.trace
    public var metadataProvider: Logger.MetadataProvider?
    let store: Store
    let label: String

    public init(label: String, store: Store) {
        self.label = label
        self.store = store
    }

    /// A logger at `trace` writing into `store`.
    public static func logger(_ store: Store, label: String = "test") -> Logger {
        Logger(label: label, factory: { InMemoryLogHandler(label: $0, store: store) })
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.keys.sorted().map { "\($0)=\(merged[$0]!)" }.joined(separator: " ")
        store.append("\(event.level) \(label): \(event.message) \(fields)")
    }
}
