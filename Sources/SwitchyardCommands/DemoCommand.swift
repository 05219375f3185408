import ArgumentParser
import CounterpartHTTPClient
import Foundation

/// `switchyard demo`: quotes and pays a set of sample payments through the HTTP API of a running
/// `switchyard serve` (the sandbox's, in the README's first command), printing each route table,
/// the choice and why, and each payment's states until final.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Quote and pay sample payments through a running server's API, and watch them settle.")

    @Option(help: ArgumentHelp("The API's base URL (default: $SWITCHYARD_API_URL).", valueName: "url"))
    var url: String?

    @Option(name: .customLong("key-file"), help: ArgumentHelp("A file holding a write-scope API key (default: $SWITCHYARD_API_KEY).", valueName: "file"))
    var keyFile: String?

    @Option(help: ArgumentHelp("The sample intents (default: Config/samples).", valueName: "dir"))
    var samples = "Config/samples"

    @Option(help: "Stop watching a payment after this many seconds.")
    var timeout = 180

    func run() async throws {
        do {
            let environment = ProcessInfo.processInfo.environment
            guard let base = (url ?? environment["SWITCHYARD_API_URL"]).flatMap(URL.init(string:)) else {
                throw CommandFailure(exitCode: 2, message: "--url: the API's base URL, e.g. http://127.0.0.1:8080 (or set SWITCHYARD_API_URL)")
            }
            let key = try keyFile.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? environment["SWITCHYARD_API_KEY"]
            guard let key = key?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty else {
                throw CommandFailure(exitCode: 2, message: "--key-file: a file with a write-scope API key (switchyard keys create --scope write)")
            }
            let client = APIClient(base: base, key: key)
            let run = UUID().uuidString.prefix(8).lowercased()
            var failures = 0

            func sample(_ name: String) throws -> [String: Any] {
                let file = URL(fileURLWithPath: samples).appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: file.path),
                      let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                    throw CommandFailure(exitCode: 2, message: "--samples: cannot read \(file.path)")
                }
                return object
            }

            let paid = [
                ("USD to a Hong Kong supplier in USD, over the deposit token (sandbox chain)", try sample("sandbox-deposit-token.json"), "deposit-token-sandbox"),
                ("A fixed 1,780,000 CNH invoice to Hong Kong, over AxCNH (FX, token transfer, off-ramp)", try sample("hk-invoice-fixed-receive-cnh.json"), "axcnh-conflux"),
                ("EUR from a German buyer to a Hong Kong supplier in USD, over a correspondent bank", try sample("eu-buyer-eur-hk-usd.json"), nil),
                ("USD to a mainland-China supplier's invoice in CNY, over CIPS (a rail in its own process); the stablecoin is excluded, and says why",
                 try sample("cn-supplier-usd-cnh.json"), "cips-participant"),
            ]
            var first: (body: [String: Any], key: String, id: String)?
            for (title, intent, rail) in paid {
                print("\n== \(title)")
                let report = try await client.quote(intent)
                print(Self.routeTable(report))
                let chosenRail = rail ?? (report["chosenRail"] as? String)
                let rails = report["rails"] as? [[String: Any]] ?? []
                guard let quoteID = rails.first(where: { $0["rail"] as? String == chosenRail }).flatMap({ ($0["quote"] as? [String: Any])?["id"] as? String }) else {
                    print("  no quote on \(chosenRail ?? "any rail"); nothing paid")
                    failures += 1
                    continue
                }
                let idempotencyKey = "demo-\(run)-\(first == nil ? 1 : 2)-\(chosenRail ?? "")"
                let body: [String: Any] = ["quoteId": quoteID]
                let (status, payment) = try await client.send("POST", "/v1/payments", body: body, idempotencyKey: idempotencyKey)
                guard status == 201, let id = payment["id"] as? String else {
                    print("  payment refused (\(status)): \(payment["detail"] as? String ?? "\(payment)")")
                    failures += 1
                    continue
                }
                print("  paying quote \(quoteID) on \(chosenRail ?? "?") as \(id) (Idempotency-Key \(idempotencyKey))")
                if first == nil { first = (body, idempotencyKey, id) }
                let final = try await client.watch(id, timeout: timeout)
                if final != "settled" { failures += 1 }
            }

            print("\n== 75,000,000 USD to Hong Kong: above what some rails carry")
            var large = try sample("hk-usd-deposit-token.json")
            large["amount"] = ["amount": "75000000.00", "currency": "USD", "fixed": "send"]
            print(Self.routeTable(try await client.quote(large)))

            if let first {
                print("\n== The first payment's request again, with the same Idempotency-Key")
                let (status, payment) = try await client.send("POST", "/v1/payments", body: first.body, idempotencyKey: first.key)
                let same = payment["id"] as? String == first.id
                print("  \(status) \(payment["id"] as? String ?? "?") (\(payment["state"] as? String ?? "?")): "
                    + (same ? "the same payment, nothing paid twice" : "A DIFFERENT PAYMENT"))
                if !same || status != 200 { failures += 1 }
            }
            if failures > 0 { throw CommandFailure(exitCode: 6, message: "\(failures) demo payment(s) did not settle as expected") }
            print("\nAll demo payments settled. The API's document: \(base.appendingPathComponent("openapi.json").absoluteString)")
        } catch let failure as CommandFailure {
            throw fail(failure)
        }
    }

    /// The ranked rails, the excluded ones with their reason codes, and the choice with its reason.
    static func routeTable(_ report: [String: Any]) -> String {
        func money(_ value: Any?) -> String {
            guard let object = value as? [String: Any] else { return "-" }
            return "\(object["amount"] as? String ?? "?") \(object["currency"] as? String ?? "")"
        }
        func row(_ cells: [String]) -> String {
            zip(cells, [5, 23, 19, 21, 15, 0]).map { cell, width in cell.padding(toLength: max(width, cell.count + 1), withPad: " ", startingAt: 0) }
                .joined().trimmingCharacters(in: .whitespaces)
        }
        var lines = ["  " + row(["RANK", "RAIL", "PAYS", "RECEIVES", "COST", "ETA p50"])]
        let rails = report["rails"] as? [[String: Any]] ?? []
        for rail in rails where rail["eligible"] as? Bool == true {
            let quote = rail["quote"] as? [String: Any] ?? [:]
            let eta = (quote["eta"] as? [String: Any])?["p50Seconds"] as? Int ?? 0
            lines.append("  " + row(["\(rail["rank"] as? Int ?? 0)", rail["rail"] as? String ?? "?", money(quote["debtorPays"]),
                                     money(quote["creditorReceives"]), money(quote["totalCost"]), Self.duration(eta)]))
        }
        for rail in rails where rail["eligible"] as? Bool == false {
            let codes = (rail["reasonCodes"] as? [String] ?? []).joined(separator: ", ")
            lines.append("  excluded  \(rail["rail"] as? String ?? "?"): \(codes)")
        }
        lines.append("  chosen: " + (report["explanation"] as? String ?? "-"))
        return lines.joined(separator: "\n")
    }

    static func duration(_ seconds: Int) -> String {
        seconds < 120 ? "\(seconds) s" : seconds < 7200 ? "\(seconds / 60) min" : seconds < 172_800 ? "\(seconds / 3600) h" : "\(seconds / 86400) d"
    }
}

