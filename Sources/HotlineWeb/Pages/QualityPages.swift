import Foundation
import HotlineDomain
import HotlineStorage

/// The tabs of the quality pages (质检), those the role uses.
struct QualityTab: Sendable {
    var label: String
    var href: String
    var current: Bool

    static func tabs(for role: Role, current: String) -> QualityTabs {
        var tabs: [(String, String)] = []
        if Capability.inspectQuality.isAllowed(for: role) { tabs.append(("抽检批次", WebRoutes.qualityBatches)) }
        if Capability.reviewOwnQuality.isAllowed(for: role) { tabs.append(("我的质检", WebRoutes.qualityMine)) }
        if Capability.decideQualityAppeals.isAllowed(for: role) { tabs.append(("申诉裁定", WebRoutes.qualityAppeals)) }
        if Capability.viewQualityTrends.isAllowed(for: role) { tabs.append(("质检统计", WebRoutes.qualityTrends)) }
        if Capability.manageQualityForms.isAllowed(for: role) || Capability.inspectQuality.isAllowed(for: role) {
            tabs.append(("评分表", WebRoutes.qualityForms))
        }
        // A role with one page needs no tabs.
        guard tabs.count > 1 else { return QualityTabs(items: [], shown: false) }
        return QualityTabs(items: tabs.map { QualityTab(label: $0.0, href: $0.1, current: $0.1 == current) }, shown: true)
    }

    /// Where 质检 in the nav leads a role: its first page.
    static func home(for role: Role) -> String? {
        if Capability.inspectQuality.isAllowed(for: role) { return WebRoutes.qualityBatches }
        if Capability.reviewOwnQuality.isAllowed(for: role) { return WebRoutes.qualityMine }
        if Capability.decideQualityAppeals.isAllowed(for: role) { return WebRoutes.qualityAppeals }
        if Capability.viewQualityTrends.isAllowed(for: role) { return WebRoutes.qualityTrends }
        if Capability.manageQualityForms.isAllowed(for: role) { return WebRoutes.qualityForms }
        return nil
    }

    /// The roles with a 质检 link.
    static func shown(for role: Role) -> Bool { role != .system && home(for: role) != nil }
}

/// The tabs a quality page shows (none for a role with one quality page).
struct QualityTabs: Sendable {
    var items: [QualityTab]
    var shown: Bool
}

/// One inspection in a list: what was inspected, whose work, the score and where it stands.
struct QualityRow: Sendable {
    var href: String
    var kind: String
    var target: String
    var at: String
    var agent: String
    var inspector: String
    var score: String
    var grade: String
    var status: String
    var statusStyle: String
}

/// 抽检批次 (`/quality/batches`): the draw form and the batches, newest first.
struct QualityBatchesPage: Sendable {
    struct Row: Sendable {
        var href: String
        var label: String
        var created: String
        var rule: String
        var period: String
        var drawn: String
        var seed: String
        var by: String
    }

    var title = "质检抽检"
    var user: PageUser?
    var tabs: QualityTabs
    var notice: String?
    var error: String?
    var rules: [PageOption]
    var calls: String
    var orders: String
    var from: String
    var to: String
    var seed: String
    var threshold: String
    var agents: [PageOption]
    var rows: [Row]
    var page: Int
    var previous: String?
    var next: String?
}

/// One batch: its rule, period and seed, and the inspections it drew.
struct QualityBatchPage: Sendable {
    var title: String
    var user: PageUser?
    var tabs: QualityTabs
    var notice: String?
    var heading: String
    var facts: [OrderDetailPage.Fact]
    var rows: [QualityRow]
    var hasRows: Bool
    var backHref = WebRoutes.qualityBatches
}

/// One inspection: the target, the form's items with the scores, the appeal, and the forms the reader may use.
struct QualityInspectionPage: Sendable {
    struct Item: Sendable {
        var index: Int
        var number: Int
        var name: String
        var weight: Int
        var guide: String
        var fatal: Bool
        var score: String
        var rescore: String?
        var comment: String
        /// The scoring and re-scoring forms' value.
        var input: String
        var commentInput: String
    }

    var title: String
    var user: PageUser?
    var tabs: QualityTabs
    var notice: String?
    var error: String?
    var heading: String
    var status: String
    var statusStyle: String
    var target: [OrderDetailPage.Fact]
    var orderHref: String?
    var formName: String?
    var items: [Item]
    var total: String?
    var grade: String?
    var fatalMiss: Bool
    var overall: String?
    var rescoreTotal: String?
    var rescoreGrade: String?
    var rescoreOverall: String?
    var progress: [OrderDetailPage.Fact]
    var scoreAction: String?
    var overallInput: String
    var acknowledgeAction: String?
    var appealAction: String?
    var appealUntil: String?
    var appealClosed: Bool
    var decideAction: String?
    var noForm: Bool
}

/// 我的质检 and 申诉裁定: a list of inspections.
struct QualityListPage: Sendable {
    var title: String
    var user: PageUser?
    var tabs: QualityTabs
    var notice: String?
    var heading: String
    var lead: String
    var rows: [QualityRow]
    var hasRows: Bool
    var emptyText: String
    var page: Int
    var previous: String?
    var next: String?
}

/// 评分表 (`/quality/forms`): the forms; admins add one.
struct QualityFormsPage: Sendable {
    struct Row: Sendable {
        var href: String
        var name: String
        var version: String
        var items: String
        var updated: String
    }

    var title = "质检评分表"
    var user: PageUser?
    var tabs: QualityTabs
    var notice: String?
    var isEditor: Bool
    var rows: [Row]
    var newHref = WebRoutes.qualityFormsNew
}

/// A form's page: its items (admins edit them, each save a new version) and its versions.
struct QualityFormPage: Sendable {
    struct ItemRow: Sendable {
        var index: Int
        var number: Int
        var name: String
        var weight: String
        var guide: String
        var fatal: Bool
    }

    struct VersionRow: Sendable {
        var version: String
        var at: String
        var who: String
        var summary: String
    }

    var title: String
    var user: PageUser?
    var tabs: QualityTabs
    var notice: String?
    var error: String?
    var heading: String
    var isEditor: Bool
    var action: String?
    var name: String
    var items: [ItemRow]
    var versions: [VersionRow]
    var backHref = WebRoutes.qualityForms
}

/// 质检统计 (`/quality/trends`): per week over twelve weeks, overall, per agent and per team, with a line chart.
struct QualityTrendsPage: Sendable {
    struct Row: Sendable {
        var name: String
        var inspections: String
        var average: String
        var passRate: String
        var appeals: String
        var upheld: String
        var weekly: [String]
    }

    var title = "质检统计"
    var user: PageUser?
    var tabs: QualityTabs
    var chart: String?
    var weeks: [String]
    var overall: [Row]
    var agents: [Row]
    var teams: [Row]
    var hasTeams: Bool
}
