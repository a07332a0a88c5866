import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage

/// A scoring form as the API shows it.
struct QualityFormView: Encodable {
    var id: Int64
    var version: Int
    var name: String
    var items: [QualityItem]
    var updatedAt: Date
    var updatedBy: String

    init(_ f: QualityForm) {
        id = f.id
        version = f.version
        name = f.content.name
        items = f.content.items
        updatedAt = f.updatedAt
        updatedBy = f.updatedBy
    }
}

/// A batch as the API shows it.
struct QualityBatchView: Encodable {
    var id: Int64
    var rule: String
    var ruleName: String
    var seed: Int64
    var from: Date
    var to: Date
    var calls: Int
    var orders: Int
    var thresholdSeconds: Int?
    var agent: String?
    var drawn: Int
    var createdAt: Date
    var createdBy: String

    init(_ b: QualityBatch) {
        id = b.id
        rule = b.rule.rawValue
        ruleName = b.rule.chineseName
        seed = b.seed
        from = b.from
        to = b.to
        calls = b.parameters.calls
        orders = b.parameters.orders
        thresholdSeconds = b.parameters.thresholdSeconds
        agent = b.parameters.agentID
        drawn = b.drawn
        createdAt = b.createdAt
        createdBy = b.createdBy
    }
}

/// An inspection as the API shows it: never the caller's number.
struct QualityInspectionView: Encodable {
    var id: Int64
    var batchId: Int64
    var targetKind: String
    var target: String
    var agent: String
    var targetAt: Date
    var status: String
    var statusName: String
    var formId: Int64?
    var formVersion: Int?
    var scores: [Int]?
    var comments: [String]?
    var comment: String?
    var total: Int?
    var grade: String?
    var inspector: String?
    var scoredAt: Date?
    var acknowledgedAt: Date?
    var appealReason: String?
    var appealedAt: Date?
    var appealUntil: Date?
    var decidedBy: String?
    var decidedAt: Date?
    var decisionNote: String?
    var rescores: [Int]?
    var rescoreTotal: Int?
    var finalTotal: Int?

    init(_ i: QualityInspection) {
        id = i.id
        batchId = i.batchID
        targetKind = i.target.kind.rawValue
        target = i.target.key
        agent = i.target.agentID
        targetAt = i.target.at
        status = i.status.rawValue
        statusName = i.status.chineseName
        formId = i.formID
        formVersion = i.formVersion
        scores = i.score?.points
        comments = i.score?.comments
        comment = i.score?.overall
        total = i.total
        grade = i.grade?.chineseName
        inspector = i.inspectorID
        scoredAt = i.scoredAt
        acknowledgedAt = i.acknowledgedAt
        appealReason = i.appealReason
        appealedAt = i.appealedAt
        appealUntil = i.appealUntil
        decidedBy = i.decidedBy
        decidedAt = i.decidedAt
        decisionNote = i.decisionNote
        rescores = i.rescore?.points
        rescoreTotal = i.rescoreTotal
        finalTotal = i.finalTotal
    }
}

/// Quality trends as the API shows them: per week (the Monday), per agent, per team and overall.
struct QualityTrendsView: Encodable {
    struct Week: Encodable {
        var week: String
        var inspections: Int
        var averageScore: Double?
        var passRate: Double?
        var appeals: Int
        var upheld: Int

        init(_ day: CivilDay, _ f: QualityFigures) {
            week = day.description
            inspections = f.inspections
            averageScore = f.averageScore.map { ($0 * 10).rounded() / 10 }
            passRate = f.passRate.map { ($0 * 1000).rounded() / 1000 }
            appeals = f.appeals
            upheld = f.upheld
        }
    }

    struct Series: Encodable {
        var key: String
        var name: String
        var weeks: [Week]
        var total: Week
    }

    var weeks: [String]
    var overall: Series
    var agents: [Series]
    var teams: [Series]

    init(_ record: QualityDesk.TrendRecord) {
        let t = record.trends
        weeks = t.weeks.map(\.description)
        func series(_ s: QualityTrends.Series, name: String) -> Series {
            Series(
                key: s.key, name: name, weeks: zip(t.weeks, s.weeks).map { Week($0, $1) },
                total: Week(t.weeks.first ?? CivilDay(ordinal: 0), s.total))
        }
        overall = series(t.overall, name: "全部")
        agents = t.agents.map { series($0, name: record.names[$0.key] ?? $0.key) }
        teams = t.teams.map { series($0, name: $0.key) }
    }
}
