import Foundation
import HotlineDomain
import HotlineStorage
@testable import HotlineWeb

// Page-model fixtures for the snapshot tests: small, fixed data for each page, kept out of the product.

extension AdminCalendarPage {
    static let fixture: AdminCalendarPage = {
        var schedule = HolidaySchedule()
        try? schedule.merge(csv: "2025-01-28,2025-02-04,holiday,春节\n2025-01-26,2025-01-26,workday,春节调休\n2025-02-08,2025-02-08,workday,春节调休")
        let calendar = WorkingCalendar(schedule: schedule)
        let marked: Set<CivilDay> = [CivilDay(iso: "2025-02-08")!]
        return AdminCalendarPage(
            user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminCalendar), notice: "已添加日历调整，此后计算的期限按新日历。",
            year: "2025", previousYear: WebRoutes.adminCalendar(year: 2024), nextYear: WebRoutes.adminCalendar(year: 2026),
            months: months(2025, calendar, overridden: marked), periods: periods(2025, calendar.schedule),
            overrides: [
                Override(
                    id: "1", range: "2025-02-08 至 2025-02-08", days: "1", kind: "调休上班", name: "春节调休", by: "admin1",
                    removeAction: WebRoutes.adminCalendarOverrideRemoval("1"))
            ],
            start: "2025-02-10", end: "2025-02-01", name: "", kinds: kindOptions(selected: "holiday"))
    }()
}

extension AdminIndexPage {
    static let fixture = AdminIndexPage(user: .adminFixture, sections: AdminSection.all(current: nil))
}

extension PageUser {
    static let adminFixture = PageUser(
        displayName: "管理员 王磊", roleName: "系统管理员", unitName: "江州市12345政务服务便民热线中心", csrf: "fixture-csrf",
        links: links(for: .admin))
    static let fixture = PageUser(displayName: "派单员 陈静", roleName: "派单员", unitName: "江州市12345政务服务便民热线中心", csrf: "fixture-csrf",
                                  links: links(for: .dispatcher))
}

extension AdminUnitsPage {
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
            district: "", contactName: "", contactPhone: "", leaderReview: false))
}

extension AdminUnitPage {
    static let fixture = AdminUnitPage(
        user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminUnits), error: "上级单位：不能把单位挂到它自己或其下级单位之下",
        heading: "修改单位：东区人民政府（dist-east）",
        form: UnitForm(
            action: "/admin/units/dist-east", isNew: false, id: "dist-east", name: "东区人民政府",
            kinds: PageOption.list(UnitKind.allCases.map { ($0.rawValue, $0.chineseName) }, selected: "district"),
            parents: [PageOption(value: "", label: "（无上级）", selected: true), PageOption(value: "st-east-1", label: "东区幸福街道办事处")],
            district: "东区", contactName: "李明", contactPhone: "0571-1234", leaderReview: true))
}

extension AdminUsersPage {
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

extension AdminUserPage {
    static let fixture = AdminUserPage(
        user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminUsers), notice: "已保存用户。", id: "east1", displayName: "东区承办员",
        roleName: "承办单位工作人员", locked: true, lockText: "已锁定至 2025-03-03 10:15（连续5次登录失败）", isSelf: false,
        roles: PageOption.list([("dispatcher", "派单员"), ("unit_staff", "承办单位工作人员")], selected: "unit_staff"),
        units: [PageOption(value: "dist-east", label: "东区人民政府", selected: true)],
        states: PageOption.list([("true", "启用"), ("false", "停用")], selected: "true"),
        action: "/admin/users/east1", passwordAction: "/admin/users/east1/password", unlockAction: "/admin/users/east1/unlock")
}

extension AdminCategoriesPage {
    static let fixture = AdminCategoriesPage(
        user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminCategories), notice: "已停用分类，新工单不能再选用。",
        totalText: "共 4 个分类，1 个一级分类，其中 1 个已停用",
        rows: rows([
            CategoryNode(code: "01", name: "城乡建设", parentCode: nil), CategoryNode(code: "01.01", name: "市政设施", parentCode: "01"),
            CategoryNode(code: "01.01.01", name: "路灯", parentCode: "01.02", level: 3), CategoryNode(code: "01.02", name: "照明设施", parentCode: "01"),
            CategoryNode(code: "01.03", name: "旧城改造", parentCode: "01", retired: true),
        ]),
        name: "", parents: [PageOption(value: "", label: "（作为一级分类）", selected: true), PageOption(value: "01", label: "城乡建设")])
}

