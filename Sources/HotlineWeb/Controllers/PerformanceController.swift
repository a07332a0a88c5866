import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 坐席绩效 through the API: a week's figures per agent and per team with the service stars, and the targets. Every
/// call is a `PerformanceDesk` use case, the same the console calls.
struct PerformanceController: Sendable {
    let desk: PerformanceDesk
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        let readRoutes = router.scoped(.ordersRead, by: actors)
        let adminRoutes = router.scoped(.admin, by: actors)
        readRoutes.get(RouterPath(APIRoutes.performance)) { request, context in
            let user = try context.require(.viewPerformance)
            let report = try await desk.report(week: try Self.week(request.uri.queryParameters.get("week")), for: user, at: clock())
            return try APIJSON.response(PerformanceJSON(report))
        }
        readRoutes.get(RouterPath(APIRoutes.performanceMine)) { request, context in
            let user = try context.require(.viewOwnPerformance)
            let report = try await desk.report(week: try Self.week(request.uri.queryParameters.get("week")), for: user, at: clock())
            return try APIJSON.response(PerformanceJSON(report))
        }
        readRoutes.get(RouterPath(APIRoutes.performanceTargets)) { _, context in
            try APIJSON.response(try await desk.targets(for: try context.user()))
        }
        adminRoutes.put(RouterPath(APIRoutes.performanceTargets)) { request, context in
            let user = try context.require(.managePerformanceTargets)
            let input = try await request.decode(as: PerformanceTargetsInput.self, context: context)
            let current = try await desk.targets(for: user)
            let saved = try await desk.setTargets(input.merged(into: current), by: user, at: clock(), client: clients.of(request, context))
            return try APIJSON.response(saved)
        }
    }

    static func week(_ text: String?) throws -> CivilDay? {
        guard let text, !text.isEmpty else { return nil }
        guard let day = CivilDay(iso: text) else { throw APIError.invalid("week", "应为形如2026-01-31的日期") }
        return day
    }
}

/// New targets as sent: the fields given replace the current ones.
struct PerformanceTargetsInput: Decodable, Sendable {
    var averageHandlingSeconds: Double?
    var averageAfterCallSeconds: Double?
    var directAnswerRate: Double?
    var qualityScore: Double?
    var satisfactionRate: Double?
    var minimumCalls: Int?
    var qualityWeight: Double?
    var satisfactionWeight: Double?
    var directAnswerWeight: Double?
    var handlingWeight: Double?
    var volumeWeight: Double?

    func merged(into t: PerformanceTargets) -> PerformanceTargets {
        var n = t
        n.averageHandlingSeconds = averageHandlingSeconds ?? t.averageHandlingSeconds
        n.averageAfterCallSeconds = averageAfterCallSeconds ?? t.averageAfterCallSeconds
        n.directAnswerRate = directAnswerRate ?? t.directAnswerRate
        n.qualityScore = qualityScore ?? t.qualityScore
        n.satisfactionRate = satisfactionRate ?? t.satisfactionRate
        n.minimumCalls = minimumCalls ?? t.minimumCalls
        n.qualityWeight = qualityWeight ?? t.qualityWeight
        n.satisfactionWeight = satisfactionWeight ?? t.satisfactionWeight
        n.directAnswerWeight = directAnswerWeight ?? t.directAnswerWeight
        n.handlingWeight = handlingWeight ?? t.handlingWeight
        n.volumeWeight = volumeWeight ?? t.volumeWeight
        return n
    }
}

/// A week's performance as the API shows it.
struct PerformanceJSON: Encodable {
    struct Figures: Encodable {
        var agentId: String?
        var name: String
        var team: String?
        var members: Int?
        var calls: Int
        var endedCalls: Int
        var averageHandlingSeconds: Double?
        var averageAfterCallSeconds: Double?
        var orders: Int
        var directAnswerRate: Double?
        var rated: Int
        var satisfactionRate: Double?
        var inspections: Int
        var qualityScore: Double?
        var score: Double?
        var place: Int?

        init(_ f: AgentFigures, name: String, team: String?, members: Int? = nil, score: Double? = nil, place: Int? = nil, weight: Double, agent: Bool) {
            agentId = agent ? f.agentID : nil
            self.name = name
            self.team = team
            self.members = members
            calls = f.calls
            endedCalls = f.endedCalls
            averageHandlingSeconds = f.averageHandlingSeconds.map { ($0 * 10).rounded() / 10 }
            averageAfterCallSeconds = f.averageAfterCallSeconds.map { ($0 * 10).rounded() / 10 }
            orders = f.orders
            directAnswerRate = f.directAnswerRate.map { ($0 * 1000).rounded() / 1000 }
            rated = f.rated
            satisfactionRate = f.satisfactionRate(weight: weight).map { ($0 * 1000).rounded() / 1000 }
            inspections = f.inspections
            qualityScore = f.qualityScore.map { ($0 * 10).rounded() / 10 }
            self.score = score
            self.place = place
        }
    }

    var from: String
    var to: String
    var running: Bool
    var targets: PerformanceTargets
    var agents: [Figures]
    var teams: [Figures]
    var stars: [Figures]

    init(_ r: PerformanceDesk.Report) {
        from = r.from.description
        to = r.to.description
        running = r.running
        targets = r.targets
        func row(_ a: PerformanceDesk.Row) -> Figures {
            Figures(a.figures, name: a.name, team: a.team, score: a.score, place: a.place, weight: r.satisfactionWeight, agent: true)
        }
        agents = r.agents.map(row)
        teams = r.teams.map { Figures($0.figures, name: $0.name, team: nil, members: $0.members, weight: r.satisfactionWeight, agent: false) }
        stars = r.stars.map(row)
    }
}
