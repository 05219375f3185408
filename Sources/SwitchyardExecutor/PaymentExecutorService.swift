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
    let keyRetention: Duration
    let logger: Logger

    /// - Parameters:
    ///   - owner: this process's name on the leases it takes.
    ///   - interval: the pause between rounds that found nothing due.
    ///   - keyRetention: how long the idempotency keys of final payments are kept (at least a
    ///     day, whatever is asked); the service forgets older ones when it starts and hourly.
    public init(executor: PaymentExecutor, owner: String, interval: Duration = .milliseconds(500),
                keyRetention: Duration = PaymentExecutor.defaultKeyRetention, logger: Logger) {
        self.executor = executor
        self.owner = owner
        self.interval = interval
        self.keyRetention = keyRetention
        self.logger = logger
    }

    public func run() async throws {
        logger.info("executor started", metadata: ["owner": .string(owner)])
        let clock = ContinuousClock()
        var nextSweep = clock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if clock.now >= nextSweep {
                nextSweep = clock.now.advanced(by: .seconds(3600))
                do {
                    let forgotten = try await executor.forgetIdempotencyKeys(keptFor: keyRetention)
                    if forgotten > 0 { logger.info("forgot old idempotency keys", metadata: ["count": .stringConvertible(forgotten)]) }
                } catch {
                    logger.warning("old idempotency keys not forgotten; trying again in an hour", metadata: ["error": .string(String(describing: error))])
                }
            }
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
