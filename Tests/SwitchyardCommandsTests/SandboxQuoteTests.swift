import DevChainTesting
import Foundation
import Testing

/// The sandbox as a user runs it: the dev chain with `--sandbox` (what `scripts/devchain.sh start`
/// runs), the repository's `deposit-token-sandbox` settings enabled in a copy of `Config/`, and the
/// sample request, through the built binary.
@Suite("switchyard CLI on the sandbox chain")
struct SandboxQuoteTests {
    @Test("the sandbox rail quotes live from the dev chain with the repository's settings")
    func sandboxQuote() async throws {
        let chain = try await DevChain.start(sandbox: true)
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-sandbox-\(UUID())")
        try FileManager.default.copyItem(at: CLI.repository.appendingPathComponent("Config"), to: config)
        defer { try? FileManager.default.removeItem(at: config) }
        let main = config.appendingPathComponent("switchyard.json")
        let enabled = try String(contentsOf: main, encoding: .utf8).replacingOccurrences(
            of: #""settings": "rails/deposit-token-sandbox.json", "enabled": false"#,
            with: #""settings": "rails/deposit-token-sandbox.json", "enabled": true"#)
        try enabled.write(to: main, atomically: true, encoding: .utf8)

        let output = try await CLI.run(["quote", "--json", "--config", config.path, "--request", "Config/samples/sandbox-deposit-token.json"],
                                 environment: ["SWITCHYARD_DEVCHAIN_URL": chain.url.absoluteString,
                                               "SWITCHYARD_SANDBOX_SIGNER_KEY": String(repeating: "0", count: 63) + "2"])
        #expect(output.status == 0, "\(output.stderr)")
        let sandbox = try #require(QuoteCommandTests.rail(output, "deposit-token-sandbox"), "\(output.stdout)")
        #expect(sandbox["eligible"] as? Bool == true, "\(sandbox)")
        #expect(output.stdout.contains("eth_feeHistory at block"), "gas is read from the chain")
        #expect(output.stdout.contains("decimals() read on chain"))
        #expect(!output.stdout.contains(String(repeating: "0", count: 63) + "2"), "the key never appears in output")
    }
}
