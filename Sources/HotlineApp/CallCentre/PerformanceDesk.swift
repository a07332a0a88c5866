import Foundation
import HotlineDomain
import HotlineStorage

/// Agent performance (坐席绩效) and the weekly service stars (服务之星): per agent and per team (班组), the week's calls,
/// average handling time, after-call work, direct-answer rate, quality score and satisfaction against the managers'
/// targets, all recomputed from the record (calls, orders with their measure facts, quality inspections). Supervisors,
/// managers, quality inspectors and admins see everyone; an agent sees their own figures, their team's and the stars.
public struct PerformanceDesk: Sendable {
    let services: HotlineServices
    var store: PerformanceStore { PerformanceStore(database: services.database) }

    init(services: HotlineServices) { self.services = services }

    /// How many agents the week names 服务之星.
    public static let stars = 3

    public struct Row: Sendable {
        public var figures: AgentFigures
        public var name: String
        public var team: String?
        /// The service-star score and place; nil for an agent under the minimum calls.
        public var score: Double?
        public var place: Int?
    }

    public struct TeamRow: Sendable {
        public var name: String
        public var members: Int
        public var figures: AgentFigures
    }

    public struct Report: Sendable {
        /// Monday and Sunday of the week.
        public var from: CivilDay
        public var to: CivilDay
        /// The week is still running at `now`.
        public var running: Bool
        public var targets: PerformanceTargets
        /// How a 基本满意 counts in 满意率 (the measures' setting).
        public var satisfactionWeight: Double
        /// Every agent (overseers), or only the reader (agents).
        public var agents: [Row]
        public var teams: [TeamRow]
        public var stars: [Row]
        /// The reader's own row and team (agents).
        public var me: Row?
        public var myTeam: TeamRow?
    }

    /// The week of `day` (its Monday).
    public static func week(of day: CivilDay) -> ClosedRange<CivilDay> {
        let monday = day.adding(days: -((day.weekday + 6) % 7))
        return monday...monday.adding(days: 6)
    }

    public func report(week day: CivilDay?, for user: UserAccount, at now: Date) async throws -> Report {
        let overseer = Capability.viewPerformance.isAllowed(for: user.role)
        guard overseer || Capability.viewOwnPerformance.isAllowed(for: user.role) else { throw AppError.lacks(.viewPerformance, role: user.role) }
        let today = CivilDay(containing: now)
        let week = Self.week(of: day ?? today)
        guard week.lowerBound <= today else { throw AppError.invalid(field: "week", message: "不能查看未来的周") }
        let from = week.lowerBound.start, to = week.upperBound.adding(days: 1).start
        var figures = try await store.figures(from: from, to: to)
        // Quality: the inspections scored in the week, an upheld appeal with its re-score.
        let facts = try await QualityStore(database: services.database).facts(since: from).filter { $0.scoredAt < to }
        for (agent, list) in Dictionary(grouping: facts, by: \.agentID) {
            var f = figures[agent] ?? AgentFigures(agentID: agent)
            f.inspections = list.count
            f.qualityScore = QualityTrends.averageScore(list, agent: agent, from: from, to: to)
            figures[agent] = f
        }
        let agents = try await services.directory.users().filter { $0.role == .agent }
        for agent in agents where figures[agent.id] == nil { figures[agent.id] = AgentFigures(agentID: agent.id) }
        let names = try await services.directory.displayNames(of: Set(figures.keys))
        let teams = try await ScheduleStore(database: services.database).teams()
        var teamOf: [String: String] = [:]
        for team in teams { for member in team.members { teamOf[member] = team.name } }
        let targets = try await store.targets()
        let weight = try await services.measures.settings().basicSatisfactionWeight
        let ranked = ServiceStar.rank(Array(figures.values), targets: targets, satisfactionWeight: weight)
        let placed = Dictionary(ranked.map { ($0.figures.agentID, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = figures.values.map { f in
            Row(figures: f, name: names[f.agentID] ?? f.agentID, team: teamOf[f.agentID], score: placed[f.agentID]?.score, place: placed[f.agentID]?.place)
        }.sorted { a, b in
            switch (a.place, b.place) {
            case let (x?, y?): x < y
            case (_?, nil): true
            case (nil, _?): false
            case (nil, nil): a.figures.calls != b.figures.calls ? a.figures.calls > b.figures.calls : a.name < b.name
            }
        }
        let teamRows = teams.map { team in
            TeamRow(name: team.name, members: team.members.count, figures: AgentFigures.sum(team.members.compactMap { figures[$0] }, as: team.name))
        }
        let stars = Array(rows.filter { $0.place != nil }.prefix(Self.stars))
        let me = rows.first { $0.figures.agentID == user.id }
        let myTeam = teamOf[user.id].flatMap { name in teamRows.first { $0.name == name } }
        return Report(
            from: week.lowerBound, to: week.upperBound, running: today <= week.upperBound, targets: targets, satisfactionWeight: weight,
            agents: overseer ? rows : me.map { [$0] } ?? [], teams: overseer ? teamRows : myTeam.map { [$0] } ?? [], stars: stars,
            me: overseer ? nil : me, myTeam: overseer ? nil : myTeam)
    }

    public func targets(for user: UserAccount) async throws -> PerformanceTargets {
        guard Capability.viewPerformance.isAllowed(for: user.role) || Capability.viewOwnPerformance.isAllowed(for: user.role) else {
            throw AppError.lacks(.viewPerformance, role: user.role)
        }
        return try await store.targets()
    }

    /// New targets and weights (managers, admins); bad values are refused naming the field, nothing stored.
    public func setTargets(_ targets: PerformanceTargets, by user: UserAccount, at now: Date, client: String? = nil) async throws -> PerformanceTargets {
        guard Capability.managePerformanceTargets.isAllowed(for: user.role) else { throw AppError.lacks(.managePerformanceTargets, role: user.role) }
        switch targets.checked() {
        case .failure(let e): throw AppError.invalid(field: e.field, message: e.message)
        case .success(let t):
            try await store.setTargets(t, audit: AuditEntry(at: now, actor: user.actor, action: .performanceTargetsChanged, target: "performance_targets",
                                                            detail: "修改绩效目标与服务之星权重", client: client))
            return t
        }
    }
}

extension HotlineApp {
    /// Agent performance and the service stars (坐席绩效, 服务之星).
    public var performance: PerformanceDesk { PerformanceDesk(services: services) }
}
