import Foundation
import HotlineDomain

/// A report's content (月度报告, 专题报告) as generated and stored: the figures with their definitions, the daily trend, the
/// unit ranking, the period's hot topics and the notable cases. Privacy: it holds no caller's name or phone number and no
/// staff member's name; an order appears only by its number, day, category, district and lead unit.
public struct Report: Sendable, Codable, Equatable {
    public struct Figure: Sendable, Codable, Equatable {
        public var key: String
        public var name: String
        /// A rate in [0, 1], a count or hours; nil without a denominator.
        public var value: Double?
        public var isRate: Bool
        public var formula: String
        public var definition: String
    }
    public struct TrendPoint: Sendable, Codable, Equatable {
        public var label: String
        public var accepted: Int
        public var response: Double?
        public var resolution: Double?
        public var satisfaction: Double?
    }
    public struct RankingRow: Sendable, Codable, Equatable {
        /// The place among units of the same kind (分类考评).
        public var place: Int?
        public var unit: String
        /// The unit's kind, the group it is ranked in; nil in reports stored before groups, which ranked every unit together.
        public var kind: UnitKind?
        public var score: Double?
        public var dispatched: Int
        public var response: Double?
        public var resolution: Double?
        public var satisfaction: Double?
        public var onTimeWithOpen: Double?
        public var openOverdue: Int
        public var unsatisfiedClosed: Int
        public var yellowCards: Int
        public var redCards: Int
    }
    public struct TopicRow: Sendable, Codable, Equatable {
        public var label: String
        public var terms: String
        public var size: Int
        public var baseline: Double
        public var places: String
        public var window: String
    }
    public struct CaseRow: Sendable, Codable, Equatable {
        public var number: String
        public var day: String
        public var category: String
        public var district: String
        public var unit: String
        public var reasons: String
    }

    /// `monthly` (月度报告) or `special` (专题报告).
    public var kind: String
    public var title: String
    public var from: CivilDay
    public var to: CivilDay
    /// What the report covers, in words: 全市, or the category and district of a special report.
    public var scope: String
    public var generatedAt: Date
    public var accepted: Int
    public var figures: [Figure]
    public var trend: [TrendPoint]
    public var ranking: [RankingRow]
    public var topics: [TopicRow]
    public var cases: [CaseRow]

    public var kindName: String { kind == "monthly" ? "月度报告" : "专题报告" }

    /// How notable cases are chosen (典型案例), as the report prints it.
    public static let caseRule = "典型案例：统计期内受理、经回访不满意办结、被重办或被承办单位退单的工单，按不满意办结（4分）、重办（2分）、退单（1分）之和从高到低，"
        + "同分时涉及单位多者在前，最多列出20件；只列工单编号、分类、区县和主办单位，不含来电人和工作人员信息。"

    /// The names of the tables (`?table=`) in the order the workbook holds them.
    public static let tableNames = ["measures", "trend", "ranking", "topics", "cases"]

    /// One table of the report for export; nil for an unknown name.
    public func table(_ name: String) -> Spreadsheet? {
        func percent(_ x: Double?) -> Spreadsheet.Cell { x.map { .number(($0 * 1000).rounded() / 10) } ?? .empty }
        func count(_ n: Int) -> Spreadsheet.Cell { .number(Double(n)) }
        func head(_ names: [String]) -> [Spreadsheet.Cell] { names.map { Spreadsheet.Cell.text($0) } }
        switch name {
        case "measures":
            let rows = figures.map { f -> [Spreadsheet.Cell] in
                let value: Spreadsheet.Cell = f.isRate ? percent(f.value) : (f.value.map { Spreadsheet.Cell.number(($0 * 10).rounded() / 10) } ?? .empty)
                return [.text(f.name), value, .text(f.isRate ? "%" : ""), .text(f.formula), .text(f.definition)]
            }
            let first: [[Spreadsheet.Cell]] = [head(["指标", "数值", "单位", "计算方法", "口径"]), [.text("受理量"), count(accepted), .text("件"), .empty, .empty]]
            return Spreadsheet(sheetName: "指标", rows: first + rows)
        case "trend":
            return Spreadsheet(sheetName: "趋势", rows: [head(["日期", "受理量", "响应率(%)", "解决率(%)", "满意率(%)"])] + trend.map {
                [.text($0.label), count($0.accepted), percent($0.response), percent($0.resolution), percent($0.satisfaction)]
            })
        case "ranking":
            return Spreadsheet(sheetName: "考评排名", rows: [head(["考核类别", "名次", "单位", "综合得分", "派单数", "响应率(%)", "解决率(%)", "满意率(%)",
                                                              "按时办结率含超期未办结(%)", "超期未办结", "不满意办结", "黄牌", "红牌"])] + ranking.map { r in
                [.text(r.kind?.chineseName ?? "全部单位"), r.place.map { .number(Double($0)) } ?? .text("未排名"), .text(r.unit), r.score.map { .number(($0 * 100).rounded() / 100) } ?? .empty,
                 count(r.dispatched), percent(r.response), percent(r.resolution), percent(r.satisfaction), percent(r.onTimeWithOpen), count(r.openOverdue),
                 count(r.unsatisfiedClosed), count(r.yellowCards), count(r.redCards)]
            })
        case "topics":
            return Spreadsheet(sheetName: "热点", rows: [head(["热点", "关键词", "件数", "基线预期", "主要地点", "时段"])] + topics.map {
                [.text($0.label), .text($0.terms), count($0.size), .number(($0.baseline * 10).rounded() / 10), .text($0.places), .text($0.window)]
            })
        case "cases":
            return Spreadsheet(sheetName: "典型案例", rows: [head(["工单编号", "受理日期", "事项分类", "区县", "主办单位", "入选原因"])] + cases.map {
                [.text($0.number), .text($0.day), .text($0.category), .text($0.district), .text($0.unit), .text($0.reasons)]
            })
        default:
            return nil
        }
    }

    /// The report as a workbook: one sheet per table.
    public func xlsx() throws -> Data {
        try Spreadsheet.workbook(Self.tableNames.compactMap(table))
    }
}
