import Foundation
import Logging
import ServiceLifecycle
import SwitchyardExecutor
import RailKit

/// Keeps the quotes the API hands out so a payment can name one by id: in memory at once (this
/// server pays them without a store read), and in the payment store in batches a few
/// milliseconds apart — one transaction, one synchronous commit, per batch rather than per quote
/// (per quote, commits would cap quoting at the disk's flush rate).
///
/// What that trades: a quote answered in the last batch interval before a crash is not kept, and
/// another router on the same database sees a quote only once its batch is written. Either way a
/// client paying it is told the quote is unknown and quotes again; no payment is affected.
public actor QuoteBook: Service {
    private let store: any PaymentStore
    private let interval: Duration
    private let logger: Logger
    private var recent = [QuoteID: StoredQuote]()
    private var pending = [StoredQuote]()

    public init(store: any PaymentStore, interval: Duration = .milliseconds(20), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    /// Keeps `quotes` (written to the store with the next batch).
    public func remember(_ quotes: [StoredQuote], now: Date) {
        if recent.count > 200_000 { recent = recent.filter { $0.value.quote.expiresAt > now } }
        for quote in quotes {
            recent[quote.quote.id] = quote
            pending.append(quote)
        }
    }

    /// A quote this server handed out, or one the store keeps (from another router, or before a restart).
    public func quote(id: QuoteID) async throws -> StoredQuote? {
        if let quote = recent[id] { return quote }
        return try await store.quote(id: id)
    }

    /// Writes what is pending, in one transaction.
    public func flush() async throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        do {
            try await store.saveQuotes(batch)
        } catch {
            // Kept for the next batch: a store that is briefly unavailable loses nothing.
            pending.insert(contentsOf: batch, at: 0)
            throw error
        }
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: interval)
            do { try await flush() } catch {
                logger.warning("quotes not written yet; trying again", metadata: ["error": .string(String(describing: error))])
            }
        }
        try await flush()
    }
}
