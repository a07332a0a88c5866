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
            (WebRoutes.adminCategories, "事项分类", "事项分类树（只读）"),
            (WebRoutes.adminCatalogue, "派单目录", "事项分类 × 区县 → 承办单位，及变更记录"),
            (WebRoutes.adminTimeLimits, "办理时限", "各环节时限规则"),
            (WebRoutes.adminCalendar, "工作日历", "法定节假日、调休与本地调整"),
        ].map { AdminSection(label: $0.1, href: $0.0, hint: $0.2, current: $0.0 == current) }
    }
}

/// What a redirect-after-POST reports, by its `done` key; unknown keys show nothing.
enum AdminNotice {
    static let texts: [String: String] = [
        "unit_created": "已新增单位。", "unit_updated": "已保存单位。", "user_created": "已新增用户。", "user_updated": "已保存用户。",
        "password_reset": "已重置密码，该用户已登录的会话和令牌全部失效。", "unlocked": "已解锁账号。",
        "catalogue_changed": "已更新派单目录。", "catalogue_unchanged": "派单目录没有变化。", "time_limit_changed": "已修改时限，新的时限对此后计算的期限生效。",
        "override_added": "已添加日历调整，此后计算的期限按新日历。", "override_removed": "已删除日历调整。",
    ]

    static func text(_ key: String?) -> String? { key.flatMap { texts[$0] } }
}

/// 系统管理: the sections an administrator works in.
struct AdminIndexPage: Sendable {
    var title = "系统管理"
    var user: PageUser?
    var sections: [AdminSection]

    static let fixture = AdminIndexPage(user: .adminFixture, sections: AdminSection.all(current: nil))
}

extension PageUser {
    static let adminFixture = PageUser(
        displayName: "管理员 王磊", roleName: "系统管理员", unitName: "江州市12345政务服务便民热线中心", csrf: "fixture-csrf",
        links: links(for: .admin))
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

    static let fixture = AdminUnitsPage(
        user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminUnits), notice: "已新增单位。", totalText: "共 3 个单位",
        rows: [
            Row(
                id: "dist-east", href: "/admin/units/dist-east", name: "东区人民政府", kind: "区县", district: "东区", contact: "李明 0571-1234", depth: "depth-0"
            ),
            Row(id: "st-east-1", href: "/admin/units/st-east-1", name: "东区幸福街道办事处", kind: "街道乡镇", district: "东区", contact: "—", depth: "depth-1"),
            Row(
                id: "comm-east-1-1", href: "/admin/units/comm-east-1-1", name: "幸福社区居委会", kind: "社区村", district: "东区", contact: "—", depth: "depth-2"),
        ],
        form: UnitForm(
            action: WebRoutes.adminUnits, isNew: true, id: "", name: "",
            kinds: PageOption.list(UnitKind.allCases.map { ($0.rawValue, $0.chineseName) }, selected: nil),
            parents: [PageOption(value: "", label: "（无上级）", selected: true), PageOption(value: "dist-east", label: "东区人民政府")],
            district: "", contactName: "", contactPhone: ""))
}

/// 修改单位: one unit's form.
struct AdminUnitPage: Sendable {
    var title = "修改单位"
    var user: PageUser?
    var sections: [AdminSection]
    var error: String?
    var heading: String
    var form: UnitForm

    static let fixture = AdminUnitPage(
        user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminUnits), error: "上级单位：不能把单位挂到它自己或其下级单位之下",
        heading: "修改单位：东区人民政府（dist-east）",
        form: UnitForm(
            action: "/admin/units/dist-east", isNew: false, id: "dist-east", name: "东区人民政府",
            kinds: PageOption.list(UnitKind.allCases.map { ($0.rawValue, $0.chineseName) }, selected: "district"),
            parents: [PageOption(value: "", label: "（无上级）", selected: true), PageOption(value: "st-east-1", label: "东区幸福街道办事处")],
            district: "东区", contactName: "李明", contactPhone: "0571-1234"))
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

    static let fixture = AdminUsersPage(
        user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminUsers), error: "密码：密码须同时包含字母和数字", totalText: "共 2 个用户",
        sorts: [
            SortLink(label: "用户名", href: "/admin/users?sort=id", current: true),
            SortLink(label: "角色", href: "/admin/users?sort=role", current: false),
        ],
        rows: [
            Row(id: "disp1", href: "/admin/users/disp1", displayName: "派单员一", role: "派单员", unit: "市12345热线中心", active: true, locked: false),
            Row(id: "east1", href: "/admin/users/east1", displayName: "东区承办员", role: "承办单位工作人员", unit: "东区人民政府", active: false, locked: true),
        ],
        page: 1, previous: nil, next: "/admin/users?sort=id&page=2", newID: "west2", newName: "西区承办员二",
        roles: PageOption.list([("dispatcher", "派单员"), ("unit_staff", "承办单位工作人员")], selected: "unit_staff"),
        units: [PageOption(value: "", label: "（无）"), PageOption(value: "dist-west", label: "西区人民政府", selected: true)])
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

    static let fixture = AdminUserPage(
        user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminUsers), notice: "已保存用户。", id: "east1", displayName: "东区承办员",
        roleName: "承办单位工作人员", locked: true, lockText: "已锁定至 2025-03-03 10:15（连续5次登录失败）", isSelf: false,
        roles: PageOption.list([("dispatcher", "派单员"), ("unit_staff", "承办单位工作人员")], selected: "unit_staff"),
        units: [PageOption(value: "dist-east", label: "东区人民政府", selected: true)],
        states: PageOption.list([("true", "启用"), ("false", "停用")], selected: "true"),
        action: "/admin/users/east1", passwordAction: "/admin/users/east1/password", unlockAction: "/admin/users/east1/unlock")
}
