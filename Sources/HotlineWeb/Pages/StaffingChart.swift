import Foundation

/// 人力预测's chart drawn on the server as inline SVG: forecast calls per interval as bars (left axis), the agents required
/// on the phones and the agents the roster puts there as two lines (right axis), the intervals short of agents shaded.
struct StaffingChart: Sendable {
    var title: String
    /// "08:00" … one per interval.
    var labels: [String]
    var calls: [Double]
    var required: [Double]
    var scheduled: [Double]

    static let width = 960.0
    static let height = 300.0
    static let left = 48.0
    static let right = 44.0
    static let top = 12.0
    static let bottom = 28.0

    /// A round top for an axis: 1, 2 or 5 times a power of ten, at least `value`.
    static func niceTop(_ value: Double) -> Double {
        // At least 5, so that the five grid steps are whole numbers.
        guard value > 5 else { return 5 }
        let power = pow(10, (log10(value)).rounded(.down))
        for step in [1.0, 2, 5, 10] where step * power >= value { return step * power }
        return 10 * power
    }

    var svg: String {
        let n = max(labels.count, 1)
        let plotW = Self.width - Self.left - Self.right
        let plotH = Self.height - Self.top - Self.bottom
        let slot = plotW / Double(n)
        let callTop = Self.niceTop(calls.max() ?? 0)
        let agentTop = Self.niceTop(max(required.max() ?? 0, scheduled.max() ?? 0))
        func x(_ i: Int) -> Double { Self.left + slot * Double(i) }
        func yCalls(_ v: Double) -> Double { Self.top + plotH * (1 - min(max(v / callTop, 0), 1)) }
        func yAgents(_ v: Double) -> Double { Self.top + plotH * (1 - min(max(v / agentTop, 0), 1)) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var out = "<svg class=\"chart staffing-chart\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" aria-label=\"\(LineChart.escape(title))\">"
        out += "<title>\(LineChart.escape(title))</title>"
        for i in 0..<n where i < required.count && i < scheduled.count && scheduled[i] + 1e-9 < required[i] {
            out += "<rect class=\"gap\" x=\"\(f(x(i)))\" y=\"\(f(Self.top))\" width=\"\(f(slot))\" height=\"\(f(plotH))\"/>"
        }
        for k in 0...5 {
            let v = Double(k) / 5
            let y = Self.top + plotH * (1 - v)
            out += "<line class=\"grid\" x1=\"\(f(Self.left))\" x2=\"\(f(Self.width - Self.right))\" y1=\"\(f(y))\" y2=\"\(f(y))\"/>"
            out += "<text class=\"axis\" x=\"\(f(Self.left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(Int((callTop * v).rounded()))</text>"
            out += "<text class=\"axis\" x=\"\(f(Self.width - Self.right + 6))\" y=\"\(f(y + 4))\" text-anchor=\"start\">\(Int((agentTop * v).rounded()))</text>"
        }
        for (i, c) in calls.enumerated() where c > 0 {
            let y = yCalls(c)
            out += "<rect class=\"bar\" x=\"\(f(x(i) + slot * 0.15))\" y=\"\(f(y))\" width=\"\(f(slot * 0.7))\" height=\"\(f(Self.top + plotH - y))\"/>"
        }
        for (i, label) in labels.enumerated() where i % 4 == 0 {
            out += "<text class=\"axis\" x=\"\(f(x(i) + slot / 2))\" y=\"\(f(Self.height - 8))\" text-anchor=\"middle\">\(LineChart.escape(label))</text>"
        }
        for (values, style) in [(required, "series-3"), (scheduled, "series-1")] where !values.isEmpty {
            // A step line: each interval's value held across its slot.
            var points: [String] = []
            for (i, v) in values.enumerated() {
                points.append("\(f(x(i))),\(f(yAgents(v)))")
                points.append("\(f(x(i) + slot)),\(f(yAgents(v)))")
            }
            out += "<polyline class=\"\(style)\" points=\"\(points.joined(separator: " "))\"/>"
        }
        return out + "</svg>"
    }
}
