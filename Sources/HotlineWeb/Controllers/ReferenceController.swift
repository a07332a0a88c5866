import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Reference data and the working-day calendar.
struct ReferenceController: Sendable {
    let directory: DirectoryStore
    let reference: ReferenceData
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        router.get(RouterPath(APIRoutes.health)) { _, _ in try APIJSON.response(["status": "ok"]) }
        router.get(RouterPath(APIRoutes.me)) { request, _ in try APIJSON.response(try await actors.actor(for: request, scope: nil)) }
        router.get(RouterPath(APIRoutes.units)) { request, _ in
            _ = try await actors.actor(for: request, scope: .referenceRead)
            return try APIJSON.response(["items": try await directory.units()])
        }
        router.get(RouterPath(APIRoutes.categories)) { request, _ in
            _ = try await actors.actor(for: request, scope: .referenceRead)
            return try APIJSON.response(["items": try await directory.categories()])
        }
        router.get(RouterPath(APIRoutes.timeLimits)) { request, _ in
            _ = try await actors.actor(for: request, scope: .referenceRead)
            return try APIJSON.response(["items": reference.context.limits.rules])
        }
        router.put(RouterPath(APIRoutes.timeLimits)) { request, context in
            let user = try await actors.require(.manageTimeLimits, for: request, scope: .admin)
            let body = try await APIBody.decode(TimeLimitsBody.self, from: request)
            try await replaceTimeLimits(body.items, by: user, client: clients.of(request, context))
            return try APIJSON.response(["items": reference.context.limits.rules])
        }
        router.get(RouterPath(APIRoutes.calendarWorkdays)) { request, _ in
            _ = try await actors.actor(for: request, scope: .referenceRead)
            let params = request.uri.queryParameters
            guard let from = params.get("from").flatMap(CivilDay.init(iso:)) else { throw APIError.invalid("from", "应为 YYYY-MM-DD") }
            guard let to = params.get("to").flatMap(CivilDay.init(iso:)) else { throw APIError.invalid("to", "应为 YYYY-MM-DD") }
            guard to.ordinal - from.ordinal <= 3660 else { throw APIError.invalid("to", "区间不能超过10年") }
            return try APIJSON.response(["days": reference.context.calendar.workingDays(from: from, to: to).map(\.description)])
        }
        registerCalendarOverrides(on: router)
        router.get(RouterPath(APIRoutes.calendarDeadline)) { request, _ in
            _ = try await actors.actor(for: request, scope: .referenceRead)
            let params = request.uri.queryParameters
            guard let start = params.get("start").flatMap(ISOTime.parse) else { throw APIError.invalid("start", "应为ISO 8601时间") }
            let calendar = reference.context.calendar
            let deadline: Date
            if let days = params.get("working_days") {
                guard let n = Int(days), (0...3650).contains(n) else { throw APIError.invalid("working_days", "应为0到3650的整数") }
                deadline = calendar.deadline(from: start, workingDays: n)
            } else if let hours = params.get("working_hours") {
                guard let n = Double(hours), (0...87_600).contains(n) else { throw APIError.invalid("working_hours", "应为非负数") }
                deadline = calendar.deadline(from: start, workingHours: n)
            } else {
                throw APIError.invalid("working_days", "须给出 working_days 或 working_hours")
            }
            return try APIJSON.response(["deadline": deadline.chinaISO8601])
        }
    }
}

extension ReferenceController {
    /// Replaces the time-limit rules as a whole (the API and the console), with the audit line, and reloads the
    /// reference data so that new deadlines use them.
    func replaceTimeLimits(_ items: [TimeLimitRule], by user: UserAccount, client: String) async throws {
        guard !items.isEmpty, items.count <= 500 else { throw APIError.invalid("items", "应有1到500条时限规则") }
        let categories = reference.context.categories
        for (index, rule) in items.enumerated() {
            if let code = rule.categoryCode, !categories.contains(code) { throw APIError.invalid("items[\(index)].category_code", "事项分类不存在") }
        }
        try await directory.replaceTimeLimits(
            TimeLimitPolicy(rules: items),
            audit: AuditEntry(at: clock(), actor: user.actor, action: .timeLimitsChanged, target: "time_limits",
                              detail: items.map { "\($0.stage.rawValue)=\($0.limit)" }.joined(separator: " "), client: client))
        try await reference.reload()
    }
}

/// PUT /api/v1/time-limits: the whole ordered rule list, e.g.
/// `{"items": [{"stage": "handling", "kind": "complaint", "limit": "10d"}]}`.
struct TimeLimitsBody: Decodable {
    var items: [TimeLimitRule]
}
