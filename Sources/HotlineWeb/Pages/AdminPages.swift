import HotlineDomain
import HotlineStorage

/// A choice of a select box.
struct PageOption: Sendable, Equatable {
    var value: String
    var label: String
    var selected: Bool = false

    static func list(_ pairs: [(String, String)], selected: String?) -> [PageOption] {
        pairs.map { PageOption(value: $0.0, label: $0.1, selected: $0.0 == selected) }
    }
}

/// One section of administration, as the admin pages' side navigation shows it.
struct AdminSection: Sendable {
    var label: String
    var href: String
    var hint: String
    var current: Bool

    static func all(current: String?) -> [AdminSection] {
        [
            (WebRoutes.adminUnits, "单位管理", "承办单位树：新增、修改、调整上下级"),
            (WebRoutes.adminUsers, "用户与角色", "账号、角色、所属单位、停用、重置密码、解锁"),
            (WebRoutes.adminCategories, "事项分类", "事项分类树：新增、改名、移动、停用"),
            (WebRoutes.adminCatalogue, "派单目录", "事项分类 × 区县 → 承办单位，及变更记录"),
            (WebRoutes.adminTimeLimits, "办理时限", "各环节时限规则：新增、删除"),
            (WebRoutes.adminCalendar, "工作日历", "法定节假日、调休与本地调整"),
            (WebRoutes.adminRestrictions, "限制呼入", "限制无理占线号码：新增、提前解除"),
            (WebRoutes.adminReplyRules, "答复审核规则", "答复自检与中心审核的规则：启用、拦截或提醒、参数"),
            (WebRoutes.adminWebhooks, "消息推送", "各单位的推送地址与签名密钥，推送失败的死信及重新投递"),
            (WebRoutes.adminSLARule, "时限监控规则", "自动预警比例、超期催办、黄牌与红牌"),
            (WebRoutes.adminChannels, "渠道接入", "短信、微信、App、市长信箱的接入密钥与回复地址，市民门户匿名反映，发给市民的消息及重新投递"),
        ].map { AdminSection(label: $0.1, href: $0.0, hint: $0.2, current: $0.0 == current) }
    }
}

/// What a redirect-after-POST reports, by its `done` key; unknown keys show nothing.
enum AdminNotice {
    static let texts: [String: String] = [
        "unit_created": "已新增单位。", "unit_updated": "已保存单位。", "user_created": "已新增用户。", "user_updated": "已保存用户。",
        "password_reset": "已重置密码，该用户已登录的会话和令牌全部失效。", "unlocked": "已解锁账号。",
        "catalogue_changed": "已更新派单目录。", "catalogue_unchanged": "派单目录没有变化。", "time_limit_changed": "已修改时限，新的时限对此后计算的期限生效。",
        "escalation_rule_changed": "已保存提级规则，对此后的重办和退单生效。",
        "callback_rule_changed": "已保存回访规则，对此后的回访生效。",
        "override_added": "已添加日历调整，此后计算的期限按新日历。", "override_removed": "已删除日历调整。",
        "schedule_loaded": "已载入国务院放假安排，该年不再按临时日历计算，此后计算的期限按新日历。",
        "category_created": "已新增分类。", "category_updated": "已保存分类。", "category_retired": "已停用分类，新工单不能再选用。",
        "category_restored": "已恢复启用分类。", "time_limit_added": "已新增时限规则，对此后计算的期限生效。",
        "time_limit_removed": "已删除时限规则，对此后计算的期限生效。", "restriction_added": "已限制该号码。", "restriction_lifted": "已解除限制。",
        "reply_rules_changed": "已保存答复审核规则，对此后的答复生效。",
        "webhook_changed": "已保存该单位的消息推送设置。", "webhook_requeued": "已重新投递，稍后按推送间隔发送。",
        "channel_changed": "已保存该渠道的接入设置。", "channel_requeued": "已重新投递，稍后发送。", "portal_changed": "已保存市民门户设置。",
        "sla_rule_changed": "已保存时限监控规则，自下一轮检查起生效。",
    ]

    static func text(_ key: String?) -> String? { key.flatMap { texts[$0] } }
}

/// 系统管理: the sections an administrator works in.
struct AdminIndexPage: Sendable {
    var title = "系统管理"
    var user: PageUser?
    var sections: [AdminSection]

}

extension PageUser {
}

/// The fields of the unit form (new unit or an existing one).
struct UnitForm: Sendable {
    var action: String
    var isNew: Bool
    var id: String
    var name: String
    var kinds: [PageOption]
    var parents: [PageOption]
    var district: String
    var contactName: String
    var contactPhone: String
    /// 单位领导审核: the checkbox's state.
    var leaderReview: Bool
}

/// 单位管理: the unit tree, indented, with the form to add a unit.
struct AdminUnitsPage: Sendable {
    struct Row: Sendable {
        var id: String
        var href: String
        var name: String
        var kind: String
        var district: String
        var contact: String
        /// `depth-0` … `depth-5`: the indentation of the tree.
        var depth: String
    }

    var title = "单位管理"
    var user: PageUser?
    var sections: [AdminSection]
    var notice: String?
    var error: String?
    var totalText: String
    var rows: [Row]
    var form: UnitForm

}

/// 修改单位: one unit's form.
struct AdminUnitPage: Sendable {
    var title = "修改单位"
    var user: PageUser?
    var sections: [AdminSection]
    var error: String?
    var heading: String
    var form: UnitForm

}

/// 用户与角色: users, paged and sorted, with the form to add one.
struct AdminUsersPage: Sendable {
    struct Row: Sendable {
        var id: String
        var href: String
        var displayName: String
        var role: String
        var unit: String
        var active: Bool
        var locked: Bool
    }

    struct SortLink: Sendable {
        var label: String
        var href: String
        var current: Bool
    }

    var title = "用户与角色"
    var user: PageUser?
    var sections: [AdminSection]
    var notice: String?
    var error: String?
    var totalText: String
    var sorts: [SortLink]
    var rows: [Row]
    var page: Int
    var previous: String?
    var next: String?
    var newID: String
    var newName: String
    var roles: [PageOption]
    var units: [PageOption]

}

/// 修改用户: role, unit, active; password reset; unlock.
struct AdminUserPage: Sendable {
    var title = "修改用户"
    var user: PageUser?
    var sections: [AdminSection]
    var notice: String?
    var error: String?
    var id: String
    var displayName: String
    var roleName: String
    var locked: Bool
    var lockText: String
    var isSelf: Bool
    var roles: [PageOption]
    var units: [PageOption]
    var states: [PageOption]
    var action: String
    var passwordAction: String
    var unlockAction: String

}
