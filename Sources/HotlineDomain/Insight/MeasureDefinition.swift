import Foundation

/// The written definition of a measure (指标口径): what it counts, over what, in which period, and what it leaves out.
/// The API answers these beside the figures and the console shows them beside each figure.
public struct MeasureDefinition: Sendable, Equatable, Codable {
    /// The API's field name, e.g. `response_rate`.
    public var key: String
    public var name: String
    public var numerator: String
    public var denominator: String
    public var period: String
    public var exclusions: String

    /// One sentence for the console: 「分子 ÷ 分母」.
    public var formula: String { denominator.isEmpty ? numerator : "\(numerator) ÷ \(denominator)" }

    static let period = "统计期内受理（按受理日期，北京时间）的工单"
    static let common = "不予受理、已并入其他工单的工单不计入"

    /// Every measure's definition, in the order the console shows them. `basicWeight` is the weight of 基本满意 in force.
    public static func all(basicWeight: Double = 1) -> [MeasureDefinition] {
        let w = basicWeight == 1 ? "" : "×\(Self.number(basicWeight))"
        return [
            .init(key: "response_rate", name: "响应率", numerator: "在签收时限内签收的工单数", denominator: "派单工单数",
                  period: period, exclusions: common + "；改派、重办后以最近一次派单的签收时限为准；尚未签收的计入分母"),
            .init(key: "resolution_rate", name: "解决率", numerator: "回访接通且表示已解决的工单数", denominator: "回访接通的工单数",
                  period: period, exclusions: common + "；未接通的回访不计入；重办后以最近一次回访为准"),
            .init(key: "satisfaction_rate", name: "满意率", numerator: "满意数 + 基本满意数\(w)", denominator: "有满意度评价的工单数（回访接通或市民在线评价）",
                  period: period, exclusions: common + "；市民在线评价的以市民本人评价为准，否则以回访结果为准；基本满意计入比例由管理者设置（当前为\(Self.number(basicWeight))）"),
            .init(key: "on_time_rate", name: "按时办结率", numerator: "按时办结的工单数", denominator: "已办结的派单工单数",
                  period: period, exclusions: common + "；按时指承办单位的答复不晚于答复时限（含批准的延期）；直接答复的工单不计入"),
            .init(key: "on_time_rate_with_open", name: "按时办结率（含超期未办结）", numerator: "按时办结的工单数",
                  denominator: "已办结的派单工单数 + 超期未办结的工单数", period: period,
                  exclusions: common + "；超期未办结指已派单或办理中且已过答复时限的工单，按当前时刻实时统计"),
            .init(key: "direct_answer_rate", name: "直接答复率", numerator: "话务员当场直接答复的工单数", denominator: "受理工单数",
                  period: period, exclusions: common),
            .init(key: "repeat_rate", name: "重复诉求率", numerator: "标记为重复诉求的工单数", denominator: "受理工单数",
                  period: period, exclusions: common),
            .init(key: "return_rate", name: "退单率", numerator: "被退单至少一次的工单数", denominator: "派单工单数",
                  period: period, exclusions: common),
            .init(key: "redo_rate", name: "重办率", numerator: "被重办至少一次的工单数", denominator: "派单工单数",
                  period: period, exclusions: common),
            .init(key: "unsatisfied_closed", name: "不满意办结", numerator: "回访不满意或未解决、经中心研判后办结的工单数", denominator: "",
                  period: period, exclusions: common + "；重办后不再计入"),
            .init(key: "average_handling_hours", name: "平均办理时长（工作小时）", numerator: "各工单从最近一次派单到承办单位答复的工作时长之和",
                  denominator: "已答复的派单工单数", period: period,
                  exclusions: common + "；按工作日历的工作时间计算，节假日和下班时间不计；尚未答复的工单不计入"),
        ]
    }

    /// A weight or rate as people write it: at most two decimals, no trailing zeros.
    public static func number(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
