import Foundation
import HotlineApp
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
            try await app.admin.addCalendarOverride(
                AdminInput.CalendarOverrideInput(start: p["start"], end: p["end"], kind: p["kind"], name: p["name"]), by: p.signed.user, client: p.client,
                at: clock())
            let year = CivilDay(iso: p["start"])?.year ?? CivilDay(containing: clock()).year
            return WebRoutes.adminCalendar(year: year) + "&done=override_added"
        } failed: { p, e in
            let year = CivilDay(iso: p["start"]).map(\.year) ?? CivilDay(containing: clock()).year
            return try pages.response(
                "admin-calendar", try await calendarPage(p.signed, year: year, error: Self.adminMessage(e), draft: p), status: e.status)
        }
        // 载入国务院放假安排: the pasted CSV of one year, as the API takes it.
        adminPost(router, WebRoutes.adminCalendarSchedule, .manageTimeLimits) { p in
            let loaded = try await app.admin.loadCalendarSchedule(
                AdminInput.CalendarScheduleInput(year: Int(p["year"].trimmingCharacters(in: .whitespaces)), csv: p["csv"]), by: p.signed.user,
                client: p.client, at: clock())
            return WebRoutes.adminCalendar(year: loaded.year) + "&done=schedule_loaded"
        } failed: { p, e in
            let year = Int(p["year"].trimmingCharacters(in: .whitespaces)).flatMap { (1990...2100).contains($0) ? $0 : nil } ?? CivilDay(containing: clock()).year
            return try pages.response(
                "admin-calendar", try await calendarPage(p.signed, year: year, error: Self.adminMessage(e), draft: p), status: e.status)
        }
        adminPost(router, WebRoutes.adminCalendarOverrideRemoval(":id"), .manageTimeLimits) { p in
            let removed = try await app.admin.removeCalendarOverride(p.id, by: p.signed.user, client: p.client, at: clock())
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

    func calendarPage(_ s: Signed, year: Int, notice: String? = nil, error: String? = nil, draft: AdminPost? = nil) async throws -> AdminCalendarPage
    {
        let calendar = services.reference.context.calendar
        let stored = try await services.directory.calendarOverrides()
        var overridden: Set<CivilDay> = []
        for o in stored.map(\.override) { for ordinal in o.first.ordinal...o.last.ordinal { overridden.insert(CivilDay(ordinal: ordinal)) } }
        return AdminCalendarPage(
            user: pageUser(s), sections: AdminSection.all(current: WebRoutes.adminCalendar), notice: notice, error: error, year: String(year),
            previousYear: WebRoutes.adminCalendar(year: year - 1), nextYear: WebRoutes.adminCalendar(year: year + 1),
            months: AdminCalendarPage.months(year, calendar, overridden: overridden), periods: AdminCalendarPage.periods(year, calendar),
            overrides: stored.reversed().map { o in
                let v = o.override
                return .init(
                    id: String(o.id), range: "\(v.first) 至 \(v.last)", days: String(v.days), kind: v.kind.chineseName, name: v.name.nonEmpty ?? "—",
                    by: "\(o.createdBy) \(o.createdAt.chinaShort)", removeAction: WebRoutes.adminCalendarOverrideRemoval(String(o.id)))
            },
            start: draft?["start"] ?? "", end: draft?["end"] ?? "", name: draft?["name"] ?? "",
            kinds: AdminCalendarPage.kindOptions(selected: draft?["kind"] ?? CalendarOverride.Kind.holiday.rawValue),
            provisional: calendar.isProvisional(CivilDay(year: year, month: 1, day: 1)!),
            warnings: CalendarWarning.texts(calendar, at: clock()),
            scheduleYear: (draft?["year"]).flatMap { $0.isEmpty ? nil : $0 } ?? String(year), scheduleCSV: draft?["csv"] ?? "",
            loadedSchedules: try await services.directory.calendarSchedules().reversed().map { "\($0.year)年：\($0.loadedBy) 于 \($0.loadedAt.chinaShort) 载入" })
    }
}
