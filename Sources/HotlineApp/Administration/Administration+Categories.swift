import Foundation
import HotlineDomain
import HotlineStorage

/// 事项分类 and 办理时限 changed piece by piece: a category added, renamed, moved or retired (退用); a time-limit rule
/// added or removed. Codes never change, so stored orders keep theirs and show their category's current name.
extension Administration {
    // MARK: Categories

    /// Adds a category at the top level or under a category in use; it gets the next free code below its parent.
    public func createCategory(_ input: AdminInput.NewCategory, by admin: UserAccount, client: String, at now: Date) async throws -> CategoryNode {
        try require(.manageCatalogue, admin)
        let nodes = try await directory.categories()
        let name = try AdminText.name(input.name ?? "", field: "name", limit: 40)
        let parent = try Self.parent(input.parentCode, in: nodes, field: "parent_code")
        let level = (parent?.level ?? 0) + 1
        guard level <= CategoryTree.maximumDepth else {
            throw AppError.unprocessable(code: "too_deep", message: "事项分类最多\(CategoryTree.maximumDepth)级", field: "parent_code")
        }
        try Self.checkUnique(name, under: parent?.code, in: nodes, except: nil)
        let node = CategoryNode(code: Self.nextCode(under: parent?.code, in: nodes), name: name, parentCode: parent?.code, level: level)
        try await directory.createCategory(node, audit: AuditEntry(
            at: now, actor: admin.actor, action: .categoryChanged, target: "category:\(node.code)",
            detail: "added \(name) under \(parent?.name ?? "-")", client: client))
        try await reference.reload()
        return node
    }

    /// Renames, moves (a category never goes below itself and the tree stays within five levels) or retires / restores
    /// a category. Retiring takes the categories below it along; restoring needs a parent in use.
    public func changeCategory(_ code: String, _ input: AdminInput.CategoryChange, by admin: UserAccount, client: String, at now: Date) async throws
        -> CategoryNode
    {
        try require(.manageCatalogue, admin)
        let nodes = try await directory.categories()
        guard var node = nodes.first(where: { $0.code == code }) else { throw AppError.notFound(what: "事项分类 \(code) ") }
        let tree = CategoryHierarchy(nodes)
        var changed: [String: CategoryNode] = [:]
        var detail: [String] = []
        if let name = input.name {
            let clean = try AdminText.name(name, field: "name", limit: 40)
            if clean != node.name {
                try Self.checkUnique(clean, under: input.parentCode ?? node.parentCode, in: nodes, except: code)
                detail.append("renamed \(node.name) → \(clean)")
                node.name = clean
            }
        }
        if let wanted = input.parentCode, wanted != node.parentCode {
            let parent = try Self.parent(wanted, in: nodes, field: "parent_code")
            if let parent, tree.wouldCycle(code, newParent: parent.code) {
                throw AppError.unprocessable(code: "category_cycle", message: "不能把分类移到它自己或其下级分类之下", field: "parent_code")
            }
            let shift = (parent?.level ?? 0) + 1 - node.level
            guard node.level + shift + tree.height(of: code) - 1 <= CategoryTree.maximumDepth else {
                throw AppError.unprocessable(code: "too_deep", message: "移动后分类超过\(CategoryTree.maximumDepth)级", field: "parent_code")
            }
            try Self.checkUnique(node.name, under: parent?.code, in: nodes, except: code)
            detail.append("moved under \(parent?.name ?? "-")")
            node.parentCode = parent?.code
            // The whole subtree moves with it: every level below shifts alike.
            for below in tree.subtree(of: code).dropFirst() {
                guard var child = nodes.first(where: { $0.code == below }) else { continue }
                child.level += shift
                changed[below] = child
            }
            node.level += shift
        }
        if let retire = input.retired, retire != node.retired {
            if retire {
                detail.append("retired")
                for below in tree.subtree(of: code).dropFirst() {
                    guard var child = changed[below] ?? nodes.first(where: { $0.code == below }), !child.retired else { continue }
                    child.retired = true
                    changed[below] = child
                }
            } else {
                if let p = node.parentCode, tree.isRetired(p) {
                    throw AppError.unprocessable(code: "parent_retired", message: "上级分类已停用，须先恢复上级分类", field: "parent_code")
                }
                detail.append("restored")
            }
            node.retired = retire
        }
        guard !detail.isEmpty else { return node }
        changed[code] = node
        try await directory.updateCategories(
            changed.values.sorted { $0.code < $1.code },
            audit: AuditEntry(at: now, actor: admin.actor, action: .categoryChanged, target: "category:\(code)",
                              detail: detail.joined(separator: "; "), client: client))
        try await reference.reload()
        return node
    }

