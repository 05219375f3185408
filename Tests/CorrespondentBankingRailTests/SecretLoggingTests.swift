import Foundation
import Logging
import RailKit
import RailKitTesting
import Testing

/// Where money moves, every step is logged — and no credential ever is.
@Suite("Logging where money moves")
struct SecretLoggingTests {
    @Test("an execution logs each outbound step with the payment and rail, and never the bearer token or callback secret")
    func noSecrets() async throws {
        let harness = try await BankHarness.start(at: RailExecutionTests.wednesday)
        defer { harness.stop() }
        let store = InMemoryLogHandler.Store()
        let receipt = try await harness.pay(Fixture.intent(), id: "pay-logged", logger: InMemoryLogHandler.logger(store))
        #expect(receipt.status.railCode == "ACTC")
        let lines = store.lines
        #expect(lines.contains { $0.contains("pacs.008 recorded; sending") && $0.contains("payment=pay-logged") && $0.contains("rail=") },
                "\(lines)")
        #expect(lines.contains { $0.contains("correspondent answered") && $0.contains(receipt.reference.value) }, "\(lines)")
        #expect(lines.contains { $0.contains("executing payment") })
        for secret in [BankHarness.token, BankHarness.secret] {
            #expect(!lines.contains { $0.contains(secret) }, "a log line carries a credential")
        }
    }
}