extension AdminCataloguePage {
    static let fixture = AdminCataloguePage(
        user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminCatalogue), notice: "已更新派单目录。", totalText: "共 2 条",
        rows: [
            Row(categoryCode: "01.01", categoryName: "市政设施", districtName: "全市", district: "", unitName: "市住房和城乡建设局"),
            Row(categoryCode: "01.01.01", categoryName: "路灯", districtName: "东区", district: "东区", unitName: "东区人民政府"),
        ],
        categories: [PageOption(value: "01.01", label: "01.01 市政设施"), PageOption(value: "01.01.01", label: "01.01.01 路灯", selected: true)],
        districts: [PageOption(value: "", label: "全市"), PageOption(value: "东区", label: "东区", selected: true)],
        units: [PageOption(value: "dist-east", label: "东区人民政府", selected: true)], note: "",
        history: [Change(at: "2025-03-03 10:00", actor: "admin1", category: "01.01.01 路灯", district: "东区", old: "—", new: "东区人民政府", note: "按区县划分")],
        page: 1, previous: nil, next: nil)
}

extension AdminTimeLimitsPage {
    static let fixture: AdminTimeLimitsPage = {
        let picker = AdminTimeLimitsPage.picker(
            categories: [CategoryNode(code: "01", name: "城乡建设", parentCode: nil), CategoryNode(code: "01.01", name: "市政设施", parentCode: "01")],
            draft: ["stage": "review", "limit_count": "0", "limit_unit": "working_hours"])
        let rules = [
            TimeLimitRule(stage: .dispatch, limit: .workingHours(2)), TimeLimitRule(stage: .handling, kind: .complaint, limit: .workingDays(10)),
            TimeLimitRule(stage: .handling, categoryCode: "01.01", lane: .urgentLivelihood, limit: .clockHours(24)),
            TimeLimitRule(stage: .review, limit: .workingDays(1)), TimeLimitRule(stage: .callback, limit: .workingDays(2)),
        ]
        return AdminTimeLimitsPage(
            user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminTimeLimits), error: "时限数值：应为1到2000之间的整数",
            rows: rules.enumerated().map { row($0, $1, categoryName: { $0 == "01.01" ? "市政设施" : nil }) }, stages: picker.stages, kinds: picker.kinds,
            categories: picker.categories, lanes: picker.lanes, count: "0", units: picker.units,
            callbackRule: callbackRuleChoices(CallbackRule(autoRedo: [.unresolved])))
    }()
}

extension IntakePage {
    static let fixture = IntakePage(
        user: .fixture, phone: "13812345678", error: nil,
        profile: Profile(summary: "个人来电人，历史工单 2 件，其中未办结 1 件。", restriction: nil,
                         openOrders: [OrderLink(number: "20250303000001", href: "/orders/20250303000001", title: "小区路灯不亮", status: "办理中")],
                         pastOrders: [OrderLink(number: "20250201000007", href: "/orders/20250201000007", title: "路面积水", status: "已办结")]),
        channels: [Option(value: "phone", label: "电话")], kinds: [Option(value: "complaint", label: "投诉")],
        categories: [Option(value: "01.01", label: "城乡建设 / 市政设施")], districts: [Option(value: "东区", label: "东区")])
}

extension OrderDetailPage {
    static let fixture = OrderDetailPage(
        title: "工单 20250303000001", user: .fixture, livePath: "/orders/20250303000001",
        order: Head(number: "20250303000001", title: "小区路灯不亮", content: "东区幸福路12号小区路灯坏了一周。"),
        lanes: LaneBadge.badges([.urgentLivelihood]), notice: nil, error: nil,
        facts: [Fact(label: "状态", value: "待派单"), Fact(label: "来电人", value: "张先生 138****5678"), Fact(label: "办理通道", value: "绿色通道"),
                Fact(label: "标签", value: "夜间安全、老旧小区")], reply: nil,
        actions: [ActionForm(name: "派单", action: "/orders/20250303000001/dispatch", fields: [
            Field(id: "dispatch-lead_unit", name: "lead_unit", label: "主办单位", kind: .select, required: true,
                  options: [Option(value: "dist-east", label: "东区人民政府")])])],
        verified: true,
        events: [Event(at: "2025-03-03 10:00", actor: "话务员一（话务员）", sentence: "受理电话来件，诉求类型：投诉", note: nil)],
        reveal: RevealForm(action: "/orders/20250303000001/reveal", hasIDNumber: true))
    /// The same order just after 查看完整号码: the full number on this page only, with a link to dial it.
    static let revealedFixture: OrderDetailPage = {
        var page = fixture
        page.revealed = Revealed(label: "来电号码", value: "13812345678", dial: "tel:13812345678")
        return page
    }()
    /// A replied order as the reviewer sees it: the reply with a photo and a document.
    static let repliedFixture = OrderDetailPage(
        title: "工单 20250303000001", user: .fixture, livePath: "/orders/20250303000001",
        order: Head(number: "20250303000001", title: "小区路灯不亮", content: "东区幸福路12号小区路灯坏了一周。"), notice: "已答复", error: nil,
        facts: [Fact(label: "状态", value: "待审核"), Fact(label: "主办单位", value: "东区人民政府")], reply: nil,
        rounds: [
            Round(heading: "第2次答复", byline: "东区人民政府 · 03-04 16:20", text: "已更换路灯灯泡，恢复照明。",
                  files: [Attachment(name: "现场照片.jpg", href: "/orders/20250303000001/attachments/" + String(repeating: "a", count: 64), size: "820 KB", isImage: true),
                          Attachment(name: "验收单.pdf", href: "/orders/20250303000001/attachments/" + String(repeating: "b", count: 64), size: "1.2 MB", isImage: false)],
                  review: "待审核", sentBack: false),
            Round(heading: "第1次答复", byline: "东区人民政府 · 03-04 09:10", text: "已安排维修。", files: [], review: "审核退回：未说明修复时间", sentBack: true),
        ],
        actions: [ActionForm(name: "审核通过", action: "/orders/20250303000001/pass-review", fields: [
            Field(id: "pass_review-note", name: "note", label: "意见", kind: .text, required: false)])],
        verified: true,
        events: [Event(at: "2025-03-04 16:20", actor: "王强（承办单位工作人员，东区人民政府）", sentence: "东区人民政府答复，附件2个", note: nil)])
}

