import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The call centre's API (话务): `POST /api/v1/cti/events` takes one event or `{"events": [...]}` (at most 1,000) from
/// the call-centre system, idempotent by `event_id`; `GET /api/v1/screen` answers the big screen's figures.
struct CallCentreController: Sendable {
    let desk: CallCentreDesk
    let actors: ActorResolver
    let clock: @Sendable () -> Date

    /// One event as a call-centre system sends it (snake_case keys).
    struct EventInput: Decodable {
        var eventId: String?
        var type: String?
        var at: Date?
        var callId: String?
        var caller: String?
        var queue: String?
        var ivr: String?
        var agent: String?
        var seat: String?
        var to: String?
        var threeWay: Bool?
        var waitSeconds: Int?
        var talkSeconds: Int?
        var acwSeconds: Int?
        var state: String?

        func event(now: Date) throws -> CallEvent {
            func need<T>(_ value: T?, _ field: String) throws -> T {
                guard let value else { throw AppError.invalid(field: field, message: "缺少该字段") }
                return value
            }
            let kind: CallEvent.Kind
            switch try need(type, "type") {
            case "call_offered": kind = .offered(caller: try need(caller, "caller"), queue: queue ?? "12345", ivr: ivr)
            case "call_answered": kind = .answered(agent: try need(agent, "agent"), seat: seat)
            case "call_transferred": kind = .transferred(to: try need(to, "to"), threeWay: threeWay ?? false)
            case "call_abandoned": kind = .abandoned
            case "call_ended": kind = .ended(waitSeconds: waitSeconds ?? 0, talkSeconds: talkSeconds ?? 0, afterCallSeconds: acwSeconds ?? 0)
            case "missed_call": kind = .missedCallback(caller: try need(caller, "caller"))
            case "agent_state":
                guard let state = AgentState(rawValue: try need(state, "state")) else {
                    throw AppError.invalid(field: "state", message: "坐席状态应为 ready、busy、after_call_work、break、training 或 offline")
                }
                kind = .agentState(agent: try need(agent, "agent"), state: state, seat: seat)
            default:
                throw AppError.invalid(field: "type", message: "事件类型应为 call_offered、call_answered、call_transferred、call_abandoned、call_ended、missed_call 或 agent_state")
            }
            return CallEvent(id: try need(eventId, "event_id"), at: at ?? now, callID: callId, kind: kind)
        }
    }

    struct Batch: Decodable {
        var events: [EventInput]?
    }

    struct IngestView: Encodable {
        struct Item: Encodable {
            var eventId: String
            var status: String
        }
        var accepted: Int
        var duplicates: Int
        var results: [Item]
    }

    func register(on router: Router<AppRequestContext>) {
        router.scoped(.ctiEvents, by: actors).post(RouterPath(APIRoutes.ctiEvents)) { request, context in
            let user = try context.user()
            let body = try await InputDecoder.readJSON(request)
            let now = clock()
            let inputs: [EventInput]
            if let batch = try? InputDecoder.decode(Batch.self, body: body, format: .json), let events = batch.events {
                inputs = events
            } else {
                inputs = [try InputDecoder.decode(EventInput.self, body: body, format: .json)]
            }
            var events: [CallEvent] = []
            for (index, input) in inputs.enumerated() {
                do { events.append(try input.event(now: now)) } catch let AppError.invalid(field, message) where inputs.count > 1 {
                    throw AppError.invalid(field: "events[\(index)].\(field)", message: message)
                }
            }
            let result = try await desk.ingest(events, by: user, at: now)
            return try APIJSON.response(IngestView(
                accepted: result.accepted, duplicates: result.duplicates,
                results: result.receipts.map { .init(eventId: $0.id, status: $0.receipt == .accepted ? "accepted" : "duplicate") }))
        }
        router.scoped(.ordersRead, by: actors).get(RouterPath(APIRoutes.screen)) { _, context in
            try APIJSON.response(BigScreenView(try await desk.screen(for: try context.user(), at: clock())))
        }
    }
}

/// The big screen's figures as JSON (the page's script reads it every second).
struct BigScreenView: Encodable {
    struct Count: Encodable {
        var key: String
        var name: String
        var count: Int
    }
    var offered: Int
    var answered: Int
    var abandoned: Int
    var connectionRate: Double?
    var answeredIn15Rate: Double?
    var averageWaitSeconds: Double?
    var longestWaitSeconds: Int
    var queue: Int
    var transferred: Int
    var missedCallbacks: Int
    var agents: [Count]
    var agentsSignedIn: Int
    var ordersByStatus: [Count]
    var ordersByChannel: [Count]
    var ordersToday: Int
    var directAnswerRate: Double?
    var topics: [String]
    var alerts: [String]
    var at: Date
    /// 在班 by team and 备班 (排班).
    var onShift: [ShiftTeam]
    var standby: [String]

    struct ShiftTeam: Encodable {
        var team: String
        var agents: [String]
    }

    init(_ s: BigScreen) {
        offered = s.offered
        answered = s.answered
        abandoned = s.abandoned
        func round(_ v: Double?) -> Double? { v.map { ($0 * 1000).rounded() / 1000 } }
        connectionRate = round(s.connectionRate)
        answeredIn15Rate = round(s.answeredIn15Rate)
        averageWaitSeconds = s.averageWaitSeconds.map { ($0 * 10).rounded() / 10 }
        longestWaitSeconds = s.longestWaitSeconds
        queue = s.queue
        transferred = s.transferred
        missedCallbacks = s.missedCallbacks
        agents = s.agentsByState.map { Count(key: $0.state.rawValue, name: $0.state.chineseName, count: $0.count) }
        agentsSignedIn = s.agentsByState.filter { $0.state.isSignedIn }.map(\.count).reduce(0, +)
        ordersByStatus = s.ordersByStatus.map { Count(key: $0.status.rawValue, name: $0.status.chineseName, count: $0.count) }
        ordersByChannel = s.ordersByChannel.map { Count(key: $0.channel.rawValue, name: $0.channel.chineseName, count: $0.count) }
        ordersToday = s.ordersByStatus.map(\.count).reduce(0, +)
        directAnswerRate = round(s.directAnswerRate)
        topics = s.topics
        alerts = s.alerts
        at = s.at
        onShift = s.onShift.map { ShiftTeam(team: $0.team, agents: $0.agents) }
        standby = s.standby
    }
}
