import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage

/// 来电人画像 as the intake desk and the order page show it: tags, the last twelve months as a small SVG bar chart,
/// topics, units, repeats, callbacks and restrictions — masked phone and name, names instead of codes.
struct CallerProfilePanel: Sendable {
    struct Bar: Sendable {
        var x: Int
        var y: Int
        var height: Int
        var labelX: Int
        var label: String
        var title: String
    }
    struct Line: Sendable {
        var text: String
    }

    var phone: String
    var name: String?
    var summary: String
    var tags: [Line]
    var hasTags: Bool
    var bars: [Bar]
    var chartLabel: String
    var topics: String?
    var units: String?
    var repeats: String
    var callbacks: String?
    var restrictions: [Line]
    var hasRestrictions: Bool

    static let chartHeight = 60

    init(_ view: CallerProfiles.View, reference: ReferenceData) {
        let p = view.profile
        phone = view.maskedPhone
        name = view.maskedName
        var summary = "共 \(p.total) 件工单，未办结 \(p.open) 件"
        if let first = p.firstAt, let last = p.lastAt { summary += "；首次 \(CivilDay(containing: first))，最近 \(CivilDay(containing: last))" }
        self.summary = summary + "。"
        tags = p.tags.map { Line(text: $0.chineseName) }
        hasTags = !tags.isEmpty
        let peak = max(1, p.months.map(\.count).max() ?? 1)
        bars = p.months.enumerated().map { i, m in
            let h = m.count == 0 ? 0 : max(2, m.count * Self.chartHeight / peak)
            return Bar(x: i * 20 + 2, y: Self.chartHeight - h, height: h, labelX: i * 20 + 10, label: String(m.month),
                       title: "\(m.year)年\(m.month)月：\(m.count) 件")
        }
        chartLabel = "近12个月每月来电工单数：" + p.months.map { "\($0.month)月 \($0.count) 件" }.joined(separator: "，")
        topics = p.categories.isEmpty ? nil : p.categories.map { "\(reference.categoryName($0.key) ?? "其他") \($0.count) 件" }.joined(separator: "；")
        units = p.units.isEmpty ? nil : p.units.map { "\(reference.unitName($0.key) ?? "其他") \($0.count) 件" }.joined(separator: "；")
        repeats = "重复诉求 \(p.repeats) 件，重办 \(p.redos) 件。"
        if p.callbacks.isEmpty {
            callbacks = nil
        } else {
            let counts = Satisfaction.allCases.map { s in (s, p.callbacks.filter { $0.satisfaction == s }.count) }.filter { $0.1 > 0 }
            let latest = p.callbacks[0]
            callbacks = "回访 \(p.callbacks.count) 次：" + counts.map { "\($0.0.chineseName) \($0.1)" }.joined(separator: "，")
                + "；最近一次 \(CivilDay(containing: latest.at)) \(latest.satisfaction.chineseName)（\(latest.resolved ? "已解决" : "未解决")）。"
        }
        restrictions = view.restrictions.map { r, active in
            let state = active ? "生效中" : r.liftedAt != nil ? "已提前解除" : "已到期"
            return Line(text: "\(CivilDay(containing: r.startsAt)) 至 \(CivilDay(containing: r.endsAt))，\(state)，原因：\(r.reason)")
        }
        hasRestrictions = !restrictions.isEmpty
    }
}