extension OrderListPage {
    static let fixture = OrderListPage(
        user: .fixture, livePath: "/orders?status=pending_dispatch", heading: "待派单", totalText: "共 1 件",
        sorts: [SortLink(label: "最新", href: "/orders?status=pending_dispatch&sort=newest", current: true),
                SortLink(label: "时限最近", href: "/orders?status=pending_dispatch&sort=due", current: false)],
        rows: [Row(number: "20250303000001", href: "/orders/20250303000001", title: "小区路灯不亮", status: "待派单", kind: "投诉", unit: "—",
                   phone: "138****5678", created: "2025-03-03 10:00", due: "剩余 2.0 工作小时", overdue: false,
                   lanes: LaneBadge.badges([.businessEnvironment, .urgentLivelihood]))],
        page: 1, previous: nil, next: nil)
}

extension LoginPage {
    static let fixture = LoginPage(error: "用户名或密码不正确", username: "agent", next: "/")
}

extension HomePage {
    static let fixture = HomePage(
        user: .fixture, greeting: "派单员 陈静，您好", summary: "派单员的待办：",
        queues: [QueueTile(label: "待派单", count: "12", hint: "受理后等待派发的工单", urgent: false, href: "/orders?status=pending_dispatch"),
                 QueueTile(label: "超时未派", count: "3", hint: "已超过派单时限", urgent: true, href: "/orders?status=pending_dispatch&overdue=true")])
}

extension ErrorPage {
    static let fixture = ErrorPage(user: .fixture, heading: "无法打开", message: "工单 20250303000001 不存在")
}

extension SupervisionPage {
    static let fixture = SupervisionPage(
        user: .fixture, livePath: "/supervision",
        tiles: [QueueTile(label: "超期在办", count: "37", hint: "超过签收或办理时限", urgent: true, href: "/orders?overdue=true"),
                QueueTile(label: "提级督办中", count: "2", hint: "重办两次或督办员提级", urgent: true),
                QueueTile(label: "本月黄牌", count: "5", hint: "自本月1日起", urgent: false),
                QueueTile(label: "本月红牌", count: "1", hint: "自本月1日起", urgent: true)],
        units: [UnitRow(unit: "东区人民政府", overdue: "21", overdueHref: "/orders?overdue=true&unit=dist-east", urges: "4", yellowCards: "3", redCards: "1", hot: true),
                UnitRow(unit: "市住房和城乡建设局", overdue: "9", overdueHref: "/orders?overdue=true&unit=dept-housing", urges: "0", yellowCards: "0", redCards: "0", hot: false)],
        hasUnits: true,
        overdue: [OrderRow(number: "20250303000001", href: "/orders/20250303000001", title: "小区路灯不亮", status: "办理中", unit: "东区人民政府",
                           when: "超期 2 个工作日", note: nil, mark: "", red: false, yellow: false)],
        hasOverdue: true,
        escalated: [OrderRow(number: "20250301000007", href: "/orders/20250301000007", title: "噪音扰民反复投诉", status: "已派单", unit: "西区人民政府",
                             when: "2025-03-04 09:30", note: "重办2次，自动提级督办", mark: "提级", red: false, yellow: false)],
        hasEscalated: true,
        recent: [OrderRow(number: "20250303000001", href: "/orders/20250303000001", title: "小区路灯不亮", status: "办理中", unit: "东区人民政府",
                          when: "2025-03-05 10:00", note: "催办后仍未处理", mark: "黄牌警示", red: false, yellow: true)],
        hasRecent: true, since: "2025-03-01",
        coordination: [OrderRow(number: "20250301000007", href: "/orders/20250301000007", title: "噪音扰民反复投诉", status: "已派单", unit: "西区人民政府",
                                when: "受理于 2025-03-01 09:00", note: nil, mark: "", red: false, yellow: false)],
        hasCoordination: true, coordinationHref: "/orders?escalated=pending")
}