    /// The parent a form names: none for the top level; otherwise a category in use.
    static func parent(_ code: String?, in nodes: [CategoryNode], field: String) throws(AppError) -> CategoryNode? {
        guard let code, !code.isEmpty else { return nil }
        guard let parent = nodes.first(where: { $0.code == code }) else {
            throw .unprocessable(code: "unknown_category", message: "上级分类不存在", field: field)
        }
        guard !parent.retired else { throw .unprocessable(code: "category_retired", message: "上级分类已停用", field: field) }
        return parent
    }

    /// Two categories under one parent never share a name: people tell them apart by name.
    static func checkUnique(_ name: String, under parent: String?, in nodes: [CategoryNode], except code: String?) throws(AppError) {
        if nodes.contains(where: { $0.parentCode == parent && $0.name == name && $0.code != code }) {
            throw .conflict(code: "exists", message: "同一上级分类下已有“\(name)”", field: "name")
        }
    }

    /// The next free code below `parent`: its code, a dot, two digits (`03.07`); top-level codes are two digits.
    static func nextCode(under parent: String?, in nodes: [CategoryNode]) -> String {
        let prefix = parent.map { $0 + "." } ?? ""
        let taken = Set(nodes.map(\.code))
        let highest = nodes.compactMap { n -> Int? in
            guard n.code.hasPrefix(prefix) else { return nil }
            let rest = n.code.dropFirst(prefix.count)
            return rest.contains(".") ? nil : Int(rest)
        }.max() ?? 0
        var next = highest + 1
        while taken.contains(prefix + String(format: "%02d", next)) { next += 1 }
        return prefix + String(format: "%02d", next)
    }

    // MARK: Time-limit rules

    /// Adds a time-limit rule from the picker (a number and a unit); it goes last, so among equally specific rules it
    /// wins. Deadlines computed afterwards use it.
    public func addTimeLimit(_ input: AdminInput.TimeLimitRuleInput, by admin: UserAccount, client: String, at now: Date) async throws -> TimeLimitRule {
        try require(.manageTimeLimits, admin)
        let rule = try Self.rule(input, categories: reference.context.categoryTree)
        var rules = reference.context.limits.rules
        if rules.contains(rule) { throw AppError.conflict(code: "exists", message: "已有相同的时限规则", field: nil) }
        rules.append(rule)
        try await replaceTimeLimits(rules, by: admin, client: client, at: now)
        return rule
    }

    /// Removes a time-limit rule, named by its fields (not its position, which another change may have moved). The
    /// last rule of a stage may go: the stage then falls back to its built-in limit.
    public func removeTimeLimit(_ input: AdminInput.TimeLimitRuleInput, by admin: UserAccount, client: String, at now: Date) async throws {
        try require(.manageTimeLimits, admin)
        let rule = try Self.rule(input, categories: nil)
        var rules = reference.context.limits.rules
        guard let index = rules.firstIndex(of: rule) else { throw AppError.notFound(what: "时限规则 ") }
        rules.remove(at: index)
        guard !rules.isEmpty else { throw AppError.conflict(code: "last_rule", message: "至少保留一条时限规则", field: nil) }
        try await replaceTimeLimits(rules, by: admin, client: client, at: now)
    }

    /// A rule from the picker's fields, each refusal naming its field. `categories` checks the category is in use
    /// (adding); removing takes whatever the stored rule says.
    static func rule(_ input: AdminInput.TimeLimitRuleInput, categories: CategoryHierarchy?) throws(AppError) -> TimeLimitRule {
        guard let stage = TimeLimitStage(rawValue: input.stage) else { throw .invalid(field: "stage", message: "请选择环节") }
        func blank(_ v: String?) -> String? { v.flatMap { $0.isEmpty ? nil : $0 } }
        var kind: RequestKind?
        if let k = blank(input.kind) {
            guard let parsed = RequestKind(rawValue: k) else { throw .invalid(field: "kind", message: "请选择诉求类型") }
            kind = parsed
        }
        var lane: Lane?
        if let l = blank(input.lane) {
            guard let parsed = Lane(rawValue: l) else { throw .invalid(field: "lane", message: "请选择通道") }
            lane = parsed
        }
        let category = blank(input.categoryCode)
        if let category, let categories, !categories.isOffered(category) {
            throw .invalid(field: "category_code", message: categories.contains(category) ? "该事项分类已停用" : "事项分类不存在")
        }
        guard let unit = TimeLimitUnit(rawValue: input.limitUnit) else { throw .invalid(field: "limit_unit", message: "请选择工作日、工作小时或自然小时") }
        let digits = input.limitCount.trimmingCharacters(in: .whitespaces)
        guard let count = Int(digits), let limit = TimeLimit(count: count, unit: unit) else {
            throw .invalid(field: "limit_count", message: "应为1到\(TimeLimit.maximum(unit))之间的整数")
        }
        return TimeLimitRule(stage: stage, kind: kind, categoryCode: category, lane: lane, limit: limit)
    }
}
