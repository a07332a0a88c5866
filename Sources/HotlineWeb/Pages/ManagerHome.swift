import Foundation
import HotlineApp
import HotlineDomain

/// The insight part of a manager's or supervisor's home (and a unit admin's own place): this month's rates with their
/// definitions and the change against last month, the 12-month trend, the top of the unit ranking, the hot topics and
/// unread alerts, and links to the map, reports and the specialist analysis. Every figure comes from the rollups.
struct ManagerHome: Sendable {
    struct Figure: Sendable {
        var name: String
        var value: String
        var formula: String
        var definition: String
        var change: String
    }

    struct RankRow: Sendable {
        var group: String
        var place: String
        var name: String
        var score: String
    }

    struct Link: Sendable {
        var label: String
        var href: String
    }

    /// "2026年11月".
    var month: String
    var figures: [Figure]
    var chart: String?
    var chartText: String
    var ranking: [RankRow]
    var rankingNote: String
    var hasRanking: Bool
    var ownPlace: String?
    var topics: TopicsPanel?
    var alerts: String
    var alertsHref = WebRoutes.notices
    var links: [Link]
    /// Whether the role sees the whole city (the figures, chart and panel); a unit admin sees only its own place.
    var cityWide: Bool

    /// The roles whose home shows the city's figures.
    static let cityRoles: Set<Role> = [.manager, .supervisor]

    /// The 12 months up to this one: the first day of the month 11 months back.
    static func trendStart(_ today: CivilDay) -> CivilDay {
        let c = today.components
        var year = c.year
        var month = c.month - 11
        if month < 1 { month += 12; year -= 1 }
        return CivilDay(year: year, month: month, day: 1)!
    }

    /// A month's axis label: "11月" ("2026-11"), with the year on January ("2026年1月").
    static func monthLabel(_ key: String) -> String {
        let parts = key.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2 else { return key }
        return parts[1] == 1 ? "\(parts[0])年1月" : "\(parts[1])月"
    }

    static func change(_ now: Double?, _ before: Double?) -> String {
        guard let now, let before else { return "上月无可比数据" }
        let points = (now - before) * 100
        if abs(points) < 0.05 { return "与上月持平" }
        return "较上月" + (points > 0 ? "上升 " : "下降 ") + String(format: "%.1f 个百分点", abs(points))
    }

    /// The model from the 12-month measures by month (``MeasureQuery/Grouping/month``) and this month's ranking.
    init(trend: MeasureReport?, ranking: UnitRanking, topics: TopicsPanel?, unread: Int, ownUnit: UnitID?) {
        cityWide = trend != nil
        let rows = trend?.rows ?? []
        let current = rows.last?.figures ?? MeasureFigures(counts: MeasureCounts())
        let previous = rows.count > 1 ? rows[rows.count - 2].figures : nil
        month = rows.last?.name ?? ranking.month
        let w = ranking.settings.basicSatisfactionWeight
        let definitions = Dictionary((trend?.definitions ?? []).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let wanted: [(String, (MeasureFigures) -> Double?)] = [
            ("response_rate", { $0.responseRate }),
            ("resolution_rate", { $0.resolutionRate }),
            ("satisfaction_rate", { $0.satisfactionRate(weight: w) }),
            ("on_time_rate", { $0.onTimeRate }),
            ("on_time_rate_with_open", { $0.onTimeRateWithOpen }),
        ]
        figures = wanted.compactMap { key, value in
            guard let d = definitions[key] else { return nil }
            return Figure(name: d.name, value: percentText(value(current)), formula: d.formula, definition: d.period + "；" + d.exclusions,
                          change: Self.change(value(current), previous.flatMap(value)))
        }
        chart = rows.count > 1 ? LineChart(
            title: "近12个月三率与按时办结率趋势", labels: rows.map { Self.monthLabel($0.key) },
            series: [
                .init(name: "响应率", values: rows.map(\.figures.responseRate), style: "series-1"),
                .init(name: "解决率", values: rows.map(\.figures.resolutionRate), style: "series-2"),
                .init(name: "满意率", values: rows.map { $0.figures.satisfactionRate(weight: w) }, style: "series-3"),
                .init(name: "按时办结率", values: rows.map(\.figures.onTimeRate), style: "series-4"),
            ]).svg : nil
        chartText = rows.map { r in
            "\(r.name)：响应率\(percentText(r.figures.responseRate))，解决率\(percentText(r.figures.resolutionRate))，满意率\(percentText(r.figures.satisfactionRate(weight: w)))，按时办结率\(percentText(r.figures.onTimeRate))"
        }.joined(separator: "；")
        // The first three of each group (分类考评): rows come group by group, best first.
        self.ranking = ranking.rows.filter { ($0.place ?? .max) <= 3 }.map { r in
            RankRow(group: r.group.chineseName, place: String(r.place!), name: r.name, score: r.score.map { String(format: "%.1f 分", $0) } ?? "—")
        }
        hasRanking = !self.ranking.isEmpty
        rankingNote = "本月共 \(ranking.ranked) 个单位参加排名，各类单位分别排名。"
        if let ownUnit, let own = ranking.rows.first(where: { $0.unit == ownUnit }) {
            ownPlace = own.place.map { "本单位本月在\(own.group.chineseName)中排名第 \($0) 名（共 \(ranking.rankedByGroup[own.group] ?? 0) 个单位）" }
                ?? "本单位本月尚无可排名的工单"
        }
        self.topics = topics
        alerts = unread == 0 ? "没有未读提醒" : "未读提醒 \(unread) 条"
        links = [
            Link(label: "考评指标", href: WebRoutes.insightMeasures),
            Link(label: "考评排名", href: WebRoutes.insightRanking),
            Link(label: "地图", href: WebRoutes.insightMap),
            Link(label: "报告", href: "/insight/reports"),
            Link(label: "驻场分析", href: WebRoutes.insightSpecialists),
        ]
    }
}
