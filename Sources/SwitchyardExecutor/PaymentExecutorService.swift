import Logging
import ServiceLifecycle

/// Runs the executor as a long-lived service: claims due payments (lease per payment, so several
/// processes on one store never move the same payment at once), moves each a step, sleeps a
/// little, and again. On graceful shutdown it stops claiming after the current round, and the
/// leases it held are given back.
public struct PaymentExecutorService: Service {
    let executor: PaymentExecutor
    let owner: String
    let interval: Duration
    let logger: Logger

    /// - Parameters:
    ///   - owner: this process's name on the leases it takes.
    ///   - interval: the pause between rounds that found nothing due.
    public init(executor: PaymentExecutor, owner: String, interval: Duration = .milliseconds(500), logger: Logger) {
        self.executor = executor
        self.owner = owner
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        logger.info("executor started", metadata: ["owner": .string(owner)])
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let moved: Int
            do {
                moved = try await executor.runDue(owner: owner)
            } catch {
                logger.error("executor round failed; trying again", metadata: ["error": .string(String(describing: error))])
                moved = 0
            }
            if moved == 0 {
                try? await Task.sleep(for: interval)
            }
        }
        logger.info("executor stopped", metadata: ["owner": .string(owner)])
    }
}
