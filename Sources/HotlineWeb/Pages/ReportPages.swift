import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage

/// 报告 (`/insight/reports`): the stored reports, newest first, and for managers the special report's form.
struct ReportsPage: Sendable {
    struct Row: Sendable {
        var title: String
        var href: String
        var kind: String
        var period: String
        var created: String
    }
    struct Option: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    var title = "报告"
    var user: PageUser?
    var csrf: String
    var rows: [Row]
    var canGenerate: Bool
    var error: String?
    var draftTitle: String
    var draftFrom: String
    var draftTo: String
    var draftDistrict: String
    var categories: [Option]
    var monthHint: String

    init(user: PageUser, reports: [StoredReport], canGenerate: Bool, categories: [(code: String, name: String)], today: CivilDay,
         error: String? = nil, draft: [String: String] = [:]) {
        self.user = user
        csrf = user.csrf
        rows = reports.map { r in
            Row(title: r.title, href: WebRoutes.insightReport(String(r.id)), kind: r.kind == "monthly" ? "月度报告" : "专题报告",
                period: ReportPage.dayName(r.from) + "至" + ReportPage.dayName(r.to), created: r.createdAt.chinaShort)
        }
        self.canGenerate = canGenerate
        self.error = error
        draftTitle = draft["title"] ?? ""
        draftFrom = draft["from"] ?? today.adding(days: -29).description
        draftTo = draft["to"] ?? today.description
        draftDistrict = draft["district"] ?? ""
        let chosen = draft["category"] ?? ""
        self.categories = [Option(value: "", label: "全部分类", selected: chosen.isEmpty)]
            + categories.map { Option(value: $0.code, label: $0.name, selected: $0.code == chosen) }
        monthHint = "每月结束后，系统自动生成上月的月度报告并保存在这里。"
    }
}

/// One report (`/insight/reports/{id}`), also printed to PDF (`report-print`): the figures with their definitions, the
/// trend chart, the ranking, the hot topics and the notable cases, with the downloads.
struct ReportPage: Sendable {
    struct Figure: Sendable {
        var name: String
        var value: String
        var formula: String
        var definition: String
    }
    struct RankingRow: Sendable {
        var group: String
        var place: String
        var unit: String
        var score: String
        var dispatched: String
        var response: String
        var resolution: String
        var satisfaction: String
        var onTimeWithOpen: String
        var openOverdue: String
        var unsatisfiedClosed: String
        var cards: String
    }
    struct Download: Sendable {
        var label: String
        var href: String
    }

    var title: String
    var user: PageUser?
    var kindName: String
    var period: String
    var scope: String
    var generated: String
    var accepted: String
    var figures: [Figure]
    var chart: String?
    var ranking: [RankingRow]
    var topics: [Report.TopicRow]
    var cases: [Report.CaseRow]
    var caseRule: String
    var downloads: [Download]
    var pdfHref: String?
    var pdfMissing: Bool
    var listHref = WebRoutes.insightReports
    /// The console's style sheet, inlined for the PDF (set by the print rendering only).
    var css: String?

    init(user: PageUser?, id: Int64, report r: Report, pdfAvailable: Bool) {
        self.user = user
        title = r.title
        kindName = r.kindName
        period = Self.dayName(r.from) + "至" + Self.dayName(r.to)
        scope = r.scope
        generated = r.generatedAt.chinaShort
        accepted = String(r.accepted)
        figures = r.figures.map { f in
            let value: String = f.isRate ? percentText(f.value)
                : f.key == "average_handling_hours" ? (f.value.map { String(format: "%.1f小时", $0) } ?? "—") : (f.value.map { String(Int($0)) + "件" } ?? "—")
            return Figure(name: f.name, value: value, formula: f.formula, definition: f.definition)
        }
        chart = r.trend.count > 1
            ? LineChart(
                title: "三率趋势", labels: r.trend.map(\.label),
                series: [
                    .init(name: "响应率", values: r.trend.map(\.response), style: "series-1"),
                    .init(name: "解决率", values: r.trend.map(\.resolution), style: "series-2"),
                    .init(name: "满意率", values: r.trend.map(\.satisfaction), style: "series-3"),
                ]).svg
            : nil
        ranking = r.ranking.map { row in
            RankingRow(
                group: row.kind?.chineseName ?? "全部单位", place: row.place.map(String.init) ?? "未排名", unit: row.unit, score: row.score.map { String(format: "%.2f", $0) } ?? "—",
                dispatched: String(row.dispatched), response: percentText(row.response), resolution: percentText(row.resolution),
                satisfaction: percentText(row.satisfaction), onTimeWithOpen: percentText(row.onTimeWithOpen), openOverdue: String(row.openOverdue),
                unsatisfiedClosed: String(row.unsatisfiedClosed), cards: "黄\(row.yellowCards) / 红\(row.redCards)")
        }
        topics = r.topics
        cases = r.cases
        caseRule = Report.caseRule
        let base = WebRoutes.insightReport(String(id))
        downloads = [Download(label: "下载 Excel（每表一页）", href: base + "?format=xlsx")]
            + [("measures", "指标"), ("trend", "趋势"), ("ranking", "排名"), ("topics", "热点"), ("cases", "典型案例")].map {
                Download(label: "\($0.1) CSV", href: base + "?format=csv&table=" + $0.0)
            }
        pdfHref = pdfAvailable ? base + "?format=pdf" : nil
        pdfMissing = !pdfAvailable
    }

    static func dayName(_ day: CivilDay) -> String {
        let c = day.components
        return "\(c.year)年\(c.month)月\(c.day)日"
    }
}
