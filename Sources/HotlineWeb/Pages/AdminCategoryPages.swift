import HotlineDomain
import Mustache
import HotlineStorage

/// 事项分类: the category tree in tree order (by parent links: a moved category keeps its code), each with its state
/// and the number of categories directly below it; the form to add a category.
struct AdminCategoriesPage: Sendable {
    struct Row: Sendable {
        var code: String
        var name: String
        var href: String
        var children: String
        var depth: String
        var retired: Bool
    }

    var title = "事项分类"
    var user: PageUser?
    var sections: [AdminSection]
    var notice: String?
    var error: String?
    var totalText: String
    var rows: [Row]
    /// The new category's form: its name and where it goes.
    var name: String = ""
    var parents: [PageOption] = []

    /// Levels the tree page shows; deeper categories are listed on their parent's page, so the page stays short with a
    /// tree of hundreds of categories.
    static let shownLevels = 2

    /// Rows in tree order down to `levels` levels: each parent before its children, siblings by code.
    static func rows(_ nodes: [CategoryNode], levels: Int = shownLevels) -> [Row] {
        var children: [String: Int] = [:]
        for node in nodes { if let p = node.parentCode { children[p, default: 0] += 1 } }
        return AdminCategoryTree.ordered(nodes).filter { $0.depth < levels }.map { node, depth in
            Row(code: node.code, name: node.name, href: WebRoutes.adminCategory(node.code), children: String(children[node.code] ?? 0),
                depth: "depth-\(min(depth, 5))", retired: node.retired)
        }
    }
}

/// 修改事项分类: rename, move under another parent, retire (退用) or restore one category; its direct children, and the
/// form to add one.
struct AdminCategoryPage: Sendable {
    var title = "修改事项分类"
    var user: PageUser?
    var sections: [AdminSection]
    var notice: String?
    var error: String?
    var code: String
    var heading: String
    /// The category's place: 城乡建设 / 市政设施 / 路灯.
    var path: String
    var retired: Bool
    var name: String
    var parents: [PageOption]
    var action: String
    var retireAction: String
    var restoreAction: String
    /// How many categories the retirement takes along (those below it still in use).
    var belowText: String?
    /// Whether a category may be added below this one (in use, above the fifth level).
    var canAddChild: Bool = false
    var childAction: String = WebRoutes.adminCategories
    /// The categories directly below it.
    var children: [AdminCategoriesPage.Row] = []

    /// The direct children of `code`, by code, each with the number of its own children.
    static func children(of code: String, in nodes: [CategoryNode]) -> [AdminCategoriesPage.Row] {
        var counts: [String: Int] = [:]
        for node in nodes { if let p = node.parentCode { counts[p, default: 0] += 1 } }
        return nodes.filter { $0.parentCode == code }.sorted { $0.code < $1.code }.map {
            AdminCategoriesPage.Row(code: $0.code, name: $0.name, href: WebRoutes.adminCategory($0.code), children: String(counts[$0.code] ?? 0),
                                    depth: "depth-0", retired: $0.retired)
        }
    }
}

/// The category tree in display order, for tables and pickers.
enum AdminCategoryTree {
    /// Nodes with their depth (0 for the top level), parents before children, siblings by code; nodes whose parent is
    /// missing show at the top level.
    static func ordered(_ nodes: [CategoryNode]) -> [(node: CategoryNode, depth: Int)] {
        let codes = Set(nodes.map(\.code))
        var children: [String: [CategoryNode]] = [:]
        var roots: [CategoryNode] = []
        for n in nodes.sorted(by: { $0.code < $1.code }) {
            if let p = n.parentCode, codes.contains(p), p != n.code { children[p, default: []].append(n) } else { roots.append(n) }
        }
        var result: [(CategoryNode, Int)] = []
        var seen: Set<String> = []
        func walk(_ n: CategoryNode, _ depth: Int) {
            guard seen.insert(n.code).inserted else { return }
            result.append((n, depth))
            for c in children[n.code] ?? [] { walk(c, depth + 1) }
        }
        for r in roots { walk(r, 0) }
        for n in nodes where !seen.contains(n.code) { walk(n, 0) }
        return result
    }

    /// Categories in use as parent choices, indented, after "（作为一级分类）"; `excluding` leaves out a category and
    /// everything below it (a category never moves below itself).
    /// `levels` limits the choices to the top levels (the tree page offers two; deeper parents have their own page's form).
    static func parentOptions(_ nodes: [CategoryNode], selected: String?, excluding: String? = nil, levels: Int = CategoryTree.maximumDepth - 1)
        -> [PageOption]
    {
        let skip = Set(excluding.map { CategoryHierarchy(nodes).subtree(of: $0) } ?? [])
        var options = [PageOption(value: "", label: "（作为一级分类）", selected: (selected ?? "").isEmpty)]
        for (node, depth) in ordered(nodes) where !node.retired && !skip.contains(node.code) && depth < levels {
            options.append(PageOption(value: node.code, label: String(repeating: "　", count: depth) + node.name, selected: node.code == selected))
        }
        return options
    }

    /// "城乡建设 / 市政设施 / 路灯".
    static func path(_ code: String, _ nodes: [CategoryNode]) -> String {
        let names = Dictionary(uniqueKeysWithValues: nodes.map { ($0.code, $0.name) })
        return CategoryHierarchy(nodes).lineage(of: code).reversed().compactMap { names[$0] }.joined(separator: " / ")
    }
}

