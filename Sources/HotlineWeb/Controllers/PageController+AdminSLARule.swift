import Foundation
import HotlineApp
import HotlineDomain
import Hummingbird

/// 时限监控规则: the admin page that shows the SLA sweeper's rule and saves it through the same use case as the API.
extension PageController {
    func registerSLARulePages(_ router: PageRouter) {
        adminGet(router, WebRoutes.adminSLARule, .manageTimeLimits) { s, request, _ in
            try pages.response("admin-sla-rule", AdminSLARulePage(
                user: pageUser(s), rule: try await app.admin.slaRule(), notice: AdminNotice.text(request.uri.queryParameters.get("done"))))
        }
        adminPost(router, WebRoutes.adminSLARule, .manageTimeLimits) { p in
            _ = try await app.admin.setSLARule(try Self.slaRuleInput(p.form), by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminSLARule + "?done=sla_rule_changed"
        } failed: { p, e in
            try pages.response("admin-sla-rule", AdminSLARulePage(
                user: pageUser(p.signed), rule: try await app.admin.slaRule(), error: Self.adminMessage(e), draft: p.form), status: e.status)
        }
    }

    /// The form's fields as the API's input; an unticked box turns its part off, a number that is not one is refused
    /// naming its field.
    static func slaRuleInput(_ form: [String: String]) throws -> SLARule {
        func integer(_ field: String, _ message: String) throws -> Int {
            guard let n = Int((form[field] ?? "").trimmingCharacters(in: .whitespaces)) else { throw APIError.invalid(field, message) }
            return n
        }
        return SLARule(
            warnPercent: try integer("warn_percent", "预警比例应为1到99之间的整数"),
            urgeWhenOverdue: form["urge_when_overdue"] != nil,
            yellowCardWhenOverdue: form["yellow_card_when_overdue"] != nil,
            yellowCardsForRed: try integer("yellow_cards_for_red", "红牌所需黄牌数应为0到31之间的整数"))
    }
}
