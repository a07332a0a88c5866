import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The dispatch catalogue (派单目录): which unit handles a category in a district, its history, and the
/// unit it recommends for a new order.
struct CatalogueController: Sendable {
    let catalogue: DispatchCatalogueStore
    let reference: ReferenceData
    let administration: Administration
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        let referenceReadRoutes = router.scoped(.referenceRead, by: actors)
        let adminRoutes = router.scoped(.admin, by: actors)
        referenceReadRoutes.get(RouterPath(APIRoutes.catalogue)) { request, context in
            _ = try context.require(.viewCatalogue)
            return try APIJSON.response(["items": try await catalogue.catalogue().entries])
        }
        adminRoutes.put(RouterPath(APIRoutes.catalogue)) { request, context in try await change(request, context) }
        referenceReadRoutes.get(RouterPath(APIRoutes.catalogueHistory)) { request, context in
            _ = try context.require(.viewCatalogue)
            let params = request.uri.queryParameters
            let page = try Paging(params)
            let items = try await catalogue.history(categoryCode: params.get("category").flatMap { $0.isEmpty ? nil : $0 }, limit: page.size, offset: page.offset)
            return try APIJSON.response(["items": items])
        }
        referenceReadRoutes.get(RouterPath(APIRoutes.catalogueRecommend)) { request, context in
            _ = try context.require(.viewCatalogue)
            let params = request.uri.queryParameters
            guard let category = params.get("category"), reference.context.categories.contains(category) else {
                throw APIError(.unprocessableContent, code: "unknown_category", message: "事项分类不存在", field: "category")
            }
            let entry = try await catalogue.catalogue().responsibleUnit(category: category, district: params.get("district"))
            return try APIJSON.response(["entry": entry])
        }
    }

    /// PUT /dispatch-catalogue: `{"items": [{"category_code": "01.02", "district": "江城区", "unit_id": "dist-jiangcheng"}], "note": "…"}`;
    /// `unit_id` null removes the entry; `district` absent means city-wide.
    func change(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try context.require(.manageCatalogue)
        let input = try await request.decode(as: AdminInput.CatalogueChange.self, context: context)
        return try APIJSON.response(["changes": try await administration.changeCatalogue(input, by: admin, client: clients.of(request, context), at: clock())])
    }
}

/// `page` and `page_size` of simple lists (audit, history).
struct Paging {
    var page = 1
    var size = 50

    var offset: Int { (page - 1) * size }

    init(_ params: Parameters) throws {
        if let p = params.get("page"), !p.isEmpty {
            guard let n = Int(p), (1...100_000).contains(n) else { throw APIError.invalid("page", "应为正整数") }
            page = n
        }
        if let s = params.get("page_size"), !s.isEmpty {
            guard let n = Int(s), (1...200).contains(n) else { throw APIError.invalid("page_size", "应在1到200之间") }
            size = n
        }
    }
}
