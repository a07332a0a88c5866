import Foundation
import HotlineDomain
import HotlineStorage

/// The application core (应用层): every use case a person or a system carries out, below every front end. The JSON
/// API, the console, the command line (and the channels to come) decode their input, call one use case with the
/// acting user, and encode or render what it returns; none of them reaches storage another way for a change.
public struct HotlineApp: Sendable {
    /// The storage-level services the use cases run on.
    public let services: HotlineServices
    /// The order use cases (intake, every action, records, lists).
    public let desk: WorkOrderDesk
    /// The administration use cases (units, users, API keys, catalogue, time limits, calendar, callback rule).
    public let admin: Administration
    /// The knowledge-base use cases (drafts, review loop, feedback, import).
    public let knowledge: KnowledgeDesk
    /// Caller restrictions (限制呼入).
    public let restrictions: CallerRestrictions
    /// Notices (消息提醒): each user's own, with their read state.
    public let notices: NoticeDesk
    /// The call centre (话务): telephony events, screen pops, the big screen.
    public let callCentre: CallCentreDesk
    /// Channel intake (渠道受理): the SMS, WeChat, app and mayor's-mailbox gateways' messages, exactly once each.
    public let channels: ChannelDesk
    /// The call history 人力预测 reads, kept a few minutes (``StaffingDesk``).
    public let callHistoryCache = CallHistoryCache()

    public init(services: HotlineServices) {
        self.services = services
        desk = WorkOrderDesk(
            store: services.orders, reference: services.reference, restrictions: services.restrictions, similar: services.similar, audit: services.audit,
            attachments: services.attachments, directory: services.directory,
            knowledge: services.knowledge)
        admin = Administration(services: services)
        knowledge = KnowledgeDesk(services: services, orders: desk)
        restrictions = CallerRestrictions(store: services.restrictions)
        notices = NoticeDesk(store: services.notices, reference: services.reference, directory: services.directory)
        callCentre = CallCentreDesk(services: services, pops: services.screenPops)
        channels = ChannelDesk(desk: desk, gateways: services.channelGateways, assistant: services.assistant)
    }

    public var reference: ReferenceData { services.reference }

    /// Hot topics and early warnings (热点预警).
    public var topics: TopicDesk { TopicDesk(services: services) }

    /// The citizen portal (市民门户): one-time codes, requests, tracking and ratings. The SMS that carries a code goes
    /// out through the SMS gateway's outbox.
    public var portal: PortalDesk {
        PortalDesk(desk: desk, access: CitizenAccessStore(database: services.database), history: CallerHistoryStore(database: services.database),
                   gateways: ChannelGatewayStore(database: services.database), assistant: services.assistant)
    }

    /// Reply scripts (话术库): the editors' library and the intake desk's scripts for a call.
    public var scripts: ScriptDesk { ScriptDesk(services: services) }

    /// Typical cases (典型案例库): marking finished orders for training, and the library.
    public var cases: CaseDesk { CaseDesk(services: services, orders: desk) }

    /// Quality inspection (质检): scoring forms, sampling, scoring, acknowledgement and appeal, trends.
    public var quality: QualityDesk { QualityDesk(services: services, orders: desk) }

    /// The SLA sweeper (时限监控).
    public var sweeper: SLASweeper { SLASweeper(services: services) }
}
