import Foundation

/// One agent's work over a period (坐席绩效), counted from the record: the calls they answered (`calls`), the orders
/// they took (the order's first event) with their measure facts, and their quality inspections.
public struct AgentFigures: Sendable, Equatable {
    public var agentID: String
    /// Calls answered.
    public var calls = 0
    /// Calls answered and ended, whose talk and after-call work are known.
    public var endedCalls = 0
    public var talkSeconds = 0
    public var afterCallSeconds = 0
    /// Orders the agent took, those answered on the call (直接答复), and those with a satisfaction verdict.
    public var orders = 0
    public var directAnswered = 0
    public var rated = 0
    public var satisfied = 0
    public var basicallySatisfied = 0
    /// Quality inspections scored in the period and their average score (0…100).
    public var inspections = 0
    public var qualityScore: Double?

    public init(agentID: String) { self.agentID = agentID }

    /// 平均处理时长 (AHT): talk plus after-call work per ended call, in seconds.
    public var averageHandlingSeconds: Double? { endedCalls == 0 ? nil : Double(talkSeconds + afterCallSeconds) / Double(endedCalls) }
    /// 平均话后处理时长, in seconds.
    public var averageAfterCallSeconds: Double? { endedCalls == 0 ? nil : Double(afterCallSeconds) / Double(endedCalls) }
    /// 直接答复率.
    public var directAnswerRate: Double? { orders == 0 ? nil : Double(directAnswered) / Double(orders) }
    /// 满意率, 基本满意 counted with `weight` as the measures count it.
    public func satisfactionRate(weight: Double) -> Double? {
        rated == 0 ? nil : (Double(satisfied) + weight * Double(basicallySatisfied)) / Double(rated)
    }

    /// The figures of several agents together (a team's).
    public static func sum(_ all: [AgentFigures], as id: String) -> AgentFigures {
        var t = AgentFigures(agentID: id)
        var scored = 0.0
        for f in all {
            t.calls += f.calls
            t.endedCalls += f.endedCalls
            t.talkSeconds += f.talkSeconds
            t.afterCallSeconds += f.afterCallSeconds
            t.orders += f.orders
            t.directAnswered += f.directAnswered
            t.rated += f.rated
            t.satisfied += f.satisfied
            t.basicallySatisfied += f.basicallySatisfied
            if let q = f.qualityScore {
                t.inspections += f.inspections
                scored += q * Double(f.inspections)
            }
        }
        t.qualityScore = t.inspections == 0 ? nil : scored / Double(t.inspections)
        return t
    }
}

/// The centre's targets for its agents (绩效目标), which managers set: each figure shown against its target, and the
/// weights of the weekly service-star score (服务之星).
public struct PerformanceTargets: Sendable, Equatable, Codable {
    /// AHT at most this (seconds).
    public var averageHandlingSeconds: Double
    /// After-call work at most this (seconds).
    public var averageAfterCallSeconds: Double
    /// 直接答复率 at least this.
    public var directAnswerRate: Double
    /// 质检平均分 at least this.
    public var qualityScore: Double
    /// 满意率 at least this.
    public var satisfactionRate: Double
    /// An agent needs this many answered calls in the week to be ranked.
    public var minimumCalls: Int
    /// The score's weights (points, out of their sum): quality, satisfaction, direct answers, handling time against
    /// its target, calls against the busiest agent's.
    public var qualityWeight: Double
    public var satisfactionWeight: Double
    public var directAnswerWeight: Double
    public var handlingWeight: Double
    public var volumeWeight: Double

    public init(
        averageHandlingSeconds: Double = 360, averageAfterCallSeconds: Double = 60, directAnswerRate: Double = 0.6, qualityScore: Double = 90,
        satisfactionRate: Double = 0.9, minimumCalls: Int = 20, qualityWeight: Double = 35, satisfactionWeight: Double = 25,
        directAnswerWeight: Double = 20, handlingWeight: Double = 10, volumeWeight: Double = 10
    ) {
        self.averageHandlingSeconds = averageHandlingSeconds
        self.averageAfterCallSeconds = averageAfterCallSeconds
        self.directAnswerRate = directAnswerRate
        self.qualityScore = qualityScore
        self.satisfactionRate = satisfactionRate
        self.minimumCalls = minimumCalls
        self.qualityWeight = qualityWeight
        self.satisfactionWeight = satisfactionWeight
        self.directAnswerWeight = directAnswerWeight
        self.handlingWeight = handlingWeight
        self.volumeWeight = volumeWeight
    }

