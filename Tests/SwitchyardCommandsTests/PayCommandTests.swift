import Foundation
import Testing

/// `switchyard pay` refusals that need no counterpart. The end-to-end payment over the CNH
/// sandbox (dev chain 1030, FX desk, off-ramp partner) runs in `scripts/demo.sh`, and the rail's
/// own tests run the same legs in process.
@Suite("switchyard pay", .serialized)
struct PayCommandTests {
    /// The CNH rail's execution variables unset: the rail only quotes.
    static let quoteOnly = ["SWITCHYARD_CNH_RPC_URL": "", "SWITCHYARD_CNH_LIQUIDITY_KEY": "", "SWITCHYARD_FX_RFQ_URL": "", "SWITCHYARD_OFFRAMP_URL": ""]

    @Test("a rail without execution settings is refused before anything is sent, naming why")
    func quoteOnlyRail() async throws {
        let output = try await CLI.run(["pay", "--request", "Config/samples/hk-invoice-fixed-receive-cnh.json", "--rail", "axcnh-conflux"],
                                 environment: Self.quoteOnly)
        #expect(output.status == 4, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("on axcnh-conflux"))
        #expect(output.stderr.contains("only quotes here (quotes only: network.rpcURL is not set"), "\(output.stderr)")
        #expect(!output.stdout.contains("journal:"))
    }

    @Test("a rail the policy excludes is refused with its reason code")
    func excludedRail() async throws {
        let output = try await CLI.run(["pay", "--request", "Config/samples/cn-supplier-usd-cnh.json", "--rail", "axcnh-conflux"],
                                 environment: Self.quoteOnly)
        #expect(output.status == 4)
        #expect(output.stderr.contains("JURISDICTION_PROHIBITS_STABLECOIN"), "\(output.stderr)")
    }

    @Test("a bank that refuses the payment at once (wrong credentials, HTTP 401): exit 6 with the receipt, waiting or not; the journal says where it stands")
    func refusedAtOnce() async throws {
        let (bank, url) = try await DurablePayCommandTests.startBank(token: "right-token")
        defer { bank.terminate() }
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-refused-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        let output = try await CLI.run(["pay", "--data-dir", data.path, "--request", "Config/samples/hk-supplier-usd-cnh.json", "--rail", "correspondent-bank-a",
                                  "--idempotency-key", "refused-at-once", "--no-wait"],
                                 environment: ["SWITCHYARD_BANK_A_URL": url.absoluteString, "SWITCHYARD_BANK_A_TOKEN": "wrong-token"])
        #expect(output.status == 6, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("journal: prepared") && output.stdout.contains("failed"), "\(output.stdout)")
        #expect(!output.stdout.contains("right-token") && !output.stdout.contains("wrong-token"))
    }

    @Test("an empty or over-long idempotency key is bad input (exit 2), nothing stored")
    func badIdempotencyKey() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-badkey-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        for key in ["", String(repeating: "k", count: 256)] {
            let output = try await CLI.run(["pay", "--request", "Config/samples/hk-supplier-usd-cnh.json", "--idempotency-key", key, "--data-dir", data.path])
            #expect(output.status == 2 && output.stderr.contains("--idempotency-key"), "\(output.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("payments.sqlite").path))
    }
}
