import Foundation
import GRDB
import RailKit
import SQLitePaymentStore
import SwitchyardExecutor

/// `swift run -c release payment-store-benchmark [count] [output-file]`: durable payment creations
/// per second on SQLite (WAL, synchronous = FULL, one transaction per creation: the payment and its
/// idempotency key), beside a plain GRDB insert-and-commit loop with the same durability, measured
/// in the same run; then the resident memory of a process holding 10,000 in-flight payments.
/// Prints the figures and writes them to the output file (default .build/benchmarks/payment-store.txt).
@main
enum PaymentStoreBenchmark {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        let count = arguments.first.flatMap(Int.init) ?? 5000
        let output = arguments.dropFirst().first ?? ".build/benchmarks/payment-store.txt"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }

        let intent = try PaymentIntent(
            debtor: Party(name: "Acme Components Inc", country: .unitedStates), creditor: Party(name: "Harbour Supply Ltd", country: .hongKong),
            sourceCurrency: .usd, destinationCurrency: .cnh, amount: PaymentAmount(try .fiat("250000.00", .usd), fixed: .send))
        let now = Date()
        let breakdown = PriceBreakdown(principal: try .fiat("250000.00", .usd), debtorPays: try .fiat("250000.00", .usd),
                                       creditorReceives: try .fiat("1780000.00", .cnh), fx: nil, costs: [], totalCost: .zero(.fiat(.usd)))
        let quote = Quote(id: QuoteID("q-bench"), railID: "correspondent-bank-a", firmness: .firm, createdAt: now, expiresAt: now.addingTimeInterval(60),
                          breakdown: breakdown, eta: SettlementEstimate(earliest: now, p50: now, p95: now), assumptions: [])

        // The store: each creation is one immediate write transaction, committed with fsync.
        let store = try SQLitePaymentStore(path: folder.appendingPathComponent("store/payments.sqlite").path)
        let storeStart = ContinuousClock.now
        for index in 0..<count {
            _ = try await store.create(PaymentRecord(id: "p-\(index)", idempotencyKey: "k-\(index)", requestHash: "h-\(index)",
                                                     intent: intent, quote: quote, createdAt: now))
        }
        let storeSeconds = seconds(ContinuousClock.now - storeStart)

        // The plain loop: the same two rows per creation (a record of the same size and a key), same pragmas.
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let plainPath = folder.appendingPathComponent("plain/plain.sqlite")
        try FileManager.default.createDirectory(at: plainPath.deletingLastPathComponent(), withIntermediateDirectories: true)
        let pool = try DatabasePool(path: plainPath.path, configuration: configuration)
        try await pool.write { db in
            try db.execute(sql: "CREATE TABLE payment (id TEXT PRIMARY KEY, record TEXT NOT NULL); CREATE TABLE key (key TEXT PRIMARY KEY, id TEXT NOT NULL)")
        }
        let record = String(decoding: try RailCoding.encoder().encode(
            PaymentRecord(id: "p", idempotencyKey: "k", requestHash: "h", intent: intent, quote: quote, createdAt: now)), as: UTF8.self)
        let plainStart = ContinuousClock.now
        for index in 0..<count {
            try await pool.write { db in
                try db.execute(sql: "INSERT INTO payment (id, record) VALUES (?, ?)", arguments: ["p-\(index)", record])
                try db.execute(sql: "INSERT INTO key (key, id) VALUES (?, ?)", arguments: ["k-\(index)", "p-\(index)"])
            }
        }
        let plainSeconds = seconds(ContinuousClock.now - plainStart)

        // 10,000 in-flight payments held by one process: stored, then all read back as an executor's work.
        let inflight = try SQLitePaymentStore(path: folder.appendingPathComponent("inflight/payments.sqlite").path)
        for index in 0..<10_000 {
            var payment = PaymentRecord(id: "f-\(index)", idempotencyKey: nil, requestHash: "h", intent: intent, quote: quote, createdAt: now)
            payment.state = .pending
            _ = try await inflight.create(payment)
        }
        let held = try await inflight.payments(matching: PaymentFilter(states: [.pending], limit: 10_000))
        let rss = residentMegabytes()

        // Where the store's time goes beside the plain loop: encoding each record as JSON.
        let encodeStart = ContinuousClock.now
        for index in 0..<count {
            _ = try RailCoding.encoder().encode(PaymentRecord(id: "p-\(index)", idempotencyKey: "k-\(index)", requestHash: "h", intent: intent,
                                                              quote: quote, createdAt: now))
        }
        let encodeMicros = seconds(ContinuousClock.now - encodeStart) / Double(count) * 1e6

        let storeRate = Double(count) / storeSeconds, plainRate = Double(count) / plainSeconds
        let lines = [
            "payment store benchmark (\(count) creations; SQLite WAL, synchronous = FULL, one transaction each)",
            String(format: "durable creations: %.0f/s (target >= 2000/s)", storeRate),
            String(format: "plain insert-and-commit loop, same durability: %.0f/s", plainRate),
            String(format: "ratio: %.2f (target >= 0.5)", storeRate / plainRate),
            String(format: "of which encoding a record as JSON: %.0f µs per creation", encodeMicros),
            "in-flight payments held: \(held.count); resident memory: \(rss) MB (target <= 200 MB)",
        ]
        let text = lines.joined(separator: "\n") + "\n"
        print(text, terminator: "")
        let url = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) / 1e18
    }

    /// VmRSS from /proc/self/status, in megabytes.
    static func residentMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
        return kilobytes / 1024
    }
}
