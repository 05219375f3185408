import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import ISO20022
import Logging
import NIOCore
import RailKit
import RailKitSupport
import SandboxHTTP

/// The simulated bank's HTTP API on loopback:
///
/// - `POST /v1/payments` — a pacs.008 (XML, bare or enveloped); answers a pacs.002 (ACTC or RJCT).
/// - `GET /v1/payments/{uetr}` — the latest message: a pacs.002, or the pacs.004 of a return.
/// - `POST /v1/sandbox/payments/{uetr}/return` — `{"reason": "CUST", "information": "…"}`: return a settled payment.
/// - `GET /v1/health`.
///
/// Requests need `Authorization: Bearer <token>` when a token is configured. State changes are
/// pushed to the callback URL, signed (see ``CallbackSignature``).
public struct BankSimulatorServer: Sendable {
    public let bank: SimulatedBank
    let token: String?
    let callbackURL: URL?
    let callbackSecret: Data?
    let logger: Logger
    private let deliveryTurn = CallbackDeliveryTurn()

    public init(bank: SimulatedBank, token: String?, callbackURL: URL?, callbackSecret: Data?,
                logger: Logger = Logger(label: "switchyard.bank-simulator")) {
        self.bank = bank
        self.token = token
        self.callbackURL = callbackURL
        self.callbackSecret = callbackSecret
        self.logger = logger
    }

    /// Runs until cancelled, on `host:port` (port 0 picks a free one). `onListening` receives the bound port.
    public func run(host: String = "127.0.0.1", port: Int = 0, callbackInterval: Duration = .milliseconds(100),
                    onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(
            router: router(),
            server: SandboxServerConfiguration.http1,
            configuration: .init(address: .hostname(host, port: port), serverName: "switchyard-bank-simulator"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            if callbackURL != nil {
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: callbackInterval)
                        await deliverCallbacks()
                    }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Posts every due status message to the callback URL; undelivered ones are tried again next time.
    /// Rounds never overlap, so one payment's states arrive in the order they happened.
    public func deliverCallbacks() async {
        guard callbackURL != nil else { return }
        await deliveryTurn.run { await deliverDueCallbacks() }
    }

    private func deliverDueCallbacks() async {
        guard let callbackURL else { return }
        let due: [(uetr: UETR, message: Data)]
        do { due = try await bank.takeDueNotifications() } catch {
            logger.error("could not build callbacks", metadata: ["error": "\(error)"])
            return
        }
        for (uetr, message) in due {
            var request = URLRequest(url: callbackURL)
            request.httpMethod = "POST"
            request.setValue("application/xml", forHTTPHeaderField: "Content-Type")
            if let callbackSecret {
                request.setValue(CallbackSignature.value(body: message, secret: callbackSecret, at: Date()),
                                 forHTTPHeaderField: CallbackSignature.header)
            }
            request.httpBody = message
            request.timeoutInterval = 5
            let delivered = (try? await URLSession.shared.data(for: request)).map { ($0.1 as? HTTPURLResponse)?.statusCode ?? 0 }
            if !(200..<300).contains(delivered ?? 0) {
                logger.warning("callback not delivered; will retry", metadata: ["uetr": "\(uetr)", "status": "\(delivered ?? 0)"])
                await bank.markUndelivered(uetr)
            }
        }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let bank = self.bank
        let token = self.token
        @Sendable func authorized(_ request: Request) -> Bool {
            guard let token else { return true }
            return request.headers[.authorization] == "Bearer \(token)"
        }
        router.add(middleware: ProblemBodyMiddleware())
        router.get("/v1/health") { _, _ in Response(status: .ok) }
        router.post("/v1/payments") { request, context -> Response in
            guard authorized(request) else { return ProblemResponse.make(.unauthorized, "Authorization: a valid bearer token is required") }
            let body = try await request.body.collect(upTo: 1 << 20)
            let answer = try await bank.receive(Data(body.readableBytesView))
            return Self.xml(answer)
        }
        router.get("/v1/payments/{uetr}") { request, context -> Response in
            guard authorized(request) else { return ProblemResponse.make(.unauthorized, "Authorization: a valid bearer token is required") }
            guard let uetr = try? UETR(context.parameters.get("uetr") ?? ""),
                  let message = try await bank.latestMessage(for: uetr) else {
                return ProblemResponse.make(.notFound, "no payment with this UETR")
            }
            return Self.xml(message)
        }
        // The sandbox's own view for tests: every payment held, by UETR, with how often it arrived.
        router.get("/v1/sandbox/payments") { request, _ -> Response in
            guard authorized(request) else { return ProblemResponse.make(.unauthorized, "Authorization: a valid bearer token is required") }
            let body = try JSONEncoder().encode(await bank.ledger())
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.post("/v1/sandbox/payments/{uetr}/return") { request, context -> Response in
            guard authorized(request) else { return ProblemResponse.make(.unauthorized, "Authorization: a valid bearer token is required") }
            struct ReturnRequest: Decodable { var reason: String; var information: String? }
            let body = try await request.body.collect(upTo: 1 << 16)
            guard let uetr = try? UETR(context.parameters.get("uetr") ?? ""),
                  let asked = try? JSONDecoder().decode(ReturnRequest.self, from: Data(body.readableBytesView)) else {
                return ProblemResponse.make(.badRequest, "a UETR in the path and a JSON body {\"reason\": \"AC04\", \"information\": …}")
            }
            do {
                try await bank.returnPayment(uetr, reason: asked.reason, information: asked.information)
                return Response(status: .accepted)
            } catch let refusal as SimulatorRefusal {
                return ProblemResponse.make(.conflict, refusal.description)
            }
        }
        return router
    }

    static func xml(_ data: Data) -> Response {
        Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
