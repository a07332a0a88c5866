import Foundation
import HotlineApp
import HotlineDomain
import Hummingbird

/// `GET/PUT /api/v1/review-rules`: the reply review rules (答复审核规则). Anyone who reads reference data may read
/// them (units check their replies against them); only administrators change them.
extension ReferenceController {
    func registerReplyRules(on router: Router<AppRequestContext>) {
        router.scoped(.referenceRead, by: actors).get(RouterPath(APIRoutes.replyRules)) { request, context in
            _ = try context.user()
            return try APIJSON.response(ReplyRulesView(reference.context.replyRules))
        }
        router.scoped(.admin, by: actors).put(RouterPath(APIRoutes.replyRules)) { request, context in
            let user = try context.require(.manageTimeLimits)
            let input = try await request.decode(as: AdminInput.ReplyRulesInput.self, context: context)
            return try APIJSON.response(ReplyRulesView(
                try await administration.setReplyRules(input, by: user, client: clients.of(request, context), at: clock())))
        }
    }
}

/// The rule set as the API shows it: every rule with its Chinese description, severity and parameters.
struct ReplyRulesView: Encodable {
    struct Rule: Encodable {
        struct Parameter: Encodable {
            var name: String
            var label: String
            var value: String
        }
        var id: String
        var description: String
        var enabled: Bool
        var severity: String
        var severityName: String
        var parameters: [Parameter]
    }
    var rules: [Rule]

    init(_ set: ReplyReviewRules) {
        rules = set.rules.map { r in
            Rule(id: r.id.rawValue, description: r.id.description, enabled: r.enabled, severity: r.severity.rawValue, severityName: r.severity.chineseName,
                 parameters: r.id.parameters.map { .init(name: $0.name, label: $0.label, value: r.parameters[$0.name] ?? $0.defaultValue) })
        }
    }
}

/// One rule's verdict on a reply, as the API reports it.
struct ReplyRuleResultView: Encodable, Sendable {
    var rule: String
    var description: String
    var severity: String
    var passed: Bool
    var message: String?

    init(_ r: ReplyRuleResult) {
        rule = r.id.rawValue
        description = r.id.description
        severity = r.severity.rawValue
        passed = r.passed
        message = r.message
    }
}
