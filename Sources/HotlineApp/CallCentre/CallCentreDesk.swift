import Foundation
import HotlineDomain
import HotlineStorage

/// The call centre's use cases (话务): taking a call-centre system's telephony events exactly once per event id,
/// popping the intake desk for the agent who answered, and the live big screen's figures.
public struct CallCentreDesk: Sendable {
    let store: CallCentreStore
    let services: HotlineServices
    public let pops: ScreenPopHub

    public init(services: HotlineServices, pops: ScreenPopHub) {
        self.services = services
        store = CallCentreStore(database: services.database)
        self.pops = pops
    }

    /// The most events one request may carry.
    public static let batchLimit = 1_000

    public struct IngestResult: Sendable, Equatable {
        public var accepted: Int
        public var duplicates: Int
        public var receipts: [(id: String, receipt: CallCentreStore.Receipt)]

        public static func == (a: Self, b: Self) -> Bool {
            a.accepted == b.accepted && a.duplicates == b.duplicates && a.receipts.map(\.id) == b.receipts.map(\.id)
                && a.receipts.map(\.receipt) == b.receipts.map(\.receipt)
        }
    }

    /// 接收话务事件: checks every event first (one bad event refuses the batch, nothing stored), then stores and applies
    /// the new ones in one transaction; repeated ids are reported as duplicates and change nothing.
    public func ingest(_ events: [CallEvent], by user: UserAccount, at now: Date) async throws -> IngestResult {
        guard Capability.ingestCallEvents.isAllowed(for: user.role) else { throw AppError.lacks(.ingestCallEvents, role: user.role) }
        guard !events.isEmpty else { throw AppError.invalid(field: "events", message: "没有事件") }
        guard events.count <= Self.batchLimit else { throw AppError.invalid(field: "events", message: "一次最多\(Self.batchLimit)个事件") }
        var checked: [CallEvent] = []
        for (index, event) in events.enumerated() {
            do { checked.append(try event.validated()) } catch {
                guard case .invalid(let field, let message) = error else { throw error }
                throw AppError.invalid(field: events.count == 1 ? field : "events[\(index)].\(field)", message: message)
            }
        }
        let (receipts, answered) = try await store.ingest(checked, at: now)
        _ = answered  // each answered call reaches its agent's pages through the change feed (ScreenPopHub)
        return IngestResult(
            accepted: receipts.filter { $0 == .accepted }.count, duplicates: receipts.filter { $0 == .duplicate }.count,
            receipts: zip(checked.map(\.id), receipts).map { ($0, $1) })
    }

    /// The big screen's figures now (大屏).
    public func screen(for user: UserAccount, at now: Date) async throws -> BigScreen {
        guard Capability.viewScreen.isAllowed(for: user.role) else { throw AppError.lacks(.viewScreen, role: user.role) }
        return try await screen(at: now)
    }

    func screen(at now: Date) async throws -> BigScreen {
        async let calls = store.day(now)
        async let agents = store.agentStates()
        async let orders = store.ordersOfDay(now)
        async let topics = services.hotTopics.current(limit: 5)
        let day = CivilDay(containing: now)
        async let rollup = services.measures.sums(.all, from: day, to: day)
        async let shifts = ScheduleDesk(services: services).onShift(at: now)
        let counts = (try await rollup).first?.counts ?? MeasureCounts()
        var screen = BigScreen(
            calls: try await calls, agents: try await agents.map(\.state), orders: try await orders, topics: try await topics.map(\.label),
            accepted: counts.accepted, directAnswered: counts.directAnswered, now: now)
        (screen.onShift, screen.standby) = try await shifts
        return screen
    }
}

