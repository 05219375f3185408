import BankSimulator
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import RailKit
import SwitchyardAPI
import SwitchyardExecutor
import SwitchyardServer
import Testing

@Suite("HTTP API")
struct APIServerTests {
    @Test("every route but health needs a key; reads need read scope, writes write scope; a revoked key stops working")
    func authentication() async throws {
        let harness = try await ServerHarness.start(keyCache: .zero)
        defer { harness.stop() }
        try await harness.withClient { client in
            for path in ["/healthz", "/readyz"] {
                try await client.execute(uri: path, method: .get) { #expect($0.status == .ok) }
            }
            for (path, method) in [("/v1/rails", HTTPRequest.Method.get), ("/v1/payments", .get), ("/v1/quotes", .post), ("/openapi.json", .get)] {
                try await client.execute(uri: path, method: method) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"switchyard\"")
                    let typeField = try response.body.object()["type"] as? String
                    #expect(typeField == "https://switchyard.dev/problems/unauthorized")
                }
            }
            // A well-formed token with the wrong secret, and a malformed one.
            let forged = String(harness.writeKey.dropLast(4)) + "0000"
            for token in [forged, "syk_nothing", "Basic abc"] {
                try await client.execute(uri: "/v1/rails", method: .get, headers: ServerHarness.headers(key: token)) { #expect($0.status == .unauthorized) }
            }
            try await client.execute(uri: "/v1/rails", method: .get, headers: ServerHarness.headers(key: harness.readKey)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/quotes", method: .post, headers: ServerHarness.headers(key: harness.readKey),
                                     body: try ByteBuffer(json: ServerHarness.intent())) { response in
                #expect(response.status == .forbidden)
                let typeField = try response.body.object()["type"] as? String
                #expect(typeField == "https://switchyard.dev/problems/forbidden")
            }
            let readID = String(harness.readKey.split(separator: "_")[1])
            #expect(try await harness.store.revokeAPIKey(id: readID, at: harness.clock.now()))
            try await client.execute(uri: "/v1/rails", method: .get, headers: ServerHarness.headers(key: harness.readKey)) { #expect($0.status == .unauthorized) }
        }
        // Only a hash of the secret is stored.
        let stored = try await harness.store.apiKeys()
        #expect(stored.count == 2)
        #expect(stored.allSatisfy { !harness.writeKey.contains($0.secretHash) && !harness.readKey.contains($0.secretHash) })
    }

    @Test("POST /v1/quotes answers every configured rail once, ranked or excluded with reason codes, and keeps the ranked quotes")
    func quotes() async throws {
        let harness = try await ServerHarness.start()
        defer { harness.stop() }
        try await harness.withClient { client in
            try await client.execute(uri: "/v1/quotes", method: .post, headers: ServerHarness.headers(key: harness.writeKey),
                                     body: try ByteBuffer(json: ServerHarness.intent())) { response in
                #expect(response.status == .ok)
                let report = try response.body.object()
                let rails = try #require(report["rails"] as? [[String: Any]])
                #expect(Set(rails.compactMap { $0["rail"] as? String }) == Set(harness.engine.rails.map(\.id.rawValue)))
                #expect(rails.count == harness.engine.rails.count)
                for rail in rails where rail["eligible"] as? Bool == false {
                    #expect((rail["reasonCodes"] as? [String])?.isEmpty == false)
                }
                let ranked = rails.filter { $0["eligible"] as? Bool == true }
                // Kept at once for payment by id on this server; in the store with the next batch.
                try await harness.server.quotes.flush()
                #expect(ranked.map { $0["rank"] as? Int } == Array(1...ranked.count).map { $0 })
                for rail in ranked {
                    let quote = try #require(rail["quote"] as? [String: Any])
                    let id = try #require(quote["id"] as? String)
                    #expect(try await harness.store.quote(id: QuoteID(id)) != nil)
                    let debtorPays = try #require(quote["debtorPays"] as? [String: Any])
                    #expect(debtorPays["amount"] is String)
                }
            }
        }
    }

    @Test("bad input: 400/413/415 problem+json naming the field and the rule; nothing is stored")
    func badInput() async throws {
        let harness = try await ServerHarness.start()
        defer { harness.stop() }
        try await harness.withClient { client in
            let key = harness.writeKey
            var intent = ServerHarness.intent()
            intent["amount"] = ["amount": "100.001", "currency": "USD", "fixed": "send"]
            var misspelled = ServerHarness.intent()
            misspelled["deadlin"] = "2026-11-25T17:00:00Z"
            var nested = ServerHarness.intent()
            nested["creditor"] = ["name": "Harbour", "country": "HK", "accounts": ["accountNumber": "012345678901", "bic": "SWYEHKHH", "ibann": "x"]]
            let cases: [(String, HTTPFields, ByteBuffer?, HTTPResponse.Status, String?)] = [
                ("/v1/quotes", ServerHarness.headers(key: key), try ByteBuffer(json: intent), .badRequest, "amount.amount"),
                ("/v1/quotes", ServerHarness.headers(key: key), ByteBuffer(string: "{not json"), .badRequest, "(body)"),
                ("/v1/quotes", ServerHarness.headers(key: key), try ByteBuffer(json: misspelled), .badRequest, "deadlin"),
                ("/v1/payments", ServerHarness.headers(key: key, idempotencyKey: "k-4"), try ByteBuffer(json: ["intent": nested]), .badRequest,
                 "intent.creditor.accounts.ibann"),
                ("/v1/payments", ServerHarness.headers(key: key, idempotencyKey: "k-5"), try ByteBuffer(json: ["quoteID": "q"]), .badRequest, "quoteID"),
                ("/v1/quotes", ServerHarness.headers(key: key, json: false), try ByteBuffer(json: ServerHarness.intent()), .unsupportedMediaType, nil),
                ("/v1/quotes", ServerHarness.headers(key: key), ByteBuffer(string: String(repeating: " ", count: 70_000)), .contentTooLarge, nil),
                ("/v1/payments", ServerHarness.headers(key: key), try ByteBuffer(json: ["intent": ServerHarness.intent()]), .badRequest, "Idempotency-Key"),
                ("/v1/payments", ServerHarness.headers(key: key, idempotencyKey: "k 1"), try ByteBuffer(json: ["intent": ServerHarness.intent()]),
                 .badRequest, "Idempotency-Key"),
                ("/v1/payments", ServerHarness.headers(key: key, idempotencyKey: "k-1"), try ByteBuffer(json: [String: Any]()), .badRequest, "intent"),
                ("/v1/payments", ServerHarness.headers(key: key, idempotencyKey: "k-2"), try ByteBuffer(json: ["quoteId": "q_none"]), .badRequest, "quoteId"),
                ("/v1/payments", ServerHarness.headers(key: key, idempotencyKey: "k-3"), try ByteBuffer(json: ["quoteId": "q", "intent": ServerHarness.intent()]),
                 .badRequest, "quoteId"),
            ]
            for (path, headers, body, status, field) in cases {
                try await client.execute(uri: path, method: .post, headers: headers, body: body) { response in
                    #expect(response.status == status, "\(path) \(field ?? "")")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    let problem = try response.body.object()
                    #expect(problem["status"] as? Int == Int(status.code))
                    if let field {
                        let errors = try #require(problem["errors"] as? [[String: Any]], "\(problem)")
                        #expect(errors.first?["field"] as? String == field, "\(problem)")
                        #expect(errors.first?["rule"] is String)
                    }
                }
            }
            for query in ["state=done", "limit=0", "limit=201", "createdAfter=yesterday", "cursor=%%%", "rail=Not%20A%20Rail"] {
                try await client.execute(uri: "/v1/payments?\(query)", method: .get, headers: ServerHarness.headers(key: key)) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    let field = String(query.prefix { $0 != "=" })
                    let errors = try response.body.object()["errors"] as? [[String: Any]]
                    #expect(errors?.first?["field"] as? String == field)
                }
            }
            try await client.execute(uri: "/v1/nowhere", method: .get, headers: ServerHarness.headers(key: key)) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
        #expect(try await harness.store.payments(matching: PaymentFilter()).isEmpty)
    }

    @Test("a payment: 201 once; the same key and body again 200 with the same payment; another body 422; executed and followed to settled")
    func paymentLifecycle() async throws {
        let harness = try await ServerHarness.start()
        defer { harness.stop() }
        try await harness.withClient { client in
            let body = try ByteBuffer(json: ["intent": ServerHarness.intent(), "rail": "correspondent-bank-a"])
            let headers = ServerHarness.headers(key: harness.writeKey, idempotencyKey: "order-42")
            let id = try await client.execute(uri: "/v1/payments", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .created)
                let payment = try response.body.object()
                #expect(payment["state"] as? String == "created")
                #expect(payment["rail"] as? String == "correspondent-bank-a")
                #expect(payment["idempotencyKey"] as? String == "order-42")
                #expect((payment["debtorPays"] as? [String: Any])?["amount"] as? String != nil)
                let id = try #require(payment["id"] as? String)
                #expect(response.headers[.location] == "/v1/payments/\(id)")
                return id
            }
            // Repeated: the same payment, no second one.
            try await client.execute(uri: "/v1/payments", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
                let idField = try response.body.object()["id"] as? String
                #expect(idField == id)
            }
            // The same key with another request.
            let other = try ByteBuffer(json: ["intent": ServerHarness.intent(amount: "5.00"), "rail": "correspondent-bank-a"])
            try await client.execute(uri: "/v1/payments", method: .post, headers: headers, body: other) { response in
                #expect(response.status == .unprocessableContent)
                let problem = try response.body.object()
                #expect(problem["type"] as? String == "https://switchyard.dev/problems/idempotency-conflict")
                #expect(problem["paymentId"] as? String == id)
            }
            #expect(try await harness.store.payments(matching: PaymentFilter()).map(\.id) == [id])

            // The executor (a service beside the server in `switchyard serve`) executes it, then follows it.
            try await harness.executor.runDue(owner: "test")
            try await client.execute(uri: "/v1/payments/\(id)", method: .get, headers: ServerHarness.headers(key: harness.readKey)) { response in
                let payment = try response.body.object()
                #expect(["submitted", "pending"].contains(payment["state"] as? String))
                #expect((payment["reference"] as? String)?.hasPrefix("uetr:") == true)
            }
            for _ in 0..<6 {
                harness.clock.advance(by: 8 * 3600)
                let record = try #require(try await harness.store.payment(id: id))
                var due = record
                due.nextActionAt = harness.clock.now()
                try await harness.store.save(due)
                try await harness.executor.runDue(owner: "test")
            }
            try await client.execute(uri: "/v1/payments/\(id)", method: .get, headers: ServerHarness.headers(key: harness.readKey)) { response in
                let payment = try response.body.object()
                #expect(payment["state"] as? String == "settled")
                #expect(payment["railCode"] as? String == "ACCC")
                #expect((payment["credited"] as? [String: Any])?["currency"] as? String == "USD")
            }
            try await client.execute(uri: "/v1/payments/\(id)/events", method: .get, headers: ServerHarness.headers(key: harness.readKey)) { response in
                let events = try #require(try response.body.object()["data"] as? [[String: Any]])
                #expect(events.first?["type"] as? String == "payment.prepared")
                #expect(events.last?["state"] as? String == "settled")
                let sequences = events.compactMap { $0["sequence"] as? Int }
                #expect(sequences == sequences.sorted() && sequences.count == events.count)
            }
            try await client.execute(uri: "/v1/payments/pay_unknown", method: .get, headers: ServerHarness.headers(key: harness.readKey)) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[HTTPField.Name("Request-Id")!]?.isEmpty == false)
            }
            // The payment's events and rail calls are in the metrics, by rail and state.
            try await client.execute(uri: "/metrics", method: .get, headers: ServerHarness.headers(key: harness.readKey)) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains(#"switchyard_payment_events_total{rail="correspondent-bank-a",state="settled"}"#), "\(text.prefix(3000))")
                #expect(text.contains(#"switchyard_rail_call_duration_seconds_bucket{rail="correspondent-bank-a",operation="execute""#))
                #expect(text.contains("hb_requests"))
            }
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test("a payment by quote id; an intent no rail can carry is 422 with each rail's reason codes; paging with a cursor")
    func quotedPaymentsAndListing() async throws {
        let harness = try await ServerHarness.start()
        defer { harness.stop() }
        try await harness.withClient { client in
            let key = harness.writeKey
            let quoteID = try await client.execute(uri: "/v1/quotes", method: .post, headers: ServerHarness.headers(key: key),
                                                   body: try ByteBuffer(json: ServerHarness.intent())) { response in
                let rails = try #require(try response.body.object()["rails"] as? [[String: Any]])
                let bank = try #require(rails.first { $0["rail"] as? String == "correspondent-bank-b" })
                return try #require((bank["quote"] as? [String: Any])?["id"] as? String)
            }
            var ids = [String]()
            for index in 0..<3 {
                let body = index == 0 ? try ByteBuffer(json: ["quoteId": quoteID])
                    : try ByteBuffer(json: ["intent": ServerHarness.intent(reference: "INV-\(index)")])
                try await client.execute(uri: "/v1/payments", method: .post, headers: ServerHarness.headers(key: key, idempotencyKey: "list-\(index)"),
                                         body: body) { response in
                    #expect(response.status == .created)
                    let payment = try response.body.object()
                    if index == 0 {
                        #expect(payment["quoteId"] as? String == quoteID)
                        #expect(payment["rail"] as? String == "correspondent-bank-b")
                    }
                    ids.append(try #require(payment["id"] as? String))
                }
                harness.clock.advance(by: 1)
            }
            // Mainland China in CNH over the banks is refused by every rail: each says why.
            var mainland = ServerHarness.intent()
            mainland["destinationCurrency"] = "XYZ"
            var unpayable = ServerHarness.intent()
            unpayable["creditor"] = ["name": "Shenzhen Supplier", "country": "CN", "accounts": ["accountNumber": "6222020000000001", "bic": "SWYECNSH"]]
            unpayable["destinationCurrency"] = "CNH"
            try await client.execute(uri: "/v1/payments", method: .post, headers: ServerHarness.headers(key: key, idempotencyKey: "cn-1"),
                                     body: try ByteBuffer(json: ["intent": unpayable])) { response in
                #expect(response.status == .unprocessableContent)
                let problem = try response.body.object()
                #expect(problem["type"] as? String == "https://switchyard.dev/problems/no-route")
                let reasons = try #require(problem["reasons"] as? [[String: Any]])
                #expect(!reasons.isEmpty && reasons.allSatisfy { $0["code"] is String && $0["rail"] is String })
            }
            var pages = [[String]]()
            var uri = "/v1/payments?limit=2"
            while true {
                let (page, next) = try await client.execute(uri: uri, method: .get, headers: ServerHarness.headers(key: key)) { response in
                    let body = try response.body.object()
                    return ((body["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }, body["nextCursor"] as? String)
                }
                pages.append(page)
                guard let next else { break }
                uri = "/v1/payments?limit=2&cursor=\(next)"
            }
            #expect(pages.flatMap { $0 } == ids.reversed())
            try await client.execute(uri: "/v1/payments?state=created&rail=correspondent-bank-b", method: .get, headers: ServerHarness.headers(key: key)) { response in
                let data = try response.body.object()["data"] as? [[String: Any]]
                #expect(data?.compactMap { $0["id"] as? String } == [ids[0]])
            }
        }
    }

    @Test("a bank's signed callback is authenticated by its rail and recorded on the payment; a tampered one is 401 and changes nothing")
    func notifications() async throws {
        let harness = try await ServerHarness.start()
        defer { harness.stop() }
        try await harness.withClient { client in
            let id = try await client.execute(uri: "/v1/payments", method: .post, headers: ServerHarness.headers(key: harness.writeKey, idempotencyKey: "cb-1"),
                                              body: try ByteBuffer(json: ["intent": ServerHarness.intent(), "rail": "correspondent-bank-a"])) {
                try #require(try $0.body.object()["id"] as? String)
            }
            try await harness.executor.runDue(owner: "test")
            harness.clock.advance(by: 8 * 3600)
            let due = try await harness.simulator.bank.takeDueNotifications()
            let message = try #require(due.first?.message)
            // Signed as the bank signs (the wall clock): the router checks freshness against the wall clock too.
            let signature = CallbackSignature.value(body: message, secret: Data(ServerHarness.callbackSecret.utf8), at: Date())
            var headers = HTTPFields()
            headers[.contentType] = "application/xml"
            headers[HTTPField.Name(CallbackSignature.header)!] = signature

            var tampered = message
            tampered.append(contentsOf: Array(" ".utf8))
            try await client.execute(uri: "/v1/rails/correspondent-bank-a/notifications", method: .post, headers: headers,
                                     body: ByteBuffer(data: tampered)) { response in
                #expect(response.status == .unauthorized)
                let typeField = try response.body.object()["type"] as? String
                #expect(typeField == "https://switchyard.dev/problems/rejected-notification")
            }
            let before = try await harness.store.journal(of: id).count
            try await client.execute(uri: "/v1/rails/correspondent-bank-a/notifications", method: .post, headers: headers,
                                     body: ByteBuffer(data: message)) { response in
                #expect(response.status == .ok)
                let answer = try response.body.object()
                #expect(answer["matched"] as? Bool == true)
                #expect(answer["paymentId"] as? String == id)
            }
            #expect(try await harness.store.journal(of: id).count == before + 1)
            // Delivered twice (banks retry): recorded once.
            try await client.execute(uri: "/v1/rails/correspondent-bank-a/notifications", method: .post, headers: headers,
                                     body: ByteBuffer(data: message)) { #expect($0.status == .ok) }
            #expect(try await harness.store.journal(of: id).count == before + 1)
            try await client.execute(uri: "/v1/rails/jpmd-base/notifications", method: .post, headers: headers, body: ByteBuffer(data: message)) {
                #expect($0.status == .notFound)
            }

            // The final state arrives, then an earlier one late: the payment stays settled.
            harness.clock.advance(by: 7 * 24 * 3600)
            let final = try #require(try await harness.simulator.bank.takeDueNotifications().first?.message)
            for (body, expected) in [(final, "settled"), (message, "settled")] {
                var signed = HTTPFields()
                signed[.contentType] = "application/xml"
                signed[HTTPField.Name(CallbackSignature.header)!] = CallbackSignature.value(
                    body: body, secret: Data(ServerHarness.callbackSecret.utf8), at: Date())
                try await client.execute(uri: "/v1/rails/correspondent-bank-a/notifications", method: .post, headers: signed,
                                         body: ByteBuffer(data: body)) { response in
                    #expect(response.status == .ok)
                    let state = try response.body.object()["state"] as? String
                    #expect(state == expected)
                }
            }
            let states = try await harness.store.journal(of: id).compactMap { entry -> RailPaymentState? in
                if case .statusChanged(let status) = entry.event { return status.state }
                return nil
            }
            #expect(states.last == .settled && states.filter { $0 == .settled }.count == 1, "\(states)")
        }
    }
}

/// The document and the server cannot drift on requests either: every request example in
/// openapi.json is accepted as documented (schemathesis holds the answers to the document).
@Suite("The OpenAPI document's request examples")
struct OpenAPIExampleTests {
    @Test("every documented request example gets a 2xx from the server")
    func examplesAreAccepted() async throws {
        let harness = try await ServerHarness.start()
        defer { harness.stop() }
        let url = ServerHarness.repository.appendingPathComponent("Sources/SwitchyardServer/openapi.json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var requests = [(path: String, method: String, name: String, body: Data)]()
        for (path, operations) in paths.sorted(by: { $0.key < $1.key }) {
            for (method, operation) in operations {
                guard let operation = operation as? [String: Any],
                      let content = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any],
                      let examples = (content["application/json"] as? [String: Any])?["examples"] as? [String: [String: Any]] else { continue }
                for (name, example) in examples.sorted(by: { $0.key < $1.key }) {
                    requests.append((path, method, name, try JSONSerialization.data(withJSONObject: try #require(example["value"]))))
                }
            }
        }
        let toSend = requests
        let checked = try await harness.withClient { client in
            for request in toSend {
                let headers = ServerHarness.headers(key: harness.writeKey, idempotencyKey: "example-\(request.name)")
                try await client.execute(uri: request.path, method: HTTPRequest.Method(request.method.uppercased())!, headers: headers,
                                         body: ByteBuffer(data: request.body)) { response in
                    #expect((200..<300).contains(Int(response.status.code)),
                            "\(request.method) \(request.path) example \(request.name): \(String(buffer: response.body))")
                }
            }
            return toSend.count
        }
        #expect(checked >= 5)
    }
}
