import Foundation
import HotlineApp
import HotlineDomain
import Hummingbird

/// 答复审核规则: the admin page that lists the reply review rules and saves them all at once.
extension PageController {
    func registerReplyRulesPages(_ router: PageRouter) {
        adminGet(router, WebRoutes.adminReplyRules, .manageTimeLimits) { s, request, _ in
            try pages.response("admin-reply-rules", replyRulesPage(s, notice: AdminNotice.text(request.uri.queryParameters.get("done"))))
        }
        adminPost(router, WebRoutes.adminReplyRules, .manageTimeLimits) { p in
            _ = try await app.admin.setReplyRules(Self.replyRulesInput(p.form), by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminReplyRules + "?done=reply_rules_changed"
        } failed: { p, e in
            try pages.response("admin-reply-rules", replyRulesPage(p.signed, error: Self.adminMessage(e), draft: p.form), status: e.status)
        }
    }

    /// The form's fields (`<rule>.enabled`, `<rule>.severity`, `<rule>.<parameter>`) as the API's input: every rule,
    /// an unticked box meaning the rule is off.
    static func replyRulesInput(_ form: [String: String]) -> AdminInput.ReplyRulesInput {
        AdminInput.ReplyRulesInput(rules: ReplyRuleID.allCases.map { id in
            let key = id.rawValue
            var parameters: [String: String] = [:]
            for p in id.parameters { if let v = form[key + "." + p.name] { parameters[p.name] = v } }
            return .init(id: key, enabled: form[key + ".enabled"] != nil, severity: form[key + ".severity"], parameters: parameters)
        })
    }

    func replyRulesPage(_ s: Signed, notice: String? = nil, error: String? = nil, draft: [String: String]? = nil) -> AdminReplyRulesPage {
        AdminReplyRulesPage(
            user: pageUser(s), sections: AdminSection.all(current: WebRoutes.adminReplyRules), notice: notice, error: error,
            rules: AdminReplyRulesPage.rules(services.reference.context.replyRules, draft: draft))
    }
}
