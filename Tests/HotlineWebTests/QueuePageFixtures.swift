@testable import HotlineWeb

// Page-model fixtures of the queues and the list's filter form, beside those in PageFixtures.swift.

extension OrderListPage {
    /// A unit's filtered list (a queue narrowed by kind and words), with the filter form and the export button.
    static let filteredFixture: OrderListPage = {
        var page = OrderListPage.fixture
        page.title = "审核退回 · 投诉 · 含“路灯”"
        page.livePath = "/orders?status=handling&unit=dist-east&kind=complaint&sent_back=true&q=%E8%B7%AF%E7%81%AF"
        page.heading = page.title
        page.exportHref = "/orders/export?status=handling&unit=dist-east&kind=complaint&sent_back=true&q=%E8%B7%AF%E7%81%AF"
        page.filters = Filters(
            q: "路灯", statuses: PageOption.list([("", "全部"), ("dispatched", "已派单"), ("handling", "办理中")], selected: "handling"),
            units: PageOption.list([("", "全部"), ("dist-east", "东区人民政府"), ("st-east-1", "　东区幸福街道办事处")], selected: "dist-east"),
            categories: PageOption.list([("", "全部"), ("01", "城乡建设"), ("01.01", "城乡建设 / 市政设施")], selected: nil),
            kinds: PageOption.list([("", "全部"), ("complaint", "投诉"), ("help", "求助")], selected: "complaint"),
            channels: PageOption.list([("", "全部"), ("phone", "电话")], selected: ""),
            lanes: PageOption.list([("", "全部"), ("urgent_livelihood", "绿色通道"), ("business_environment", "营商环境")], selected: ""),
            overdue: PageOption.list([("", "不限"), ("true", "已超期"), ("false", "未超期")], selected: ""),
            dueSoon: false, from: "2025-03-01", to: "",
            marks: [.init(name: "extension_pending", label: "延期待审批", checked: false), .init(name: "sent_back", label: "审核退回", checked: true)],
            hidden: [.init(name: "sort", value: "urgent")], clear: "/orders", active: true)
        page.sorts.append(SortLink(label: "紧急优先", href: "/orders?status=handling&sort=urgent", current: false))
        return page
    }()
}
