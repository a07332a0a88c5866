import Foundation
import HotlineApp
import HotlineDomain
import Hummingbird

/// 考评指标 and 考评排名 in the console, over `InsightDesk` (the same use case as `/api/v1/measures` and `/api/v1/ranking`).
extension PageController {
    func registerInsight(_ router: PageRouter) {
        let insight = app.insight
        router.get(RouterPath(WebRoutes.insightMeasures)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.insightMeasures) }
            let p = request.uri.queryParameters
            let now = clock()
            let query = try MeasureQuery.parse(from: p.get("from"), to: p.get("to"), by: p.get("by"), subtree: p.get("subtree"), today: CivilDay(containing: now))
            let report = try await insight.measures(query, for: signed.user.actor, at: now)
            let w = report.settings.basicSatisfactionWeight
            let rows = report.rows.map { InsightMeasuresPage.row($0, weight: w) }
            let page = InsightMeasuresPage(
                user: pageUser(signed), from: query.from.description, to: query.to.description,
                groupings: MeasureQuery.Grouping.allCases.map { .init(value: $0.rawValue, label: $0.chineseName, selected: $0 == query.by) },
                subtree: query.subtree, scopeName: report.total.name, figures: InsightMeasuresPage.figures(report), rows: rows, hasRows: !rows.isEmpty,
                chart: InsightMeasuresPage.trend(report), rankingHref: WebRoutes.insightRanking)
            return try pages.response("insight-measures", page)
        }
        router.get(RouterPath(WebRoutes.insightRanking)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.insightRanking) }
            let ranking = try await insight.ranking(month: request.uri.queryParameters.get("month"), for: signed.user.actor, at: clock())
            return try pages.response("insight-ranking", InsightRankingPage(user: pageUser(signed), ranking: ranking))
        }
        router.get(RouterPath(WebRoutes.insightRankingExport)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.insightRanking) }
            let p = request.uri.queryParameters
            let ranking = try await insight.ranking(month: p.get("month"), for: signed.user.actor, at: clock())
            if p.get("format") == "xlsx" {
                return InsightController.file(try ranking.spreadsheet.xlsx(), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                              name: "ranking-\(ranking.month).xlsx")
            }
            return InsightController.file(Data(ranking.spreadsheet.csv().utf8), type: "text/csv; charset=utf-8", name: "ranking-\(ranking.month).csv")
        }
    }
}
