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
    /// 回访重办规则: which callback shortfalls redo the order by themselves (checked boxes).
    var callbackRule: [Choice] = []

    struct Choice: Sendable {
        var value: String
        var label: String
        var checked: Bool
    }

    static func callbackRuleChoices(_ rule: CallbackRule) -> [Choice] {
        CallbackShortfall.allCases.map { Choice(value: $0.rawValue, label: "回访\($0.chineseName)时自动重办", checked: rule.autoRedo.contains($0)) }
    }


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
