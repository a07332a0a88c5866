import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 事项分类 (add, rename, move, retire, restore) and 办理时限 (rules added and removed with a picker), through the
/// ``Administration`` use cases: audited, and the reference data reloaded on every instance.
extension PageController {
    func registerCategoryPages(_ router: PageRouter) {
        // The category tree is the catalogue's axis; the same capability guards both.
        adminGet(router, WebRoutes.adminCategories, .manageCatalogue) { s, request, _ in
            try pages.response("admin-categories", try await categoriesPage(s, notice: AdminNotice.text(request.uri.queryParameters.get("done"))))
        }
        adminPost(router, WebRoutes.adminCategories, .manageCatalogue) { p in
            let node = try await app.admin.createCategory(
                AdminInput.NewCategory(name: p["name"], parentCode: p.optional("parent_code")), by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminCategory(node.code) + "?done=category_created"
        } failed: { p, e in
            try pages.response("admin-categories", try await categoriesPage(p.signed, error: Self.adminMessage(e), draft: p), status: e.status)
        }
        adminGet(router, WebRoutes.adminCategory(":id"), .manageCatalogue) { s, request, code in
            try pages.response("admin-category", try await categoryPage(s, code, notice: AdminNotice.text(request.uri.queryParameters.get("done"))))
        }
        // One form renames and moves: the name and the parent as they should be.
        adminPost(router, WebRoutes.adminCategory(":id"), .manageCatalogue) { p in
            _ = try await app.admin.changeCategory(
                p.id, AdminInput.CategoryChange(name: p["name"], parentCode: .some(p.optional("parent_code"))), by: p.signed.user, client: p.client,
                at: clock())
            return WebRoutes.adminCategory(p.id) + "?done=category_updated"
        } failed: { p, e in
            try pages.response("admin-category", try await categoryPage(p.signed, p.id, error: Self.adminMessage(e), draft: p), status: e.status)
        }
        for (path, retire) in [(WebRoutes.adminCategoryRetirement(":id"), true), (WebRoutes.adminCategoryRestoration(":id"), false)] {
            adminPost(router, path, .manageCatalogue) { p in
                _ = try await app.admin.changeCategory(p.id, AdminInput.CategoryChange(retired: retire), by: p.signed.user, client: p.client, at: clock())
                return WebRoutes.adminCategory(p.id) + (retire ? "?done=category_retired" : "?done=category_restored")
            } failed: { p, e in
                try pages.response("admin-category", try await categoryPage(p.signed, p.id, error: Self.adminMessage(e)), status: e.status)
            }
        }
    }

    func categoriesPage(_ s: Signed, notice: String? = nil, error: String? = nil, draft: AdminPost? = nil) async throws -> AdminCategoriesPage {
        let nodes = services.reference.categories
        let retired = nodes.filter(\.retired).count
        return AdminCategoriesPage(
            user: pageUser(s), sections: AdminSection.all(current: WebRoutes.adminCategories), notice: notice, error: error,
            totalText: "共 \(nodes.count) 个分类，\(nodes.filter { $0.parentCode == nil }.count) 个一级分类" + (retired > 0 ? "，其中 \(retired) 个已停用" : ""),
            rows: AdminCategoriesPage.rows(nodes), name: draft?["name"] ?? "",
            parents: AdminCategoryTree.parentOptions(nodes, selected: draft?["parent_code"], levels: 2))
    }

    func categoryPage(_ s: Signed, _ code: String, notice: String? = nil, error: String? = nil, draft: AdminPost? = nil) async throws
        -> AdminCategoryPage
    {
        let nodes = services.reference.categories
        guard let node = nodes.first(where: { $0.code == code }) else { throw APIError.notFound("事项分类 \(code) ") }
        let tree = CategoryHierarchy(nodes)
        let below = tree.subtree(of: code).dropFirst().filter { !tree.isRetired($0) }.count
        return AdminCategoryPage(
            user: pageUser(s), sections: AdminSection.all(current: WebRoutes.adminCategories), notice: notice, error: error, code: code,
            heading: "修改事项分类：\(node.name)", path: AdminCategoryTree.path(code, nodes), retired: node.retired,
            name: draft?["name"] ?? node.name,
            parents: AdminCategoryTree.parentOptions(nodes, selected: draft.map { $0["parent_code"] } ?? node.parentCode, excluding: code),
            action: WebRoutes.adminCategory(code), retireAction: WebRoutes.adminCategoryRetirement(code),
            restoreAction: WebRoutes.adminCategoryRestoration(code), belowText: below > 0 ? "其下 \(below) 个分类一并停用。" : nil,
            canAddChild: !node.retired && node.level < CategoryTree.maximumDepth, children: AdminCategoryPage.children(of: code, in: nodes))
    }

    func registerTimeLimitPages(_ router: PageRouter) {
        adminGet(router, WebRoutes.adminTimeLimits, .manageTimeLimits) { s, request, _ in
            try pages.response("admin-time-limits", try await timeLimitsPage(s, notice: AdminNotice.text(request.uri.queryParameters.get("done"))))
        }
        adminPost(router, WebRoutes.adminTimeLimits, .manageTimeLimits) { p in
            _ = try await app.admin.addTimeLimit(Self.timeLimitRule(p), by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminTimeLimits + "?done=time_limit_added"
        } failed: { p, e in
            try pages.response("admin-time-limits", try await timeLimitsPage(p.signed, error: Self.adminMessage(e), draft: p), status: e.status)
        }
        adminPost(router, WebRoutes.adminTimeLimitRemoval, .manageTimeLimits) { p in
            try await app.admin.removeTimeLimit(Self.timeLimitRule(p), by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminTimeLimits + "?done=time_limit_removed"
        } failed: { p, e in
            try pages.response("admin-time-limits", try await timeLimitsPage(p.signed, error: Self.adminMessage(e)), status: e.status)
        }
    }

    static func timeLimitRule(_ p: AdminPost) -> AdminInput.TimeLimitRuleInput {
        AdminInput.TimeLimitRuleInput(
            stage: p["stage"], kind: p.optional("kind"), categoryCode: p.optional("category_code"), lane: p.optional("lane"),
            limitCount: p["limit_count"], limitUnit: p["limit_unit"])
    }

    func timeLimitsPage(_ s: Signed, notice: String? = nil, error: String? = nil, draft: AdminPost? = nil) async throws -> AdminTimeLimitsPage {
        let ref = services.reference
        let picker = AdminTimeLimitsPage.picker(categories: ref.categories, draft: draft?.form)
        return AdminTimeLimitsPage(
            user: pageUser(s), sections: AdminSection.all(current: WebRoutes.adminTimeLimits), notice: notice, error: error,
            rows: ref.context.limits.rules.enumerated().map { AdminTimeLimitsPage.row($0, $1, categoryName: ref.categoryName) },
            stages: picker.stages, kinds: picker.kinds, categories: picker.categories, lanes: picker.lanes, count: draft?["limit_count"] ?? "",
            units: picker.units, callbackRule: AdminTimeLimitsPage.callbackRuleChoices(ref.context.callbackRule),
            escalationRule: AdminTimeLimitsPage.EscalationRuleForm(ref.context.escalationRule),
            callbackSettings: .init(ref.context.callbackRule))
    }
}
