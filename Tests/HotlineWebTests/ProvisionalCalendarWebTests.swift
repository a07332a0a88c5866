import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// The provisional calendar (临时日历) through the API and the console: deadlines in a year without an official schedule
/// say so, admins are warned from 1 November of the preceding year, and loading the State Council's schedule ends both.
@Suite struct ProvisionalCalendarWebTests {
    let pages = AdminPageTests()

    /// 2026-11-02 09:00, a Monday: 2027 has no official schedule yet and the warning window has begun.
    static let november = CivilDay(iso: "2026-11-02")!.at(minutes: 9 * 60)

    /// A made-up official schedule for 2027 in the data files' format.
    static let official2027 = """
        # 国务院办公厅关于2027年部分节假日安排的通知 (test data)
        start,end,kind,name
        2027-01-01,2027-01-03,holiday,元旦
        2027-02-05,2027-02-12,holiday,春节
        2027-02-20,2027-02-20,workday,春节调休
        """

    static let acrossSpringFestival = APIRoutes.calendarDeadline + "?start=2027-02-04T10:00:00%2B08:00&working_days=3"

    @Test(arguments: TestDatabase.available)
    func provisionalDeadlinesUntilTheAdminLoadsTheOfficialSchedule(db: TestDatabase) async throws {
        // API keys are valid around TestCity.monday: the clock moves to November only for the (open) health check.
        try await withAPI(db, clock: TestClock()) { client, services, clock in
            @Sendable func healthInNovember() async throws -> APIReply {
                let jump = Self.november.timeIntervalSince(clock.now)
                clock.advance(jump)
                defer { clock.advance(-jump) }
                return try await client.call(.get, APIRoutes.health)
            }
            let health = try await healthInNovember()
            #expect(health.status == .ok)
            let warnings = try #require(health["calendar_warnings"] as? [String])
            #expect(warnings.count == 1 && warnings[0].hasPrefix("2027年的国务院放假安排尚未载入"), "\(health.raw)")

            let deadline = try await client.call(.get, Self.acrossSpringFestival, as: "disp1")
            #expect(deadline["deadline"] as? String == "2027-02-11T23:59:59+08:00", "除夕 to 初三 skipped")
            #expect(deadline["provisional"] as? Bool == true)
            let inOfficialYear = try await client.call(.get, APIRoutes.calendarDeadline + "?start=2026-03-02T10:00:00%2B08:00&working_days=1", as: "disp1")
            #expect(inOfficialYear["provisional"] as? Bool == false)
            let days = try await client.call(.get, APIRoutes.calendarWorkdays + "?from=2027-02-04&to=2027-02-10", as: "disp1")
            #expect(days["days"] as? [String] == ["2027-02-04", "2027-02-09", "2027-02-10"])
            #expect(days["provisional"] as? Bool == true)

            let body = { (year: Any, csv: String) -> String in
                String(decoding: try JSONSerialization.data(withJSONObject: ["year": year, "csv": csv]), as: UTF8.self)
            }
            for user in ["disp1", "agent1", "sup1"] {
                #expect(try await client.call(.post, APIRoutes.calendarSchedules, as: user, json: try body(2027, Self.official2027)).status == .forbidden)
            }
            let refusals: [(String, String, String)] = [
                (try body(1800, Self.official2027), "year", "年份应为"),
                (try body(2027, ""), "csv", "请上传或粘贴放假安排CSV"),
                (try body(2027, "start,end,kind,name\n2027-02-05,2027-02-12,holidays,春节"), "csv", "放假安排CSV第2行无法识别"),
                (try body(2027, "2029-02-05,2029-02-06,holiday,春节"), "csv", "不属于2027年"),
                (try body(2027, "2026-12-31,2026-12-31,holiday,元旦"), "csv", "没有2027年的放假日期"),
            ]
            for (json, field, message) in refusals {
                let refused = try await client.call(.post, APIRoutes.calendarSchedules, as: "admin1", json: json)
                #expect(refused.status == .unprocessableContent, "\(json)")
                #expect(refused.raw.contains(message) && refused.raw.contains("\"\(field)\""), "\(refused.raw)")
            }
            #expect(try await services.directory.calendarSchedules().isEmpty, "nothing stored by a refusal")
            #expect(try await client.call(.get, Self.acrossSpringFestival, as: "disp1")["provisional"] as? Bool == true)

            let loaded = try await client.call(.post, APIRoutes.calendarSchedules, as: "admin1", json: try body(2027, Self.official2027))
            #expect(loaded.status == .created, "\(loaded.raw)")
            #expect(loaded["year"] as? Int == 2027 && loaded["holidays"] as? Int == 11 && loaded["workdays"] as? Int == 1)

            let official = try await client.call(.get, Self.acrossSpringFestival, as: "disp1")
            #expect(official["deadline"] as? String == "2027-02-17T23:59:59+08:00", "the official eight days off")
            #expect(official["provisional"] as? Bool == false)
            #expect((try await healthInNovember()["calendar_warnings"] as? [String])?.isEmpty == true)
            let listed = try await client.call(.get, APIRoutes.calendarSchedules, as: "disp1")
            #expect((listed["items"] as? [[String: Any]])?.first?["year"] as? Int == 2027)
            #expect(try await services.audit.list(AdminPageTests.audit(.calendarChanged), page: 1, size: 10).count == 1)

            // Loading again replaces the year's schedule rather than adding to it.
            let again = try await client.call(.post, APIRoutes.calendarSchedules, as: "admin1",
                                              json: try body(2027, "2027-02-05,2027-02-11,holiday,春节"))
            #expect(again.status == .created)
            #expect(try await services.directory.calendarSchedules().count == 1)
            #expect(services.reference.context.calendar.isWorkingDay(CivilDay(iso: "2027-02-12")!))
            #expect(try await client.call(.get, Self.acrossSpringFestival, as: "disp1")["deadline"] as? String == "2027-02-16T23:59:59+08:00")
        }
    }

