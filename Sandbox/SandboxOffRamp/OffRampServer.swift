import Foundation
import Hummingbird
import NIOCore
import OffRampAPI
import RailKit
import RailKitSupport
import SandboxHTTP

/// The simulated off-ramp partner's HTTP API (``OffRampWire``) on loopback.
public struct OffRampServer: Sendable {
    public let partner: SimulatedOffRamp
    /// The bearer token every request must carry (the partner it stands for requires credentials).
    let token: String

    public init(partner: SimulatedOffRamp, token: String) {
        self.partner = partner
        self.token = token
    }

    /// Runs until cancelled on `127.0.0.1:port` (0 = a free port); `onListening` gets the bound port.
    public func run(port: Int = 0, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(router: router(), server: SandboxServerConfiguration.http1,
                              configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "switchyard-offramp"),
                              onServerRunning: { await onListening($0.localAddress?.port ?? port) })
        try await app.run()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let partner = self.partner, token = self.token
        router.add(middleware: ProblemBodyMiddleware())
        router.add(middleware: BearerTokenMiddleware(token: token) {
            JSONResponse.make(OffRampWire.Problem(code: "UNAUTHORIZED", error: "Authorization: a valid bearer token is required"), status: .unauthorized)
        })
        router.post("/v1/payouts") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            let order: OffRampWire.CreatePayout
            do { order = try JSONDecoder().decode(OffRampWire.CreatePayout.self, from: Data(body.readableBytesView)) } catch {
                return JSONResponse.make(OffRampWire.Problem(code: "BODY_INVALID", error: "body must be a payout request: \(error)"), status: .badRequest)
            }
            do throws(OffRampWire.Problem) { return JSONResponse.make(try await partner.create(order), status: .created) } catch {
                return JSONResponse.make(error, status: error.code == "REFERENCE_REUSED" ? .conflict : .unprocessableContent)
            }
        }
        router.post("/v1/payouts/{id}/funding") { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            let body = try await request.body.collect(upTo: 1 << 12)
            guard let funding = try? JSONDecoder().decode(OffRampWire.Funding.self, from: Data(body.readableBytesView)) else {
                return JSONResponse.make(OffRampWire.Problem(code: "BODY_INVALID", error: "transactionHash is required"), status: .badRequest)
            }
            do throws(OffRampWire.Problem) { return JSONResponse.make(try await partner.reportFunding(payoutID: id, transactionHash: funding.transactionHash)) } catch {
                return JSONResponse.make(error, status: error.code == "NOT_FOUND" ? .notFound : .conflict)
            }
        }
        router.get("/v1/payouts/{id}") { _, context -> Response in
            do throws(OffRampWire.Problem) { return JSONResponse.make(try await partner.payout(id: context.parameters.get("id") ?? "")) } catch {
                return JSONResponse.make(error, status: .notFound)
            }
        }
        // The partner's own books, for tests counting what it was asked to pay (sandbox only).
        router.get("/v1/sandbox/payouts") { _, _ -> Response in
            JSONResponse.make(await partner.allPayouts())
        }
        return router
    }
}

/// A partner started in this process on a loopback port, for tests and the sandbox.
public final class RunningOffRamp: Sendable {
    public let partner: SimulatedOffRamp
    private let server: LoopbackServer

    public var url: URL { server.url }

    private init(partner: SimulatedOffRamp, server: LoopbackServer) {
        self.partner = partner
        self.server = server
    }

    /// Starts the HTTP server on `127.0.0.1:port` (0 = a free port) and returns once it listens.
    public static func start(partner: SimulatedOffRamp, token: String, port: Int = 0) async throws -> RunningOffRamp {
        let server = OffRampServer(partner: partner, token: token)
        return RunningOffRamp(partner: partner, server: try await LoopbackServer.start { try await server.run(port: port, onListening: $0) })
    }

    public func stop() { server.stop() }
}
