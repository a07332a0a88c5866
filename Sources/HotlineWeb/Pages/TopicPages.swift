import Foundation
import HotlineDomain
import HotlineStorage

/// One hot topic as the console's pages show it.
struct TopicRow: Sendable {
    var label: String
    var href: String
    var terms: String
    var scope: String
    var size: String
    var baseline: String
    /// A small inline SVG of orders per day over the window (drawn on the server).
    var trendSVG: String
    var trendText: String
    var places: String
    var since: String
    var isNew: Bool

    init(_ t: StoredHotTopic, now: Date) {
        label = t.label
        href = WebRoutes.insightTopic(String(t.id))
        terms = t.terms.joined(separator: "、")
        scope = Self.scopeName(kind: t.scopeKind, value: t.scopeValue)
        size = "\(t.size) 件"
        baseline = t.baseline < 0.05 ? "此前几乎没有" : String(format: "约 %.1f 件", t.baseline)
        trendSVG = TrendChart.svg(t.trend)
        let from = CivilDay(ordinal: t.windowFrom), to = CivilDay(ordinal: t.windowTo)
        trendText = "\(Self.monthDay(from)) 至 \(Self.monthDay(to)) 每日件数：" + t.trend.map(String.init).joined(separator: "、")
        places = t.places.prefix(3).map { "\($0.name) \($0.count) 件" }.joined(separator: "，")
        since = t.firstSeen.chinaShort
        isNew = now.timeIntervalSince(t.firstSeen) < 24 * 3600
    }

    static func scopeName(kind: String, value: String) -> String {
        switch kind {
        case "district": "\(value)（区县）"
        case "category": "\(value)（分类）"
        default: "全市"
        }
    }

    static func monthDay(_ d: CivilDay) -> String {
        let c = d.components
        return "\(c.month)月\(c.day)日"
    }
}

/// A small bar chart of daily counts as inline SVG (no script, no external file); the text beside it says the same.
enum TrendChart {
    static func svg(_ counts: [Int], width: Int = 120, height: Int = 28) -> String {
        guard !counts.isEmpty else { return "" }
        let top = max(counts.max() ?? 1, 1)
        let step = Double(width) / Double(counts.count)
        var bars = ""
        for (i, n) in counts.enumerated() {
            let h = n == 0 ? 1 : max(2, Int((Double(n) / Double(top) * Double(height - 2)).rounded()))
            bars += String(format: "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>", Double(i) * step + 1, height - h, max(step - 2, 1), h)
        }
        return "<svg class=\"trend\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" aria-hidden=\"true\" focusable=\"false\">\(bars)</svg>"
    }
}

/// 热点预警: the current hot topics, best first, for managers, supervisors and the centre's dispatchers; managers and
/// admins also refresh them now and edit the thresholds.
struct TopicsPage: Sendable {
    struct Field: Sendable {
        var name: String
        var label: String
        var value: String
        var hint: String
    }

    var title = "热点预警"
    var user: PageUser?
    var summary: String
    var rows: [TopicRow]
    var done: String?
    var error: String?
    var canManage: Bool
    var csrf: String
    var fields: [Field]
    var webhookURL: String
    var settingsNote: String

    init(user: PageUser, topics: [StoredHotTopic], settings: TopicSettings, canManage: Bool, now: Date, done: String? = nil, error: String? = nil,
         draft: [String: String]? = nil) {
        self.user = user
        csrf = user.csrf
        rows = topics.map { TopicRow($0, now: now) }
        let refreshed = topics.map(\.refreshedAt).max()
        summary = topics.isEmpty
            ? "近 \(settings.windowDays) 天没有明显上升的诉求。"
            : "近 \(settings.windowDays) 天与此前 \(settings.baselineDays) 天相比明显上升的诉求，共 \(topics.count) 个" + (refreshed.map { "（\($0.chinaShort) 更新）" } ?? "") + "。"
        self.done = done
        self.error = error
        self.canManage = canManage
        func value(_ name: String, _ stored: String) -> String { draft?[name] ?? stored }
        fields = [
            Field(name: "min_size", label: "最少件数", value: value("min_size", String(settings.minSize)), hint: "统计期内至少这么多件才算热点"),
            Field(name: "min_ratio", label: "上升倍数", value: value("min_ratio", Self.number(settings.minRatio)), hint: "至少是基线预期的几倍"),
            Field(name: "coverage", label: "归属比例", value: value("coverage", Self.number(settings.coverage)), hint: "工单须含热点关键词权重的比例（0.1 到 1）"),
            Field(name: "window_days", label: "统计天数", value: value("window_days", String(settings.windowDays)), hint: "最近几天（含今天）"),
            Field(name: "baseline_days", label: "基线天数", value: value("baseline_days", String(settings.baselineDays)), hint: "统计期之前用作比较的天数"),
        ]
        webhookURL = draft?["webhook_url"] ?? settings.webhookURL
        settingsNote = settings.updatedAt.map { "最近修改：\($0.chinaShort)" } ?? "使用默认阈值。"
    }

    static func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%g", v) }
}

/// One hot topic with its orders (a list of the orders it holds, newest first).
struct TopicDetailPage: Sendable {
    struct OrderRow: Sendable {
        var number: String
        var href: String
        var title: String
        var status: String
        var district: String
        var when: String
    }

    var title: String
    var user: PageUser?
    var topic: TopicRow
    var ended: Bool
    var orders: [OrderRow]
    var ordersNote: String

    init(user: PageUser, topic: StoredHotTopic, orders: [OrderRow], total: Int, now: Date) {
        title = "热点：" + topic.label
        self.user = user
        self.topic = TopicRow(topic, now: now)
        ended = !topic.active
        self.orders = orders
        ordersNote = orders.count < total ? "显示您有权查看的 \(orders.count) 件（共 \(total) 件）。" : "共 \(orders.count) 件。"
    }
}

/// 热点 panel: the top few topics, for a manager's home page to include as the `topics-panel` partial.
struct TopicsPanel: Sendable {
    var rows: [TopicRow]
    var moreHref = WebRoutes.insightTopics
    var emptyText = "近期没有明显上升的诉求。"

    init(topics: [StoredHotTopic], now: Date, limit: Int = 5) {
        rows = topics.prefix(limit).map { TopicRow($0, now: now) }
    }
}
