import Foundation
import HTTPTypes
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// 排班 and 人力预测 in the console on both databases: a supervisor edits the week grid and the day's coverage follows;
/// bad cells are named by the form's labels and change nothing; a standby is called in; the staffing page draws its
/// chart; an agent sees only their own shifts; other roles are kept out.
@Suite struct SchedulePageTests {
    let console = ConsoleTests()
    let admin = AdminPageTests()

    @Test(arguments: TestDatabase.available)
    func aSupervisorEditsACellAndTheCoverageFollows(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            let shifts = try await ScheduleAPITests.seed(client, s)
            let sup = try await admin.session(client, "sup1")
            let week = try await console.page(client, WebRoutes.schedules + "?week=2025-03-04", cookie: sup.cookie)
            #expect(week.status == .ok && week.raw.contains("排班表 3月3日–3月9日") && week.raw.contains("一班"))
            #expect(week.raw.contains("name=\"c:agent1:2025-03-04\""), "an editable cell")
            let coverageBefore = try await console.page(client, WebRoutes.scheduleDay + "?day=2025-03-04", cookie: sup.cookie)
            #expect(coverageBefore.raw.contains("当天还没有排班"))

            let saved = try await admin.post(client, WebRoutes.schedules, sup, [
                ("week", "2025-03-03"), ("c:agent1:2025-03-04", "shift:\(shifts.early)"), ("o:agent1:2025-03-04", ""),
                ("c:agent2:2025-03-04", "standby:\(shifts.middle)"), ("o:agent2:2025-03-04", ""),
                ("c:agent3:2025-03-04", ""), ("o:agent3:2025-03-04", ""),
            ])
            #expect(saved.status == .seeOther && saved.headers[.location]?.contains("done=saved") == true, "\(saved.raw)")
            let coverage = try await console.page(client, WebRoutes.scheduleDay + "?day=2025-03-04", cookie: sup.cookie)
            #expect(coverage.raw.contains("<td>08:00–08:30</td><td>—</td><td>1</td><td>1</td><td>0</td>"), "one agent on the phones from 08:00")
            #expect(coverage.raw.contains("<td>12:00–12:30</td><td>—</td><td>0</td><td>1</td><td>1</td>"), "on lunch; the standby waits")
            #expect(coverage.raw.contains("调用话务员二"))
            let entries = try await ScheduleStore(database: s.database).roster(from: CivilDay(iso: "2025-03-04")!, to: CivilDay(iso: "2025-03-04")!)
            #expect(entries.map(\.agentID) == ["agent1", "agent2"] && entries.map(\.kind) == [.shift, .standby])

            // The cell page: two overlapping shifts are refused by the form's label, and nothing changes.
            let overlap = try await admin.post(client, WebRoutes.scheduleCell, sup, [
                ("day", "2025-03-04"), ("agent_id", "agent1"), ("kind", "shift"), ("shift1", String(shifts.early)), ("shift2", String(shifts.middle)),
            ])
            #expect(overlap.status == .badRequest || overlap.status == .unprocessableContent)
            #expect(overlap.raw.contains("班次：早班（08:00–16:00）与中班（10:00–18:00）时间重叠"), "\(overlap.raw)")
            let breakOut = try await admin.post(client, WebRoutes.scheduleCell, sup, [
                ("day", "2025-03-04"), ("agent_id", "agent1"), ("kind", "shift"), ("shift1", String(shifts.early)), ("break1_start", "17:00"),
                ("break1_minutes", "15"),
            ])
            #expect(breakOut.raw.contains("休息：休息17:00起15分钟不在班次时间内"), "\(breakOut.raw)")
            let grid = try await admin.post(client, WebRoutes.schedules, sup, [
                ("week", "2025-03-03"), ("c:nobody:2025-03-04", "rest"), ("o:nobody:2025-03-04", ""),
            ])
            #expect(grid.raw.contains("话务员：") && grid.raw.contains("没有这位话务员"), "\(grid.raw.prefix(3000))")
            #expect(try await ScheduleStore(database: s.database).roster(from: CivilDay(iso: "2025-03-04")!, to: CivilDay(iso: "2025-03-04")!) == entries)

            // Two shifts that follow each other, with this person's own break.
            let split = try await admin.post(client, WebRoutes.scheduleCell, sup, [
                ("day", "2025-03-04"), ("agent_id", "agent1"), ("kind", "shift"), ("shift1", String(shifts.early)), ("shift2", String(shifts.late)),
                ("break1_start", "20:00"), ("break1_minutes", "30"),
            ])
            #expect(split.status == .seeOther, "\(split.raw)")
            let after = try await console.page(client, WebRoutes.schedules + "?week=2025-03-04", cookie: sup.cookie)
            #expect(after.raw.contains("早班 08:00–16:00＋晚班 16:00–24:00"), "the grid keeps a cell its select cannot say")

            // 复制上周: next week gets this week's cells, a week later.
            let copied = try await admin.post(client, WebRoutes.scheduleCopyWeek, sup, [("week", "2025-03-10")])
            #expect(copied.status == .seeOther && copied.headers[.location]?.contains("done=copied") == true, "\(copied.raw)")
            let next = try await ScheduleStore(database: s.database).roster(from: CivilDay(iso: "2025-03-11")!, to: CivilDay(iso: "2025-03-11")!)
            #expect(next.map(\.agentID) == ["agent1", "agent1", "agent2"] && next.map(\.shiftName) == ["早班", "晚班", "中班"])
            #expect(next.last?.kind == .standby && next.last?.calledInAt == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aStandbyIsCalledInFromTheDayPage(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            let shifts = try await ScheduleAPITests.seed(client, s)
            let sup = try await admin.session(client, "sup1")
            _ = try await admin.post(client, WebRoutes.schedules, sup, [
                ("week", "2025-03-03"), ("c:agent2:2025-03-03", "standby:\(shifts.middle)"), ("o:agent2:2025-03-03", ""),
            ])
            let called = try await admin.post(client, WebRoutes.scheduleCallIn, sup, [("day", "2025-03-03"), ("agent_id", "agent2")])
            #expect(called.status == .seeOther, "\(called.raw)")
            let page = try await console.page(client, WebRoutes.scheduleDay + "?day=2025-03-03&done=called", cookie: sup.cookie)
            #expect(page.raw.contains("备班（已调用）") && page.raw.contains("已调用备班"))
            #expect(page.raw.contains("<td>10:30–11:00</td><td>—</td><td>1</td><td>1</td><td>0</td>"), "counted from the call-in at 10:00")
            let again = try await admin.post(client, WebRoutes.scheduleCallIn, sup, [("day", "2025-03-03"), ("agent_id", "agent2")])
            #expect(again.status == .conflict && again.raw.contains("没有待调用的备班"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theStaffingPageDrawsItsChartAndSaysWhenThereIsNoHistory(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            let mgr = try await admin.session(client, "mgr1")
            let empty = try await console.page(client, WebRoutes.staffing, cookie: mgr.cookie)
            #expect(empty.status == .ok && empty.raw.contains("还没有话务历史，无法预测") && empty.raw.contains("value=\"2025-03-04\""))
            let entered = try await console.page(client, WebRoutes.staffing + "?day=2025-03-04&daily_calls=3000&aht=240", cookie: mgr.cookie)
            #expect(entered.raw.contains("<svg class=\"chart staffing-chart\"") && entered.raw.contains("rect class=\"bar\""))
            #expect(entered.raw.contains("rect class=\"gap\""), "nobody is scheduled: every busy interval is short")
            #expect(entered.raw.contains("<tr class=\"short\"><td>10:00</td>"))
            #expect(entered.raw.contains("按输入的预计日话务量"))
            let bad = try await console.page(client, WebRoutes.staffing + "?shrinkage=abc", cookie: mgr.cookie)
            #expect(bad.status == .unprocessableContent && bad.raw.contains("缩减率：应为0到0.9之间的小数"), "\(bad.raw.prefix(2000))")
        }
    }

    @Test(arguments: TestDatabase.available)
    func anAgentSeesTheirOwnShiftsAndOtherRolesAreKeptOut(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            let shifts = try await ScheduleAPITests.seed(client, s)
            _ = try await client.call(.put, APIRoutes.scheduleAssignments, token: TestCity.token("sup1"), ["assignments": [
                ["day": "2025-03-04", "agent_id": "agent1", "kind": "shift", "shift_ids": [shifts.early]],
                ["day": "2025-03-04", "agent_id": "agent2", "kind": "shift", "shift_ids": [shifts.late]],
            ]])
            let agent = try await admin.session(client, "agent1")
            let mine = try await console.page(client, WebRoutes.schedules + "?week=2025-03-04", cookie: agent.cookie)
            #expect(mine.status == .ok && mine.raw.contains("我的排班") && mine.raw.contains("早班 08:00–16:00（休息12:00起30分钟）"))
            #expect(!mine.raw.contains("话务员二") && !mine.raw.contains("<select"), "only their own row, read only")
            #expect(try await console.page(client, WebRoutes.staffing, cookie: agent.cookie).status == .forbidden)
            let myDay = try await console.page(client, WebRoutes.scheduleDay + "?day=2025-03-04", cookie: agent.cookie)
            #expect(myDay.status == .ok && myDay.raw.contains("08:00–16:00") && !myDay.raw.contains("话务员二") && !myDay.raw.contains("各时段覆盖"))
            #expect(try await console.page(client, WebRoutes.scheduleCell + "?day=2025-03-04&agent=agent1", cookie: agent.cookie).status == .forbidden)
            let forged = try await admin.post(client, WebRoutes.schedules, agent, [("week", "2025-03-03"), ("c:agent1:2025-03-04", "rest"), ("o:agent1:2025-03-04", "")])
            #expect(forged.status == .forbidden)

            let mgr = try await admin.session(client, "mgr1")
            let read = try await console.page(client, WebRoutes.schedules + "?week=2025-03-04", cookie: mgr.cookie)
            #expect(read.status == .ok && read.raw.contains("话务员二") && !read.raw.contains("<select"), "managers read the roster")
            for user in ["disp1", "east1", "cb1", "qi1"] {
                let other = try await admin.session(client, user)
                #expect(try await console.page(client, WebRoutes.schedules, cookie: other.cookie).status == .forbidden, "\(user)")
                #expect(try await console.page(client, WebRoutes.staffing, cookie: other.cookie).status == .forbidden, "\(user)")
                #expect(try await console.page(client, WebRoutes.scheduleDay, cookie: other.cookie).status == .forbidden, "\(user)")
                #expect(try await console.page(client, WebRoutes.scheduleSetup, cookie: other.cookie).status == .forbidden, "\(user)")
            }
            // The setup page: a team of an agent already in 一班 is refused by name.
            let sup = try await admin.session(client, "sup1")
            let team = try await admin.post(client, WebRoutes.scheduleTeams, sup, [("name", "二班"), ("member:agent2", "1")])
            #expect(team.raw.contains("成员：话务员“话务员二”已在“一班”班组，一人只能在一个班组"), "\(team.raw.prefix(3000))")
            let shift = try await admin.post(client, WebRoutes.scheduleShifts, sup, [("name", "夜班"), ("start", "00:00"), ("end", "08:00")])
            #expect(shift.status == .seeOther)
            #expect(try await ScheduleStore(database: s.database).shifts().map(\.name) == ["夜班", "早班", "中班", "晚班"])
        }
    }
}

@Suite struct ScheduleSnapshotTests {
    @Test func scheduleAndStaffingPagesMatchTheirSnapshots() throws {
        let snapshots = PageSnapshotTests()
        let renderer = try PageRenderer()
        try snapshots.check("staffing", try renderer.html("staffing", StaffingPage.fixture))
        try snapshots.check("schedules", try renderer.html("schedules", ScheduleWeekPage.fixture))
        try snapshots.check("schedule-day", try renderer.html("schedule-day", ScheduleDayPage.fixture))
        try snapshots.check("schedule-cell", try renderer.html("schedule-cell", ScheduleCellPage.fixture))
        try snapshots.check("schedule-setup", try renderer.html("schedule-setup", ScheduleSetupPage.fixture))
    }
}
