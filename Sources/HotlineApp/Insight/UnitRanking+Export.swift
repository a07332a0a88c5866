import Foundation
import HotlineDomain

extension UnitRanking {
    /// The ranking as a table (考评排名导出): one row per unit with its group and its place in the group, rates as percentages
    /// with one decimal.
    public var spreadsheet: Spreadsheet {
        func percent(_ x: Double?) -> Spreadsheet.Cell { x.map { .number(($0 * 1000).rounded() / 10) } ?? .empty }
        let header = ["考核类别", "名次", "单位", "综合得分", "派单数", "响应率(%)", "解决率(%)", "满意率(%)", "按时办结率(%)", "按时办结率含超期未办结(%)",
                      "超期未办结", "退单率(%)", "重办率(%)", "不满意办结", "黄牌", "红牌"].map(Spreadsheet.Cell.text)
        let w = settings.basicSatisfactionWeight
        let body = rows.map { r -> [Spreadsheet.Cell] in
            let f = r.figures
            return [
                .text(r.group.chineseName), r.place.map { .number(Double($0)) } ?? .text("未排名"), .text(r.name), r.score.map { .number(($0 * 100).rounded() / 100) } ?? .empty,
                .number(Double(f.counts.dispatched)), percent(f.responseRate), percent(f.resolutionRate), percent(f.satisfactionRate(weight: w)),
                percent(f.onTimeRate), percent(f.onTimeRateWithOpen), .number(Double(f.openOverdue)), percent(f.returnRate), percent(f.redoRate),
                .number(Double(f.counts.unsatisfiedClosed)), .number(Double(r.yellowCards)), .number(Double(r.redCards)),
            ]
        }
        return Spreadsheet(sheetName: "\(month)考评排名", rows: [header] + body)
    }
}
