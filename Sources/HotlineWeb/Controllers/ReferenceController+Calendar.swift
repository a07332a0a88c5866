import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Overrides of the working-day calendar (工作日历调整): local holidays or working days an admin adds on top of the
/// official schedule, through ``Administration``; the console's calendar page calls the same use cases.
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
        adminRoutes.delete(RouterPath(APIRoutes.calendarOverride(":id"))) { request, context in
            let user = try context.require(.manageTimeLimits)
            let id = context.parameters.get("id") ?? ""
            try await administration.removeCalendarOverride(id, by: user, client: clients.of(request, context), at: clock())
            return try APIJSON.response(["items": try await directory.calendarOverrides().map(OverrideView.init)])
        }
    }
}
