import EVMKit
import Foundation
import Hummingbird
import OffRampAPI
import RailKit
import RailKitSupport
import RailKitTesting
import SandboxHTTP
import Testing

/// A counterpart's own words (a node's error, a partner's problem or reason) are shown sanitised:
/// no terminal control sequences, no echoed credentials, bounded length.
@Suite("Counterpart text is shown sanitised")
struct CounterpartTextTests {
    /// What a hostile counterpart writes: an escape sequence, C1 controls, a right-to-left
    /// override, new lines to forge a log line, and the request's credentials echoed back.
    static let hostile = "denied\u{1B}[2J\u{9B}31m\nlevel=info msg=\"payment settled\" \u{202E}dlrow Authorization: Bearer sk_live_SECRET1 api_key=SECRET2 {\"password\":\"SECRET3\"} "
        + String(repeating: "x", count: 500)

    static func isClean(_ text: String) -> Bool {
        !text.contains("SECRET") && !text.unicodeScalars.contains {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
        } && text.count < 400
    }

    @Test("property: control characters (C0, DEL, C1, bidi overrides) never survive, on 2,000 random strings; credentials anywhere are redacted, ordinary words kept")
    func controls() {
        var random = SeededRandom(seed: 2_026)
        let pieces = ["a", "Z", " ", "\t", "\n", "\r\n", "\u{1B}[31m", "\u{7F}", "\u{85}", "\u{9B}", "\u{202E}", "\u{2066}", "\u{200F}", "深", "é", "token", "=", ":"]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...40, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let clean = CounterpartText.sanitized(text)
            #expect(!clean.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
                || (0x2066...0x2069).contains($0.value) || $0.value == 0x200F }, "\(text.debugDescription) → \(clean.debugDescription)")
            #expect(clean.count <= CounterpartText.maximumLength + 1)
        }
        #expect(CounterpartText.sanitized("token transfer failed: insufficient balance") == "token transfer failed: insufficient balance")
        #expect(CounterpartText.sanitized("execution reverted: ERC20: transfer amount exceeds balance")
                == "execution reverted: ERC20: transfer amount exceeds balance")
        // Credentials wherever they sit, not only first in a word.
        for (text, secret) in [
            ("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"), ("bad header authorization=Bearer abcdefghij", "abcdefghij"),
            ("echo: {\"token\":\"abc\"}", "abc"), (#"{"headers":{"authorization":"Bearer abcdefghijk"}}"#, "abcdefghijk"),
            (#"{"error":"x","password":"hunter22"}"#, "hunter22"), ("https://node.example/v1?api_key=SECRET9&x=1", "SECRET9"),
            (#"{ "password" : "pretty-secret" }"#, "pretty-secret"), ("Cookie: a=1; session=cookie-secret", "cookie-secret"),
            ("Proxy-Authorization: Basic cHJveHk6cGFzcw==", "cHJveHk6cGFzcw"), ("refresh_token=rt-secret-1", "rt-secret-1"),
            ("the node said: bearer eyJhbGciOiJIUzI1NiJ9.payload", "eyJhbGciOiJIUzI1NiJ9"),
            ("login failed, password: hunter2!", "hunter2"), ("client_secret: cs-123", "cs-123"), ("auth_token=at-456&x=1", "at-456"),
        ] {
            let clean = CounterpartText.sanitized(text)
            #expect(!clean.contains(secret), "\(text) → \(clean)")
        }
        // Ordinary words about tokens are kept.
        for text in ["unsupported token: USDC", "the bearer token expired", "token transfer paused", "insufficient balance for token fee",
                     "basic validation failed", "Basic authentication required"] {
            #expect(CounterpartText.sanitized(text) == text)
        }
        // Bounded by scalars: a flood of combining marks is cut too.
        #expect(CounterpartText.sanitized("e" + String(repeating: "\u{301}", count: 5_000)).unicodeScalars.count <= CounterpartText.maximumLength + 1)
        #expect(Self.isClean(CounterpartText.sanitized(Self.hostile)))
    }

    @Test("a JSON-RPC node and an off-ramp partner that echo credentials and escape sequences: every error and reason shown is clean")
    func hostileCounterparts() async throws {
        let router = Router()
        router.post("/rpc") { _, _ -> Response in
            let body = try JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "id": 1, "error": ["code": -32000, "message": Self.hostile]])
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.post("/v1/payouts/p1/funding") { _, _ -> Response in
            let body = try JSONSerialization.data(withJSONObject: ["code": "BAD\u{1B}[0m", "error": Self.hostile])
            return Response(status: .badRequest, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.get("/v1/payouts/p1") { _, _ -> Response in
            var payout = OffRampWire.Payout(id: "p1", reference: "r1", status: .rejected, currency: "CNH", depositAddress: "0x3333333333333333333333333333333333333333",
                                            chainId: 1030, token: "0x4444444444444444444444444444444444444444", fundingAmount: "10", fee: "1", payoutAmount: "9")
            payout.reason = Self.hostile
            payout.reasonCode = "AC01\u{9B}"
            payout.fundsHeldBy = Self.hostile
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(payout))))
        }
        let server = try await LoopbackServer.start(router: router)
        defer { server.stop() }

        do {
            _ = try await JSONRPCClient(url: server.url.appendingPathComponent("rpc")).call("eth_chainId")
            Issue.record("expected an error")
        } catch {
            #expect(Self.isClean(error.description), "\(error.description.debugDescription)")
            #expect(error.description.contains("denied"))
        }

        let partner = OffRampClient(endpoint: server.url, token: "partner-token")
        do {
            _ = try await partner.reportFunding(payoutID: "p1", transactionHash: "0x" + String(repeating: "ab", count: 32))
            Issue.record("expected a refusal")
        } catch {
            #expect(Self.isClean(error.description), "\(error.description.debugDescription)")
        }
        let payout = try await partner.payout(id: "p1")
        for text in [payout.reason, payout.reasonCode, payout.fundsHeldBy].compactMap({ $0 }) {
            #expect(Self.isClean(text), "\(text.debugDescription)")
        }
    }
}
