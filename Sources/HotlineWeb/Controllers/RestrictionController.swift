import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Caller restrictions (限制呼入): a supervisor restricts a number that abuses the line, for a period with a
/// reason; intake shows it; it ends by itself.
struct RestrictionController: Sendable {
    let restrictions: CallerRestrictionStore
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    struct NewRestriction: Decodable {
        var phone: String
        var reason: String
        var days: Int
    }

    struct LiftBody: Decodable { var note: String? }

    struct RestrictionView: Encodable {
        var restriction: CallerRestriction
        var active: Bool
    }

    func register(on router: Router<AppRequestContext>) {
        router.get(RouterPath(APIRoutes.restrictions)) { request, _ in
            let user = try await actors.require(.viewRestrictions, for: request, scope: .ordersRead)
            let params = request.uri.queryParameters
            let phone = params.get("phone").flatMap { $0.isEmpty ? nil : $0 }
            let onlyActive = params.get("active").map { $0 == "true" } ?? (phone != nil)
            if let phone, phone.count > 20 { throw APIError.invalid("phone", "电话号码格式不正确") }
            // Agents look up the caller on the line; the full list is for supervisors and admins.
            if phone == nil, ![Role.supervisor, .admin].contains(user.role) { throw APIError.lacks(.restrictCallers, role: user.role) }
            let now = clock()
            let items = try await restrictions.list(phone: phone, activeAt: onlyActive ? now : nil)
            // The number the caller typed is theirs to see; lists show others' numbers in full only to roles that may reveal them.
            let showFull = phone != nil || Capability.revealContact.isAllowed(for: user.role)
            return try APIJSON.response(["items": items.map { r in
                var shown = r
                if !showFull { shown.phone = ContactPrivacy.maskPhone(r.phone) }
                return RestrictionView(restriction: shown, active: r.isActive(at: now))
            }])
        }
        router.post(RouterPath(APIRoutes.restrictions)) { request, context in
            let user = try await actors.require(.restrictCallers, for: request, scope: .callersRestrict)
            let body = try await APIBody.decode(NewRestriction.self, from: request)
            let (phone, reason): (String, String)
            switch CallerRestriction.validate(phone: body.phone, reason: body.reason, days: body.days) {
            case .success(let clean): (phone, reason) = clean
            case .failure(let e): throw APIError.invalid(e.field, e.message)
            }
            let now = clock()
            let restriction = try await restrictions.restrict(
                phone: phone, reason: reason, days: body.days, by: user.actor, at: now,
                audit: AuditEntry(at: now, actor: user.actor, action: .callerRestricted,
                                  detail: "phone=\(ContactPrivacy.maskPhone(phone)) days=\(body.days) reason=\(reason)", client: clients.of(request, context)))
            return try APIJSON.response(RestrictionView(restriction: restriction, active: restriction.isActive(at: now)), status: .created)
        }
        router.post(RouterPath(APIRoutes.liftRestriction(":id"))) { request, context in
            let user = try await actors.require(.restrictCallers, for: request, scope: .callersRestrict)
            let text = context.parameters.get("id") ?? ""
            guard let id = Int64(text) else { throw APIError.notFound("限制记录 \(text) ") }
            let body = try await APIBody.decode(LiftBody.self, from: request, ifEmpty: LiftBody(note: nil))
            let note = try AdminText.optional(body.note, field: "note", limit: 500)
            let now = clock()
            guard let lifted = try await restrictions.lift(
                id, by: user.actor, at: now, note: note,
                audit: AuditEntry(at: now, actor: user.actor, action: .restrictionLifted, target: "restriction:\(id)", detail: note ?? "",
                                  client: clients.of(request, context))) else {
                throw APIError.notFound("生效中的限制记录 \(id) ")
            }
            return try APIJSON.response(RestrictionView(restriction: lifted, active: false))
        }
    }
}
