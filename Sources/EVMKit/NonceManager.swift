import Foundation
import RailKit
import RailKitSupport

/// Where the last nonce handed out per account survives a restart. SQLite/PostgreSQL storage
/// implements it later; ``FileNonceStore`` keeps it in a JSON file.
public protocol NonceStore: Sendable {
    func lastIssued(chainID: UInt64, account: EVMAddress) async throws -> UInt64?
    func setLastIssued(_ nonce: UInt64?, chainID: UInt64, account: EVMAddress) async throws
}

/// What became of a nonce the body of ``NonceManager/withNextNonce(for:_:)`` was given.
public enum NonceUse<Value: Sendable>: Sendable {
    /// A transaction with this nonce was signed (and possibly sent): the nonce is spent.
    case consumed(Value)
    /// Nothing with this nonce left the process, or the node definitively refused it: it may be
    /// given out again, and ``NonceManager/withNextNonce(for:_:)`` throws the error.
    case released(any Error)
}

/// Hands out nonces for accounts on one chain, one payment at a time per account, so concurrent
/// payments get distinct, gap-free nonces. The next nonce is the larger of the node's pending count
/// and the last one issued plus one, and every issued nonce is stored before the body signs with
/// it, so a restart never reuses a nonce a signed transaction may carry.
public actor NonceManager {
    private let client: EthereumClient
    private let chainID: UInt64
    private let store: any NonceStore
    private var busy = Set<EVMAddress>()
    private var waiting = [EVMAddress: [CheckedContinuation<Void, Never>]]()

    public init(client: EthereumClient, chainID: UInt64, store: any NonceStore) {
        self.client = client
        self.chainID = chainID
        self.store = store
    }

    /// Runs `body` with `account`'s next nonce while no other body runs for that account.
    /// If `body` throws, the nonce counts as consumed: a signed transaction may be out there.
    public func withNextNonce<Value: Sendable>(
        for account: EVMAddress, _ body: @escaping @Sendable (UInt64) async throws -> NonceUse<Value>
    ) async throws -> Value {
        await acquire(account)
        defer { release(account) }
        let pending = try await client.transactionCount(of: account, at: .pending)
        let previous = try await store.lastIssued(chainID: chainID, account: account)
        let nonce = max(pending, previous.map { $0 + 1 } ?? 0)
        try await store.setLastIssued(nonce, chainID: chainID, account: account)
        switch try await body(nonce) {
        case .consumed(let value):
            return value
        case .released(let error):
            // Only the latest nonce is ever outstanding, so handing it back leaves no gap.
            try await store.setLastIssued(nonce == 0 ? nil : nonce - 1, chainID: chainID, account: account)
            throw error
        }
    }

    private func acquire(_ account: EVMAddress) async {
        if busy.insert(account).inserted { return }
        await withCheckedContinuation { waiting[account, default: []].append($0) }
    }

    private func release(_ account: EVMAddress) {
        if var queue = waiting[account], !queue.isEmpty {
            // Hand the account straight to the next waiter; it stays busy.
            let next = queue.removeFirst()
            waiting[account] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            busy.remove(account)
        }
    }
}

/// Keeps the last issued nonce per (chain, account) in a JSON file, replaced atomically on every change.
public actor FileNonceStore: NonceStore {
    private let url: URL
    private var entries: [String: UInt64]?

    public init(url: URL) { self.url = url }

    private static func key(_ chainID: UInt64, _ account: EVMAddress) -> String { "\(chainID):\(account.lowercased)" }

    private func load() throws -> [String: UInt64] {
        if let entries { return entries }
        let loaded: [String: UInt64]
        if let data = FileManager.default.contents(atPath: url.path) {
            loaded = try JSONDecoder().decode([String: UInt64].self, from: data)
        } else {
            loaded = [:]
        }
        entries = loaded
        return loaded
    }

    public func lastIssued(chainID: UInt64, account: EVMAddress) throws -> UInt64? {
        try load()[Self.key(chainID, account)]
    }

    public func setLastIssued(_ nonce: UInt64?, chainID: UInt64, account: EVMAddress) throws {
        var updated = try load()
        updated[Self.key(chainID, account)] = nonce
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encoder.encode(updated).write(to: url, options: .atomic)
        entries = updated
    }
}

/// Keeps nonces in memory only: for tests and for a process that never restarts mid-payment.
public actor InMemoryNonceStore: NonceStore {
    private var entries = [String: UInt64]()

    public init() {}

    public func lastIssued(chainID: UInt64, account: EVMAddress) -> UInt64? { entries["\(chainID):\(account.lowercased)"] }

    public func setLastIssued(_ nonce: UInt64?, chainID: UInt64, account: EVMAddress) {
        entries["\(chainID):\(account.lowercased)"] = nonce
    }
}
