import Foundation
import HotlineDomain
import Testing

/// 服务之星: agents under the minimum calls are not ranked; the score weighs quality, satisfaction, direct answers,
/// handling time against its target and calls against the busiest agent's; a figure an agent lacks counts as the
/// average of those ranked; team figures add their members' counts, the quality score weighted by inspections.
@Suite struct ServiceStarTests {
    func agent(_ id: String, calls: Int, aht: Int, orders: Int = 10, direct: Int = 5, rated: Int = 10, satisfied: Int = 9, quality: Double? = 90,
               inspections: Int = 2) -> AgentFigures {
        var f = AgentFigures(agentID: id)
        f.calls = calls
        f.endedCalls = calls
        f.talkSeconds = calls * (aht - 30)
        f.afterCallSeconds = calls * 30
        f.orders = orders
        f.directAnswered = direct
        f.rated = rated
        f.satisfied = satisfied
        f.qualityScore = quality
        f.inspections = quality == nil ? 0 : inspections
        return f
    }

    @Test func theBetterAgentRanksFirstAndTheQuietOneIsNotRanked() {
        let targets = PerformanceTargets(averageHandlingSeconds: 300, minimumCalls: 20)
        let strong = agent("a", calls: 100, aht: 280, direct: 8, satisfied: 10, quality: 96)
        let weak = agent("b", calls: 80, aht: 420, direct: 3, satisfied: 7, quality: 70)
        let quiet = agent("c", calls: 5, aht: 200, direct: 10, satisfied: 10, quality: 100)
        let ranked = ServiceStar.rank([weak, quiet, strong], targets: targets, satisfactionWeight: 1)
        #expect(ranked.map(\.figures.agentID) == ["a", "b"])
        #expect(ranked.map(\.place) == [1, 2])
        // a: 35×0.96 + 25×1.0 + 20×0.8 + 10×1 (280 s under the 300 s target) + 10×1 (busiest) = 94.6
        #expect(ranked[0].score == 94.6)
        // b: 35×0.70 + 25×0.7 + 20×0.3 + 10×(300/420) + 10×0.8 = 63.14… → 63.1
        #expect(ranked[1].score == 63.1)
    }

    @Test func aMissingFigureCountsAsTheRankedAverage() {
        let targets = PerformanceTargets(minimumCalls: 1, qualityWeight: 100, satisfactionWeight: 0, directAnswerWeight: 0, handlingWeight: 0, volumeWeight: 0)
        let ranked = ServiceStar.rank(
            [agent("a", calls: 10, aht: 300, quality: 80), agent("b", calls: 10, aht: 300, quality: 100), agent("c", calls: 10, aht: 300, quality: nil)],
            targets: targets, satisfactionWeight: 1)
        #expect(ranked.first { $0.figures.agentID == "c" }?.score == 90, "the average of 80 and 100")
        #expect(ranked.map(\.figures.agentID) == ["b", "c", "a"])
        // No one inspected: quality drops out and satisfaction alone decides, out of 100.
        let unmeasured = PerformanceTargets(minimumCalls: 1, qualityWeight: 50, satisfactionWeight: 50, directAnswerWeight: 0, handlingWeight: 0, volumeWeight: 0)
        let plain = ServiceStar.rank([agent("a", calls: 10, aht: 300, satisfied: 8, quality: nil), agent("b", calls: 10, aht: 300, satisfied: 10, quality: nil)],
                                     targets: unmeasured, satisfactionWeight: 1)
        #expect(plain.map(\.score) == [100, 80])
    }

    @Test func aTeamAddsItsMembersAndWeighsQualityByInspections() {
        let team = AgentFigures.sum([agent("a", calls: 10, aht: 300, quality: 90, inspections: 3), agent("b", calls: 30, aht: 200, quality: 70, inspections: 1)],
                                   as: "一班")
        #expect(team.calls == 40 && team.orders == 20 && team.directAnswered == 10)
        #expect(team.qualityScore == 85 && team.inspections == 4)
        #expect(team.averageHandlingSeconds == Double(10 * 300 + 30 * 200) / 40)
        #expect(team.directAnswerRate == 0.5)
    }

    @Test func targetsOutOfRangeAreRefusedByField() {
        var t = PerformanceTargets()
        t.directAnswerRate = 1.5
        guard case .failure(let e) = t.checked() else { Issue.record("accepted"); return }
        #expect(e.field == "direct_answer_rate")
        t = PerformanceTargets(qualityWeight: 0, satisfactionWeight: 0, directAnswerWeight: 0, handlingWeight: 0, volumeWeight: 0)
        guard case .failure(let w) = t.checked() else { Issue.record("accepted"); return }
        #expect(w.field == "quality_weight")
        #expect((try? PerformanceTargets.defaults.checked().get()) == .defaults)
    }
}
