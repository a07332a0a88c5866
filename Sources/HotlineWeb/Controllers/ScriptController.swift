import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Reply scripts (话术) through the API: readers page through and open scripts; editors create, reword, retire and
/// restore them. Every call is a `ScriptDesk` use case, the same the console calls.
struct ScriptController: Sendable {
    let scripts: ScriptDesk
    let reference: ReferenceData
    let actors: ActorResolver
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        let readRoutes = router.scoped(.referenceRead, by: actors)
        let adminRoutes = router.scoped(.admin, by: actors)
        readRoutes.get(RouterPath(APIRoutes.scripts)) { request, context in
            let user = try context.require(.readScripts)
            let params = request.uri.queryParameters
            let page = try Paging(params)
            let listing = try await scripts.browse(
                .init(
                    query: params.get("q"), categoryCode: params.get("category"), situation: params.get("situation"), state: params.get("state"),
                    page: page.page, pageSize: min(page.size, 100)), for: user)
            struct Page: Encodable {
                var items: [ScriptView]
                var hasMore: Bool
            }
            return try APIJSON.response(Page(items: listing.scripts.map { ScriptView($0, reference: reference) }, hasMore: listing.hasMore))
        }
        readRoutes.get(RouterPath(APIRoutes.script(":id"))) { request, context in
            let user = try context.require(.readScripts)
            let record = try await scripts.script(try Self.id(context), for: user)
            struct Detail: Encodable {
                var script: ScriptView
                var history: [ScriptRevision]
            }
            return try APIJSON.response(Detail(script: ScriptView(record.script, reference: reference), history: record.history))
        }
        adminRoutes.post(RouterPath(APIRoutes.scripts)) { request, context in
            let user = try context.require(.manageScripts)
            let input = try await request.decode(as: ScriptDesk.Input.self, context: context)
            return try APIJSON.response(ScriptView(try await scripts.create(input, by: user, at: clock()), reference: reference), status: .created)
        }
        adminRoutes.put(RouterPath(APIRoutes.script(":id"))) { request, context in
            let user = try context.require(.manageScripts)
            let input = try await request.decode(as: ScriptDesk.Input.self, context: context)
            return try APIJSON.response(ScriptView(try await scripts.edit(try Self.id(context), input, by: user, at: clock()), reference: reference))
        }
        adminRoutes.post(RouterPath(APIRoutes.scriptAction(":id", ":action"))) { request, context in
            let user = try context.require(.manageScripts)
            let name = context.parameters.get("action") ?? ""
            guard name == "retire" || name == "restore" else { throw APIError.notFound("操作 \(name) ") }
            let note = try await request.decode(as: ScriptDesk.NoteInput.self, context: context)
            let script = try await scripts.setActive(name == "restore", try Self.id(context), note, by: user, at: clock())
            return try APIJSON.response(ScriptView(script, reference: reference))
        }
    }

    static func id(_ context: AppRequestContext) throws -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text) else { throw APIError.notFound("话术 \(text) ") }
        return id
    }
}