    @Test(arguments: TestDatabase.available)
    func noWarningBeforeFirstNovember(db: TestDatabase) async throws {
        try await withAPI(db, now: CivilDay(iso: "2026-10-31")!.at(minutes: 23 * 60 + 59)) { client, _ in
            let health = try await client.call(.get, APIRoutes.health)
            #expect((health["calendar_warnings"] as? [String])?.isEmpty == true)
        }
        try await withAPI(db, now: CivilDay(iso: "2026-11-01")!.at(minutes: 0)) { client, _ in
            let health = try await client.call(.get, APIRoutes.health)
            #expect((health["calendar_warnings"] as? [String])?.count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAdminIsWarnedAtHomeAndLoadsTheScheduleOnTheCalendarPage(db: TestDatabase) async throws {
        try await withAPI(db, now: Self.november) { client, services in
            let admin = try await pages.session(client, "admin1")
            let home = try await pages.console.page(client, WebRoutes.home, cookie: admin.cookie)
            #expect(home.raw.contains("2027年的国务院放假安排尚未载入") && home.raw.contains("前往工作日历"), "admins are warned")
            let agent = try await pages.console.logIn(client, "agent1")
            #expect(!(try await pages.console.page(client, WebRoutes.home, cookie: agent).raw.contains("放假安排尚未载入")), "others are not")

            let year = try await pages.console.page(client, WebRoutes.adminCalendar(year: 2027), cookie: admin.cookie)
            #expect(year.raw.contains("<td class=\"holiday\" title=\"2027-02-05 春节（放假，临时）\">5</td>"))
            #expect(year.raw.contains("2027年的国务院放假安排尚未载入：以上为法定节假日（临时）"))
            #expect(year.raw.contains("载入国务院放假安排"))

            let bad = try await pages.post(client, WebRoutes.adminCalendarSchedule, admin, [("year", "2027"), ("csv", "2027-02-05,2027-02-40,holiday,春节")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.raw.contains("role=\"alert\">") && bad.raw.contains("放假安排CSV第1行无法识别"), "\(bad.raw.prefix(0))")
            #expect(bad.raw.contains("2027-02-05,2027-02-40,holiday,春节</textarea>"), "the draft is kept")
            let noYear = try await pages.post(client, WebRoutes.adminCalendarSchedule, admin, [("year", "明年"), ("csv", Self.official2027)])
            #expect(noYear.status == .unprocessableContent && noYear.raw.contains("年份应为2000到2100之间的整数"))
            #expect(try await services.directory.calendarSchedules().isEmpty)

            let dispatcher = try await pages.session(client, "disp1")
            let forbidden = try await pages.post(client, WebRoutes.adminCalendarSchedule, dispatcher, [("year", "2027"), ("csv", Self.official2027)])
            #expect(forbidden.status == .forbidden)
            #expect(try await services.directory.calendarSchedules().isEmpty)

            let loaded = try await pages.post(client, WebRoutes.adminCalendarSchedule, admin, [("year", "2027"), ("csv", Self.official2027)])
            #expect(loaded.status == .seeOther && loaded.headers[.location] == WebRoutes.adminCalendar(year: 2027) + "&done=schedule_loaded")
            let after = try await pages.console.page(client, WebRoutes.adminCalendar(year: 2027) + "&done=schedule_loaded", cookie: admin.cookie)
            #expect(after.raw.contains("已载入国务院放假安排"))
            #expect(after.raw.contains("<td class=\"holiday\" title=\"2027-02-12 春节（放假）\">12</td>"))
            #expect(!after.raw.contains("（放假，临时）") && after.raw.contains("2027年：admin1 于 2026-11-02 09:00 载入"))
            #expect(!(try await pages.console.page(client, WebRoutes.home, cookie: admin.cookie).raw.contains("放假安排尚未载入")), "the warning is gone")
        }
    }
}
