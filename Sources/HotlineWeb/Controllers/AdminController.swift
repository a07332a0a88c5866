import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Administration (系统管理): the unit tree, users and roles, and API keys for integrations. Every change
/// lands with its audit line in one transaction.
struct AdminController: Sendable {
    let directory: DirectoryStore
    let accounts: AccountStore
    let reference: ReferenceData
    let actors: ActorResolver
    let clients: ClientAddress
    let passwordCost: UInt8
    let clock: @Sendable () -> Date

    /// Longest an API key may live.
    static let maximumKeyDays = 730

    func register(on router: Router<AppRequestContext>) {
        router.post(RouterPath(APIRoutes.units)) { request, context in try await createUnit(request, context) }
        router.patch(RouterPath(APIRoutes.unit(":id"))) { request, context in try await updateUnit(request, context) }
        router.get(RouterPath(APIRoutes.users)) { request, _ in
            _ = try await actors.require(.manageUsers, for: request, scope: .admin)
            return try APIJSON.response(["items": try await directory.userRecords().map(AdminBody.UserView.init)])
        }
        router.post(RouterPath(APIRoutes.users)) { request, context in try await createUser(request, context) }
        router.patch(RouterPath(APIRoutes.user(":id"))) { request, context in try await updateUser(request, context) }
        router.get(RouterPath(APIRoutes.apiKeys)) { request, _ in
            _ = try await actors.require(.manageAPIKeys, for: request, scope: .admin)
            return try APIJSON.response(["items": try await accounts.apiKeys()])
        }
        router.post(RouterPath(APIRoutes.apiKeys)) { request, context in try await issueKey(request, context) }
        router.post(RouterPath(APIRoutes.revokeAPIKey(":id"))) { request, context in
            let admin = try await actors.require(.manageAPIKeys, for: request, scope: .admin)
            let id = context.parameters.get("id") ?? ""
            let now = clock()
            let revoked = try await accounts.revokeAPIKey(
                id, now: now, audit: AuditEntry(at: now, actor: admin.actor, action: .apiKeyRevoked, target: "api_key:\(id)", client: clients.of(request, context)))
            guard revoked else { throw APIError.notFound("接口密钥 \(id) ") }
            return Response(status: .noContent)
        }
    }

