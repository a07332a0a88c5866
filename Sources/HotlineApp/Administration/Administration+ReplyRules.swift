import Foundation
import HotlineDomain
import HotlineStorage

extension AdminInput {
    /// Changes to the reply review rules: `{"rules": [{"id": "minimum_length", "enabled": true, "severity": "block",
    /// "parameters": {"min_chars": 30}}]}`. Rules not named, and fields left out, keep their current setting.
    public struct ReplyRulesInput: Decodable, Sendable {
        public struct Item: Decodable, Sendable {
            public var id: String
            public var enabled: Bool?
            public var severity: String?
            public var parameters: [String: String]?

            public init(id: String, enabled: Bool? = nil, severity: String? = nil, parameters: [String: String]? = nil) {
                self.id = id
                self.enabled = enabled
                self.severity = severity
                self.parameters = parameters
            }

            enum CodingKeys: String, CodingKey { case id, enabled, severity, parameters }

            public init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                id = try c.decode(String.self, forKey: .id)
                enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
                severity = try c.decodeIfPresent(String.self, forKey: .severity)
                // A parameter may be sent as a number or as text.
                // A decoder that turns snake_case keys into camelCase does so to these names too: undo it.
                parameters = try c.decodeIfPresent([String: LooseText].self, forKey: .parameters).map { given in
                    Dictionary(given.map { (Self.snakeCase($0.key), $0.value.text) }, uniquingKeysWith: { _, last in last })
                }
            }

            static func snakeCase(_ name: String) -> String {
                name.reduce(into: "") { out, c in
                    if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
                }
            }
        }

        public var rules: [Item]

        public init(rules: [Item]) { self.rules = rules }
    }

    /// Text, or a number written as text.
    struct LooseText: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) { text = s }
            else if let i = try? c.decode(Int.self) { text = String(i) }
            else { text = String(try c.decode(Double.self)) }
        }
    }
}

extension Administration {
    /// The reply review rules in force (答复审核规则).
    public func replyRules(for admin: UserAccount) throws -> ReplyReviewRules {
        try require(.manageTimeLimits, admin)
        return reference.context.replyRules
    }

    /// Changes rules of the reply review rule set; the whole set is stored with an audit line and every instance
    /// reloads it. A wrong rule, severity or parameter is refused with a Chinese message naming it, and nothing changes.
    public func setReplyRules(_ input: AdminInput.ReplyRulesInput, by admin: UserAccount, client: String, at now: Date) async throws -> ReplyReviewRules {
        try require(.manageTimeLimits, admin)
        guard (1...ReplyRuleID.allCases.count).contains(input.rules.count) else {
            throw AppError.invalid(field: "rules", message: "应有1到\(ReplyRuleID.allCases.count)条规则")
        }
        var rules = reference.context.replyRules.rules
        for (i, item) in input.rules.enumerated() {
            guard let id = ReplyRuleID(rawValue: item.id), let index = rules.firstIndex(where: { $0.id == id }) else {
                throw AppError.unprocessable(code: "unknown_rule", message: "没有这条审核规则：\(item.id)", field: "rules[\(i)].id")
            }
            let current = rules[index]
            var severity = current.severity
            if let s = item.severity {
                guard let parsed = ReplyRuleSeverity(rawValue: s) else {
                    throw AppError.unprocessable(code: "invalid_rule", message: "规则“\(id.description)”的处理方式应为拦截或提醒", field: "rules[\(i)].severity")
                }
                severity = parsed
            }
            var parameters = current.parameters
            for (name, value) in item.parameters ?? [:] { parameters[name] = value }
            switch ReplyRule.validated(id: id, enabled: item.enabled ?? current.enabled, severity: severity, parameters: parameters) {
            case .success(let rule): rules[index] = rule
            case .failure(let e):
                throw AppError.unprocessable(code: "invalid_rule", message: "规则“\(id.description)”：\(e.message)", field: "rules[\(i)].parameters.\(e.field)")
            }
        }
        let set = ReplyReviewRules(rules)
        let changed = set.rules.filter { rule in reference.context.replyRules.rule(rule.id) != rule }
        try await directory.setReplyRules(set, audit: AuditEntry(
            at: now, actor: admin.actor, action: .replyRulesChanged, target: "reply_review_rules",
            detail: changed.map { "\($0.id.rawValue) \($0.enabled ? $0.severity.rawValue : "off")" }.joined(separator: " "), client: client))
        try await reference.reload()
        return set
    }
}
