import Foundation
import HotlineApp
import HotlineStorage
import Logging
import ServiceLifecycle

/// The monthly report's scheduler (月度报告): every pass generates last month's report unless it is stored. The report's
/// unique key makes it once across instances; a pass after the first of the month finds it and does nothing.
public struct ReportScheduleService: Service {
    let desk: ReportDesk
    let interval: Duration
    let clock: @Sendable () -> Date
    let logger: Logger
    let leadership: Leadership

    public init(services: HotlineServices, interval: Duration = .seconds(3600), clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        leadership = services.database.leadership
        desk = ReportDesk(services: services)
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        // A pass at start, so a server started after the month ended does not wait an interval for the report.
        do { try await pass() } catch { logger.error("monthly report failed", metadata: ["error": "\(error)"]) }
        await runPeriodically(every: interval, logger: logger, service: "report_scheduler", failure: "monthly report failed", leadership: leadership) { try await pass() }
    }

    func pass() async throws {
        if let id = try await desk.generateDueMonthly(at: clock()) {
            logger.info("monthly report generated", metadata: ["report": "\(id)"])
        }
    }
}
