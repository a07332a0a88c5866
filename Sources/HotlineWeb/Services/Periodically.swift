import Logging
import Metrics
import ServiceLifecycle

/// Runs `body` every `interval` until the task is cancelled or the server shuts down gracefully; a stopping server
/// does not wait out the interval, and a failing round is logged and the next one tried.
func runPeriodically(
    every interval: Duration, logger: Logger, service: String, failure: String, _ body: @Sendable () async throws -> Void
) async {
    // Each pass is counted for /metrics: `hotline_background_runs_total{service, outcome}`.
    let succeeded = Counter(label: "hotline_background_runs_total", dimensions: [("service", service), ("outcome", "ok")])
    let failed = Counter(label: "hotline_background_runs_total", dimensions: [("service", service), ("outcome", "failed")])
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        guard !Task.isCancelled && !Task.isShuttingDownGracefully else { break }
        do {
            try await body()
            succeeded.increment()
        } catch {
            failed.increment()
            logger.error("\(failure)", metadata: ["error": "\(error)"])
        }
    }
}
