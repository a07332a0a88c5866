import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 来电人画像 through the API: `GET /api/v1/callers/profile?phone=…` or `?order=…`, for the centre's roles that deal with
/// callers; the phone and name come back masked.
struct CallerProfileController: Sendable {
    let callers: CallerProfiles
    let reference: ReferenceData
    let actors: ActorResolver
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        router.scoped(.ordersRead, by: actors).get(RouterPath(APIRoutes.callerProfile)) { request, context in
            let user = try context.require(.viewCallerProfile)
            let q = request.uri.queryParameters
            let now = clock()
            guard let view = try await callers.profile(.init(phone: q.get("phone"), order: q.get("order")), for: user, now: now) else {
                throw APIError.notFound("该号码的来电记录")
            }
            return try APIJSON.response(CallerProfileResponse(view, reference: reference, now: now))
        }
    }
}

/// A caller's profile as the API gives it.
struct CallerProfileResponse: Encodable {
    struct Tag: Encodable {
        var code: String
        var name: String
    }
    struct Month: Encodable {
        var month: String
        var count: Int
    }
    struct Share: Encodable {
        var code: String
        var name: String
        var count: Int
    }
    struct Order: Encodable {
        var number: String
        var createdAt: Date
        var title: String
        var status: String
        var statusName: String
        var categoryName: String?
        var satisfaction: String?
    }
    struct Callback: Encodable {
        var number: String
        var at: Date
        var resolved: Bool
        var satisfaction: String
        var satisfactionName: String
    }
    struct Restriction: Encodable {
        var reason: String
        var startsAt: Date
        var endsAt: Date
        var active: Bool
        var lifted: Bool
    }
    var phone: String
    var name: String?
    var total: Int
    var open: Int
    var firstAt: Date?
    var lastAt: Date?
    var tags: [Tag]
    var months: [Month]
    var categories: [Share]
    var units: [Share]
    var repeats: Int
    var redos: Int
    var callbacks: [Callback]
    var restrictions: [Restriction]
    var recent: [Order]

    init(_ view: CallerProfiles.View, reference: ReferenceData, now: Date) {
        let p = view.profile
        phone = view.maskedPhone
        name = view.maskedName
        total = p.total
        open = p.open
        firstAt = p.firstAt
        lastAt = p.lastAt
        tags = p.tags.map { Tag(code: $0.rawValue, name: $0.chineseName) }
        months = p.months.map { Month(month: String(format: "%04d-%02d", $0.year, $0.month), count: $0.count) }
        categories = p.categories.map { Share(code: $0.key, name: reference.categoryName($0.key) ?? "其他", count: $0.count) }
        units = p.units.map { Share(code: $0.key, name: reference.unitName($0.key) ?? "其他", count: $0.count) }
        repeats = p.repeats
        redos = p.redos
        callbacks = p.callbacks.map {
            Callback(number: $0.order.description, at: $0.at, resolved: $0.resolved, satisfaction: $0.satisfaction.rawValue, satisfactionName: $0.satisfaction.chineseName)
        }
        restrictions = view.restrictions.map {
            Restriction(reason: $0.restriction.reason, startsAt: $0.restriction.startsAt, endsAt: $0.restriction.endsAt, active: $0.active,
                        lifted: $0.restriction.liftedAt != nil)
        }
        recent = view.recent.map {
            Order(number: $0.number.description, createdAt: $0.timeline.createdAt, title: $0.title, status: $0.status.rawValue, statusName: $0.status.chineseName,
                  categoryName: $0.categoryCode.flatMap(reference.categoryName), satisfaction: $0.callback?.satisfaction.chineseName)
        }
    }
}
