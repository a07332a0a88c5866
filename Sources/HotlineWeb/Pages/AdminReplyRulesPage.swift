import HotlineDomain

/// 答复审核规则: every reply review rule with whether it is checked, how severe a failure is, and its parameters.
struct AdminReplyRulesPage: Sendable {
    var title = "答复审核规则"
    var user: PageUser?
    var sections: [AdminSection]
    var notice: String?
    var error: String?
    var rules: [Rule]

    struct Rule: Sendable {
        var id: String
        var description: String
        var enabledField: String
        var enabled: Bool
        var severityField: String
        var severities: [PageOption]
        var parameters: [Parameter]
        var hasParameters: Bool
    }

    struct Parameter: Sendable {
        var field: String
        var inputID: String
        var label: String
        var value: String
        var isWords: Bool
    }

    /// The rows for `set`, or for what the admin sent (`draft`) when it was refused.
    static func rules(_ set: ReplyReviewRules, draft: [String: String]?) -> [Rule] {
        set.rules.map { rule in
            let id = rule.id.rawValue
            let severity = draft?[id + ".severity"] ?? rule.severity.rawValue
            let parameters = rule.id.parameters.map { p in
                Parameter(field: id + "." + p.name, inputID: "rr-\(id)-\(p.name)", label: p.label,
                          value: draft?[id + "." + p.name] ?? rule.parameters[p.name] ?? p.defaultValue, isWords: p.kind == .words)
            }
            return Rule(
                id: id, description: rule.id.description, enabledField: id + ".enabled",
                enabled: draft.map { $0[id + ".enabled"] != nil } ?? rule.enabled, severityField: id + ".severity",
                severities: PageOption.list(ReplyRuleSeverity.allCases.map { ($0.rawValue, $0.chineseName + ($0 == .block ? "（不通过则不能提交）" : "（显示，允许提交）")) },
                                            selected: severity),
                parameters: parameters, hasParameters: !parameters.isEmpty)
        }
    }
}