/// The few API calls the demo makes, with its key.
struct APIClient {
    let base: URL
    let key: String

    func send(_ method: String, _ path: String, body: [String: Any]? = nil, idempotencyKey: String? = nil) async throws -> (Int, [String: Any]) {
        var request = CounterpartRequest(url: base.appendingPathComponent(path), method: method, timeout: 30)
        request.setHeader("Authorization", "Bearer \(key)")
        if let idempotencyKey { request.setHeader("Idempotency-Key", idempotencyKey) }
        if let body {
            request.body = try JSONSerialization.data(withJSONObject: body)
            request.setHeader("Content-Type", "application/json")
        }
        let response = try await CounterpartHTTP.send(request)
        return (response.status, (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:])
    }

    func quote(_ intent: [String: Any]) async throws -> [String: Any] {
        let (status, report) = try await send("POST", "/v1/quotes", body: intent)
        guard status == 200 else { throw CommandFailure(exitCode: 5, message: "POST /v1/quotes answered \(status): \(report["detail"] as? String ?? "\(report)")") }
        return report
    }

    /// Prints each state the payment passes through (with a progress line on a terminal) until
    /// it is final or `timeout` seconds pass; returns the last state.
    func watch(_ id: String, timeout: Int) async throws -> String {
        let start = Date()
        let terminal = isatty(STDOUT_FILENO) == 1
        var last = "", events = 0, tick = 0
        while Date().timeIntervalSince(start) < Double(timeout) {
            let (_, payment) = try await send("GET", "/v1/payments/\(id)")
            let state = payment["state"] as? String ?? "?"
            let (_, journal) = try await send("GET", "/v1/payments/\(id)/events")
            let entries = journal["data"] as? [[String: Any]] ?? []
            let elapsed = String(format: "%5.1f s", Date().timeIntervalSince(start))
            if entries.count > events || state != last {
                if terminal { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)) }
                for entry in entries.dropFirst(events) {
                    let what = [entry["type"] as? String, entry["state"] as? String, entry["railCode"] as? String].compactMap { $0 }.joined(separator: " ")
                    print("  \(elapsed)  \(what)  \(entry["reference"] as? String ?? "")")
                }
                events = entries.count
                last = state
            }
            if ["settled", "failed", "returned"].contains(state) {
                let reason = (payment["reason"] as? [String: Any]).map { " — \($0["code"] as? String ?? ""): \($0["message"] as? String ?? "")" } ?? ""
                let credited = (payment["credited"] as? [String: Any]).map { ", credited \($0["amount"] as? String ?? "") \($0["currency"] as? String ?? "")" } ?? ""
                print("  \(elapsed)  \(id) \(state)\(credited)\(reason)")
                return state
            }
            if terminal {
                tick += 1
                // Unbuffered, so the progress line shows while it waits.
                FileHandle.standardOutput.write(Data(("\r  \(elapsed)  \(state) " + String(repeating: ".", count: tick % 4) + "   ").utf8))
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        if terminal { print("") }
        print("  still \(last) after \(timeout) s")
        return last
    }
}
