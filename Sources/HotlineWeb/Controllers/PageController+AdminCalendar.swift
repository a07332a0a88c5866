import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 工作日历: the year view and the administrators' overrides. An override is stored with its audit line and
/// the reference data reloaded, so the next deadline computed counts it.
extension PageController {
    func registerCalendarPages(_ router: PageRouter) {
        // The calendar decides deadlines, as the time limits do: the same capability guards both.
        adminGet(router, WebRoutes.adminCalendar, .manageTimeLimits) { s, request, _ in
            let params = request.uri.queryParameters
            return try pages.response(
                "admin-calendar", try await calendarPage(s, year: try year(params.get("year")), notice: AdminNotice.text(params.get("done"))))
        }
        adminPost(router, WebRoutes.adminCalendar, .manageTimeLimits) { p in
            let o = try Self.calendarOverride(p)
            let now = clock()
            try await services.directory.addCalendarOverride(
                o, by: p.signed.user.actor, at: now,
                audit: AuditEntry(
                    at: now, actor: p.signed.user.actor, action: .calendarChanged, target: "calendar",
                    detail: "added \(o.first)..\(o.last) \(o.kind.rawValue) \(o.name)", client: p.client))
            try await services.reference.reload()
            return WebRoutes.adminCalendar(year: o.first.year) + "&done=override_added"
        } failed: { p, e in
            let year = CivilDay(iso: p["start"]).map(\.year) ?? CivilDay(containing: clock()).year
            return try pages.response(
                "admin-calendar", try await calendarPage(p.signed, year: year, error: Self.adminMessage(e), draft: p), status: e.status)
        }
        adminPost(router, WebRoutes.adminCalendarOverrideRemoval(":id"), .manageTimeLimits) { p in
            guard let id = Int64(p.id),
                let removed = try await services.directory.removeCalendarOverride(
                    id,
                    audit: AuditEntry(
                        at: clock(), actor: p.signed.user.actor, action: .calendarChanged, target: "calendar_override:\(p.id)", client: p.client))
            else { throw APIError.notFound("日历调整 \(p.id) ") }
            try await services.reference.reload()
            return WebRoutes.adminCalendar(year: removed.override.first.year) + "&done=override_removed"
        } failed: { p, e in
            try pages.response(
                "admin-calendar", try await calendarPage(p.signed, year: CivilDay(containing: clock()).year, error: Self.adminMessage(e)),
                status: e.status)
        }
    }

    /// `?year=`: this year when absent.
    func year(_ text: String?) throws -> Int {
        guard let text, !text.isEmpty else { return CivilDay(containing: clock()).year }
        guard let y = Int(text), (1990...2100).contains(y) else { throw APIError.invalid("year", "应为1990到2100之间的年份") }
        return y
    }

    /// The override a form asks for, or a refusal naming the field (422).
    static func calendarOverride(_ p: AdminPost) throws -> CalendarOverride {
        do {
            return try CalendarOverride(start: p["start"], end: p["end"], kind: p["kind"], name: p["name"])
        } catch {
            let (field, message): (String, String) =
                switch error {
                case .badStart: ("start", "开始日期应为有效日期，格式 YYYY-MM-DD")
                case .badEnd: ("end", "结束日期应为有效日期，格式 YYYY-MM-DD")
                case .endBeforeStart: ("end", "结束日期不能早于开始日期")
                case .tooLong: ("end", "一次最多调整\(CalendarOverride.maximumDays)天")
                case .badKind: ("kind", "类型应为“放假”或“调休上班”")
                case .badName: ("name", "名称不能超过\(CalendarOverride.maximumNameLength)字，且不能换行")
                }
            throw APIError(.unprocessableContent, code: "invalid_field", message: message, field: field)
        }
    }

    func calendarPage(_ s: Signed, year: Int, notice: String? = nil, error: String? = nil, draft: AdminPost? = nil) async throws -> AdminCalendarPage
    {
        let calendar = services.reference.context.calendar
        let stored = try await services.directory.calendarOverrides()
        var overridden: Set<CivilDay> = []
        for o in stored.map(\.override) { for ordinal in o.first.ordinal...o.last.ordinal { overridden.insert(CivilDay(ordinal: ordinal)) } }
        return AdminCalendarPage(
            user: pageUser(s), sections: AdminSection.all(current: WebRoutes.adminCalendar), notice: notice, error: error, year: String(year),
            previousYear: WebRoutes.adminCalendar(year: year - 1), nextYear: WebRoutes.adminCalendar(year: year + 1),
            months: AdminCalendarPage.months(year, calendar, overridden: overridden), periods: AdminCalendarPage.periods(year, calendar.schedule),
            overrides: stored.reversed().map { o in
                let v = o.override
                return .init(
                    id: String(o.id), range: "\(v.first) 至 \(v.last)", days: String(v.days), kind: v.kind.chineseName, name: v.name.nonEmpty ?? "—",
                    by: "\(o.createdBy) \(OrderListPage.short(o.createdAt))", removeAction: WebRoutes.adminCalendarOverrideRemoval(String(o.id)))
            },
            start: draft?["start"] ?? "", end: draft?["end"] ?? "", name: draft?["name"] ?? "",
            kinds: AdminCalendarPage.kindOptions(selected: draft?["kind"] ?? CalendarOverride.Kind.holiday.rawValue))
    }
}
