import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Caller restrictions (限制呼入): a supervisor restricts a number that abuses the line, for a period with a
/// reason; intake shows it; it ends by itself.
struct RestrictionController: Sendable {
    let restrictions: CallerRestrictions
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    struct LiftBody: Decodable { var note: String? }

    struct RestrictionView: Encodable {
        var restriction: CallerRestriction
        var active: Bool
    }

    func register(on router: Router<AppRequestContext>) {
        let ordersReadRoutes = router.scoped(.ordersRead, by: actors)
        let callersRestrictRoutes = router.scoped(.callersRestrict, by: actors)
        ordersReadRoutes.get(RouterPath(APIRoutes.restrictions)) { request, context in
            let user = try context.require(.viewRestrictions)
            let params = request.uri.queryParameters
            let phone = params.get("phone").flatMap { $0.isEmpty ? nil : $0 }
            let items = try await restrictions.list(phone: phone, onlyActive: params.get("active").map { $0 == "true" } ?? (phone != nil), for: user, at: clock())
            return try APIJSON.response(["items": items.map { RestrictionView(restriction: $0.restriction, active: $0.active) }])
        }
        callersRestrictRoutes.post(RouterPath(APIRoutes.restrictions)) { request, context in
            let user = try context.require(.restrictCallers)
            let input = try await request.decode(as: CallerRestrictions.NewRestriction.self, context: context)
            let now = clock()
            let restriction = try await restrictions.restrict(input, by: user, client: clients.of(request, context), at: now)
            return try APIJSON.response(RestrictionView(restriction: restriction, active: restriction.isActive(at: now)), status: .created)
        }
        callersRestrictRoutes.post(RouterPath(APIRoutes.liftRestriction(":id"))) { request, context in
            let user = try context.require(.restrictCallers)
            let text = context.parameters.get("id") ?? ""
            guard let id = Int64(text) else { throw APIError.notFound("限制记录 \(text) ") }
            let body = try await InputDecoder.decode(LiftBody.self, from: request, emptyAllowed: true)
            let lifted = try await restrictions.lift(id, note: body.note, by: user, client: clients.of(request, context), at: clock())
            return try APIJSON.response(RestrictionView(restriction: lifted, active: false))
        }
    }
}
