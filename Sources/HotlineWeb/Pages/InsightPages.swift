import Foundation
import HotlineApp
import HotlineDomain

/// A rate as people read it: "87.5%", or "—" without a denominator.
func percentText(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }

/// 考评指标 (`/insight/measures`): the period and grouping pickers, the rates of each group with their definitions, and
/// for a grouping by period the trend as a chart.
struct InsightMeasuresPage: Sendable {
    struct Option: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }
    struct Figure: Sendable {
        var name: String
        var value: String
        var formula: String
        var definition: String
    }
    struct Row: Sendable {
        var name: String
        var accepted: String
        var dispatched: String
        var response: String
        var resolution: String
        var satisfaction: String
        var onTime: String
        var onTimeWithOpen: String
        var directAnswer: String
        var repeatRate: String
        var returnRate: String
        var redoRate: String
        var unsatisfiedClosed: String
        var hours: String
    }

    var title = "考评指标"
    var user: PageUser?
    var from: String
    var to: String
    var groupings: [Option]
    var subtree: Bool
    var scopeName: String
    var figures: [Figure]
    var rows: [Row]
    var hasRows: Bool
    var chart: String?
    var rankingHref: String

    static func row(_ r: MeasureReport.Row, weight: Double) -> Row {
        let f = r.figures
        return Row(
            name: r.name, accepted: String(f.counts.accepted), dispatched: String(f.counts.dispatched), response: percentText(f.responseRate),
            resolution: percentText(f.resolutionRate), satisfaction: percentText(f.satisfactionRate(weight: weight)), onTime: percentText(f.onTimeRate),
            onTimeWithOpen: percentText(f.onTimeRateWithOpen), directAnswer: percentText(f.directAnswerRate), repeatRate: percentText(f.repeatRate),
            returnRate: percentText(f.returnRate), redoRate: percentText(f.redoRate), unsatisfiedClosed: String(f.counts.unsatisfiedClosed),
            hours: f.averageHandlingHours.map { String(format: "%.1f", $0) } ?? "—")
    }

    /// The figure cards of a total, each with its definition beside it.
    static func figures(_ r: MeasureReport) -> [Figure] {
        let f = r.total.figures
        let w = r.settings.basicSatisfactionWeight
        let values: [String: String] = [
            "response_rate": percentText(f.responseRate), "resolution_rate": percentText(f.resolutionRate),
            "satisfaction_rate": percentText(f.satisfactionRate(weight: w)), "on_time_rate": percentText(f.onTimeRate),
            "on_time_rate_with_open": percentText(f.onTimeRateWithOpen), "direct_answer_rate": percentText(f.directAnswerRate),
            "repeat_rate": percentText(f.repeatRate), "return_rate": percentText(f.returnRate), "redo_rate": percentText(f.redoRate),
            "unsatisfied_closed": String(f.counts.unsatisfiedClosed),
            "average_handling_hours": f.averageHandlingHours.map { String(format: "%.1f", $0) } ?? "—",
        ]
        return r.definitions.map { d in
            Figure(name: d.name, value: values[d.key] ?? "—", formula: d.formula, definition: d.period + "；" + d.exclusions)
        }
    }

    static func trend(_ r: MeasureReport) -> String? {
        guard r.query.by.isPeriod, r.rows.count > 1 else { return nil }
        let w = r.settings.basicSatisfactionWeight
        return LineChart(
            title: "三率趋势（\(r.query.by.chineseName)）", labels: r.rows.map(\.key),
            series: [
                .init(name: "响应率", values: r.rows.map(\.figures.responseRate), style: "series-1"),
                .init(name: "解决率", values: r.rows.map(\.figures.resolutionRate), style: "series-2"),
                .init(name: "满意率", values: r.rows.map { $0.figures.satisfactionRate(weight: w) }, style: "series-3"),
            ]).svg
    }
}

/// 考评排名 (`/insight/ranking`): a month's units by score, each kind of unit in its own table, with the exports.
struct InsightRankingPage: Sendable {
    struct Row: Sendable {
        var place: String
        var name: String
        var score: String
        var dispatched: String
        var response: String
        var resolution: String
        var satisfaction: String
        var onTimeWithOpen: String
        var openOverdue: String
        var yellowCards: String
        var redCards: String
    }

    /// One group of units ranked among themselves (分类考评).
    struct Group: Sendable {
        var id: String
        var name: String
        var note: String
        var rows: [Row]
    }

    var title = "考评排名"
    var user: PageUser?
    var month: String
    var ranked: String
    var groups: [Group]
    var hasRows: Bool
    var csvHref: String
    var xlsxHref: String
    var weights: String

    init(user: PageUser?, ranking r: UnitRanking) {
        self.user = user
        month = r.month
        ranked = String(r.ranked)
        let w = r.settings.basicSatisfactionWeight
        groups = r.groups.map { g in
            let rows = r.rows.filter { $0.group == g }.map { row in
                let f = row.figures
                return Row(
                    place: row.place.map(String.init) ?? "未排名", name: row.name, score: row.score.map { String(format: "%.2f", $0) } ?? "—",
                    dispatched: String(f.counts.dispatched), response: percentText(f.responseRate), resolution: percentText(f.resolutionRate),
                    satisfaction: percentText(f.satisfactionRate(weight: w)), onTimeWithOpen: percentText(f.onTimeRateWithOpen),
                    openOverdue: String(f.openOverdue), yellowCards: String(row.yellowCards), redCards: String(row.redCards))
            }
            return Group(id: "ranking-" + g.rawValue, name: g.chineseName, note: "共 \(r.rankedByGroup[g] ?? 0) 个单位参加排名", rows: rows)
        }
        hasRows = !groups.isEmpty
        csvHref = WebRoutes.insightRankingExport + "?format=csv&month=" + r.month
        xlsxHref = WebRoutes.insightRankingExport + "?format=xlsx&month=" + r.month
        let s = r.settings
        weights = "综合得分：响应率×\(MeasureDefinition.number(s.responseWeight)) + 解决率×\(MeasureDefinition.number(s.resolutionWeight)) + "
            + "满意率×\(MeasureDefinition.number(s.satisfactionWeight)) + 按时办结率（含超期未办结）×\(MeasureDefinition.number(s.onTimeWeight))，"
            + "按权重之和折算为百分制（无数据的指标不计权重），每张黄牌扣\(MeasureDefinition.number(s.yellowCardPenalty))分、"
            + "红牌扣\(MeasureDefinition.number(s.redCardPenalty))分"
    }
}
