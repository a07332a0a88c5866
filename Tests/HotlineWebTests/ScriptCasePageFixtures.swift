import Foundation
import HotlineDomain

@testable import HotlineWeb

// Fixtures of the script and typical-case pages for the snapshot tests.

extension PageUser {
    static let supervisorFixture = PageUser(
        displayName: "督办员 周涛", roleName: "督办员", unitName: "江州市12345政务服务便民热线中心", csrf: "fixture-csrf",
        links: links(for: .supervisor))
}

extension ScriptListPage {
    static let fixture = ScriptListPage(
        user: .editorFixture, notice: nil, query: "安抚",
        categories: [
            PageOption(value: "", label: "全部事项"), PageOption(value: "general", label: "通用（开场、结束语等）"),
            PageOption(value: "01", label: "城乡建设", selected: true),
        ],
        situations: [PageOption(value: "", label: "全部场景"), PageOption(value: "comfort", label: "安抚", selected: true)], isEditor: true,
        states: [PageOption(value: "", label: "在用", selected: true), PageOption(value: "retired", label: "已停用")],
        rows: [
            Row(
                title: "供暖不热的安抚与说明", href: "/scripts/9", situation: "安抚", category: "城乡建设 / 城市建设和市政管理 / 冬季采暖",
                text: "天这么冷家里暖气不热，确实让人着急。", tags: "供暖、安抚", retired: false),
            Row(title: "旧版安抚话术", href: "/scripts/3", situation: "安抚", category: "通用（所有事项）", text: "请您耐心等待。", tags: "", retired: true),
        ],
        emptyText: "没有找到包含「安抚」的话术。", page: 1, previous: nil, next: "/scripts?q=%E5%AE%89%E6%8A%9A&page=2")
}

extension ScriptPage {
    static let fixture = ScriptPage(
        title: "供暖不热的安抚与说明", user: .editorFixture, notice: "话术已修改。", error: "停用理由：停用须说明理由，不能为空", heading: "供暖不热的安抚与说明",
        retired: false,
        facts: [
            .init(label: "场景", value: "安抚"), .init(label: "适用事项", value: "城乡建设 / 城市建设和市政管理 / 冬季采暖"), .init(label: "标签", value: "供暖、安抚"),
            .init(label: "状态", value: "在用"), .init(label: "版本", value: "第2版"),
        ],
        text: "天这么冷家里暖气不热，确实让人着急。\n您的诉求我马上转给供热单位。", isEditor: true, editHref: "/scripts/9/edit", retireAction: "/scripts/9/retire",
        restoreAction: nil,
        history: [
            HistoryRow(at: "2025-03-01 09:00", who: "知识库编辑 郑洁", action: "新建", version: "第1版", text: "暖气不热请耐心等待。", note: "演示城市初始话术"),
            HistoryRow(at: "2025-03-03 10:00", who: "系统管理员", action: "修改", version: "第2版", text: "天这么冷家里暖气不热，确实让人着急。", note: nil),
        ])
}

extension ScriptFormPage {
    static let fixture = ScriptFormPage(
        title: "新建话术", user: .editorFixture, heading: "新建话术", error: "标题：不能为空且不能超过60字", action: "/scripts/new", submitLabel: "保存", titleValue: "",
        categories: [PageOption(value: "", label: "通用（所有事项）"), PageOption(value: "01.01", label: "城乡建设 / 市政设施", selected: true)],
        situations: [PageOption(value: "", label: "（请选择）"), PageOption(value: "comfort", label: "安抚", selected: true)],
        text: "晚上路灯不亮出行确实不安全。", tags: "路灯 安抚", cancelHref: "/scripts")
}

extension CaseListPage {
    static let fixture = CaseListPage(
        user: .supervisorFixture, notice: nil, query: "推诿",
        tags: [PageOption(value: "", label: "全部标签"), PageOption(value: "buck_passing", label: "部门推诿", selected: true)],
        categories: [PageOption(value: "", label: "全部分类", selected: true), PageOption(value: "01", label: "城乡建设")], from: "2025-03-01", to: "",
        isMarker: true, states: [PageOption(value: "", label: "在用", selected: true), PageOption(value: "all", label: "全部")],
        lead: "最新标记的案例在前。在已办结或已归档工单的页面上点“标为典型案例”即可加入案例库。",
        rows: [
            Row(
                title: "路灯报修三次退单", href: "/cases/4", tags: ["部门推诿", "重复诉求"], category: "城乡建设 / 市政设施 / 路灯", orderTitle: "幸福路路灯不亮",
                note: "三个单位互相退单，市民重复来电四次。", marked: "2025-03-03 10:00", retired: false)
        ],
        emptyText: "没有符合条件的典型案例。", page: 1, previous: nil, next: nil)
}

extension CasePage {
    static let fixture = CasePage(
        title: "路灯报修三次退单", user: .supervisorFixture, notice: "已标为典型案例，案例库中可以查到。", error: nil, heading: "路灯报修三次退单", retired: nil,
        tags: ["部门推诿", "重复诉求"], note: "三个单位互相退单，市民重复来电四次。受理时应核实路灯编号，派单时对照派单目录。",
        facts: [
            .init(label: "工单编号", value: "20250303000001", href: "/orders/20250303000001"), .init(label: "诉求类型", value: "投诉"),
            .init(label: "来电人", value: "王** 139****0001"), .init(label: "回访结果", value: "已解决，满意"),
        ],
        orderTitle: "幸福路路灯不亮", orderContent: "东区幸福路12号小区路灯坏了一周。", answer: "已更换灯具，路灯恢复照明。", retireAction: "/cases/4/retire")
}

extension CaseFormPage {
    static let fixture = CaseFormPage(
        user: .supervisorFixture, error: "标签：至少选择一个", orderNumber: "20250303000001", orderHref: "/orders/20250303000001", orderTitle: "幸福路路灯不亮",
        orderSummary: "投诉，城乡建设 / 市政设施 / 路灯，已办结", titleValue: "路灯报修三次退单",
        tags: [.init(value: "exemplary", label: "优秀办理", checked: false), .init(value: "buck_passing", label: "部门推诿", checked: true)],
        note: "三个单位互相退单。")
}
