import Foundation

/// A line chart drawn on the server as inline SVG (no script): one or more series of values in [0, 1] (rates) over the
/// same labels, a gap where a value is missing, with the axis labelled in percent and a text alternative.
struct LineChart: Sendable {
    struct Series: Sendable {
        var name: String
        var values: [Double?]
        /// A CSS colour class from app.css (`series-1` …).
        var style: String
    }

    var title: String
    var labels: [String]
    var series: [Series]

    static let width = 640.0
    static let height = 220.0
    static let left = 44.0
    static let bottom = 28.0
    static let top = 10.0

    var svg: String {
        let plotW = Self.width - Self.left - 10
        let plotH = Self.height - Self.bottom - Self.top
        let n = max(labels.count, 1)
        func x(_ i: Int) -> Double { Self.left + (n == 1 ? plotW / 2 : plotW * Double(i) / Double(n - 1)) }
        func y(_ v: Double) -> Double { Self.top + plotH * (1 - min(max(v, 0), 1)) }
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" aria-label=\"\(Self.escape(title))\">"
        out += "<title>\(Self.escape(title))</title>"
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            out += "<line class=\"grid\" x1=\"\(Self.left)\" x2=\"\(Self.width - 10)\" y1=\"\(y(tick))\" y2=\"\(y(tick))\"/>"
            out += "<text class=\"axis\" x=\"\(Self.left - 6)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\">\(Int(tick * 100))%</text>"
        }
        let every = max(1, n / 8)
        for (i, label) in labels.enumerated() where i % every == 0 || (i == n - 1 && i % every > every / 2) {
            out += "<text class=\"axis\" x=\"\(x(i))\" y=\"\(Self.height - 8)\" text-anchor=\"middle\">\(Self.escape(label))</text>"
        }
        for s in series {
            // Consecutive known values make one polyline; a missing value breaks the line.
            var runs: [[(Double, Double)]] = [[]]
            for (i, v) in s.values.enumerated() {
                if let v { runs[runs.count - 1].append((x(i), y(v))) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
            }
            for run in runs where !run.isEmpty {
                let points = run.map { String(format: "%.1f,%.1f", $0.0, $0.1) }.joined(separator: " ")
                out += run.count == 1
                    ? "<circle class=\"\(s.style)\" cx=\"\(run[0].0)\" cy=\"\(run[0].1)\" r=\"3\"/>"
                    : "<polyline class=\"\(s.style)\" points=\"\(points)\"/>"
            }
        }
        return out + "</svg>"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
