import HotlineDomain
import HotlineStorage

/// 事项分类: the category tree, read-only, indented, with the number of children of each node.
struct AdminCategoriesPage: Sendable {
    struct Row: Sendable {
        var code: String
        var name: String
        var children: String
        var depth: String
    }

    var title = "事项分类"
    var user: PageUser?
    var sections: [AdminSection]
    var totalText: String
    var rows: [Row]

    static let fixture = AdminCategoriesPage(
        user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminCategories), totalText: "共 3 个分类，1 个一级分类",
        rows: [
            Row(code: "01", name: "城乡建设", children: "1", depth: "depth-0"), Row(code: "01.01", name: "市政设施", children: "1", depth: "depth-1"),
            Row(code: "01.01.01", name: "路灯", children: "0", depth: "depth-2"),
        ])

    /// Rows in code order (a parent before its children), each with its direct children counted.
    static func rows(_ nodes: [CategoryNode]) -> [Row] {
        var children: [String: Int] = [:]
        for node in nodes { if let p = node.parentCode { children[p, default: 0] += 1 } }
        return nodes.sorted { $0.code < $1.code }.map {
            Row(code: $0.code, name: $0.name, children: String(children[$0.code] ?? 0), depth: "depth-\(min($0.level - 1, 5))")
        }
    }
}

/// 派单目录: entries (category × district or city-wide → unit), the form to set or remove one, the change history.
struct AdminCataloguePage: Sendable {
    struct Row: Sendable {
        var categoryCode: String
        var categoryName: String
        /// The district as shown (全市 for city-wide) and as posted ('' for city-wide).
        var districtName: String
        var district: String
        var unitName: String
    }

    struct Change: Sendable {
        var at: String
        var actor: String
        var category: String
        var district: String
        var old: String
        var new: String
        var note: String?
    }

    var title = "派单目录"
    var user: PageUser?
    var sections: [AdminSection]
    var notice: String?
    var error: String?
    var totalText: String
    var rows: [Row]
    var categories: [PageOption]
    var districts: [PageOption]
    var units: [PageOption]
    var note: String
    var history: [Change]
    var page: Int
    var previous: String?
    var next: String?

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

/// 办理时限: the time-limit rules in force, each with a form to change its limit.
struct AdminTimeLimitsPage: Sendable {
    struct Row: Sendable {
        var position: String
        var stage: String
        var kind: String
        var category: String
        var lane: String
        var limit: String
        var limitText: String
    }

    var title = "办理时限"
    var user: PageUser?
    var sections: [AdminSection]
    var notice: String?
    var error: String?
    var rows: [Row]

    static let fixture = AdminTimeLimitsPage(
        user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminTimeLimits), error: "时限：应为如 3d（工作日）、4h（工作小时）或 24ch（自然小时）",
        rows: [
            Row(position: "0", stage: "派单", kind: "全部", category: "全部", lane: "—", limit: "2h", limitText: "2个工作小时"),
            Row(position: "1", stage: "办理", kind: "投诉", category: "全部", lane: "—", limit: "10d", limitText: "10个工作日"),
        ])

    static func stageName(_ s: TimeLimitStage) -> String {
        switch s {
        case .dispatch: "派单"
        case .sign: "签收"
        case .handling: "办理"
        case .returnWindow: "退单窗口"
        }
    }

    static func limitText(_ l: TimeLimit) -> String {
        switch l {
        case .workingDays(let n): "\(n)个工作日"
        case .workingHours(let n): "\(n)个工作小时"
        case .clockHours(let n): "\(n)小时（自然时间）"
        }
    }
}
