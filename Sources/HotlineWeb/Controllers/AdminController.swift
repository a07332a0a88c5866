import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Administration (系统管理) over HTTP: the unit tree, users and roles, and API keys for integrations; each change
/// is a use case of ``Administration``.
struct AdminController: Sendable {
    let app: HotlineApp
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        let adminRoutes = router.scoped(.admin, by: actors)
        adminRoutes.post(RouterPath(APIRoutes.units)) { request, context in try await createUnit(request, context) }
        adminRoutes.patch(RouterPath(APIRoutes.unit(":id"))) { request, context in try await updateUnit(request, context) }
        adminRoutes.get(RouterPath(APIRoutes.users)) { request, context in
            _ = try context.require(.manageUsers)
            return try APIJSON.response(["items": try await app.services.directory.userRecords().map(AdminBody.UserView.init)])
        }
        adminRoutes.post(RouterPath(APIRoutes.users)) { request, context in try await createUser(request, context) }
        adminRoutes.patch(RouterPath(APIRoutes.user(":id"))) { request, context in try await updateUser(request, context) }
        adminRoutes.get(RouterPath(APIRoutes.apiKeys)) { request, context in
            _ = try context.require(.manageAPIKeys)
            return try APIJSON.response(["items": try await app.services.accounts.apiKeys()])
        }
        adminRoutes.post(RouterPath(APIRoutes.apiKeys)) { request, context in try await issueKey(request, context) }
        adminRoutes.post(RouterPath(APIRoutes.revokeAPIKey(":id"))) { request, context in
            let admin = try context.require(.manageAPIKeys)
            try await app.admin.revokeKey(context.parameters.get("id") ?? "", by: admin, client: clients.of(request, context), at: clock())
            return Response(status: .noContent)
        }
    }

    func createUnit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try context.require(.manageUnits)
        let input = try await request.decode(as: AdminInput.Unit.self, context: context)
        return try APIJSON.response(try await app.admin.createUnit(input, by: admin, client: clients.of(request, context), at: clock()), status: .created)
    }

    func updateUnit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try context.require(.manageUnits)
        let id = context.parameters.get("id") ?? ""
        guard try await app.services.directory.units().contains(where: { $0.id == id }) else { throw APIError.notFound("单位 \(id) ") }
        let input = try await request.decode(as: AdminInput.Unit.self, context: context)
        return try APIJSON.response(try await app.admin.updateUnit(id, input, by: admin, client: clients.of(request, context), at: clock()))
    }

    func createUser(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try context.require(.manageUsers)
        let input = try await request.decode(as: AdminInput.NewUser.self, context: context)
        return try APIJSON.response(
            AdminBody.UserView(try await app.admin.createUser(input, by: admin, client: clients.of(request, context), at: clock())), status: .created)
    }

    func updateUser(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try context.require(.manageUsers)
        let id = context.parameters.get("id") ?? ""
        guard try await app.services.directory.userRecord(id) != nil else { throw APIError.notFound("用户 \(id) ") }
        let input = try await request.decode(as: AdminInput.UserPatch.self, context: context)
        return try APIJSON.response(AdminBody.UserView(try await app.admin.updateUser(id, input, by: admin, client: clients.of(request, context), at: clock())))
    }

    func issueKey(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try context.require(.manageAPIKeys)
        let input = try await request.decode(as: AdminInput.NewAPIKey.self, context: context)
        let (issued, scopes) = try await app.admin.issueKey(input, by: admin, client: clients.of(request, context), at: clock())
        return try APIJSON.response(AdminBody.IssuedAPIKey(id: issued.id, token: issued.token, expiresAt: issued.expiresAt, scopes: scopes), status: .created)
    }
}
