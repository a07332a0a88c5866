import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 事项分类, 派单目录 and 办理时限: reference data, changed through the ``Administration`` use cases.
extension PageController {
    func registerReferencePages(_ router: PageRouter) {
        registerCategoryPages(router)
        adminGet(router, WebRoutes.adminCatalogue, .manageCatalogue) { s, request, _ in
            let params = request.uri.queryParameters
            return try pages.response("admin-catalogue", try await cataloguePage(s, params, notice: AdminNotice.text(params.get("done"))))
        }
        adminPost(router, WebRoutes.adminCatalogue, .manageCatalogue) { p in
            let item = AdminInput.CatalogueChange.Item(categoryCode: p["category_code"], district: p.optional("district"), unitId: p.optional("unit_id"))
            let changes = try await app.admin.changeCatalogue(.init(items: [item], note: p.optional("note")), by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminCatalogue + (changes.isEmpty ? "?done=catalogue_unchanged" : "?done=catalogue_changed")
        } failed: { p, e in
            try pages.response(
                "admin-catalogue", try await cataloguePage(p.signed, Parameters(), error: Self.adminMessage(e), draft: p), status: e.status)
        }
        registerTimeLimitPages(router)
        // The callback rule decides what a falling-short callback does; the same capability as the time limits.
        adminPost(router, WebRoutes.adminCallbackRule, .manageTimeLimits) { p in
            // A repeated checkbox arrives comma-joined; none checked means the centre decides every shortfall.
            let chosen = try p["auto_redo[]"].split(separator: ",").map { value in
                guard let shortfall = CallbackShortfall(rawValue: String(value)) else { throw APIError.invalid("auto_redo", "未知取值") }
                return shortfall
            }
            func number(_ name: String, _ label: String) throws -> Int? {
                guard let text = p.optional(name) else { return nil }
                guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else { throw APIError.invalid(name, "\(label)应为整数") }
                return n
            }
            let input = AdminInput.CallbackRuleInput(
                autoRedo: chosen, unreachableAttempts: try number("unreachable_attempts", "未接通次数"),
                unreachableDays: try number("unreachable_days", "未接通须分布的天数"), superviseBelowStars: try number("supervise_below_stars", "低分督办的星级"),
                // The form always carries the checkbox's hidden companion, so an unchecked box turns the rule off.
                superviseUnsatisfiedComplaints: p.optional("supervise_unsatisfied_complaints").map { $0.split(separator: ",").contains("true") })
            _ = try await app.admin.setCallbackRule(input, by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminTimeLimits + "?done=callback_rule_changed"
        } failed: { p, e in
            try pages.response("admin-time-limits", try await timeLimitsPage(p.signed, error: Self.adminMessage(e)), status: e.status)
        }
        // 提级规则: after how many redos or returning units an order escalates by itself.
        adminPost(router, WebRoutes.adminEscalationRule, .manageTimeLimits) { p in
            func count(_ name: String, _ label: String) throws -> Int {
                guard let n = Int(p[name].trimmingCharacters(in: .whitespaces)) else { throw APIError.invalid(name, "\(label)应为0到\(EscalationRule.maximum)之间的整数") }
                return n
            }
            let rule = EscalationRule(redoRounds: try count("redo_rounds", "重办次数"), returningUnits: try count("returning_units", "退单单位数"))
            _ = try await app.admin.setEscalationRule(rule, by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminTimeLimits + "?done=escalation_rule_changed"
        } failed: { p, e in
            try pages.response("admin-time-limits", try await timeLimitsPage(p.signed, error: Self.adminMessage(e)), status: e.status)
        }
    }

    func cataloguePage(_ s: Signed, _ params: Parameters, notice: String? = nil, error: String? = nil, draft: AdminPost? = nil) async throws
        -> AdminCataloguePage
    {
        let paging = try Paging(params)
        let ref = services.reference
        let units = try await services.directory.units()
        let entries = try await services.catalogue.catalogue().entries.sorted {
            ($0.categoryCode, $0.district ?? "") < ($1.categoryCode, $1.district ?? "")
        }
        func unit(_ id: UnitID?) -> String { id.map { ref.unitName($0) ?? $0 } ?? "—" }
        func category(_ code: String) -> String { "\(code) \(ref.categoryName(code) ?? "")" }
        let districts = Set(units.compactMap(\.district) + entries.compactMap(\.district)).sorted()
        let history = try await services.catalogue.history(categoryCode: nil, limit: paging.size + 1, offset: paging.offset)
        func href(_ page: Int) -> String { WebRoutes.adminCatalogue + (page > 1 ? "?page=\(page)" : "") }
        return AdminCataloguePage(
            user: pageUser(s), sections: AdminSection.all(current: WebRoutes.adminCatalogue), notice: notice, error: error,
            totalText: "共 \(entries.count) 条",
            rows: entries.map {
                .init(
                    categoryCode: $0.categoryCode, categoryName: ref.categoryName($0.categoryCode) ?? "", districtName: $0.district ?? "全市",
                    district: $0.district ?? "", unitName: unit($0.unitID))
            },
            // In tree order (a moved category under its new parent); retired ones take no new entries.
            categories: AdminCategoryTree.ordered(ref.categories).filter { !$0.node.retired }.map { node, depth in
                PageOption(
                    value: node.code, label: String(repeating: "　", count: depth) + category(node.code),
                    selected: node.code == draft?["category_code"])
            },
            districts: [PageOption(value: "", label: "全市", selected: (draft?["district"] ?? "").isEmpty)]
                + districts.map { PageOption(value: $0, label: $0, selected: $0 == draft?["district"]) },
            units: Self.unitOptions(units, selected: draft?["unit_id"], none: "（删除该条目）"), note: draft?["note"] ?? "",
            history: history.prefix(paging.size).map {
                .init(
                    at: $0.at.chinaShort, actor: $0.actorID, category: category($0.categoryCode), district: $0.district ?? "全市",
                    old: unit($0.oldUnit), new: unit($0.newUnit), note: $0.note)
            },
            page: paging.page, previous: paging.page > 1 ? href(paging.page - 1) : nil,
            next: history.count > paging.size ? href(paging.page + 1) : nil)
    }
}
