import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Testing

@Suite struct CalendarOverrideStoreTests {
    func audit(_ detail: String = "") -> AuditEntry {
        AuditEntry(at: TestCity.monday, actor: TestCity.actor("admin1"), action: .calendarChanged, target: "calendar", detail: detail)
    }

    @Test(arguments: TestDatabase.available)
    func overridesAreStoredAuditedAndMergedWhenReferenceDataReloads(db: TestDatabase) async throws {
        try await db.withServices { s in
            let tuesday = CivilDay(iso: "2025-03-04")!
            #expect(s.reference.context.calendar.isWorkingDay(tuesday))
            try await s.directory.addCalendarOverride(
                try CalendarOverride(start: "2025-03-04", end: "2025-03-05", kind: "holiday", name: "抗洪放假"), by: TestCity.actor("admin1"),
                at: TestCity.monday, audit: audit("added"))
            #expect(s.reference.context.calendar.isWorkingDay(tuesday), "not before a reload")
            try await s.reference.reload()
            #expect(!s.reference.context.calendar.isWorkingDay(tuesday))
            #expect(s.reference.context.calendar.deadline(from: TestCity.monday, workingDays: 1).chinaISO8601 == "2025-03-06T23:59:59+08:00")

            let stored = try await s.directory.calendarOverrides()
            #expect(stored.count == 1 && stored[0].createdBy == "admin1" && stored[0].override.name == "抗洪放假")
            let removed = try await s.directory.removeCalendarOverride(stored[0].id, audit: audit())
            #expect(removed?.override.days == 2)
            #expect(try await s.directory.removeCalendarOverride(stored[0].id, audit: audit()) == nil)
            try await s.reference.reload()
            #expect(s.reference.context.calendar.isWorkingDay(tuesday), "the bundled calendar again")
            var filter = AuditFilter()
            filter.action = .calendarChanged
            let lines = try await s.audit.list(filter, page: 1, size: 10)
            #expect(lines.count == 2)
            #expect(lines.contains { $0.detail == "removed 2025-03-04..2025-03-05 holiday 抗洪放假" })
        }
    }
}
