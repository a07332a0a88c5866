import Logging
import ServiceLifecycle

/// Runs `body` every `interval` until the task is cancelled or the server shuts down gracefully; a stopping server
/// does not wait out the interval, and a failing round is logged and the next one tried.
func runPeriodically(every interval: Duration, logger: Logger, failure: String, _ body: @Sendable () async throws -> Void) async {
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        guard !Task.isCancelled && !Task.isShuttingDownGracefully else { break }
        do {
            try await body()
        } catch {
            logger.error("\(failure)", metadata: ["error": "\(error)"])
        }
    }
}
