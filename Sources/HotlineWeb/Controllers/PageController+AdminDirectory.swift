import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 单位管理 and 用户与角色: the unit tree and the users, through `AdminController`'s checks.
extension PageController {
    func registerUnitPages(_ router: PageRouter) {
        adminGet(router, WebRoutes.adminUnits, .manageUnits) { s, request, _ in
            try pages.response("admin-units", try await unitsPage(s, notice: AdminNotice.text(request.uri.queryParameters.get("done"))))
        }
        adminPost(router, WebRoutes.adminUnits, .manageUnits) { p in
            _ = try await app.admin.createUnit(
                try unitBody(p, id: p["id"].trimmingCharacters(in: .whitespaces)), by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminUnits + "?done=unit_created"
        } failed: { p, e in
            try pages.response("admin-units", try await unitsPage(p.signed, error: Self.adminMessage(e), draft: p), status: e.status)
        }
        adminGet(router, WebRoutes.adminUnit(":id"), .manageUnits) { s, request, id in
            return try pages.response("admin-unit", try await unitPage(s, id))
        }
        adminPost(router, WebRoutes.adminUnit(":id"), .manageUnits) { p in
            _ = try await app.admin.updateUnit(p.id, try unitBody(p, id: nil), by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminUnits + "?done=unit_updated"
        } failed: { p, e in
            try pages.response("admin-unit", try await unitPage(p.signed, p.id, error: Self.adminMessage(e), draft: p), status: e.status)
        }
    }

    /// The unit form as the API's body: every field given, blank ones cleared, no parent = a top-level unit.
    func unitBody(_ p: AdminPost, id: String?) throws -> AdminInput.Unit {
        let kind = try p.optional("kind").map { text in
            guard let k = UnitKind(rawValue: text) else { throw APIError.invalid("kind", "未知的单位类型") }
            return k
        }
        return AdminInput.Unit(
            id: id, name: p.form["name"], kind: kind, parentId: .some(p.optional("parent_id")), district: p["district"],
            contactName: p["contact_name"], contactPhone: p["contact_phone"], leaderReview: p.form["leader_review"] != nil)
    }

    func unitForm(_ units: [HandlingUnit], action: String, unit: HandlingUnit?, draft: AdminPost?) -> UnitForm {
        func value(_ field: String, _ stored: String?) -> String { draft?.form[field] ?? stored ?? "" }
        let kind = draft?.form["kind"] ?? unit?.kind.rawValue
        let parent = draft.map { $0["parent_id"] } ?? unit?.parentID
        return UnitForm(
            action: action, isNew: unit == nil, id: value("id", unit?.id), name: value("name", unit?.name),
            kinds: PageOption.list(UnitKind.allCases.map { ($0.rawValue, $0.chineseName) }, selected: kind),
            parents: Self.unitOptions(units, selected: parent, none: "（无上级）", excluding: unit?.id),
            district: value("district", unit?.district), contactName: value("contact_name", unit?.contactName),
            contactPhone: value("contact_phone", unit?.contactPhone),
            leaderReview: draft.map { $0.form["leader_review"] != nil } ?? unit?.leaderReview ?? false)
    }

    func unitsPage(_ s: Signed, notice: String? = nil, error: String? = nil, draft: AdminPost? = nil) async throws -> AdminUnitsPage {
        let units = try await services.directory.units()
        let rows = Self.unitTree(units).map { u, depth in
            AdminUnitsPage.Row(
                id: u.id, href: WebRoutes.adminUnit(u.id), name: u.name, kind: u.kind.chineseName, district: u.district ?? "—",
                contact: [u.contactName, u.contactPhone].compactMap { $0 }.joined(separator: " ").nonEmpty ?? "—", depth: "depth-\(min(depth, 5))")
        }
        return AdminUnitsPage(
            user: pageUser(s), sections: AdminSection.all(current: WebRoutes.adminUnits), notice: notice, error: error,
            totalText: "共 \(units.count) 个单位",
            rows: rows, form: unitForm(units, action: WebRoutes.adminUnits, unit: nil, draft: draft))
    }

    func unitPage(_ s: Signed, _ id: String, error: String? = nil, draft: AdminPost? = nil) async throws -> AdminUnitPage {
        let units = try await services.directory.units()
        guard let unit = units.first(where: { $0.id == id }) else { throw APIError.notFound("单位 \(id) ") }
        return AdminUnitPage(
            user: pageUser(s), sections: AdminSection.all(current: WebRoutes.adminUnits), error: error, heading: "修改单位：\(unit.name)（\(unit.id)）",
            form: unitForm(units, action: WebRoutes.adminUnit(id), unit: unit, draft: draft))
    }

    func registerUserPages(_ router: PageRouter) {
        adminGet(router, WebRoutes.adminUsers, .manageUsers) { s, request, _ in
            try pages.response(
                "admin-users", try await usersPage(s, request.uri.queryParameters, notice: AdminNotice.text(request.uri.queryParameters.get("done"))))
        }
        adminPost(router, WebRoutes.adminUsers, .manageUsers) { p in
            let body = AdminInput.NewUser(
                id: p["id"].trimmingCharacters(in: .whitespaces), displayName: p["display_name"], role: try role(p),
                unitId: p.optional("unit_id"), password: p["password"])
            _ = try await app.admin.createUser(body, by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminUsers + "?done=user_created"
        } failed: { p, e in
            try pages.response("admin-users", try await usersPage(p.signed, Parameters(), error: Self.adminMessage(e), draft: p), status: e.status)
        }
        adminGet(router, WebRoutes.adminUser(":id"), .manageUsers) { s, request, id in
            return try pages.response("admin-user", try await userPage(s, id, notice: AdminNotice.text(request.uri.queryParameters.get("done"))))
        }
        adminPost(router, WebRoutes.adminUser(":id"), .manageUsers) { p in
            let active: Bool? =
                switch p["active"] {
                case "true": true;
                case "false": false;
                default: nil
                }
            let body = AdminInput.UserPatch(displayName: p.optional("display_name"), role: try role(p), unitId: p.optional("unit_id"), active: active)
            _ = try await app.admin.updateUser(p.id, body, by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminUser(p.id) + "?done=user_updated"
        } failed: { p, e in
            try await userFailure(p, e)
        }
        adminPost(router, WebRoutes.adminUserPassword(":id"), .manageUsers) { p in
            guard p["password"] == p["password_confirm"] else { throw APIError.invalid("password_confirm", "两次输入的密码不一致") }
            _ = try await app.admin.updateUser(p.id, AdminInput.UserPatch(password: p["password"]), by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminUser(p.id) + "?done=password_reset"
        } failed: { p, e in
            try await userFailure(p, e)
        }
        adminPost(router, WebRoutes.adminUserUnlock(":id"), .manageUsers) { p in
            _ = try await app.admin.updateUser(p.id, AdminInput.UserPatch(unlock: true), by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminUser(p.id) + "?done=unlocked"
        } failed: { p, e in
            try await userFailure(p, e)
        }
    }

    func userFailure(_ p: AdminPost, _ e: APIError) async throws -> Response {
        try pages.response("admin-user", try await userPage(p.signed, p.id, error: Self.adminMessage(e)), status: e.status)
    }

    func role(_ p: AdminPost) throws -> Role {
        guard let role = Role(rawValue: p["role"]), role != .system else { throw APIError.invalid("role", "请选择角色") }
        return role
    }

    static let assignableRoles = Role.allCases.filter { $0 != .system }

    static let userSorts: [(key: String, label: String)] = [("id", "用户名"), ("name", "姓名"), ("role", "角色"), ("unit", "所属单位")]

    func usersPage(_ s: Signed, _ params: Parameters, notice: String? = nil, error: String? = nil, draft: AdminPost? = nil) async throws
        -> AdminUsersPage
    {
        let paging = try Paging(params)
        let sort = params.get("sort").flatMap { key in Self.userSorts.contains { $0.key == key } ? key : nil } ?? "id"
        let units = try await services.directory.units()
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.name) })
        let now = clock()
        func unitName(_ r: UserRecord) -> String { r.account.unitID.map { unitNames[$0] ?? $0 } ?? "" }
        let records = try await services.directory.userRecords().sorted { a, b in
            let (x, y): (String, String) =
                switch sort {
                case "name": (a.account.displayName, b.account.displayName)
                case "role": (a.account.role.chineseName, b.account.role.chineseName)
                case "unit": (unitName(a), unitName(b))
                default: (a.account.id, b.account.id)
                }
            return x == y ? a.account.id < b.account.id : x < y
        }
        let slice = records.dropFirst(paging.offset).prefix(paging.size)
        func href(_ sort: String, _ page: Int) -> String { WebRoutes.adminUsers + "?sort=" + sort + (page > 1 ? "&page=\(page)" : "") }
        return AdminUsersPage(
            user: pageUser(s), sections: AdminSection.all(current: WebRoutes.adminUsers), notice: notice, error: error,
            totalText: "共 \(records.count) 个用户",
            sorts: Self.userSorts.map { .init(label: $0.label, href: href($0.key, 1), current: $0.key == sort) },
            rows: slice.map { r in
                AdminUsersPage.Row(
                    id: r.account.id, href: WebRoutes.adminUser(r.account.id), displayName: r.account.displayName,
                    role: r.account.role.chineseName, unit: unitName(r).nonEmpty ?? "—", active: r.active,
                    locked: r.lockedUntil.map { $0 > now } ?? false)
            },
            page: paging.page, previous: paging.page > 1 ? href(sort, paging.page - 1) : nil,
            next: paging.offset + paging.size < records.count ? href(sort, paging.page + 1) : nil,
            newID: draft?["id"] ?? "", newName: draft?["display_name"] ?? "",
            roles: PageOption.list(Self.assignableRoles.map { ($0.rawValue, $0.chineseName) }, selected: draft?["role"] ?? Role.agent.rawValue),
            units: Self.unitOptions(units, selected: draft?["unit_id"], none: "（无）"))
    }

    func userPage(_ s: Signed, _ id: String, notice: String? = nil, error: String? = nil) async throws -> AdminUserPage {
        guard let record = try await services.directory.userRecord(id) else { throw APIError.notFound("用户 \(id) ") }
        let units = try await services.directory.units()
        let a = record.account
        let lockedUntil = record.lockedUntil.flatMap { $0 > clock() ? $0 : nil }
        return AdminUserPage(
            user: pageUser(s), sections: AdminSection.all(current: WebRoutes.adminUsers), notice: notice, error: error, id: a.id,
            displayName: a.displayName,
            roleName: a.role.chineseName, locked: lockedUntil != nil,
            lockText: lockedUntil.map { "已锁定至 \($0.chinaShort)（连续\(record.failedLogins)次登录失败）" } ?? "未锁定",
            isSelf: a.id == s.user.id,
            roles: PageOption.list(Self.assignableRoles.map { ($0.rawValue, $0.chineseName) }, selected: a.role.rawValue),
            // As in the API, a unit can be changed but not taken away: "none" is offered only to a user without one.
            units: Self.unitOptions(units, selected: a.unitID, none: a.unitID == nil ? "（无）" : nil),
            states: PageOption.list([("true", "启用"), ("false", "停用")], selected: record.active ? "true" : "false"),
            action: WebRoutes.adminUser(a.id), passwordAction: WebRoutes.adminUserPassword(a.id), unlockAction: WebRoutes.adminUserUnlock(a.id))
    }
}

extension String {
    /// Nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
