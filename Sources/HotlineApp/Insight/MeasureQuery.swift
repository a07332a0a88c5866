import Foundation
import HotlineDomain

/// What the measures are asked for (考评指标查询): a period of acceptance days and a grouping; the API's parameters.
public struct MeasureQuery: Sendable, Equatable {
    /// How rows are grouped: by a dimension of the orders, or by period (for trends).
    public enum Grouping: String, Sendable, CaseIterable {
        case unit, category, district, channel, kind, day, week, month, year

        public var chineseName: String {
            switch self {
            case .unit: "承办单位"
            case .category: "事项分类"
            case .district: "区县"
            case .channel: "来源渠道"
            case .kind: "诉求类型"
            case .day: "按日"
            case .week: "按周"
            case .month: "按月"
            case .year: "按年"
            }
        }

        public var isPeriod: Bool { [.day, .week, .month, .year].contains(self) }
    }

    /// The first and last acceptance day (China time), both included.
    public var from: CivilDay
    public var to: CivilDay
    public var by: Grouping
    /// With `by=unit`: each unit with every unit below it (true) or alone (false).
    public var subtree: Bool

    /// The longest period asked for at once: ten years.
    public static let longestDays = 3_660

    public init(from: CivilDay, to: CivilDay, by: Grouping, subtree: Bool = false) {
        self.from = from
        self.to = to
        self.by = by
        self.subtree = subtree
    }

    /// The query from the API's or the page's parameters (`from`, `to`, `by`, `subtree`), with the 30 days up to today
    /// where `from` and `to` are left out; a bad parameter is refused naming it as the form labels it.
    public static func parse(from: String?, to: String?, by: String?, subtree: String?, today: CivilDay) throws(AppError) -> MeasureQuery {
        func day(_ text: String?, field: String, label: String) throws(AppError) -> CivilDay? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let day = CivilDay(iso: text) else { throw .invalid(field: field, message: "\(label)应为形如2026-01-31的日期") }
            return day
        }
        let start = try day(from, field: "from", label: "开始日期")
        let end = try day(to, field: "to", label: "结束日期")
        // Without dates: the 30 days up to today.
        let first = today.adding(days: -29)
        let q = MeasureQuery(from: start ?? (end.map { min($0, first) } ?? first), to: end ?? max(start ?? today, today), by: .unit)
        guard q.from <= q.to else { throw .invalid(field: "to", message: "结束日期不能早于开始日期") }
        guard q.to.ordinal - q.from.ordinal < longestDays else { throw .invalid(field: "from", message: "统计期不能超过十年") }
        var grouping = Grouping.unit
        if let by = by?.trimmingCharacters(in: .whitespaces), !by.isEmpty {
            guard let g = Grouping(rawValue: by) else {
                throw .invalid(field: "by", message: "分组方式应为承办单位、事项分类、区县、来源渠道、诉求类型或按日、周、月、年之一")
            }
            grouping = g
        }
        var withSubtree = false
        if let subtree = subtree?.trimmingCharacters(in: .whitespaces), !subtree.isEmpty {
            switch subtree {
            case "true", "1", "on": withSubtree = true
            case "false", "0", "off": withSubtree = false
            default: throw .invalid(field: "subtree", message: "是否含下级单位应为是或否")
            }
        }
        return MeasureQuery(from: q.from, to: q.to, by: grouping, subtree: withSubtree)
    }
}

/// The measures of a query (考评指标): one row per group, the total, the definitions and the settings in force.
public struct MeasureReport: Sendable {
    public struct Row: Sendable {
        /// The group's key: a unit's id, a category's code, a district, a channel's or kind's code, or a period
        /// (`2026-11-30`, the Monday `2026-11-24` of a week, `2026-11`, `2026`); "" for none.
        public var key: String
        public var name: String
        public var figures: MeasureFigures
        /// With `by=unit`: whether the row counts the units below it too.
        public var subtree: Bool?

        public init(key: String, name: String, figures: MeasureFigures, subtree: Bool?) {
            self.key = key
            self.name = name
            self.figures = figures
            self.subtree = subtree
        }
    }

    public var query: MeasureQuery
    public var rows: [Row]
    public var total: Row
    public var settings: MeasureSettings
    public var definitions: [MeasureDefinition]
    /// The unit whose subtree the figures are limited to (a unit's people), nil for the whole city.
    public var scopeUnit: UnitID?
}
