import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird
import ServiceLifecycle

/// The call centre in the console: the big screen (`/screen`, 话务大屏) and the agent's screen pop (`/live/calls`).
extension PageController {
    func registerCallCentrePages(_ router: PageRouter) {
        router.get(RouterPath(WebRoutes.screen)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login + "?next=/screen") }
            let screen = try await app.callCentre.screen(for: signed.user, at: clock())
            return try pages.response("screen", ScreenPage(BigScreenView(screen), user: pageUser(signed)))
        }
        router.get(RouterPath(WebRoutes.liveCalls)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login) }
            guard signed.user.role == .agent else { throw APIError(.forbidden, code: "forbidden", message: "来电弹屏只用于话务员") }
            let limit = request.uri.queryParameters.get("max_events").flatMap(Int.init).map { min(max($0, 1), 100) }
            return callPops(agent: signed.user.id, maxEvents: limit)
        }
    }

    /// `text/event-stream` of `event: call` with `{"caller", "call_id", "href"}` for each call the agent answers, and
    /// a comment line every 15 seconds so that a closed page is noticed.
    func callPops(agent: String, maxEvents: Int?) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let stream = app.callCentre.pops.subscribe(agent: agent)
        let body = ResponseBody { writer in
            var sent = 0
            try? await writer.write(ByteBuffer(string: ": 来电弹屏\n\n"))
            await withTaskGroup(of: Void.self) { group in
                let (ticks, tick) = AsyncStream<ScreenPop?>.makeStream()
                group.addTask {
                    for await pop in stream { tick.yield(pop) }
                    tick.finish()
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(15))
                        tick.yield(nil)
                    }
                }
                for await pop in ticks {
                    if Task.isShuttingDownGracefully { break }
                    let frame: String
                    if let pop {
                        let href = WebRoutes.list(WebRoutes.intake, [("phone", pop.caller), ("call", pop.callID)])
                        let data = (try? JSONSerialization.data(withJSONObject: ["caller": ContactPrivacy.maskPhone(pop.caller), "call_id": pop.callID, "href": href]))
                            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
                        frame = "event: call\ndata: \(data)\n\n"
                        sent += 1
                    } else {
                        frame = ": \n\n"
                    }
                    do { try await writer.write(ByteBuffer(string: frame)) } catch { break }
                    if let maxEvents, sent >= maxEvents { break }
                }
                group.cancelAll()
            }
            try? await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}

/// 话务大屏: the page model; the page's script keeps it current from `GET /api/v1/screen`.
struct ScreenPage: Sendable {
    struct Tile: Sendable {
        var id: String
        var label: String
        var value: String
        var warn: Bool
    }
    struct Row: Sendable {
        var label: String
        var count: String
    }
    struct ShiftRow: Sendable {
        var team: String
        var agents: String
    }
    var title = "话务大屏"
    var user: PageUser?
    var tiles: [Tile]
    var agents: [Row]
    var statuses: [Row]
    var channels: [Row]
    var topics: [String]
    var alerts: [String]
    var hasAlerts: Bool
    var updated: String
    /// 在班坐席 by team (names joined) and 备班.
    var onShift: [ShiftRow]
    var standby: String

    static func percent(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }

    init(_ s: BigScreenView, user: PageUser?) {
        self.user = user
        tiles = [
            Tile(id: "offered", label: "今日呼入", value: String(s.offered), warn: false),
            Tile(id: "connection", label: "接通率", value: Self.percent(s.connectionRate), warn: (s.connectionRate ?? 1) < 0.9),
            Tile(id: "answered15", label: "15秒接通率", value: Self.percent(s.answeredIn15Rate), warn: (s.answeredIn15Rate ?? 1) < BigScreen.answeredIn15Target),
            Tile(id: "avgwait", label: "平均等待", value: s.averageWaitSeconds.map { String(format: "%.0f秒", $0) } ?? "—", warn: false),
            Tile(id: "maxwait", label: "最长等待", value: "\(s.longestWaitSeconds)秒", warn: s.longestWaitSeconds >= BigScreen.waitAlertSeconds),
            Tile(id: "queue", label: "当前排队", value: String(s.queue), warn: s.queue >= BigScreen.queueAlert),
            Tile(id: "orders", label: "今日工单", value: String(s.ordersToday), warn: false),
            Tile(id: "direct", label: "直接答复率", value: Self.percent(s.directAnswerRate), warn: false),
        ]
        agents = s.agents.map { Row(label: $0.name, count: String($0.count)) }
        statuses = s.ordersByStatus.map { Row(label: $0.name, count: String($0.count)) }
        channels = s.ordersByChannel.map { Row(label: $0.name, count: String($0.count)) }
        topics = s.topics
        alerts = s.alerts
        hasAlerts = !s.alerts.isEmpty
        updated = s.at.chinaShort
        onShift = s.onShift.map { ShiftRow(team: $0.team, agents: $0.agents.joined(separator: "、")) }
        standby = s.standby.isEmpty ? "无" : s.standby.joined(separator: "、")
    }
}
