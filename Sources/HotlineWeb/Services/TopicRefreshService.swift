import Foundation
import HotlineApp
import HotlineStorage
import Logging
import ServiceLifecycle

/// Refreshes the hot topics (热点预警) every `interval` beside the server, then posts the new ones' alerts to the centre's
/// receiver. Several instances may refresh against one PostgreSQL database: a refresh locks the settings row first, so
/// they run one after another and each new topic is stored, and alerted, once.
public struct TopicRefreshService: Service {
    let desk: TopicDesk
    let sender: TopicAlertSender
    let interval: Duration
    let clock: @Sendable () -> Date
    let logger: Logger
    let leadership: Leadership

    public init(
        services: HotlineServices, interval: Duration = .seconds(900), policy: WebhookPolicy = WebhookPolicy(),
        transport: any WebhookTransport = HTTPWebhookTransport(), clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) {
        leadership = services.database.leadership
        desk = TopicDesk(services: services)
        sender = TopicAlertSender(services: services, transport: transport, policy: policy)
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await runPeriodically(every: interval, logger: logger, service: "topic_refresh", failure: "hot-topic refresh failed", leadership: leadership) {
            let r = try await desk.refresh(at: clock())
            let sent = try await sender.sendOnce(at: clock())
            if !r.risen.isEmpty || sent > 0 {
                logger.info("hot topics", metadata: ["risen": "\(r.risen.count)", "continued": "\(r.continued)", "ended": "\(r.ended)", "alerts_sent": "\(sent)"])
            }
        }
    }
}
