import Foundation
import Logging
import RailKit
import SwitchyardExecutor

/// Executes through a ``PaymentExecutor`` (admission by the rail's capabilities at `market`), as
/// the router does, and copies the payment's journal into `recorder`: for a rail's own tests that
/// check what is journaled around an execution (the executor records the receipt's status).
public enum ExecutorHarness {
    public static func execute(_ adapter: any RailAdapter, paymentID: String, intent: PaymentIntent, quote: Quote, now: Date,
                               market: MarketSnapshot, recorder: CollectingRecorder = CollectingRecorder(),
                               logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })) async throws -> ExecutionReceipt {
        let executor = PaymentExecutor(adapters: [adapter], admission: CapabilityAdmission(), store: InMemoryPaymentStore(),
                                       observer: Forwarding(recorder: recorder), clock: { now }, logger: logger)
        return try await executor.execute(paymentID: paymentID, intent: intent, quote: quote)
    }

    private struct Forwarding: PaymentJournal {
        let recorder: CollectingRecorder
        func record(_ event: ExecutionEvent, payment paymentID: String) async throws { try await recorder.record(event) }
    }
}
