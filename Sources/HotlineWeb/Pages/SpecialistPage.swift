import Foundation
import HotlineApp
import HotlineDomain

/// 驻场分析: the departments and first-level categories ranked by the 驻场指数, the stationings with the before/after
/// comparison of their department's direct-answer rate, and (for managers) the form that records a stationing.
struct SpecialistPage: Sendable {
    struct Row: Sendable {
        var place: String
        var name: String
        var volume: String
        var dispatchedShare: String
        var repeatRate: String
        var dissatisfaction: String
        var directAnswer: String
        var score: String
        var stationed: Bool

        init(_ r: SpecialistDesk.Row) {
            place = String(r.place)
            name = r.name
            volume = "\(r.figures.volume) 件"
            dispatchedShare = percentText(r.figures.dispatchedShare)
            repeatRate = percentText(r.figures.repeatRate)
            dissatisfaction = percentText(r.figures.dissatisfaction)
            directAnswer = percentText(r.figures.directAnswerRate)
            score = String(format: "%.1f", r.figures.score)
            stationed = r.stationed
        }
    }

    struct StationingRow: Sendable {
        var id: String
        var unit: String
        var period: String
        var note: String
        var before: String
        var after: String
        var change: String
        var removeHref: String
    }

    struct Option: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    var title = "驻场分析"
    var user: PageUser?
    var from: String
    var to: String
    var summary: String
    var departments: [Row]
    var categories: [Row]
    var stationings: [StationingRow]
    var hasStationings: Bool
    var canManage: Bool
    var units: [Option]
    var draftFrom: String
    var draftTo: String
    var draftNote: String
    var done: String?
    var error: String?
    var scoreDefinition = "驻场指数：100 ×（0.4 × 诉求量 ÷ 诉求量最大的一组 + 0.3 × 派单占比 + 0.2 × 重复诉求率 + 0.1 × 不满意率），缺少的比率按 0 计，按指数从高到低排列。"
    var attribution = "直接答复（未派单）的工单没有承办单位，按派单目录中该事项分类（或其最近的上级分类）的全市承办单位归入该部门；派单目录未列明的归入“未归属”。"
    var definitions = [
        "诉求量：统计期内受理的工单数（不含不予受理和并单）。",
        "派单占比：派单数 ÷ 诉求量，其余为话务员直接答复或仍在中心。",
        "重复诉求率：重复诉求数 ÷ 诉求量。",
        "不满意率：（回访接通 − 满意 − 基本满意）÷ 回访接通。",
        "直接答复率：直接答复数 ÷ 诉求量；驻场前后对比取驻场开始日前后同样天数的两个时段。",
    ]
    var apiHref: String
    var csrf: String

    static func day(_ d: CivilDay) -> String {
        let c = d.components
        return "\(c.year)年\(c.month)月\(c.day)日"
    }

    static func range(_ r: ClosedRange<CivilDay>) -> String { "\(day(r.lowerBound)) 至 \(day(r.upperBound))" }

    init(user: PageUser?, report r: SpecialistDesk.Report, canManage: Bool, units: [(id: String, name: String)], draft: [String: String]? = nil,
         done: String? = nil, error: String? = nil) {
        self.user = user
        csrf = user?.csrf ?? ""
        from = r.from.description
        to = r.to.description
        summary = "\(Self.day(r.from)) 至 \(Self.day(r.to)) 受理 \(r.total.accepted) 件，直接答复 \(r.total.directAnswered) 件。"
        departments = r.departments.prefix(30).map(Row.init)
        categories = r.categories.prefix(30).map(Row.init)
        stationings = r.stationings.map { c in
            let s = c.stationing
            return StationingRow(
                id: String(s.id), unit: c.unitName,
                period: s.to.map { "\(Self.day(s.from)) 至 \(Self.day($0))" } ?? "\(Self.day(s.from)) 起（仍在驻场）",
                note: s.note,
                before: "\(percentText(c.rateBefore))（\(Self.range(c.before))，\(c.countsBefore.accepted) 件）",
                after: "\(percentText(c.rateAfter))（\(Self.range(c.after))，\(c.countsAfter.accepted) 件）",
                change: c.change.map { abs($0) < 0.0005 ? "持平" : ($0 > 0 ? "提高 " : "降低 ") + String(format: "%.1f 个百分点", abs($0) * 100) } ?? "—",
                removeHref: WebRoutes.insightSpecialistRemove(String(s.id)))
        }
        hasStationings = !stationings.isEmpty
        self.canManage = canManage
        let chosen = draft?["unit_id"] ?? ""
        self.units = units.map { Option(value: $0.id, label: $0.name, selected: $0.id == chosen) }
        draftFrom = draft?["from"] ?? ""
        draftTo = draft?["to"] ?? ""
        draftNote = draft?["note"] ?? ""
        self.done = done
        self.error = error
        apiHref = "/api/v1/specialists?from=\(r.from.description)&to=\(r.to.description)"
    }
}
