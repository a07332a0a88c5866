import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Typical cases (典型案例) through the API: the library for the centre's staff, one case with its order's request and
/// answer (the caller masked), marking a finished order and retiring a case (both audited). Every call is a `CaseDesk`
/// use case, the same the console calls.
struct CaseController: Sendable {
    let cases: CaseDesk
    let reference: ReferenceData
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        let readRoutes = router.scoped(.ordersRead, by: actors)
        let actRoutes = router.scoped(.ordersAct, by: actors)
        readRoutes.get(RouterPath(APIRoutes.cases)) { request, context in
            let user = try context.require(.readCases)
            let params = request.uri.queryParameters
            let page = try Paging(params)
            let tags = params.getAll("tag").flatMap { $0.split(separator: ",").map(String.init) }
            let listing = try await cases.browse(
                .init(
                    query: params.get("q"), tags: tags, categoryCode: params.get("category"), from: params.get("from"), to: params.get("to"),
                    state: params.get("state"), page: page.page, pageSize: min(page.size, 100)), for: user)
            struct Page: Encodable {
                var items: [CaseView]
                var hasMore: Bool
            }
            return try APIJSON.response(Page(items: listing.cases.map { CaseView($0, reference: reference) }, hasMore: listing.hasMore))
        }
        readRoutes.get(RouterPath(APIRoutes.typicalCase(":id"))) { request, context in
            let user = try context.require(.readCases)
            return try APIJSON.response(CaseDetailView(try await cases.record(try Self.id(context), for: user), reference: reference))
        }
        actRoutes.post(RouterPath(APIRoutes.cases)) { request, context in
            let user = try context.require(.markTypicalCases)
            let input = try await request.decode(as: CaseDesk.Input.self, context: context)
            let stored = try await cases.mark(input, by: user, client: clients.of(request, context), at: clock())
            return try APIJSON.response(CaseView(stored, reference: reference), status: .created)
        }
        actRoutes.post(RouterPath(APIRoutes.retireCase(":id"))) { request, context in
            let user = try context.require(.markTypicalCases)
            let input = try await request.decode(as: CaseDesk.RetireInput.self, context: context)
            let stored = try await cases.retire(try Self.id(context), input, by: user, client: clients.of(request, context), at: clock())
            return try APIJSON.response(CaseView(stored, reference: reference))
        }
    }

    static func id(_ context: AppRequestContext) throws -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text) else { throw APIError.notFound("典型案例 \(text) ") }
        return id
    }
}
