import Foundation
import HotlineStorage
import Logging
import ServiceLifecycle

/// Keeps this instance's reference data (unit tree, categories, time limits, calendar, dispatch catalogue, callback
/// rule) in step with changes made on any instance: every `interval` it reads the one-row `reference_version` and
/// reloads when it moved. Data-scope decisions use the unit tree, so a change reaches every instance within
/// `interval` plus one reload.
public struct ReferenceSyncService: Service {
    let services: HotlineServices
    let interval: Duration
    let logger: Logger

    public init(services: HotlineServices, interval: Duration = .milliseconds(500), logger: Logger) {
        self.services = services
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await runPeriodically(every: interval, logger: logger, service: "reference_sync", failure: "reference data check failed") { try await syncOnce() }
    }

    /// One check: reloads the reference data and the assistant's catalogue when they changed elsewhere.
    public func syncOnce() async throws {
        if try await services.reference.reloadIfChanged() {
            try await services.assistant.reloadCatalogue()
            logger.info("reference data reloaded", metadata: ["version": "\(services.reference.version)"])
        }
    }
}
