import Foundation
import HotlineApp
import HotlineStorage
import Logging
import ServiceLifecycle

/// Runs the SLA sweeper (时限监控) every `interval` (a minute by default) beside the server. Several instances may run it
/// against one PostgreSQL database at once: each mark is still made exactly once (see ``SLAStore``).
public struct SLASweepService: Service {
    let sweeper: SLASweeper
    let interval: Duration
    let clock: @Sendable () -> Date
    let logger: Logger
    let leadership: Leadership

    public init(services: HotlineServices, interval: Duration = .seconds(60), clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        leadership = services.database.leadership
        sweeper = SLASweeper(services: services)
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await runPeriodically(every: interval, logger: logger, service: "sla_sweeper", failure: "SLA sweep failed", leadership: leadership) {
            let s = try await sweeper.sweepOnce(at: clock())
            if s.warnings + s.overdue + s.urges + s.yellowCards + s.redCards > 0 {
                logger.info("SLA sweep", metadata: [
                    "warnings": "\(s.warnings)", "overdue": "\(s.overdue)", "urges": "\(s.urges)", "yellow": "\(s.yellowCards)", "red": "\(s.redCards)",
                ])
            }
        }
    }
}
