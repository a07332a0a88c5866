import Foundation
import HotlineApp
import HotlineStorage
import Logging
import ServiceLifecycle

/// Runs the channels' outbound sender (渠道回复) every `interval` (a second by default, so a one-time code or a progress
/// notice leaves within about a second of its commit) beside the server. A pass with nothing due is one index probe of
/// the pending rows. Several instances may run it on one PostgreSQL database: each row is claimed by one at a time.
public struct ChannelOutboxService: Service {
    let sender: ChannelSender
    let interval: Duration
    let clock: @Sendable () -> Date
    let logger: Logger
    let leadership: Leadership

    public init(
        services: HotlineServices, interval: Duration = .seconds(1), policy: WebhookPolicy = WebhookPolicy(),
        transport: any WebhookTransport = HTTPWebhookTransport(), clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) {
        leadership = services.database.leadership
        sender = ChannelSender(services: services, transport: transport, policy: policy)
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await runPeriodically(every: interval, logger: logger, service: "channel_sender", failure: "channel outbox pass failed", leadership: leadership) {
            let s = try await sender.sendOnce(at: clock())
            if s.delivered + s.retrying + s.dead > 0 {
                logger.info("channel outbox", metadata: ["delivered": "\(s.delivered)", "retrying": "\(s.retrying)", "dead": "\(s.dead)"])
            }
        }
    }
}
