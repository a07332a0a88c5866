import Foundation

/// The measures of a group of orders (考评指标): rates in [0, 1], or nil where the denominator is 0.
public struct MeasureFigures: Sendable, Equatable {
    public var counts: MeasureCounts
    /// Open orders accepted in the period whose unit's reply deadline has passed (超期未办结), counted live.
    public var openOverdue: Int

    public init(counts: MeasureCounts, openOverdue: Int = 0) {
        self.counts = counts
        self.openOverdue = openOverdue
    }

    static func rate(_ numerator: Double, _ denominator: Int) -> Double? { denominator == 0 ? nil : numerator / Double(denominator) }

    /// 响应率: signed on time / dispatched.
    public var responseRate: Double? { Self.rate(Double(counts.signedOnTime), counts.dispatched) }
    /// 解决率: resolved / reached on the callback.
    public var resolutionRate: Double? { Self.rate(Double(counts.resolved), counts.reached) }
    /// 满意率: (满意 + w × 基本满意) / orders with a verdict (reached on the callback or rated by the citizen).
    public func satisfactionRate(weight: Double) -> Double? {
        Self.rate(Double(counts.satisfied) + weight * Double(counts.basicallySatisfied), counts.rated)
    }
    /// 按时办结率: finished on time / finished.
    public var onTimeRate: Double? { Self.rate(Double(counts.finishedOnTime), counts.finished) }
    /// 按时办结率 counting the open overdue: finished on time / (finished + open overdue).
    public var onTimeRateWithOpen: Double? { Self.rate(Double(counts.finishedOnTime), counts.finished + openOverdue) }
    /// 直接答复率: answered on the call / accepted.
    public var directAnswerRate: Double? { Self.rate(Double(counts.directAnswered), counts.accepted) }
    /// 重复诉求率: repeat requests / accepted.
    public var repeatRate: Double? { Self.rate(Double(counts.repeated), counts.accepted) }
    /// 退单率: returned at least once / dispatched.
    public var returnRate: Double? { Self.rate(Double(counts.returned), counts.dispatched) }
    /// 重办率: redone at least once / dispatched.
    public var redoRate: Double? { Self.rate(Double(counts.redone), counts.dispatched) }
    /// 平均办理时长 in working hours: handling time / handled orders.
    public var averageHandlingHours: Double? { Self.rate(Double(counts.handlingSeconds) / 3600, counts.handled) }
}

/// The settings of the measures (指标设置), stored and edited by managers and admins: the weight of 基本满意 in the
/// satisfaction rate, and the weights of the unit ranking's score (考评排名).
public struct MeasureSettings: Sendable, Equatable, Codable {
    /// How much a 基本满意 counts in 满意率 (0…1; 1 by default: 满意 + 基本满意).
    public var basicSatisfactionWeight: Double
    /// The score's weights of the rates (each in points out of their sum).
    public var responseWeight: Double
    public var resolutionWeight: Double
    public var satisfactionWeight: Double
    public var onTimeWeight: Double
    /// Points taken off the score for each yellow and red card of the month.
    public var yellowCardPenalty: Double
    public var redCardPenalty: Double

    public init(
        basicSatisfactionWeight: Double = 1, responseWeight: Double = 20, resolutionWeight: Double = 30, satisfactionWeight: Double = 30,
        onTimeWeight: Double = 20, yellowCardPenalty: Double = 1, redCardPenalty: Double = 3
    ) {
        self.basicSatisfactionWeight = basicSatisfactionWeight
        self.responseWeight = responseWeight
        self.resolutionWeight = resolutionWeight
        self.satisfactionWeight = satisfactionWeight
        self.onTimeWeight = onTimeWeight
        self.yellowCardPenalty = yellowCardPenalty
        self.redCardPenalty = redCardPenalty
    }

    public static let `default` = MeasureSettings()

    /// The problem with these settings in words, naming the field as the form labels it; nil when they are usable.
    public var problem: (field: String, message: String)? {
        if !(0...1).contains(basicSatisfactionWeight) { return ("basic_satisfaction_weight", "基本满意计入比例应在0到1之间") }
        let weights = [("response_weight", "响应率权重", responseWeight), ("resolution_weight", "解决率权重", resolutionWeight),
                       ("satisfaction_weight", "满意率权重", satisfactionWeight), ("on_time_weight", "按时办结率权重", onTimeWeight)]
        for (field, label, w) in weights where !(0...100).contains(w) { return (field, "\(label)应在0到100之间") }
        if weights.allSatisfy({ $0.2 == 0 }) { return ("response_weight", "各项权重不能全部为0") }
        if !(0...100).contains(yellowCardPenalty) { return ("yellow_card_penalty", "每张黄牌扣分应在0到100之间") }
        if !(0...100).contains(redCardPenalty) { return ("red_card_penalty", "每张红牌扣分应在0到100之间") }
        return nil
    }

    /// The ranking score (综合得分) out of 100: the weighted mean of the rates a unit has (a rate without orders is left
    /// out with its weight), as points, less the card penalties; nil when the unit has none of the rates.
    public func score(_ f: MeasureFigures, yellowCards: Int, redCards: Int) -> Double? {
        let parts: [(Double?, Double)] = [
            (f.responseRate, responseWeight), (f.resolutionRate, resolutionWeight),
            (f.satisfactionRate(weight: basicSatisfactionWeight), satisfactionWeight), (f.onTimeRateWithOpen, onTimeWeight),
        ]
        let present = parts.compactMap { rate, weight in rate.map { ($0, weight) } }.filter { $0.1 > 0 }
        let total = present.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return nil }
        let mean = present.reduce(0) { $0 + $1.0 * $1.1 } / total
        return mean * 100 - Double(yellowCards) * yellowCardPenalty - Double(redCards) * redCardPenalty
    }
}