    public static let defaults = PerformanceTargets()

    /// The targets if sensible, else the first wrong field and why (in Chinese).
    public func checked() -> Result<PerformanceTargets, ExpertSeatError> {
        func bad(_ field: String, _ message: String) -> Result<PerformanceTargets, ExpertSeatError> { .failure(.init(field: field, message: message)) }
        guard (30...3600).contains(averageHandlingSeconds) else { return bad("average_handling_seconds", "平均处理时长目标应在30至3600秒之间") }
        guard (0...1800).contains(averageAfterCallSeconds) else { return bad("average_after_call_seconds", "话后处理时长目标应在0至1800秒之间") }
        guard (0...1).contains(directAnswerRate) else { return bad("direct_answer_rate", "直接答复率目标应在0至1之间") }
        guard (0...100).contains(qualityScore) else { return bad("quality_score", "质检平均分目标应在0至100之间") }
        guard (0...1).contains(satisfactionRate) else { return bad("satisfaction_rate", "满意率目标应在0至1之间") }
        guard (0...10_000).contains(minimumCalls) else { return bad("minimum_calls", "参评最少接听量应在0至10000之间") }
        let weights = [qualityWeight, satisfactionWeight, directAnswerWeight, handlingWeight, volumeWeight]
        guard weights.allSatisfy({ (0...100).contains($0) }), weights.reduce(0, +) > 0 else { return bad("quality_weight", "各项权重应在0至100之间，且不能全为0") }
        return .success(self)
    }
}

/// 服务之星: the week's agents ranked by a score out of 100 from their figures — quality, satisfaction and direct
/// answers as they are, handling time as its target over the agent's own (capped at 1), calls against the busiest
/// agent's — each weighted; a figure an agent has none of counts as the ranked agents' average of that figure, so
/// that an agent is neither rewarded nor punished for what was not measured, and a figure none of them has drops out
/// of the score. Agents under the minimum calls are not ranked.
public enum ServiceStar {
    public struct Entry: Sendable, Equatable {
        public var place: Int
        public var figures: AgentFigures
        public var score: Double
    }

    public static func rank(_ agents: [AgentFigures], targets: PerformanceTargets, satisfactionWeight weight: Double) -> [Entry] {
        let eligible = agents.filter { $0.calls >= max(1, targets.minimumCalls) }
        guard !eligible.isEmpty else { return [] }
        func mean(_ values: [Double?]) -> Double? {
            let known = values.compactMap { $0 }
            return known.isEmpty ? nil : known.reduce(0, +) / Double(known.count)
        }
        func handling(_ f: AgentFigures) -> Double? { f.averageHandlingSeconds.map { min(1, targets.averageHandlingSeconds / max($0, 1)) } }
        let busiest = Double(eligible.map(\.calls).max() ?? 1)
        // Each part: its weight and each agent's value in 0…1. A part no ranked agent has (no inspections this week,
        // say) drops out and the others carry the score.
        let parts: [(Double, (AgentFigures) -> Double?)] = [
            (targets.qualityWeight, { $0.qualityScore.map { $0 / 100 } }),
            (targets.satisfactionWeight, { $0.satisfactionRate(weight: weight) }),
            (targets.directAnswerWeight, { $0.directAnswerRate }),
            (targets.handlingWeight, handling),
            (targets.volumeWeight, { Double($0.calls) / busiest }),
        ]
        let measured = parts.compactMap { part in mean(eligible.map(part.1)).map { (weight: part.0, value: part.1, mean: $0) } }
        let total = measured.map(\.weight).reduce(0, +)
        guard total > 0 else { return [] }
        let scored = eligible.map { f -> (AgentFigures, Double) in
            (f, 100 * measured.map { $0.weight * ($0.value(f) ?? $0.mean) }.reduce(0, +) / total)
        }
        let sorted = scored.sorted { a, b in a.1 != b.1 ? a.1 > b.1 : (a.0.calls != b.0.calls ? a.0.calls > b.0.calls : a.0.agentID < b.0.agentID) }
        return sorted.enumerated().map { Entry(place: $0.offset + 1, figures: $0.element.0, score: ($0.element.1 * 10).rounded() / 10) }
    }
}
