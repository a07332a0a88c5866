import Foundation
import HotlineDomain
@testable import HotlineWeb

// Fixtures of the knowledge pages for the snapshot tests.

extension PageUser {
    static let editorFixture = PageUser(displayName: "知识库编辑 郑洁", roleName: "知识库编辑", unitName: "江州市12345政务服务便民热线中心", csrf: "fixture-csrf",
                                        links: links(for: .knowledgeEditor))
}

extension KnowledgeListPage {
    static let fixture = KnowledgeListPage(
        user: .editorFixture, heading: "知识检索", notice: nil, lead: "按与检索词的相关程度排序（与受理时的知识推荐相同），只检索已发布且在有效期内的知识。",
        query: "社保卡丢了",
        categories: [PageOption(value: "", label: "全部分类"), PageOption(value: "02", label: "劳动和社会保障", selected: true)], isEditor: true,
        statuses: [PageOption(value: "", label: "全部状态", selected: true), PageOption(value: "draft", label: "草稿")], mine: false,
        statusTabs: [KnowledgeLink(label: "全部 3", href: "/knowledge?category=02", current: true),
                     KnowledgeLink(label: "草稿 1", href: "/knowledge?category=02&status=draft")],
        breadcrumb: [KnowledgeLink(label: "全部分类", href: "/knowledge?q=x"), KnowledgeLink(label: "劳动和社会保障", href: "/knowledge?q=x&category=02", current: true)],
        subcategories: [KnowledgeLink(label: "社会保险", href: "/knowledge?q=x&category=02.01")], hasSubcategories: true,
        rows: [
            Row(title: "社保卡挂失与补换", href: "/knowledge/2", snippet: "<mark>社保卡</mark>丢失请第一时间挂失…", excerpt: "社保卡丢失请第一时间挂失",
                category: "劳动和社会保障 / 社会保险 / 社保卡", unit: "江州市人力资源和社会保障局", effective: "即日起", expires: "长期有效", status: "已发布",
                statusStyle: "status-published"),
            Row(title: "新版社保卡申领", href: "/knowledge/7", snippet: nil, excerpt: "2025年4月起可申领第三代社保卡…", category: "劳动和社会保障",
                unit: "—", effective: "2025-04-01", expires: "长期有效", status: "已发布（未生效）", statusStyle: "status-waiting"),
        ],
        emptyText: "没有找到与「社保卡丢了」相关的知识。", page: 1, previous: nil, next: "/knowledge?q=x&page=2", newHref: "/knowledge/new",
        importHref: "/knowledge/import")
}

extension KnowledgeEntryPage {
    static let fixture = KnowledgeEntryPage(
        title: "社保卡挂失与补换", user: .editorFixture, notice: nil, error: "退回理由：不能为空", heading: "社保卡挂失与补换", status: "草稿（已发布版本在用）",
        statusStyle: "status-draft",
        facts: [Fact(label: "状态", value: "草稿（已发布版本在用）"), Fact(label: "生效日期", value: "即日起"), Fact(label: "失效日期", value: "2025-12-31"),
                Fact(label: "使用反馈", value: "采用 12 次，标记无用 1 次"), Fact(label: "来源工单", value: "20250303000001", href: "/orders/20250303000001")],
        questions: ["社保卡丢了怎么办", "社保卡怎么补办"], hasQuestions: true, answer: "社保卡丢失请先拨打12333挂失，再携带身份证补办。", keywords: "社保卡、挂失",
        publishedNote: "话务员目前看到的是已发布的第3版，新内容审核通过后替换。", publishedAnswer: "社保卡丢失请拨打12333挂失。",
        reviewComment: "请补充办理地点（系统管理员，2025-03-03 10:00）", isEditor: true,
        history: [
            HistoryRow(at: "2025-03-01 09:00", who: "知识库编辑 郑洁", action: "新建", version: "第1版", status: "草稿", note: nil, isRejection: false),
            HistoryRow(at: "2025-03-03 10:00", who: "系统管理员", action: "退回修改", version: "第5版", status: "草稿", note: "请补充办理地点", isRejection: true),
        ],
        editHref: "/knowledge/2/edit",
        actions: [KnowledgeLabels.form(.submit, id: "2", everPublished: true), KnowledgeLabels.form(.retire, id: "2", everPublished: true)],
        unavailable: ["不能由您审核通过：条目的当前内容由您修改，请由其他编辑审核。"], hasUnavailable: true, backHref: "/knowledge")
}

extension KnowledgeFormPage {
    static let fixture = KnowledgeFormPage(
        title: "转为知识草稿", user: .editorFixture, heading: "转为知识草稿", error: "失效日期：失效时间应晚于生效时间", action: "/knowledge/new", submitLabel: "保存为草稿",
        titleValue: "社保卡补办", questions: "社保卡丢了怎么办", answer: "携带身份证到市民之家补办。",
        categories: [PageOption(value: "", label: "（不指定）"), PageOption(value: "02.01.01", label: "劳动和社会保障 / 社会保险 / 社保卡", selected: true)],
        units: [PageOption(value: "", label: "（不指定）"), PageOption(value: "dept-hrss", label: "江州市人力资源和社会保障局", selected: true)],
        keywords: "社保卡 补办", effectiveFrom: "2025-04-01", expiresAt: "2025-03-01", sourceOrder: "20250303000001",
        sourceText: "来源：工单 20250303000001 社保卡补办", sourceHref: "/orders/20250303000001", cancelHref: "/orders/20250303000001")
}

extension KnowledgeImportPage {
    static let fixture = KnowledgeImportPage(
        user: .editorFixture, notice: nil, error: "导入失败，没有保存任何条目。第3行：title 列：不能为空且不能超过100字", action: "/knowledge/import?_csrf=fixture-csrf",
        csv: "title,answer\n,答案", reviewHref: "/knowledge?status=in_review")
}
