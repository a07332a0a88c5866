import Foundation
import HotlineStorage
import Logging
import ServiceLifecycle

/// Keeps the text models learning as orders finish (增量训练): every `interval` it counts the orders finished
/// since the unit model was trained and retrains once they reach `threshold` — a tenth of what it was trained
/// on, or at least 50 — so that corrections from returned and re-dispatched orders reach the recommendations.
public struct ModelRefreshService: Service {
    let services: HotlineServices
    let interval: Duration
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(services: HotlineServices, interval: Duration = .seconds(600), clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.services = services
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await runPeriodically(every: interval, logger: logger, service: "model_refresh", failure: "model refresh failed", leadership: services.database.leadership) {
            if let summary = try await refreshIfDue() {
                logger.info("models retrained", metadata: ["orders": "\(summary.orders)", "seconds": "\(summary.seconds)"])
            }
        }
    }

    /// Retrains when enough orders finished since the last training; nil when not yet due.
    public func refreshIfDue() async throws -> ModelTrainer.Summary? {
        let info = services.models.current.info.first { $0.name == TextModels.unitModel }
        let since = info?.trainedAt ?? .distantPast
        let fresh = try await services.orders.finishedCount(since: since)
        let threshold = max(50, (info?.examples ?? 0) / 10)
        guard fresh >= threshold else { return nil }
        return try await ModelTrainer(services: services).train(now: clock())
    }
}
