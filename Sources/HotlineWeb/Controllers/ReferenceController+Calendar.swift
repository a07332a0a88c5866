import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Overrides of the working-day calendar (工作日历调整): local holidays or working days an admin adds on top of the
/// official schedule, through ``Administration``; the console's calendar page calls the same use cases.
extension ReferenceController {
    /// What loading an official schedule did.
    struct LoadedView: Encodable {
        var year: Int
        var holidays: Int
        var workdays: Int
        var calendarWarnings: [String]
    }

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

    /// One loaded official schedule as the API shows it.
    struct ScheduleView: Encodable {
        var year: Int
        var loadedAt: Date
        var loadedBy: String
        var csv: String
    }

    func registerCalendarOverrides(on router: Router<AppRequestContext>) {
        let referenceReadRoutes = router.scoped(.referenceRead, by: actors)
        let adminRoutes = router.scoped(.admin, by: actors)
        referenceReadRoutes.get(RouterPath(APIRoutes.calendarOverrides)) { request, context in
            _ = try context.user()
            return try APIJSON.response(["items": try await directory.calendarOverrides().map(OverrideView.init)])
        }
        adminRoutes.post(RouterPath(APIRoutes.calendarOverrides)) { request, context in
            let user = try context.require(.manageTimeLimits)
            let input = try await request.decode(as: AdminInput.CalendarOverrideInput.self, context: context)
            try await administration.addCalendarOverride(input, by: user, client: clients.of(request, context), at: clock())
            return try APIJSON.response(["items": try await directory.calendarOverrides().map(OverrideView.init)], status: .created)
        }
        referenceReadRoutes.get(RouterPath(APIRoutes.calendarSchedules)) { request, context in
            _ = try context.user()
            let loaded = try await directory.calendarSchedules().map { ScheduleView(year: $0.year, loadedAt: $0.loadedAt, loadedBy: $0.loadedBy, csv: $0.csv) }
            return try APIJSON.response(["items": loaded])
        }
        // 载入国务院放假安排: `{"year": 2027, "csv": "..."}`; the year stops being provisional.
        adminRoutes.post(RouterPath(APIRoutes.calendarSchedules)) { request, context in
            let user = try context.require(.manageTimeLimits)
            let input = try await request.decode(as: AdminInput.CalendarScheduleInput.self, context: context)
            let loaded = try await administration.loadCalendarSchedule(input, by: user, client: clients.of(request, context), at: clock())
            return try APIJSON.response(
                LoadedView(year: loaded.year, holidays: loaded.holidays, workdays: loaded.workdays,
                           calendarWarnings: CalendarWarning.texts(reference.context.calendar, at: clock())), status: .created)
        }
        adminRoutes.delete(RouterPath(APIRoutes.calendarOverride(":id"))) { request, context in
            let user = try context.require(.manageTimeLimits)
            let id = context.parameters.get("id") ?? ""
            try await administration.removeCalendarOverride(id, by: user, client: clients.of(request, context), at: clock())
            return try APIJSON.response(["items": try await directory.calendarOverrides().map(OverrideView.init)])
        }
    }
}
