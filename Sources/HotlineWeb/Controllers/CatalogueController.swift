import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The dispatch catalogue (派单目录): which unit handles a category in a district, its history, and the
/// unit it recommends for a new order.
struct CatalogueController: Sendable {
    let catalogue: DispatchCatalogueStore
    let reference: ReferenceData
    let assistant: IntakeAssistant
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    /// PUT /dispatch-catalogue: `{"items": [{"category_code": "01.02", "district": "江城区", "unit_id": "dist-jiangcheng"}], "note": "…"}`;
    /// `unit_id` null removes the entry; `district` absent means city-wide.
    struct ChangeBody: Decodable {
        struct Item: Decodable {
            var categoryCode: String
            var district: String?
            var unitId: String?
        }
        var items: [Item]
        var note: String?
    }

    func register(on router: Router<AppRequestContext>) {
        router.get(RouterPath(APIRoutes.catalogue)) { request, _ in
            _ = try await actors.require(.viewCatalogue, for: request, scope: .referenceRead)
            return try APIJSON.response(["items": try await catalogue.catalogue().entries])
        }
        router.put(RouterPath(APIRoutes.catalogue)) { request, context in try await change(request, context) }
        router.get(RouterPath(APIRoutes.catalogueHistory)) { request, _ in
            _ = try await actors.require(.viewCatalogue, for: request, scope: .referenceRead)
            let params = request.uri.queryParameters
            let page = try Paging(params)
            let items = try await catalogue.history(categoryCode: params.get("category").flatMap { $0.isEmpty ? nil : $0 }, limit: page.size, offset: page.offset)
            return try APIJSON.response(["items": items])
        }
        router.get(RouterPath(APIRoutes.catalogueRecommend)) { request, _ in
            _ = try await actors.require(.viewCatalogue, for: request, scope: .referenceRead)
            let params = request.uri.queryParameters
            guard let category = params.get("category"), reference.context.categories.contains(category) else {
                throw APIError(.unprocessableContent, code: "unknown_category", message: "事项分类不存在", field: "category")
            }
            let entry = try await catalogue.catalogue().responsibleUnit(category: category, district: params.get("district"))
            return try APIJSON.response(["entry": entry])
        }
    }

    func change(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try await actors.require(.manageCatalogue, for: request, scope: .admin)
        let body = try await APIBody.decode(ChangeBody.self, from: request)
        return try APIJSON.response(["changes": try await change(body, by: admin, client: clients.of(request, context))])
    }

    /// Sets or removes entries (the API and the console): history and audit in one transaction, then the
    /// assistant's copy of the catalogue is reloaded. Returns the changes that took effect.
    func change(_ body: ChangeBody, by admin: UserAccount, client: String) async throws -> [CatalogueChange] {
        guard (1...1000).contains(body.items.count) else { throw APIError.invalid("items", "应有1到1000条") }
        let ctx = reference.context
        for (i, item) in body.items.enumerated() {
            guard ctx.categories.contains(item.categoryCode) else {
                throw APIError(.unprocessableContent, code: "unknown_category", message: "事项分类 \(item.categoryCode) 不存在", field: "items[\(i)].category_code")
            }
            if let unit = item.unitId, !ctx.units.contains(unit) {
                throw APIError(.unprocessableContent, code: "unknown_unit", message: "单位 \(unit) 不存在", field: "items[\(i)].unit_id")
            }
            if let d = item.district, d.count > 40 { throw APIError.invalid("items[\(i)].district", "不能超过40字") }
        }
        let note = try AdminText.optional(body.note, field: "note", limit: 500)
        let now = clock()
        let changes = try await catalogue.apply(
            body.items.map { ($0.categoryCode, $0.district.flatMap { $0.isEmpty ? nil : $0 }, $0.unitId) }, note: note, by: admin.actor, at: now,
            audit: AuditEntry(at: now, actor: admin.actor, action: .catalogueChanged, target: "dispatch_catalogue", client: client))
        try await assistant.reloadCatalogue()
        return changes
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
