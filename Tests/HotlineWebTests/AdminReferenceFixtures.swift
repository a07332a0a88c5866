import HotlineDomain
import HotlineStorage

@testable import HotlineWeb

extension AdminCategoryPage {
    static let fixture = AdminCategoryPage(
        user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminCategories), notice: "已保存分类。", code: "01.02",
        heading: "修改事项分类：照明设施", path: "城乡建设 / 照明设施", retired: false, name: "照明设施",
        parents: [PageOption(value: "", label: "（作为一级分类）"), PageOption(value: "01", label: "城乡建设", selected: true),
                  PageOption(value: "01.01", label: "　市政设施")],
        action: WebRoutes.adminCategory("01.02"), retireAction: WebRoutes.adminCategoryRetirement("01.02"),
        restoreAction: WebRoutes.adminCategoryRestoration("01.02"), belowText: "其下 1 个分类一并停用。", canAddChild: true,
        children: [AdminCategoriesPage.Row(code: "01.01.01", name: "路灯", href: WebRoutes.adminCategory("01.01.01"), children: "0", depth: "depth-0",
                                           retired: false)])
}

extension AdminRestrictionsPage {
    static let fixture = AdminRestrictionsPage(
        user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminRestrictions), adminNav: true, notice: "已限制该号码。",
        totalText: "生效中 1 个号码",
        rows: [
            Row(id: "1", phone: "138****5678", reason: "一天内无理占线40次并辱骂话务员", by: "督办员 赵敏", since: "2025-03-03 10:00", until: "2025-03-10（含当日）",
                liftAction: WebRoutes.adminRestrictionLift("1"))
        ],
        firstDay: "2025-03-03", lastDay: "2025-08-30", hint: "不填截止日期则限制 30 天；最长 180 天。受理台输入该号码时会显示限制提示。")

    static let supervisorFixture = AdminRestrictionsPage(
        user: PageUser(displayName: "督办员 赵敏", roleName: "督办员", unitName: "江州市12345政务服务便民热线中心", csrf: "fixture-csrf",
                       links: PageUser.links(for: .supervisor)),
        sections: AdminSection.all(current: WebRoutes.adminRestrictions), adminNav: false, error: "来电号码：电话号码格式不正确",
        totalText: "生效中 0 个号码", rows: [], phone: "12", reason: "反复无理占线", firstDay: "2025-03-03", lastDay: "2025-08-30",
        hint: "不填截止日期则限制 30 天；最长 180 天。受理台输入该号码时会显示限制提示。")
}
