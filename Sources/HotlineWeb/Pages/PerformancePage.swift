import Foundation
import HotlineApp
import HotlineDomain

/// 坐席绩效: a week's service stars (服务之星), per-team and per-agent figures against the targets (a figure that misses
/// its target is marked), an agent's own dashboard, and the managers' targets form.
struct PerformancePage: Sendable {
    struct Cell: Sendable {
        var text: String
        /// Misses its target.
        var off: Bool
    }

    struct Row: Sendable {
        var place: String
        var name: String
        var team: String
        var calls: String
        var cells: [Cell]
        var score: String
    }

    struct Star: Sendable {
        var place: String
        var name: String
        var team: String
        var score: String
        var summary: String
    }

    struct Tile: Sendable {
        var label: String
        var value: String
        var target: String
        var off: Bool
    }

    struct Field: Sendable {
        var name: String
        var label: String
        var value: String
        var step: String
        var hint: String
    }

    var title = "坐席绩效"
    var user: PageUser?
    var notice: String?
    var error: String?
    var heading: String
    var period: String
    var previous: String
    var next: String?
    var week: String
    var starsHeading: String
    var stars: [Star]
    var starsNote: String
    var mine: [Tile]
    var hasMine: Bool
    var myPlace: String?
    var teamHeading: String
    var teams: [Row]
    var agents: [Row]
    var showAgents: Bool
    var targets: String
    var form: [Field]
    var canEditTargets: Bool
    var formAction = WebRoutes.performanceTargets

    static let columns = ["平均处理时长", "话后处理", "直接答复率", "质检均分", "满意率"]

    static func seconds(_ x: Double?) -> String { x.map { String(format: "%.0f秒", $0) } ?? "—" }
    static func score(_ x: Double?) -> String { x.map { String(format: "%.1f", $0) } ?? "—" }

    /// A row's five figures against the targets.
    static func cells(_ f: AgentFigures, _ t: PerformanceTargets, weight: Double) -> [Cell] {
        let satisfaction = f.satisfactionRate(weight: weight)
        return [
            Cell(text: seconds(f.averageHandlingSeconds), off: f.averageHandlingSeconds.map { $0 > t.averageHandlingSeconds } ?? false),
            Cell(text: seconds(f.averageAfterCallSeconds), off: f.averageAfterCallSeconds.map { $0 > t.averageAfterCallSeconds } ?? false),
            Cell(text: percentText(f.directAnswerRate), off: f.directAnswerRate.map { $0 < t.directAnswerRate } ?? false),
            Cell(text: score(f.qualityScore) + (f.inspections > 0 ? "（\(f.inspections)次）" : ""), off: f.qualityScore.map { $0 < t.qualityScore } ?? false),
            Cell(text: percentText(satisfaction), off: satisfaction.map { $0 < t.satisfactionRate } ?? false),
        ]
    }

    static func targetsText(_ t: PerformanceTargets) -> String {
        "目标：平均处理时长不超过\(Int(t.averageHandlingSeconds))秒，话后处理不超过\(Int(t.averageAfterCallSeconds))秒，直接答复率不低于\(percentText(t.directAnswerRate))，"
            + "质检均分不低于\(score(t.qualityScore))，满意率不低于\(percentText(t.satisfactionRate))。"
    }

    static func fields(_ t: PerformanceTargets) -> [Field] {
        [
            Field(name: "average_handling_seconds", label: "平均处理时长目标（秒，不超过）", value: String(Int(t.averageHandlingSeconds)), step: "1", hint: "通话加话后处理"),
            Field(name: "average_after_call_seconds", label: "话后处理时长目标（秒，不超过）", value: String(Int(t.averageAfterCallSeconds)), step: "1", hint: ""),
            Field(name: "direct_answer_rate", label: "直接答复率目标（0至1）", value: String(t.directAnswerRate), step: "0.01", hint: ""),
            Field(name: "quality_score", label: "质检均分目标（0至100）", value: score(t.qualityScore), step: "0.1", hint: ""),
            Field(name: "satisfaction_rate", label: "满意率目标（0至1）", value: String(t.satisfactionRate), step: "0.01", hint: ""),
            Field(name: "minimum_calls", label: "参评服务之星的最少接听量（每周）", value: String(t.minimumCalls), step: "1", hint: ""),
            Field(name: "quality_weight", label: "服务之星权重：质检", value: score(t.qualityWeight), step: "1", hint: ""),
            Field(name: "satisfaction_weight", label: "服务之星权重：满意率", value: score(t.satisfactionWeight), step: "1", hint: ""),
            Field(name: "direct_answer_weight", label: "服务之星权重：直接答复率", value: score(t.directAnswerWeight), step: "1", hint: ""),
            Field(name: "handling_weight", label: "服务之星权重：处理时长", value: score(t.handlingWeight), step: "1", hint: ""),
            Field(name: "volume_weight", label: "服务之星权重：接听量", value: score(t.volumeWeight), step: "1", hint: ""),
        ]
    }
}