    func createUnit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try await actors.require(.manageUnits, for: request, scope: .admin)
        let body = try await APIBody.decode(AdminBody.Unit.self, from: request)
        return try APIJSON.response(try await createUnit(body, by: admin, client: clients.of(request, context)), status: .created)
    }

    /// Adds a unit (the API and the console): checks, stores it with its audit line, reloads the reference data.
    func createUnit(_ body: AdminBody.Unit, by admin: UserAccount, client: String) async throws -> HandlingUnit {
        let id = try AdminText.identifier(body.id ?? "", field: "id")
        guard let kind = body.kind else { throw APIError.invalid("kind", "缺少必填字段") }
        let units = reference.context.units
        guard !units.contains(id) else { throw APIError(.conflict, code: "exists", message: "单位 \(id) 已存在", field: "id") }
        let parent = body.parentId ?? nil
        if let parent, !units.contains(parent) { throw APIError(.unprocessableContent, code: "unknown_unit", message: "上级单位 \(parent) 不存在", field: "parent_id") }
        let unit = HandlingUnit(
            id: id, name: try AdminText.name(body.name ?? "", field: "name"), kind: kind, parentID: parent,
            district: try AdminText.optional(body.district, field: "district", limit: 40),
            contactName: try AdminText.optional(body.contactName, field: "contact_name", limit: 40),
            contactPhone: try AdminText.optional(body.contactPhone, field: "contact_phone", limit: 40))
        try await directory.createUnit(unit, audit: AuditEntry(
            at: clock(), actor: admin.actor, action: .unitCreated, target: "unit:\(id)", detail: "\(unit.name) parent=\(parent ?? "-")",
            client: client))
        try await reference.reload()
        return unit
    }

    func updateUnit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try await actors.require(.manageUnits, for: request, scope: .admin)
        let id = context.parameters.get("id") ?? ""
        guard try await directory.units().contains(where: { $0.id == id }) else { throw APIError.notFound("单位 \(id) ") }
        let body = try await APIBody.decode(AdminBody.Unit.self, from: request)
        return try APIJSON.response(try await updateUnit(id, body, by: admin, client: clients.of(request, context)))
    }

    /// Changes a unit (the API and the console): a unit never moves below itself; stored with its audit line.
    func updateUnit(_ id: UnitID, _ body: AdminBody.Unit, by admin: UserAccount, client: String) async throws -> HandlingUnit {
        guard var unit = try await directory.units().first(where: { $0.id == id }) else { throw APIError.notFound("单位 \(id) ") }
        if let name = body.name { unit.name = try AdminText.name(name, field: "name") }
        if let kind = body.kind { unit.kind = kind }
        if let parent = body.parentId {
            let units = reference.context.units
            if let parent, !units.contains(parent) {
                throw APIError(.unprocessableContent, code: "unknown_unit", message: "上级单位 \(parent) 不存在", field: "parent_id")
            }
            guard !units.wouldCycle(id, newParent: parent) else {
                throw APIError(.unprocessableContent, code: "unit_cycle", message: "不能把单位挂到它自己或其下级单位之下", field: "parent_id")
            }
            unit.parentID = parent
        }
        if let d = body.district { unit.district = try AdminText.optional(d, field: "district", limit: 40) }
        if let n = body.contactName { unit.contactName = try AdminText.optional(n, field: "contact_name", limit: 40) }
        if let p = body.contactPhone { unit.contactPhone = try AdminText.optional(p, field: "contact_phone", limit: 40) }
        try await directory.updateUnit(unit, audit: AuditEntry(
            at: clock(), actor: admin.actor, action: .unitUpdated, target: "unit:\(id)",
            detail: "name=\(unit.name) parent=\(unit.parentID ?? "-") contact=\(unit.contactName ?? "-")", client: client))
        try await reference.reload()
        return unit
    }

    /// Role and unit must agree: unit roles need a unit; the platform's own role is never given to a person.
    func checkRole(_ role: Role, unit: UnitID?) throws {
        guard role != .system else { throw APIError.invalid("role", "不能授予系统角色") }
        if role.isUnitRole, unit == nil { throw APIError.invalid("unit_id", "承办单位角色须指定所属单位") }
        if let unit, !reference.context.units.contains(unit) {
            throw APIError(.unprocessableContent, code: "unknown_unit", message: "单位 \(unit) 不存在", field: "unit_id")
        }
    }

    func createUser(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try await actors.require(.manageUsers, for: request, scope: .admin)
        let body = try await APIBody.decode(AdminBody.NewUser.self, from: request)
        return try APIJSON.response(AdminBody.UserView(try await createUser(body, by: admin, client: clients.of(request, context))), status: .created)
    }

    /// Adds a user (the API and the console): role and unit agree, the password meets the policy.
    func createUser(_ body: AdminBody.NewUser, by admin: UserAccount, client: String) async throws -> UserRecord {
        let id = try AdminText.identifier(body.id, field: "id")
        try checkRole(body.role, unit: body.unitId)
        if let problem = PasswordPolicy.problem(with: body.password) { throw APIError.invalid("password", problem) }
        guard try await directory.userRecord(id) == nil else { throw APIError(.conflict, code: "exists", message: "用户 \(id) 已存在", field: "id") }
        let user = UserAccount(id: id, displayName: try AdminText.name(body.displayName, field: "display_name", limit: 40), role: body.role, unitID: body.unitId)
        try await directory.createUser(user, passwordHash: DirectoryStore.passwordHash(body.password, cost: passwordCost), audit: AuditEntry(
            at: clock(), actor: admin.actor, action: .userCreated, target: "user:\(id)", detail: "role=\(user.role.rawValue) unit=\(user.unitID ?? "-")",
            client: client))
        guard let created = try await directory.userRecord(id) else { throw APIError.notFound("用户 \(id) ") }
        return created
    }

    func updateUser(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try await actors.require(.manageUsers, for: request, scope: .admin)
        let id = context.parameters.get("id") ?? ""
        guard try await directory.userRecord(id) != nil else { throw APIError.notFound("用户 \(id) ") }
        let body = try await APIBody.decode(AdminBody.UserPatch.self, from: request)
        return try APIJSON.response(AdminBody.UserView(try await updateUser(id, body, by: admin, client: clients.of(request, context))))
    }

    /// Changes a user (the API and the console): an admin cannot lock themselves out; deactivating or a new
    /// password revokes the user's tokens in the same transaction.
    func updateUser(_ id: String, _ body: AdminBody.UserPatch, by admin: UserAccount, client: String) async throws -> UserRecord {
        guard let current = try await directory.userRecord(id) else { throw APIError.notFound("用户 \(id) ") }
        if id == admin.id, body.active == false || (body.role.map { $0 != .admin } ?? false) {
            throw APIError(.conflict, code: "self_lockout", message: "不能停用自己或撤销自己的管理员角色")
        }
        let role = body.role ?? current.account.role
        let unit = body.unitId ?? current.account.unitID
        try checkRole(role, unit: unit)
        var change = UserChange(role: body.role, unitID: body.unitId.map { .some($0) }, active: body.active, unlock: body.unlock ?? false)
        if let name = body.displayName { change.displayName = try AdminText.name(name, field: "display_name", limit: 40) }
        if let password = body.password {
            if let problem = PasswordPolicy.problem(with: password) { throw APIError.invalid("password", problem) }
            change.passwordHash = DirectoryStore.passwordHash(password, cost: passwordCost)
        }
        var detail: [String] = []
        if let r = body.role { detail.append("role=\(r.rawValue)") }
        if let u = body.unitId { detail.append("unit=\(u)") }
        if let a = body.active { detail.append("active=\(a)") }
        if body.password != nil { detail.append("password reset") }
        if body.unlock == true { detail.append("unlocked") }
        if body.displayName != nil { detail.append("display_name") }
        let now = clock()
        try await directory.updateUser(id, change, at: now, audit: AuditEntry(
            at: now, actor: admin.actor, action: .userUpdated, target: "user:\(id)", detail: detail.joined(separator: " "),
            client: client))
        guard let updated = try await directory.userRecord(id) else { throw APIError.notFound("用户 \(id) ") }
        return updated
    }

    func issueKey(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try await actors.require(.manageAPIKeys, for: request, scope: .admin)
        let body = try await APIBody.decode(AdminBody.NewAPIKey.self, from: request)
        guard let holder = try await directory.userRecord(body.userId), holder.active else {
            throw APIError(.unprocessableContent, code: "unknown_user", message: "用户 \(body.userId) 不存在或已停用", field: "user_id")
        }
        guard !body.scopes.isEmpty, !body.scopes.contains(.all) else { throw APIError.invalid("scopes", "须列出具体权限范围，接口密钥不能使用 *") }
        if body.scopes.contains(.admin), holder.account.role != .admin { throw APIError.invalid("scopes", "只有管理员账号的密钥可含 admin 范围") }
        if let scope = body.scopes.first(where: { $0.requiredCapability.map { !$0.isAllowed(for: holder.account.role) } ?? false }),
           let capability = scope.requiredCapability {
            throw APIError.invalid("scopes", "\(holder.account.role.chineseName)无权\(capability.chineseName)，其密钥不能含 \(scope.rawValue) 范围")
        }
        guard (1...Self.maximumKeyDays).contains(body.days) else { throw APIError.invalid("days", "有效期应在1到\(Self.maximumKeyDays)天之间") }
        let label = try AdminText.name(body.label, field: "label", limit: 60)
        let now = clock()
        let scopes = Array(Set(body.scopes)).sorted { $0.rawValue < $1.rawValue }
        let issued = try await accounts.issueToken(
            for: holder.account.id, kind: AccountStore.apiKeyKind, scopes: scopes.map(\.rawValue), now: now,
            lifetime: Double(body.days) * 86_400, label: label,
            audit: AuditEntry(at: now, actor: admin.actor, action: .apiKeyIssued, detail: "user=\(holder.account.id) label=\(label) scopes=\(scopes.map(\.rawValue).joined(separator: " ")) days=\(body.days)",
                              client: clients.of(request, context)))
        return try APIJSON.response(AdminBody.IssuedAPIKey(id: issued.id, token: issued.token, expiresAt: issued.expiresAt, scopes: scopes), status: .created)
    }
}
