import Foundation
import HotlineApp
import HotlineStorage
import Logging
import ServiceLifecycle

/// Makes a signed checkpoint (存证) every `interval` (an hour by default) beside the server, with the key given to
/// `hotline serve --checkpoint-key`. Run it on one instance only: the key should live on one machine, and two makers
/// would race for the same sequence number (the log's primary key lets one win; the other's round fails and is
/// logged).
public struct CheckpointService: Service {
    let store: CheckpointStore
    let key: CheckpointKey
    let interval: Duration
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(services: HotlineServices, key: CheckpointKey, interval: Duration = .seconds(3600), clock: @escaping @Sendable () -> Date = { Date() },
                logger: Logger) {
        store = services.checkpoints
        self.key = key
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await runPeriodically(every: interval, logger: logger, service: "checkpoint", failure: "checkpoint failed") {
            let started = ContinuousClock.now
            let checkpoint = try await store.make(key: key, at: clock())
            logger.info("checkpoint", metadata: [
                "sequence": "\(checkpoint.sequence)", "orders": "\(checkpoint.orderCount)", "root": "\(checkpoint.root)",
                "duration": "\(ContinuousClock.now - started)",
            ])
        }
    }
}
