import Foundation
import RailKit
import RailKitSupport
import Testing

@Suite("Endpoint URLs from configuration")
struct EndpointURLTests {
    @Test("https anywhere, plain http on loopback only, and the refusal names the field without echoing the key")
    func tlsOffLoopback() throws {
        #expect(try EndpointURL.parse("https://fx.example.com/v1?key=secret", field: "execution.fx.url").host == "fx.example.com")
        #expect(try EndpointURL.parse("http://127.0.0.1:8610", field: "execution.fx.url").port == 8610)
        #expect(try EndpointURL.parse("http://localhost:8620", field: "execution.offRamp.url").host == "localhost")
        #expect(throws: ValidationError(field: "execution.fx.url", value: "http://fx.example.com", rule: "transport.tls_required",
                                        message: "reached over TLS (https); plain http is allowed on loopback only")) {
            try EndpointURL.parse("http://fx.example.com/v1?key=secret", field: "execution.fx.url")
        }
    }

    @Test("a node may be plain http when TLS is not required; anything but an absolute http(s) URL is refused")
    func shape() throws {
        #expect(try EndpointURL.parse("http://node.internal:8545", field: "network.rpcURL", requireTLS: false).port == 8545)
        for text in ["ftp://node.internal", "node.internal:8545", "", "https://"] {
            #expect(throws: ValidationError(field: "network.rpcURL", value: "(hidden)", rule: "url.absolute", message: "an absolute http(s) URL"),
                    "\(text)") {
                try EndpointURL.parse(text, field: "network.rpcURL", requireTLS: false)
            }
        }
    }
}
