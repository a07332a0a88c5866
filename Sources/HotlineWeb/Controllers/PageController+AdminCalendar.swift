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
        // 载入国务院放假安排: the CSV of one year, uploaded as a file or pasted, as the API takes it.
        router.post(RouterPath(WebRoutes.adminCalendarSchedule)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login) }
            var form: [String: String]
            do {
                form = try await scheduleForm(request, s)
            } catch let e as APIError where e.status != .forbidden && e.status != .notFound {
                return try pages.response(
                    "admin-calendar", try await calendarPage(s, year: CivilDay(containing: clock()).year, error: "载入失败：" + Self.adminMessage(e)),
                    status: e.status)
            }
            let client = auth.clients.of(request, context)
            do {
                let loaded = try await app.admin.loadCalendarSchedule(
                    AdminInput.CalendarScheduleInput(year: Int((form["year"] ?? "").trimmingCharacters(in: .whitespaces)), csv: form["csv"] ?? ""),
                    by: s.user, client: client, at: clock())
                return redirect(WebRoutes.adminCalendar(year: loaded.year) + "&done=schedule_loaded")
            } catch {
                let e = APIError.from(error)
                guard e.status != .notFound else { throw e }
                if form["_uploaded"] != nil { form["csv"] = "" }
                let year = Int((form["year"] ?? "").trimmingCharacters(in: .whitespaces)).flatMap { (1990...2100).contains($0) ? $0 : nil }
                    ?? CivilDay(containing: clock()).year
                let draft = AdminPost(signed: s, form: form, id: "", client: client)
                return try pages.response(
                    "admin-calendar", try await calendarPage(s, year: year, error: Self.adminMessage(e), draft: draft), status: e.status)
            }
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

    /// The schedule form's fields after the CSRF and capability checks: a multipart form (its token in the URL, checked
    /// before the body is read) whose CSV file, when one is chosen, stands in for the pasted text (`_uploaded` set), or an
    /// ordinary form with the pasted text.
    func scheduleForm(_ request: Request, _ s: Signed) async throws -> [String: String] {
        guard MultipartForm.boundary(of: request.headers[.contentType]) != nil else {
            let form = try await decodeFields(request)
            guard SessionCookie.formIsSameSite(request, sessionToken: s.token, formToken: form["_csrf"]) else { throw APIError.csrfFailed }
            try require(.manageTimeLimits, s)
            return form
        }
        guard SessionCookie.formIsSameSite(request, sessionToken: s.token, formToken: request.uri.queryParameters.get("_csrf")) else {
            throw APIError.csrfFailed
        }
        try require(.manageTimeLimits, s)
        let multipart = try await MultipartForm.read(request)
        var form = multipart.fields
        if let file = multipart.files.first(where: { $0.field == "file" && !$0.data.isEmpty }) {
            guard var text = String(data: file.data, encoding: .utf8) else {
                throw APIError.invalid("file", "文件不是UTF-8编码，请在表格软件中另存为「CSV UTF-8」格式后再上传")
            }
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            form["csv"] = text
            form["_uploaded"] = file.filename
        }
        return form
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