/// 办理时限: the rules in force in words, each with a button to remove it; the picker that adds one.
struct AdminTimeLimitsPage: Sendable {
    struct Row: Sendable {
        var position: String
        var stage: String
        var kind: String
        var category: String
        var lane: String
        var limitText: String
        /// The rule's fields as the removal form posts them.
        var stageValue: String
        var kindValue: String
        var categoryValue: String
        var laneValue: String
        var countValue: String
        var unitValue: String
    }

    var title = "办理时限"
    var user: PageUser?
    var sections: [AdminSection]
    var notice: String?
    var error: String?
    var rows: [Row]
    /// The picker: stage, kind, category, lane, number and unit.
    var stages: [PageOption] = []
    var kinds: [PageOption] = []
    var categories: [PageOption] = []
    var lanes: [PageOption] = []
    var count: String = ""
    var units: [PageOption] = []
    /// 回访重办规则: which callback shortfalls redo the order by themselves (checked boxes).
    var callbackRule: [Choice] = []
    /// 提级规则: the escalation rule's two numbers and what they mean.
    var escalationRule = EscalationRuleForm(.default)

    struct EscalationRuleForm: Sendable {
        var redoRounds: String
        var returningUnits: String
        var maximum: String
        var description: String

        init(_ rule: EscalationRule) {
            redoRounds = String(rule.redoRounds)
            returningUnits = String(rule.returningUnits)
            maximum = String(EscalationRule.maximum)
            description = rule.description
        }
    }

    /// 回访规则: unreachable closing and supervision, as the form shows them.
    var callbackSettings: CallbackSettings = .init(.default)

    struct CallbackSettings: Sendable {
        var unreachableAttempts: String
        var unreachableDays: String
        var stars: [PageOption]
        var superviseComplaints: Bool

        init(_ rule: CallbackRule) {
            unreachableAttempts = String(rule.unreachableAttempts)
            unreachableDays = String(rule.unreachableDays)
            stars = CallbackRule.starsRange.map { n in
                PageOption(value: String(n), label: n == 0 ? "不按评分督办" : "\(n)星及以下", selected: n == rule.superviseBelowStars)
            }
            superviseComplaints = rule.superviseUnsatisfiedComplaints
        }
    }

    struct Choice: Sendable {
        var value: String
        var label: String
        var checked: Bool
    }

    static func callbackRuleChoices(_ rule: CallbackRule) -> [Choice] {
        CallbackShortfall.allCases.map { Choice(value: $0.rawValue, label: "回访\($0.chineseName)时自动重办", checked: rule.autoRedo.contains($0)) }
    }

    static func row(_ position: Int, _ r: TimeLimitRule, categoryName: (String) -> String?) -> Row {
        Row(
            position: String(position + 1), stage: r.stage.chineseName, kind: r.kind?.chineseName ?? "全部",
            category: r.categoryCode.map { categoryName($0) ?? "（已删除的分类）" } ?? "全部", lane: r.lane?.chineseName ?? "全部",
            limitText: r.limit.chineseText, stageValue: r.stage.rawValue, kindValue: r.kind?.rawValue ?? "", categoryValue: r.categoryCode ?? "",
            laneValue: r.lane?.rawValue ?? "", countValue: String(r.limit.count), unitValue: r.limit.unit.rawValue)
    }

    /// The picker's choices, with what a refused form had chosen selected again.
    static func picker(categories nodes: [CategoryNode], draft: [String: String]?) -> (
        stages: [PageOption], kinds: [PageOption], categories: [PageOption], lanes: [PageOption], units: [PageOption]
    ) {
        let stages = PageOption.list(TimeLimitStage.allCases.map { ($0.rawValue, $0.chineseName) }, selected: draft?["stage"] ?? TimeLimitStage.handling.rawValue)
        let kinds = PageOption.list([("", "全部诉求类型")] + RequestKind.allCases.map { ($0.rawValue, $0.chineseName) }, selected: draft?["kind"] ?? "")
        var categories = [PageOption(value: "", label: "全部事项分类", selected: (draft?["category_code"] ?? "").isEmpty)]
        for (node, depth) in AdminCategoryTree.ordered(nodes) where !node.retired {
            categories.append(PageOption(value: node.code, label: String(repeating: "　", count: depth) + node.name, selected: node.code == draft?["category_code"]))
        }
        let lanes = PageOption.list([("", "全部通道")] + Lane.allCases.map { ($0.rawValue, $0.chineseName) }, selected: draft?["lane"] ?? "")
        let units = PageOption.list(
            TimeLimitUnit.allCases.map { ($0.rawValue, $0.chineseName) }, selected: draft?["limit_unit"] ?? TimeLimitUnit.workingDays.rawValue)
        return (stages, kinds, categories, lanes, units)
    }
}

// The category pages render hundreds of rows and options: their values are looked up by name instead of through
// `Mirror`, which costs most of a long page's render time.
extension AdminCategoriesPage.Row: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "code": code
        case "name": name
        case "href": href
        case "children": children
        case "depth": depth
        case "retired": retired
        default: nil
        }
    }
}

extension PageOption: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}
