import HotlineStorage
import Logging
import Metrics
import ServiceLifecycle

/// Runs `body` every `interval` until the task is cancelled or the server shuts down gracefully; a stopping server
/// does not wait out the interval, and a failing round is logged and the next one tried.
///
/// With `leadership`, a round runs only while this instance leads `service` (on PostgreSQL: holds its advisory lock),
/// so that of several instances exactly one runs it. While another instance leads, it looks every second; the
/// instance that takes over (its leader has died) runs a round at once. `hotline_leader{service}` is 1 while it leads.
func runPeriodically(
    every interval: Duration, logger: Logger, service: String, failure: String, leadership: Leadership? = nil,
    _ body: @Sendable () async throws -> Void
) async {
    // Each pass is counted for /metrics: `hotline_background_runs_total{service, outcome}`.
    let succeeded = Counter(label: "hotline_background_runs_total", dimensions: [("service", service), ("outcome", "ok")])
    let failed = Counter(label: "hotline_background_runs_total", dimensions: [("service", service), ("outcome", "failed")])
    // Only services that run on one instance at a time have a leader to show.
    let leader = leadership.map { _ in Gauge(label: "hotline_leader", dimensions: [("service", service)]) }
    leadership?.want(service)
    var leading = leadership?.isLeader(service) ?? true
    leader?.record(leading ? 1 : 0)
    func running() -> Bool { !Task.isCancelled && !Task.isShuttingDownGracefully }
    while running() {
        if let leadership {
            // The interval, in steps of at most a second, looking at the leadership after each.
            var waited: Duration = .zero
            var tookOver = false
            while running() && waited < interval {
                let step = min(.seconds(1), interval - waited)
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: step) }
                waited += step
                let now = leadership.isLeader(service)
                if now != leading {
                    leading = now
                    leader?.record(now ? 1 : 0)
                    logger.info(now ? "this instance now runs the service" : "another instance runs the service", metadata: ["service": "\(service)"])
                    if now { tookOver = true; break }
                }
            }
            guard leading || tookOver else { continue }
        } else {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        guard running() else { break }
        do {
            try await body()
            succeeded.increment()
        } catch {
            failed.increment()
            logger.error("\(failure)", metadata: ["error": "\(error)"])
        }
    }
}

/// The instance's link with the other instances (PostgreSQL LISTEN/NOTIFY and advisory-lock leadership), see
/// ``HotlineDatabase/coordinate()``; on SQLite it only waits.
public struct CoordinationService: Service {
    let services: HotlineServices

    public init(services: HotlineServices) { self.services = services }

    public func run() async throws {
        await cancelWhenGracefulShutdownQuietly { await services.database.coordinate() }
    }
}

/// Keeps this instance's similar-order and knowledge indexes and its text models in step with the other instances'
/// writes, see ``HotlineServices/followOtherInstances(now:logger:)``.
public struct IndexSyncService: Service {
    let services: HotlineServices
    let logger: Logger

    public init(services: HotlineServices, logger: Logger) {
        self.services = services
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdownQuietly { await services.followOtherInstances(logger: logger) }
    }
}

/// Runs `body` until the task is cancelled or the server begins a graceful shutdown.
private func cancelWhenGracefulShutdownQuietly(_ body: @escaping @Sendable () async -> Void) async {
    await cancelWhenGracefulShutdown { await body() }
}