/// The live big screen (话务大屏): today's calls, the floor, today's orders and topics, and what needs attention.
public struct BigScreen: Sendable, Equatable {
    public var offered: Int
    public var answered: Int
    public var abandoned: Int
    /// 接通率: answered ÷ offered; nil before the first call.
    public var connectionRate: Double?
    /// 15秒接通率: answered within 15 s ÷ offered.
    public var answeredIn15Rate: Double?
    /// 平均等待 of the answered calls, in seconds.
    public var averageWaitSeconds: Double?
    /// 最长等待: the longest wait today, counting the calls waiting now, in seconds.
    public var longestWaitSeconds: Int
    /// 排队: calls waiting now.
    public var queue: Int
    public var agentsByState: [(state: AgentState, count: Int)]
    public var ordersByStatus: [(status: WorkOrderStatus, count: Int)]
    public var ordersByChannel: [(channel: Channel, count: Int)]
    /// 直接答复率 today (orders answered on the call ÷ orders accepted).
    public var directAnswerRate: Double?
    public var topics: [String]
    /// 告警: plain-Chinese lines, most urgent first.
    public var alerts: [String]
    public var transferred: Int
    public var missedCallbacks: Int
    public var at: Date
    /// 在班: who is on shift now by team, by name (排班), and the standby agents not yet called in (备班).
    public var onShift: [(team: String, agents: [String])] = []
    public var standby: [String] = []

    public static func == (a: Self, b: Self) -> Bool {
        a.offered == b.offered && a.answered == b.answered && a.queue == b.queue && a.alerts == b.alerts && a.at == b.at
            && a.agentsByState.map(\.count) == b.agentsByState.map(\.count)
    }

    /// Thresholds of the alerts.
    public static let queueAlert = 10
    public static let waitAlertSeconds = 60
    public static let answeredIn15Target = 0.8

    init(calls c: CallCentreStore.DayCounts, agents: [AgentState], orders: (byStatus: [WorkOrderStatus: Int], byChannel: [Channel: Int]),
         topics: [String], accepted: Int, directAnswered: Int, now: Date) {
        offered = c.offered
        answered = c.answered
        abandoned = c.abandoned
        func rate(_ n: Int, _ d: Int) -> Double? { d == 0 ? nil : Double(n) / Double(d) }
        connectionRate = rate(c.answered, c.offered)
        answeredIn15Rate = rate(c.answeredWithin15, c.offered)
        averageWaitSeconds = c.answered == 0 ? nil : Double(c.answeredWaitMillis) / 1000 / Double(c.answered)
        // A replayed day's "now" is its newest event when that is later than the clock.
        let clock = max(now, c.latest ?? now)
        let waitingNow = c.oldestWaitingSince.map { max(0, Int(clock.timeIntervalSince($0))) } ?? 0
        longestWaitSeconds = max(Int(c.longestWaitMillis / 1000), waitingNow)
        queue = c.waiting
        agentsByState = AgentState.allCases.map { state in (state, agents.filter { $0 == state }.count) }
        ordersByStatus = WorkOrderStatus.allCases.compactMap { s in orders.byStatus[s].map { (s, $0) } }
        ordersByChannel = Channel.allCases.compactMap { ch in orders.byChannel[ch].map { (ch, $0) } }
        directAnswerRate = rate(directAnswered, accepted)
        self.topics = topics
        transferred = c.transferred
        missedCallbacks = c.missedCallbacks
        at = now
        var alerts: [String] = []
        if c.waiting >= Self.queueAlert { alerts.append("排队\(c.waiting)人，请安排备班坐席上线") }
        if waitingNow >= Self.waitAlertSeconds { alerts.append("有来电已等待\(waitingNow)秒") }
        if let r = answeredIn15Rate, c.offered >= 20, r < Self.answeredIn15Target {
            alerts.append("15秒接通率\(Int((r * 100).rounded()))%，低于\(Int(Self.answeredIn15Target * 100))%目标")
        }
        if c.missedCallbacks > 0 { alerts.append("漏接待回拨\(c.missedCallbacks)个") }
        for topic in topics.prefix(2) { alerts.append("热点：" + topic) }
        self.alerts = alerts
    }
}
