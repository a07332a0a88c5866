import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 坐席绩效 in the console (`/performance`): the week's service stars, teams and agents against the targets for
/// overseers, an agent's own dashboard, and the managers' targets form. A `PerformanceDesk` use case, as in the API.
extension PageController {
    func registerPerformance(_ router: PageRouter) {
        router.get(RouterPath(WebRoutes.callCentre)) { _, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.callCentre) }
            let cards = CallCentreHub.cards(for: s.user.role)
            guard !cards.isEmpty else { throw APIError.lacks(.viewScreen, role: s.user.role) }
            return try pages.response("callcentre", CallCentreHub(user: pageUser(s), cards: cards))
        }
        router.get(RouterPath(WebRoutes.performance)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.performance) }
            let p = request.uri.queryParameters
            let notice = p.get("done") == "targets" ? "绩效目标已保存。" : nil
            return try pages.response("performance", try await performancePage(s, week: p.get("week"), notice: notice))
        }
        adminPost(
            router, WebRoutes.performanceTargets, .managePerformanceTargets,
            act: { p in
                let current = try await app.performance.targets(for: p.signed.user)
                _ = try await app.performance.setTargets(try Self.targets(p.form, over: current), by: p.signed.user, at: clock(), client: p.client)
                return WebRoutes.performance + "?done=targets"
            },
            failed: { p, e in
                var page = try await performancePage(p.signed, week: nil, notice: nil)
                page.error = Self.expertMessage(e)
                return try pages.response("performance", page, status: e.status)
            })
    }

    /// The targets form's numbers over the current targets; a field that is not a number is refused by name.
    static func targets(_ form: [String: String], over t: PerformanceTargets) throws -> PerformanceTargets {
        let labels = Dictionary(PerformancePage.fields(t).map { ($0.name, $0.label) }, uniquingKeysWith: { a, _ in a })
        func number(_ name: String, _ current: Double) throws -> Double {
            guard let text = form[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return current }
            guard let value = Double(text), value.isFinite else { throw APIError.invalid(name, "\(labels[name] ?? name)应为数字") }
            return value
        }
        var n = t
        n.averageHandlingSeconds = try number("average_handling_seconds", t.averageHandlingSeconds)
        n.averageAfterCallSeconds = try number("average_after_call_seconds", t.averageAfterCallSeconds)
        n.directAnswerRate = try number("direct_answer_rate", t.directAnswerRate)
        n.qualityScore = try number("quality_score", t.qualityScore)
        n.satisfactionRate = try number("satisfaction_rate", t.satisfactionRate)
        let minimum = try number("minimum_calls", Double(t.minimumCalls))
        guard minimum == minimum.rounded(), abs(minimum) < 1e6 else { throw APIError.invalid("minimum_calls", "参评服务之星的最少接听量应为整数") }
        n.minimumCalls = Int(minimum)
        n.qualityWeight = try number("quality_weight", t.qualityWeight)
        n.satisfactionWeight = try number("satisfaction_weight", t.satisfactionWeight)
        n.directAnswerWeight = try number("direct_answer_weight", t.directAnswerWeight)
        n.handlingWeight = try number("handling_weight", t.handlingWeight)
        n.volumeWeight = try number("volume_weight", t.volumeWeight)
        return n
    }

    func performancePage(_ s: Signed, week text: String?, notice: String?) async throws -> PerformancePage {
        var day: CivilDay?
        if let text, !text.isEmpty {
            guard let d = CivilDay(iso: text) else { throw APIError.invalid("week", "应为形如2026-01-31的日期") }
            day = d
        }
        let r = try await app.performance.report(week: day, for: s.user, at: clock())
        let t = r.targets
        func row(_ a: PerformanceDesk.Row) -> PerformancePage.Row {
            PerformancePage.Row(
                place: a.place.map(String.init) ?? "—", name: a.name, team: a.team ?? "—", calls: String(a.figures.calls),
                cells: PerformancePage.cells(a.figures, t, weight: r.satisfactionWeight), score: a.score.map { PerformancePage.score($0) } ?? "未参评")
        }
        let teams = r.teams.map { team in
            PerformancePage.Row(
                place: "", name: team.name, team: "\(team.members)人", calls: String(team.figures.calls),
                cells: PerformancePage.cells(team.figures, t, weight: r.satisfactionWeight), score: "")
        }
        let stars = r.stars.map { a in
            PerformancePage.Star(
                place: String(a.place ?? 0), name: a.name, team: a.team ?? "", score: PerformancePage.score(a.score),
                summary: ["接听\(a.figures.calls)个", "平均处理\(PerformancePage.seconds(a.figures.averageHandlingSeconds))",
                          a.figures.qualityScore.map { "质检均分\(PerformancePage.score($0))" },
                          a.figures.satisfactionRate(weight: r.satisfactionWeight).map { "满意率\(percentText($0))" },
                          a.figures.directAnswerRate.map { "直接答复率\(percentText($0))" }].compactMap { $0 }.joined(separator: "，"))
        }
        var mine: [PerformancePage.Tile] = []
        if let me = r.me {
            let f = me.figures
            let cells = PerformancePage.cells(f, t, weight: r.satisfactionWeight)
            mine = [PerformancePage.Tile(label: "接听量", value: String(f.calls), target: "受理工单\(f.orders)件", off: false)]
            let targetTexts = ["目标不超过\(Int(t.averageHandlingSeconds))秒", "目标不超过\(Int(t.averageAfterCallSeconds))秒",
                               "目标不低于\(percentText(t.directAnswerRate))", "目标不低于\(PerformancePage.score(t.qualityScore))",
                               "目标不低于\(percentText(t.satisfactionRate))"]
            for (i, label) in PerformancePage.columns.enumerated() {
                mine.append(PerformancePage.Tile(label: label, value: cells[i].text, target: targetTexts[i], off: cells[i].off))
            }
        }
        let overseer = Capability.viewPerformance.isAllowed(for: s.user.role)
        let week = PerformanceDesk.week(of: r.from)
        let today = CivilDay(containing: clock())
        let nextWeek = week.upperBound.adding(days: 1)
        return PerformancePage(
            user: pageUser(s), notice: notice, error: nil, heading: overseer ? "坐席绩效" : "我的绩效",
            period: "\(r.from) 至 \(r.to)" + (r.running ? "（本周进行中）" : ""),
            previous: WebRoutes.performance + "?week=\(r.from.adding(days: -7))", next: nextWeek <= today ? WebRoutes.performance + "?week=\(nextWeek)" : nil,
            week: r.from.description, starsHeading: r.running ? "本周服务之星" : "该周服务之星", stars: stars,
            starsNote: "按质检、满意率、直接答复率、处理时长和接听量加权计算（权重\(PerformancePage.score(t.qualityWeight))、\(PerformancePage.score(t.satisfactionWeight))、\(PerformancePage.score(t.directAnswerWeight))、\(PerformancePage.score(t.handlingWeight))、\(PerformancePage.score(t.volumeWeight))），一周接听不少于\(t.minimumCalls)个的话务员参评；某项没有数据时按全体参评话务员的平均值计。",
            mine: mine, hasMine: !mine.isEmpty, myPlace: r.me.flatMap { $0.place.map { "综合排名第\($0)名" } ?? "本周接听量未达参评标准" },
            teamHeading: overseer ? "班组" : "我的班组", teams: teams, agents: r.agents.map(row), showAgents: overseer,
            targets: PerformancePage.targetsText(t), form: PerformancePage.fields(t),
            canEditTargets: Capability.managePerformanceTargets.isAllowed(for: s.user.role))
    }
}
