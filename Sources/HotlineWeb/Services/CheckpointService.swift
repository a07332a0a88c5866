import Foundation
import HotlineApp
import HotlineStorage
import Logging
import ServiceLifecycle

/// Makes a signed checkpoint (存证) every `interval` (an hour by default) beside the server, with the key given to
/// `hotline serve --checkpoint-key`. The key should live on as few machines as possible; when several instances have
/// it, the one leading `checkpoint` (its advisory lock, see ``Leadership``) makes them, and another takes over when it
/// stops (were two to race anyway, the log's primary key on the sequence lets one win).
public struct CheckpointService: Service {
    let store: CheckpointStore
    let key: CheckpointKey
    let interval: Duration
    let clock: @Sendable () -> Date
    let logger: Logger
    let leadership: Leadership

    public init(services: HotlineServices, key: CheckpointKey, interval: Duration = .seconds(3600), clock: @escaping @Sendable () -> Date = { Date() },
                logger: Logger) {
        store = services.checkpoints
        leadership = services.database.leadership
        self.key = key
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await runPeriodically(every: interval, logger: logger, service: "checkpoint", failure: "checkpoint failed", leadership: leadership) {
            let started = ContinuousClock.now
            let checkpoint = try await store.make(key: key, at: clock())
            logger.info("checkpoint", metadata: [
                "sequence": "\(checkpoint.sequence)", "orders": "\(checkpoint.orderCount)", "root": "\(checkpoint.root)",
                "duration": "\(ContinuousClock.now - started)",
            ])
        }
    }
}
