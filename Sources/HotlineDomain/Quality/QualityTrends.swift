import Foundation

/// One scored inspection as the trends count it.
public struct QualityFact: Sendable, Equatable {
    public var agentID: String
    public var scoredAt: Date
    /// The score that counts (the re-score of an upheld appeal).
    public var total: Int
    public var appealed: Bool
    public var upheld: Bool

    public init(agentID: String, scoredAt: Date, total: Int, appealed: Bool, upheld: Bool) {
        self.agentID = agentID
        self.scoredAt = scoredAt
        self.total = total
        self.appealed = appealed
        self.upheld = upheld
    }
}

/// The figures of one group (an agent, a team, everyone) in one week (质检统计).
public struct QualityFigures: Sendable, Equatable, Codable {
    public var inspections = 0
    public var scoreSum = 0
    public var passed = 0
    public var appeals = 0
    public var upheld = 0

    public init() {}

    public mutating func add(_ f: QualityFact) {
        inspections += 1
        scoreSum += f.total
        passed += QualityGrade(total: f.total).passed ? 1 : 0
        appeals += f.appealed ? 1 : 0
        upheld += f.upheld ? 1 : 0
    }

    /// The average score, nil without inspections.
    public var averageScore: Double? { inspections == 0 ? nil : Double(scoreSum) / Double(inspections) }
    /// The share of inspections graded 合格 or 优秀, nil without inspections.
    public var passRate: Double? { inspections == 0 ? nil : Double(passed) / Double(inspections) }
}

/// Per-week quality figures over the last weeks, per agent and per team (质检趋势). Weeks start on Monday, China time.
public struct QualityTrends: Sendable, Equatable {
    public struct Series: Sendable, Equatable {
        /// The agent's user id or the team's name.
        public var key: String
        /// One entry per week, oldest first.
        public var weeks: [QualityFigures]
        public var total: QualityFigures
    }

    /// The Monday of each week, oldest first.
    public var weeks: [CivilDay]
    public var agents: [Series]
    public var teams: [Series]
    public var overall: Series

    /// The Monday of the week containing `day`.
    public static func monday(of day: CivilDay) -> CivilDay { day.adding(days: -((day.weekday + 6) % 7)) }

    /// The figures of `facts` over the `count` weeks ending with the week of `now`; `teams` maps an agent to a team name
    /// (agents without a team are left out of the teams' figures).
    public init(_ facts: [QualityFact], weeks count: Int = 12, now: Date, teams teamOf: [String: String] = [:]) {
        let last = Self.monday(of: CivilDay(containing: now))
        weeks = (0..<count).map { last.adding(days: -7 * (count - 1 - $0)) }
        let first = weeks.first ?? last
        func index(_ date: Date) -> Int? {
            let i = (Self.monday(of: CivilDay(containing: date)).ordinal - first.ordinal) / 7
            return (0..<count).contains(i) ? i : nil
        }
        var byAgent: [String: [QualityFigures]] = [:]
        var byTeam: [String: [QualityFigures]] = [:]
        var all = [QualityFigures](repeating: QualityFigures(), count: count)
        for f in facts {
            guard let i = index(f.scoredAt) else { continue }
            byAgent[f.agentID, default: .init(repeating: QualityFigures(), count: count)][i].add(f)
            if let team = teamOf[f.agentID] { byTeam[team, default: .init(repeating: QualityFigures(), count: count)][i].add(f) }
            all[i].add(f)
        }
        func series(_ key: String, _ w: [QualityFigures]) -> Series {
            var total = QualityFigures()
            for x in w {
                total.inspections += x.inspections
                total.scoreSum += x.scoreSum
                total.passed += x.passed
                total.appeals += x.appeals
                total.upheld += x.upheld
            }
            return Series(key: key, weeks: w, total: total)
        }
        agents = byAgent.map { series($0.key, $0.value) }.sorted { $0.key < $1.key }
        teams = byTeam.map { series($0.key, $0.value) }.sorted { $0.key < $1.key }
        overall = series("", all)
    }

    /// An agent's average quality score over a period (服务之星's quality figure): nil without scored inspections.
    public static func averageScore(_ facts: [QualityFact], agent: String, from: Date, to: Date) -> Double? {
        var f = QualityFigures()
        for x in facts where x.agentID == agent && x.scoredAt >= from && x.scoredAt < to { f.add(x) }
        return f.averageScore
    }
}
