import DevChainTesting
import EVMKit
import Foundation
import PostgresPaymentStore
import RailKit
import SwitchyardExecutor
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Payments through the built binary on the store: created once per idempotency key, followed
/// from another process, on the sandbox deposit token (a real dev chain, Transfer logs counted).
@Suite("switchyard pay, status and payments on the store")
struct DurablePayCommandTests {
    static let token = try! EVMAddress("0xF2E246BB76DF876Cef8b38ae84130F4F55De395b")
    static let payee = try! EVMAddress("0x6813Eb9362372EEF6200f3b1dbC3f819671cBA69")

    /// A copy of Config/ with the sandbox deposit-token rail enabled, and a fresh data directory.
    static func sandbox(_ chain: DevChain) throws -> (config: URL, data: URL, environment: [String: String]) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-durable-\(UUID())")
        let config = root.appendingPathComponent("Config")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.repository.appendingPathComponent("Config"), to: config)
        let main = config.appendingPathComponent("switchyard.json")
        let enabled = try String(contentsOf: main, encoding: .utf8).replacingOccurrences(
            of: #""settings": "rails/deposit-token-sandbox.json", "enabled": false"#,
            with: #""settings": "rails/deposit-token-sandbox.json", "enabled": true"#)
        try enabled.write(to: main, atomically: true, encoding: .utf8)
        return (config, root.appendingPathComponent("data"),
                ["SWITCHYARD_DEVCHAIN_URL": chain.url.absoluteString, "SWITCHYARD_SANDBOX_SIGNER_KEY": String(repeating: "0", count: 63) + "2"])
    }

    /// Transfer logs of the sandbox token to the payee: what actually moved on chain.
    static func transfersToPayee(_ chain: DevChain) async throws -> Int {
        let logs = try await chain.client.logs(address: token, topics: [ERC20.transferTopic], from: .number(0), to: .latest)
        return try logs.compactMap { try ERC20.transferEvent(in: $0) }.filter { $0.to == payee }.count
    }

    @Test("one idempotency key pays once; the same key for another request is refused naming it; status and payments read the store from new processes")
    func payOnce() async throws {
        let chain = try await DevChain.start(sandbox: true)
        let (config, data, environment) = try Self.sandbox(chain)
        defer { try? FileManager.default.removeItem(at: config.deletingLastPathComponent()) }
        let pay = ["pay", "--config", config.path, "--data-dir", data.path, "--request", "Config/samples/sandbox-deposit-token.json",
                   "--rail", "deposit-token-sandbox", "--idempotency-key", "invoice-0001", "--no-wait"]

        let first = try await CLI.run(pay, environment: environment)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("journal: prepared tx_hash:"), "\(first.stdout)")
        let paymentLine = try #require(first.stdout.split(separator: "\n").first { $0.hasPrefix("payment ") })
        let id = String(paymentLine.dropFirst("payment ".count).prefix { $0 != ":" })
        #expect(try await Self.transfersToPayee(chain) == 1)

        // The same request again, in a new process: the same payment, nothing sent.
        let again = try await CLI.run(pay, environment: environment)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("payment \(id):"), "\(again.stdout)")
        #expect(!again.stdout.contains("journal: prepared"), "a repeated request journaled a second submission")
        #expect(try await Self.transfersToPayee(chain) == 1)

        // The same key and request under another proposed payment id: still the first payment.
        let renamed = try await CLI.run(pay + ["--payment-id", "other"], environment: environment)
        #expect(renamed.status == 0 && renamed.stdout.contains("payment \(id):"), "\(renamed.stdout)\(renamed.stderr)")

        // The same key for another payment: refused, naming the key; nothing sent.
        var altered = pay
        altered[altered.firstIndex(of: "Config/samples/sandbox-deposit-token.json")!] = "-"
        let body = try String(contentsOf: CLI.repository.appendingPathComponent("Config/samples/sandbox-deposit-token.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"2500.00\"", with: "\"2600.00\"")
        let conflict = try await CLI.run(altered, stdin: body, environment: environment)
        #expect(conflict.status == 2, "\(conflict.stdout)\(conflict.stderr)")
        #expect(conflict.stderr.contains("invoice-0001"), "\(conflict.stderr)")
        #expect(try await Self.transfersToPayee(chain) == 1)

        // Another process follows it: one more block makes the transfer final.
        try await chain.mine()
        let status = try await CLI.run(["status", id, "--refresh", "--config", config.path, "--data-dir", data.path], environment: environment)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("payment \(id): settled on deposit-token-sandbox"), "\(status.stdout)")
        #expect(status.stdout.contains("idempotency key: invoice-0001"))
        #expect(status.stdout.contains("prepared tx_hash:") && status.stdout.contains("status settled"), "\(status.stdout)")

        let listed = try await CLI.run(["payments", "--state", "settled", "--data-dir", data.path])
        #expect(listed.status == 0)
        #expect(listed.stdout.split(separator: "\n").count == 1 && listed.stdout.hasPrefix(id), "\(listed.stdout)")
        let none = try await CLI.run(["payments", "--state", "failed", "--data-dir", data.path])
        #expect(none.stdout.isEmpty)
        let bad = try await CLI.run(["payments", "--state", "done", "--data-dir", data.path])
        #expect(bad.status == 2 && bad.stderr.contains("--state"))
        let unknown = try await CLI.run(["status", "no-such-payment", "--data-dir", data.path])
        #expect(unknown.status == 2 && unknown.stderr.contains("no-such-payment"))
    }

    @Test("a rail whose counterpart is down at execution (its node gone after the quote): exit 9 naming the rail and where the payment stands; nothing paid")
    func counterpartDownAtExecution() async throws {
        let chain = try await DevChain.start(sandbox: true)
        let (config, data, environment) = try Self.sandbox(chain)
        defer { try? FileManager.default.removeItem(at: config.deletingLastPathComponent()) }
        let quoted = try await CLI.run(["quote", "--config", config.path, "--data-dir", data.path, "--request", "Config/samples/sandbox-deposit-token.json",
                                  "--save", "--json"], environment: environment)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(quoted.stdout.utf8)) as? [String: Any], "\(quoted.stderr)")
        let rail = try #require((report["rails"] as? [[String: Any]])?.first { $0["rail"] as? String == "deposit-token-sandbox" })
        let quoteID = try #require((rail["quote"] as? [String: Any])?["id"] as? String, "\(rail)")
        // At execution the rail's node is gone: nothing listens where it is configured now.
        let paid = try await CLI.run(["pay", "--config", config.path, "--data-dir", data.path, "--quote", quoteID, "--idempotency-key", "node-down", "--no-wait"],
                               environment: environment.merging(["SWITCHYARD_DEVCHAIN_URL": "http://127.0.0.1:9"]) { $1 })
        #expect(paid.status == 9, "\(paid.stdout)\(paid.stderr)")
        #expect(paid.stderr.contains("deposit-token-sandbox is unavailable") && paid.stderr.contains("status --refresh"), "\(paid.stderr)")
    }

    // One step at a time: each case starts its own dev chain, and four at once on two cores
    // slowed a round past the quote's 30 s validity in some full runs.
    @Test("crash harness: the paying process is killed after each durable step; `switchyard executor` recovers every payment, each paid exactly once on chain",
          .serialized, arguments: ["stored", "checkpoint", "submitted", "receipt"])
    func crashAfterEachStep(step: String) async throws {
        let chain = try await DevChain.start(sandbox: true)
        let (config, data, environment) = try Self.sandbox(chain)
        defer { try? FileManager.default.removeItem(at: config.deletingLastPathComponent()) }
        let key = "crash-\(step)"
        let killed = try await CLI.run(["pay", "--config", config.path, "--data-dir", data.path, "--request", "Config/samples/sandbox-deposit-token.json",
                                  "--rail", "deposit-token-sandbox", "--idempotency-key", key, "--no-wait"],
                                 environment: environment.merging(["SWITCHYARD_CRASH_AFTER": step, "SWITCHYARD_LEASE_SECONDS": "1"]) { $1 })
        #expect(killed.status != 0 && !killed.stdout.contains("payment pay_"), "the process was not killed after \(step): \(killed.stdout)")
        #expect(try await Self.transfersToPayee(chain) <= 1)

        // A new process picks the payment up from the store and drives it to final.
        var settled = false
        var rounds = [String]()
        // Rounds until settled, for at most 90 s: on a loaded machine a round can find the lease
        // not yet expired, or take seconds; the loop ends as soon as the payment settles.
        let started = ContinuousClock.now
        while !settled, ContinuousClock.now - started < .seconds(90) {
            try await Task.sleep(for: .milliseconds(1100))  // the payment's next action is due a second after its last step
            let round = try await CLI.run(["executor", "--once", "--config", config.path, "--data-dir", data.path], environment: environment)
            #expect(round.status == 0, "\(round.stderr)")
            rounds.append(round.stdout + round.stderr)
            try await chain.mine()
            let status = try await CLI.run(["status", key, "--key", "--data-dir", data.path])
            settled = status.stdout.contains(": settled on deposit-token-sandbox")
            if status.stdout.contains(": failed on") || status.stdout.contains(": rejected on") { break }
        }
        let status = try await CLI.run(["status", key, "--key", "--data-dir", data.path])
        #expect(settled, "not settled after the crash at \(step) (\(rounds.count) rounds; the last: \(rounds.last ?? "-")): \(status.stdout)")
        let transfers = try await Self.transfersToPayee(chain)
        #expect(transfers == 1, "paid \(transfers) times after a crash at \(step)")
    }

    /// The bank simulator as `switchyard-sandbox bank` runs it, on a free port, its clock fast.
    static func startBank(token: String, settings: String = "Sandbox/config/bank-simulator.json") async throws -> (process: Process, url: URL) {
        let (process, line) = try await CLI.launch(CLI.sandboxExecutable, ["bank", "--port", "0", "--speed", "200000", "--settings", settings],
                                                   environment: ["SWITCHYARD_BANK_SIM_TOKEN": token])
        let ready = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let address = try #require(ready["url"] as? String)
        return (process, try #require(URL(string: address)))
    }

    @Test("crash harness over SWIFT: killed after each durable step, the payment is recovered and the bank holds exactly one pacs.008 for it",
          arguments: ["stored", "checkpoint", "submitted", "receipt"])
    func crashOverSWIFT(step: String) async throws {
        let token = "crash-bank-token"
        let (bank, url) = try await Self.startBank(token: token)
        defer { bank.terminate() }
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-swift-crash-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        let environment = ["SWITCHYARD_BANK_A_URL": url.absoluteString, "SWITCHYARD_BANK_A_TOKEN": token, "SWITCHYARD_CONFIG": "Config"]
        let key = "swift-crash-\(step)"
        let killed = try await CLI.run(["pay", "--data-dir", data.path, "--request", "Config/samples/hk-supplier-usd-cnh.json",
                                  "--rail", "correspondent-bank-a", "--idempotency-key", key, "--no-wait"],
                                 environment: environment.merging(["SWITCHYARD_CRASH_AFTER": step, "SWITCHYARD_LEASE_SECONDS": "1"]) { $1 })
        #expect(killed.status != 0 && !killed.stdout.contains("payment pay_"), "the process was not killed after \(step): \(killed.stdout)\(killed.stderr)")

        var final = false
        for _ in 0..<10 where !final {
            try await Task.sleep(for: .milliseconds(1100))
            let round = try await CLI.run(["executor", "--once", "--data-dir", data.path], environment: environment)
            #expect(round.status == 0, "\(round.stderr)")
            let status = try await CLI.run(["status", key, "--key", "--data-dir", data.path])
            final = [": settled on", ": failed on", ": returned on"].contains { status.stdout.contains($0) }
        }
        let status = try await CLI.run(["status", key, "--key", "--json", "--data-dir", data.path])
        #expect(final, "not final after a crash at \(step): \(status.stdout)")
        #expect(status.stdout.contains("\"state\" : \"settled\""), "\(status.stdout)")

        // The bank's own ledger: one payment, under the UETR the journal recorded.
        var request = URLRequest(url: url.appendingPathComponent("v1/sandbox/payments"))
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (body, _) = try await URLSession.shared.data(for: request)
        let ledger = try #require(try JSONSerialization.jsonObject(with: body) as? [[String: Any]])
        #expect(ledger.count == 1, "the bank holds \(ledger.count) payments after a crash at \(step): \(ledger)")
        let uetr = try #require(ledger.first?["uetr"] as? String)
        #expect(status.stdout.contains(uetr), "the journal's UETR is not the bank's")
    }

    @Test("two `switchyard executor` processes on one PostgreSQL database: 200 stored payments all final, each pacs.008 booked once; one process killed midway, the other takes over")
    func twoExecutorProcessesOnPostgres() async throws {
        let token = "two-process-token"
        let (bank, url) = try await Self.startBank(token: token)
        defer { bank.terminate() }
        let database = try await PostgresServer.shared.value.makeDatabase()
        let environment = ["SWITCHYARD_BANK_A_URL": url.absoluteString, "SWITCHYARD_BANK_A_TOKEN": token, "SWITCHYARD_CONFIG": "Config",
                           "SWITCHYARD_DATABASE_URL": database.absoluteString, "SWITCHYARD_LEASE_SECONDS": "2"]
        // One payment accepted through the CLI and stopped right after it was stored, then a few
        // hundred more accepted as an API would store them (the same firm quote, kept by `quote --save`).
        let count = 200
        let stored = try await CLI.run(["pay", "--request", "Config/samples/hk-supplier-usd-cnh.json", "--rail", "correspondent-bank-a",
                                  "--idempotency-key", "two-process-0", "--no-wait"],
                                 environment: environment.merging(["SWITCHYARD_CRASH_AFTER": "stored"]) { $1 })
        #expect(stored.status != 0, "\(stored.stdout)\(stored.stderr)")
        let quoted = try await CLI.run(["quote", "--request", "Config/samples/hk-supplier-usd-cnh.json", "--save", "--json"],
                                 environment: environment)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(quoted.stdout.utf8)) as? [String: Any], "\(quoted.stderr)")
        let rail = try #require((report["rails"] as? [[String: Any]])?.first { $0["rail"] as? String == "correspondent-bank-a" })
        let quoteID = try #require((rail["quote"] as? [String: Any])?["id"] as? String)
        let store = try PostgresPaymentStore(url: database.absoluteString)
        try await withThrowingTaskGroup(of: Void.self) { pool in
            pool.addTask { try await store.run() }
            let kept = try #require(try await store.quote(id: QuoteID(quoteID)))
            for index in 1..<count {
                _ = try await store.create(PaymentRecord(id: "bulk-\(index)", idempotencyKey: "two-process-\(index)", requestHash: "h-\(index)",
                                                         intent: kept.intent, quote: kept.quote, createdAt: CLI.now()))
            }
            pool.cancelAll()
        }
        func executor(_ name: String) throws -> Process {
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = ["executor", "--owner", name, "--verbose"]
            process.currentDirectoryURL = CLI.repository
            process.environment = CLI.cleanEnvironment.merging(environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-executor-\(name)-\(UUID().uuidString).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: log)
            print("executor \(name) logs to \(log.path)")
            try process.run()
            return process
        }
        try await Task.sleep(for: .seconds(2))  // the stopped processes' leases run out
        let first = try executor("first"), second = try executor("second")
        defer { first.terminate(); second.terminate() }
        try await Task.sleep(for: .milliseconds(1500))
        kill(first.processIdentifier, SIGKILL)  // midway: whatever it held comes back after its lease

        // Every payment ends final. One stored earlier than its quote's validity allows on a busy
        // machine is refused (QUOTE_EXPIRED, nothing sent) — that too is final, and never booked.
        var settled = 0, final = 0
        for _ in 0..<120 where final < count {
            try await Task.sleep(for: .seconds(1))
            let listed = try await CLI.run(["payments", "--state", "settled", "--state", "failed", "--limit", "1000", "--json"], environment: environment)
            let payments = (try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8))) as? [[String: Any]] ?? []
            final = payments.count
            settled = payments.filter { $0["state"] as? String == "settled" }.count
            let failures = payments.compactMap { ($0["failure"] as? [String: Any])?["code"] as? String }
            #expect(failures.allSatisfy { $0 == "QUOTE_EXPIRED" }, "\(failures)")
        }
        #expect(final == count, "\(final) of \(count) final")
        #expect(settled > 0)
        var request = URLRequest(url: url.appendingPathComponent("v1/sandbox/payments"))
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (body, _) = try await URLSession.shared.data(for: request)
        let ledger = try #require(try JSONSerialization.jsonObject(with: body) as? [[String: Any]])
        #expect(ledger.count == settled, "the bank holds \(ledger.count) payments for \(settled) settled: one was booked twice or lost")

        // SIGTERM: the surviving executor stops claiming, gives back what it holds, and exits cleanly.
        second.terminate()
        for _ in 0..<100 where second.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!second.isRunning && second.terminationReason == .exit && second.terminationStatus == 0,
                "the executor did not shut down gracefully: \(second.terminationReason.rawValue) \(second.terminationStatus)")
    }

    @Test("crash harness over the CNH legs: killed after each durable step (stored, plan, FX deal, signed transfer, sent, receipt), every payment is recovered and settles; the desk booked one deal, the chain carries one transfer and the partner holds one payout per payment")
    func crashOverCNHLegs() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-cnh-crash-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        let (sandbox, line) = try await CLI.launch(CLI.sandboxExecutable, ["up", "--data-dir", data.path, "--speed", "36000"])
        defer { sandbox.terminate() }
        let ready = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let config = try #require(ready["config"] as? String)
        let counterparts = try #require(ready["counterparts"] as? [String: String])
        let chainURL = try #require(counterparts["cnhChain"].flatMap(URL.init(string:)))
        let fxURL = try #require(counterparts["fx"].flatMap(URL.init(string:)))
        let partnerURL = try #require(counterparts["offRamp"].flatMap(URL.init(string:)))
        // A tenth of the sample invoice, so the liquidity wallet's inventory covers every payment.
        let invoice = try String(contentsOf: CLI.repository.appendingPathComponent("Config/samples/hk-invoice-fixed-receive-cnh.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"1780000.00\"", with: "\"178000.00\"")
        let environment = ["SWITCHYARD_DATA_DIR": data.path]

        let steps = ["stored", "checkpoint:1", "checkpoint:2", "checkpoint:3", "submitted", "receipt"]
        for step in steps {
            let killed = try await CLI.run(["pay", "--config", config, "--request", "-", "--rail", "axcnh-conflux", "--idempotency-key", "cnh-\(step)", "--no-wait"],
                                     stdin: invoice,
                                     environment: environment.merging(["SWITCHYARD_CRASH_AFTER": step, "SWITCHYARD_LEASE_SECONDS": "1"]) { $1 })
            #expect(killed.status != 0 && !killed.stdout.contains("payment pay_"), "the process was not killed after \(step): \(killed.stdout)\(killed.stderr)")
        }

        // New processes pick every payment up from the store and drive it to final.
        var reports = [String: [String: Any]]()
        for _ in 0..<30 where reports.count < steps.count {
            try await Task.sleep(for: .milliseconds(1100))
            let round = try await CLI.run(["executor", "--once", "--config", config], environment: environment)
            #expect(round.status == 0, "\(round.stderr)")
            for step in steps where reports["cnh-\(step)"] == nil {
                let status = try await CLI.run(["status", "cnh-\(step)", "--key", "--json"], environment: environment)
                let report = (try? JSONSerialization.jsonObject(with: Data(status.stdout.utf8))) as? [String: Any]
                if let payment = report?["payment"] as? [String: Any], ["settled", "failed", "returned"].contains(payment["state"] as? String ?? "") {
                    reports["cnh-\(step)"] = payment
                }
            }
        }
        var deals = Set<String>(), hashes = Set<String>(), payouts = Set<String>()
        for step in steps {
            let payment = try #require(reports["cnh-\(step)"], "not final after a crash at \(step)")
            #expect(payment["state"] as? String == "settled", "after a crash at \(step): \(payment["state"] ?? "-") \(payment["failure"] ?? "")")
            let checkpoint = try #require(((payment["submission"] as? [String: Any])?["checkpoint"] as? [String: Any])?["payload"] as? String)
            let legs = try #require(try JSONSerialization.jsonObject(with: Data(checkpoint.utf8)) as? [String: Any])
            deals.insert(try #require(legs["dealID"] as? String, "no deal recorded after a crash at \(step)"))
            hashes.insert(try #require((legs["transferHash"] as? String)?.lowercased(), "no transfer recorded after a crash at \(step)"))
            payouts.insert(try #require((legs["plan"] as? [String: Any])?["offRampID"] as? String, "no payout recorded after a crash at \(step)"))
        }
        #expect(deals.count == steps.count && hashes.count == steps.count && payouts.count == steps.count)

        // What each counterpart holds, from its own books: nothing booked, sent or opened twice.
        // Their books need the credentials the sandbox wrote into the rail's configuration.
        let rail = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: config).appendingPathComponent("rails/axcnh-conflux.json")))
                                as? [String: Any])
        let execution = try #require(rail["execution"] as? [String: Any])
        func authorized(_ url: URL, _ counterpart: String) throws -> URLRequest {
            var request = URLRequest(url: url)
            let token = try #require(((execution[counterpart] as? [String: Any])?["token"] as? [String: Any])?["value"] as? String)
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            return request
        }
        let booked = try #require(try JSONSerialization.jsonObject(with: try await URLSession.shared.data(for: try authorized(fxURL.appendingPathComponent("sandbox/deals"), "fx")).0)
                                  as? [[String: Any]])
        #expect(Set(booked.compactMap { $0["deal_id"] as? String }) == deals && booked.count == steps.count, "the desk booked \(booked.count) deals")
        let opened = try #require(try JSONSerialization.jsonObject(with: try await URLSession.shared.data(
                                      for: try authorized(partnerURL.appendingPathComponent("v1/sandbox/payouts"), "offRamp")).0)
                                  as? [[String: Any]])
        #expect(Set(opened.compactMap { $0["id"] as? String }) == payouts && opened.count == steps.count, "the partner holds \(opened.count) payouts")
        let client = EthereumClient(rpc: JSONRPCClient(url: chainURL))
        let logs = try await client.logs(address: Self.token, topics: [ERC20.transferTopic], from: .number(0), to: .latest)
        let mint = try EVMAddress("0x0000000000000000000000000000000000000000")
        let sent = try logs.filter { try ERC20.transferEvent(in: $0).map { $0.from != mint } ?? false }
        #expect(Set(sent.compactMap { $0.transactionHash?.lowercased() }) == hashes && sent.count == steps.count,
                "the chain carries \(sent.count) token transfers for \(steps.count) payments")
    }

    @Test("failover through the CLI: bank A's correspondent rejects the pacs.008 (RC04), so `switchyard pay` moves the payment to bank B, which books it once and settles it; the same key again answers that payment")
    func failoverThroughTheCLI() async throws {
        let token = "failover-bank-token"
        // Bank A's simulator reaches no creditor agent of this corridor.
        let settingsFile = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-refusing-bank-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: settingsFile) }
        var settings = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.repository.appendingPathComponent("Sandbox/config/bank-simulator.json")))
                                    as? [String: Any])
        settings["reachableBICs"] = ["SWYXHKHH"]
        try JSONSerialization.data(withJSONObject: settings).write(to: settingsFile)
        let (bankA, urlA) = try await Self.startBank(token: token, settings: settingsFile.path)
        defer { bankA.terminate() }
        let (bankB, urlB) = try await Self.startBank(token: token)
        defer { bankB.terminate() }
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-failover-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        let environment = ["SWITCHYARD_BANK_A_URL": urlA.absoluteString, "SWITCHYARD_BANK_A_TOKEN": token,
                           "SWITCHYARD_BANK_B_URL": urlB.absoluteString, "SWITCHYARD_BANK_B_TOKEN": token,
                           "SWITCHYARD_CONFIG": "Config", "SWITCHYARD_DATA_DIR": data.path]
        let pay = ["pay", "--request", "Config/samples/hk-supplier-usd-cnh.json", "--rail", "correspondent-bank-a", "--idempotency-key", "failover-cli",
                   "--no-wait"]
        let paid = try await CLI.run(pay, environment: environment)
        #expect(paid.status == 0, "\(paid.stdout)\(paid.stderr)")

        func ledger(_ url: URL) async throws -> [[String: Any]] {
            var request = URLRequest(url: url.appendingPathComponent("v1/sandbox/payments"))
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            return try #require(try JSONSerialization.jsonObject(with: try await URLSession.shared.data(for: request).0) as? [[String: Any]])
        }
        let refused = try await ledger(urlA), booked = try await ledger(urlB)
        #expect(refused.count == 1 && refused.first?["rejected"] as? Bool == true, "\(refused)")
        #expect(booked.count == 1 && booked.first?["rejected"] as? Bool == false, "\(booked)")

        // A new process follows it to final on bank B; the journal shows both attempts.
        var settled = false
        for _ in 0..<10 where !settled {
            let status = try await CLI.run(["status", "failover-cli", "--key", "--refresh"], environment: environment)
            settled = status.stdout.contains(": settled on correspondent-bank-b")
            if !settled { try await Task.sleep(for: .milliseconds(500)) }
        }
        let status = try await CLI.run(["status", "failover-cli", "--key"], environment: environment)
        #expect(settled, "\(status.stdout)")
        #expect(status.stdout.contains("attempts 2") && status.stdout.contains(PaymentExecutor.attemptDeclinedCode), "\(status.stdout)")
        let uetr = try #require(booked.first?["uetr"] as? String)
        #expect(status.stdout.contains("reference: uetr:\(uetr)"), "\(status.stdout)")

        // The same key again: the same payment, nothing sent to either bank.
        let again = try await CLI.run(pay, environment: environment)
        #expect(again.status == 0 && !again.stdout.contains("journal: prepared"), "\(again.stdout)\(again.stderr)")
        let refusedAfter = try await ledger(urlA), bookedAfter = try await ledger(urlB)
        #expect(refusedAfter.count == 1 && bookedAfter.count == 1)
    }

    @Test("switchyard pay's exit codes against the sandbox: 0 when it waits to settled, 5 for an expired stored quote (nothing stored or sent), 6 for a payment the bank rejects, 7 when not final within --timeout")
    func payExitCodes() async throws {
        let token = "exit-codes-bank-token"
        let (bank, url) = try await Self.startBank(token: token)
        defer { bank.terminate() }
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-exit-codes-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        let environment = ["SWITCHYARD_BANK_A_URL": url.absoluteString, "SWITCHYARD_BANK_A_TOKEN": token,
                           "SWITCHYARD_CONFIG": "Config", "SWITCHYARD_DATA_DIR": data.path]
        let sample = try String(contentsOf: CLI.repository.appendingPathComponent("Config/samples/hk-supplier-usd-cnh.json"), encoding: .utf8)
        let pay = ["pay", "--request", "-", "--rail", "correspondent-bank-a", "--timeout", "60"]

        let settled = try await CLI.run(pay, stdin: sample, environment: environment)
        #expect(settled.status == 0 && settled.stdout.contains("settled"), "\(settled.stdout)\(settled.stderr)")

        // On the bank simulator's sanctions list, not on the routing policy's: the bank refuses it (RR04).
        let sanctioned = sample.replacingOccurrences(of: "Harbour Electronics Supply Ltd", with: "Sanctioned Shipping LLC")
        #expect(sanctioned != sample)
        let rejected = try await CLI.run(pay, stdin: sanctioned, environment: environment)
        #expect(rejected.status == 6 && rejected.stdout.contains("RR04"), "\(rejected.stdout)\(rejected.stderr)")

        // A quote kept an hour ago has expired: refused before anything is stored or sent.
        let hourAgo = Timestamp.format(CLI.now().addingTimeInterval(-3600))
        let quoted = try await CLI.run(["quote", "--request", "Config/samples/hk-supplier-usd-cnh.json", "--save", "--json", "--now", hourAgo], environment: environment)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(quoted.stdout.utf8)) as? [String: Any], "\(quoted.stderr)")
        let rail = try #require((report["rails"] as? [[String: Any]])?.first { $0["rail"] as? String == "correspondent-bank-a" })
        let quoteID = try #require((rail["quote"] as? [String: Any])?["id"] as? String)
        let before = try await CLI.run(["payments", "--limit", "100"], environment: environment).stdout
        let expired = try await CLI.run(["pay", "--quote", quoteID], environment: environment)
        #expect(expired.status == 5 && expired.stderr.contains("QUOTE_EXPIRED"), "\(expired.stdout)\(expired.stderr)")
        #expect(try await CLI.run(["payments", "--limit", "100"], environment: environment).stdout == before, "a refused quote left a payment behind")

        // The deposit-token sandbox with nobody mining: sent, never final within two seconds.
        let chain = try await DevChain.start(sandbox: true)
        let (config, chainData, chainEnvironment) = try Self.sandbox(chain)
        defer { try? FileManager.default.removeItem(at: config.deletingLastPathComponent()) }
        let pending = try await CLI.run(["pay", "--config", config.path, "--data-dir", chainData.path, "--request", "Config/samples/sandbox-deposit-token.json",
                                   "--rail", "deposit-token-sandbox", "--timeout", "2"], environment: chainEnvironment)
        #expect(pending.status == 7, "\(pending.stdout)\(pending.stderr)")
        #expect(try await Self.transfersToPayee(chain) == 1)
    }
}
