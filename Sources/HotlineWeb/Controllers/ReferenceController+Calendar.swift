import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Overrides of the working-day calendar (工作日历调整): local holidays or working days an admin adds on top of the
/// official schedule. Each change is stored with its audit line and the reference data reloaded, so the next
/// deadline computed counts it. The console's calendar page calls the same functions.
extension ReferenceController {
    /// One override as the API shows it.
    struct OverrideView: Encodable {
        var id: Int64
        var start: String
        var end: String
        var kind: String
        var name: String
        var days: Int
        var createdAt: Date
        var createdBy: String

        init(_ o: StoredCalendarOverride) {
            id = o.id
            start = o.override.first.description
            end = o.override.last.description
            kind = o.override.kind.rawValue
            name = o.override.name
            days = o.override.days
            createdAt = o.createdAt
            createdBy = o.createdBy
        }
    }

    /// `POST /calendar/overrides`: `{"start": "2026-10-09", "end": "2026-10-09", "kind": "holiday", "name": "台风停工"}`.
    struct OverrideBody: Decodable {
        var start: String
        var end: String
        var kind: String
        var name: String?
    }

    func registerCalendarOverrides(on router: Router<AppRequestContext>) {
        router.get(RouterPath(APIRoutes.calendarOverrides)) { request, _ in
            _ = try await actors.actor(for: request, scope: .referenceRead)
            return try APIJSON.response(["items": try await directory.calendarOverrides().map(OverrideView.init)])
        }
        router.post(RouterPath(APIRoutes.calendarOverrides)) { request, context in
            let user = try await actors.require(.manageTimeLimits, for: request, scope: .admin)
            let body = try await APIBody.decode(OverrideBody.self, from: request)
            let o = try Self.calendarOverride(start: body.start, end: body.end, kind: body.kind, name: body.name ?? "")
            try await addCalendarOverride(o, by: user, client: clients.of(request, context))
            return try APIJSON.response(["items": try await directory.calendarOverrides().map(OverrideView.init)], status: .created)
        }
        router.delete(RouterPath(APIRoutes.calendarOverride(":id"))) { request, context in
            let user = try await actors.require(.manageTimeLimits, for: request, scope: .admin)
            let id = context.parameters.get("id") ?? ""
            _ = try await removeCalendarOverride(id, by: user, client: clients.of(request, context))
            return try APIJSON.response(["items": try await directory.calendarOverrides().map(OverrideView.init)])
        }
    }

    /// Stores an override with its audit line and reloads the reference data.
    func addCalendarOverride(_ o: CalendarOverride, by user: UserAccount, client: String) async throws {
        let now = clock()
        try await directory.addCalendarOverride(
            o, by: user.actor, at: now,
            audit: AuditEntry(at: now, actor: user.actor, action: .calendarChanged, target: "calendar",
                              detail: "added \(o.first)..\(o.last) \(o.kind.rawValue) \(o.name)", client: client))
        try await reference.reload()
    }

    /// Removes an override with its audit line and reloads the reference data; 404 when there is no such override.
    func removeCalendarOverride(_ id: String, by user: UserAccount, client: String) async throws -> StoredCalendarOverride {
        guard let number = Int64(id),
              let removed = try await directory.removeCalendarOverride(
                number, audit: AuditEntry(at: clock(), actor: user.actor, action: .calendarChanged, target: "calendar_override:\(id)", client: client))
        else { throw APIError.notFound("日历调整 \(id) ") }
        try await reference.reload()
        return removed
    }

    /// The override asked for, or a refusal naming the field (422).
    static func calendarOverride(start: String, end: String, kind: String, name: String) throws -> CalendarOverride {
        do {
            return try CalendarOverride(start: start, end: end, kind: kind, name: name)
        } catch {
            let (field, message): (String, String) =
                switch error {
                case .badStart: ("start", "开始日期应为有效日期，格式 YYYY-MM-DD")
                case .badEnd: ("end", "结束日期应为有效日期，格式 YYYY-MM-DD")
                case .endBeforeStart: ("end", "结束日期不能早于开始日期")
                case .tooLong: ("end", "一次最多调整\(CalendarOverride.maximumDays)天")
                case .badKind: ("kind", "类型应为“放假”（holiday）或“调休上班”（workday）")
                case .badName: ("name", "名称不能超过\(CalendarOverride.maximumNameLength)字，且不能换行")
                }
            throw APIError(.unprocessableContent, code: "invalid_field", message: message, field: field)
        }
    }
}
