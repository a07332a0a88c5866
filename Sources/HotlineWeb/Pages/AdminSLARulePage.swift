import HotlineDomain

/// 时限监控规则: what the SLA sweeper does — the warning share, the automatic urge, the yellow card on an overdue reply
/// and the yellow cards that make a red card — shown and edited as `GET/PUT /api/v1/sla-rule` carries it.
struct AdminSLARulePage: Sendable {
    var title = "时限监控规则"
    var user: PageUser?
    var sections: [AdminSection]
    var notice: String?
    var error: String?
    /// The rule in force, in one plain sentence.
    var description: String
    /// The form's values: the rule in force, or what the admin sent when it was refused.
    var warnPercent: String
    var urgeWhenOverdue: Bool
    var yellowCardWhenOverdue: Bool
    var yellowCardsForRed: String

    init(user: PageUser?, rule: SLARule, notice: String? = nil, error: String? = nil, draft: [String: String]? = nil) {
        self.user = user
        sections = AdminSection.all(current: WebRoutes.adminSLARule)
        self.notice = notice
        self.error = error
        description = Self.describe(rule)
        warnPercent = draft?["warn_percent"] ?? String(rule.warnPercent)
        urgeWhenOverdue = draft.map { $0["urge_when_overdue"] != nil } ?? rule.urgeWhenOverdue
        yellowCardWhenOverdue = draft.map { $0["yellow_card_when_overdue"] != nil } ?? rule.yellowCardWhenOverdue
        yellowCardsForRed = draft?["yellow_cards_for_red"] ?? String(rule.yellowCardsForRed)
    }

    /// What the sweeper does under `rule`, as the API's `description` says it.
    static func describe(_ rule: SLARule) -> String {
        var parts = ["各环节时限用去\(rule.warnPercent)%时预警", "到期未办结标记超期"]
        parts.append(rule.urgeWhenOverdue ? "承办单位超期自动催办" : "超期不自动催办")
        parts.append(rule.yellowCardWhenOverdue ? "答复超期向承办单位亮黄牌" : "答复超期不自动亮黄牌")
        parts.append(rule.yellowCardsForRed > 0 ? "同一单位一个自然月内每累计\(rule.yellowCardsForRed)张黄牌亮红牌" : "不自动亮红牌")
        return parts.joined(separator: "；") + "。"
    }
}
