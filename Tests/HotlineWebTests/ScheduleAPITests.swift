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

/// 排班 and 人力预测 through `/api/v1/schedules/...` and `/api/v1/staffing` on both databases: teams, shifts, cells,
/// copy-week and call-in as supervisors keep them; bad input refused by field with nothing stored; the staffing rows
/// checked against ``StaffingPlan`` itself; who may read and write.
@Suite struct ScheduleAPITests {
    /// Two more agents besides `agent1`, the three demo shifts, and 一班 of agent1 and agent2.
    static func seed(_ client: any TestClientProtocol, _ s: HotlineServices) async throws -> (early: Int, middle: Int, late: Int) {
        try await s.directory.addUsers([
            UserAccount(id: "agent2", displayName: "话务员二", role: .agent, unitID: "centre"),
            UserAccount(id: "agent3", displayName: "话务员三", role: .agent, unitID: "centre"),
        ])
        var ids: [Int] = []
        for (name, start, end, breaks) in [
            ("早班", "08:00", "16:00", [["start": "12:00", "minutes": 30]]), ("中班", "10:00", "18:00", []), ("晚班", "16:00", "24:00", []),
        ] {
            let r = try await client.post(APIRoutes.scheduleShifts, as: "sup1", ["name": name, "start": start, "end": end, "breaks": breaks])
            try #require(r.status == .created, "\(r.raw)")
            ids.append(try #require(r["id"] as? Int))
        }
        let team = try await client.post(APIRoutes.scheduleTeams, as: "sup1", ["name": "一班", "leader_id": "agent1", "members": ["agent1", "agent2"]])
        try #require(team.status == .created, "\(team.raw)")
        return (ids[0], ids[1], ids[2])
    }

    /// 20 calls from `minute` on each of the days `days` before 2025-03-04, each handled in 150 s talk and 30 s after-call work.
    static func calls(_ s: HotlineServices, days: ClosedRange<Int>, minute: Int, tag: String = "h") async throws {
        var events: [CallEvent] = []
        for offset in days {
            let day = CivilDay(iso: "2025-03-04")!.adding(days: -offset)
            for n in 0..<20 {
                let at = day.at(minutes: minute + n), call = "\(tag)-\(offset)-\(n)"
                events.append(CallEvent(id: call + "-o", at: at, callID: call, kind: .offered(caller: "13900000000", queue: "综合", ivr: nil)))
                events.append(CallEvent(id: call + "-e", at: at.addingTimeInterval(200), callID: call,
                                        kind: .ended(waitSeconds: 5, talkSeconds: 150, afterCallSeconds: 30)))
            }
        }
        _ = try await CallCentreStore(database: s.database).ingest(events, at: TestCity.monday)
    }

    @Test(arguments: TestDatabase.available)
    func theForecastReadsItsHistoryAgainAfterTenMinutes(db: TestDatabase) async throws {
        try await withAPI(db) { _, s in
            try await Self.calls(s, days: 2...8, minute: 600)
            let desk = StaffingDesk(services: s, cache: CallHistoryCache())
            let manager = try #require(TestCity.users.first { $0.id == "mgr1" })
            let first = try await desk.staffing(.init(day: "2025-03-04"), for: manager, at: TestCity.monday)
            #expect(first.staffing.rows[30].forecastCalls == 0)
            // Calls at 15:00 on the Tuesday before: the forecast keeps its history for ten minutes, then reads it again.
            try await Self.calls(s, days: 7...7, minute: 900, tag: "late")
            let kept = try await desk.staffing(.init(day: "2025-03-04"), for: manager, at: TestCity.monday.addingTimeInterval(60))
            #expect(kept.staffing.rows[30].forecastCalls == 0)
            let fresh = try await desk.staffing(.init(day: "2025-03-04"), for: manager, at: TestCity.monday.addingTimeInterval(CallHistoryCache.lifetime + 1))
            #expect(fresh.staffing.rows[30].forecastCalls > 5)
        }
    }

    func put(_ client: any TestClientProtocol, as user: String = "sup1", _ body: [String: Any]) async throws -> APIReply {
        try await client.call(.put, APIRoutes.scheduleAssignments, token: TestCity.token(user), body)
    }

    func roster(_ client: any TestClientProtocol, as user: String = "sup1") async throws -> APIReply {
        try await client.call(.get, APIRoutes.scheduleRoster + "?week=2025-03-04", as: user)
    }

    @Test(arguments: TestDatabase.available)
    func supervisorsKeepTeamsShiftsAndTheRoster(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            let shifts = try await Self.seed(client, s)
            let teams = try await client.call(.get, APIRoutes.scheduleTeams, as: "mgr1")
            #expect(teams.items.map { $0["name"] as? String } == ["一班"] && teams.items.first?["members"] as? [String] == ["agent1", "agent2"])
            #expect(try await ScheduleStore(database: s.database).team(of: "agent2")?.name == "一班")
            #expect(try await ScheduleStore(database: s.database).team(of: "agent3") == nil)

            let saved = try await put(client, ["assignments": [
                ["day": "2025-03-04", "agent_id": "agent1", "kind": "shift", "shift_ids": [shifts.early]],
                ["day": "2025-03-04", "agent_id": "agent2", "kind": "standby", "shift_ids": [shifts.middle]],
                ["day": "2025-03-04", "agent_id": "agent3", "kind": "shift", "shift_ids": [shifts.early, shifts.late],
                 "breaks": [["start": "10:00", "minutes": 15], ["start": "20:00", "minutes": 30]]],
                ["day": "2025-03-05", "agent_id": "agent1", "kind": "rest"],
            ]])
            #expect(saved.status == .ok, "\(saved.raw)")
            let entries = try await roster(client).json["entries"] as? [[String: Any]] ?? []
            #expect(entries.count == 5)
            let split = entries.filter { $0["agent_id"] as? String == "agent3" }
            #expect(split.map { $0["shift_name"] as? String } == ["早班", "晚班"])
            #expect((split[0]["breaks"] as? [[String: Any]])?.first?["start"] as? String == "10:00", "the person's own breaks replace the shift's")
            #expect((split[1]["breaks"] as? [[String: Any]])?.first?["start"] as? String == "20:00")

            // Coverage at 12:00 on the 4th: agent1 on lunch, agent3 whole, agent2 on standby.
            let day = try await client.call(.get, APIRoutes.scheduleCoverage + "?day=2025-03-04", as: "sup1")
            let noon = try #require((day.json["intervals"] as? [[String: Any]])?[24])
            #expect(noon["scheduled_agents"] as? Double == 1 && noon["rostered_agents"] as? Int == 2 && noon["standby_agents"] as? Int == 1)

            // Copy the week onto the next; the copy is the same cells a week later.
            let copied = try await client.call(.post, APIRoutes.scheduleCopyWeek, token: TestCity.token("admin1"), ["from": "2025-03-03", "to": "2025-03-12"])
            #expect(copied.status == .ok && copied["entries"] as? Int == 5, "\(copied.raw)")
            let next = try await client.call(.get, APIRoutes.scheduleRoster + "?week=2025-03-10", as: "sup1").json["entries"] as? [[String: Any]] ?? []
            #expect(next.compactMap { $0["day"] as? String }.sorted() == ["2025-03-11", "2025-03-11", "2025-03-11", "2025-03-11", "2025-03-12"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func badCellsAreRefusedByFieldAndNothingIsStored(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            let shifts = try await Self.seed(client, s)
            let first = try await put(client, ["day": "2025-03-04", "agent_id": "agent1", "kind": "shift", "shift_ids": [shifts.early]])
            #expect(first.status == .ok)
            let before = try await roster(client).raw
            let audits = try await s.audit.list(AuditFilter(), page: 1, size: 1000).count
            let refusals: [([String: Any], String, String)] = [
                (["day": "2025-03-04", "agent_id": "agent1", "kind": "shift", "shift_ids": [shifts.early, shifts.middle]], "shift_ids", "时间重叠"),
                (["day": "2025-03-04", "agent_id": "nobody", "kind": "rest"], "agent_id", "没有这位话务员"),
                (["day": "2025-03-04", "agent_id": "disp1", "kind": "rest"], "agent_id", "没有这位话务员"),
                (["day": "2025-03-04", "agent_id": "agent1", "kind": "shift", "shift_ids": [shifts.early], "breaks": [["start": "17:00", "minutes": 15]]],
                 "breaks", "不在班次时间内"),
                (["day": "2025-03-04", "agent_id": "agent1", "kind": "shift", "shift_ids": [999]], "shift_ids", "班次不存在"),
                (["day": "2025-3-4", "agent_id": "agent1", "kind": "rest"], "day", "日期"),
                (["day": "2025-03-04", "agent_id": "agent1", "kind": "holiday"], "kind", "应为"),
                // One bad cell among good ones refuses them all.
                (["assignments": [["day": "2025-03-06", "agent_id": "agent2", "kind": "rest"],
                                  ["day": "2025-03-04", "agent_id": "agent1", "kind": "standby", "shift_ids": [shifts.early, shifts.late]]]],
                 "shift_ids", "话务员一"),
            ]
            for (body, field, words) in refusals {
                let r = try await put(client, body)
                #expect(r.status == .badRequest || r.status == .unprocessableContent, "\(body): \(r.raw)")
                #expect(r.errorField == field && (r.errorMessage ?? "").contains(words), "\(body): \(r.raw)")
            }
            #expect(try await roster(client).raw == before, "refused cells change nothing")
            #expect(try await s.audit.list(AuditFilter(), page: 1, size: 1000).count == audits, "and write no audit line")

            let overlapTeam = try await client.post(APIRoutes.scheduleTeams, as: "sup1", ["name": "二班", "members": ["agent2", "agent3"]])
            #expect(overlapTeam.errorField == "members" && (overlapTeam.errorMessage ?? "").contains("话务员二"), "\(overlapTeam.raw)")
            let sameName = try await client.post(APIRoutes.scheduleTeams, as: "sup1", ["name": "一班", "members": ["agent3"]])
            #expect(sameName.errorField == "name", "\(sameName.raw)")
            let longName = try await client.post(APIRoutes.scheduleTeams, as: "sup1", ["name": String(repeating: "班", count: 21), "members": ["agent3"]])
            #expect(longName.errorField == "name" && (longName.errorMessage ?? "").contains("不能超过20字"), "\(longName.raw)")
            let badShift = try await client.post(APIRoutes.scheduleShifts, as: "sup1", ["name": "夜班", "start": "22:00", "end": "06:00"])
            #expect(badShift.errorField == "end", "\(badShift.raw)")
            let breakOut = try await client.post(APIRoutes.scheduleShifts, as: "sup1",
                                                 ["name": "夜班", "start": "00:00", "end": "08:00", "breaks": [["start": "08:00", "minutes": 15]]])
            #expect(breakOut.errorField == "breaks", "\(breakOut.raw)")
            #expect(try await client.call(.get, APIRoutes.scheduleShifts, as: "sup1").items.count == 3)
            #expect(try await client.call(.get, APIRoutes.scheduleTeams, as: "sup1").items.count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aStandbyCalledInCountsFromThen(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            let shifts = try await Self.seed(client, s)
            // Monday 2025-03-03 10:00 is the test clock: agent2 stands by for 中班 today.
            _ = try await put(client, ["day": "2025-03-03", "agent_id": "agent2", "kind": "standby", "shift_ids": [shifts.middle]])
            func at(_ i: Int) async throws -> Double? {
                let r = try await client.call(.get, APIRoutes.scheduleCoverage + "?day=2025-03-03", as: "sup1")
                return (r.json["intervals"] as? [[String: Any]])?[i]["scheduled_agents"] as? Double
            }
            #expect(try await at(22) == 0)
            let screenBefore = try await client.call(.get, APIRoutes.screen, as: "sup1")
            #expect(screenBefore["standby"] as? [String] == ["话务员二"] && (screenBefore["on_shift"] as? [Any])?.isEmpty == true)

            let called = try await client.call(.post, APIRoutes.scheduleCallIn, token: TestCity.token("sup1"), ["day": "2025-03-03", "agent_id": "agent2"])
            #expect(called.status == .ok, "\(called.raw)")
            let ten = try await at(20), eleven = try await at(22)
            #expect(ten == 1 && eleven == 1)
            let screen = try await client.call(.get, APIRoutes.screen, as: "sup1")
            let onShift = try #require(screen["on_shift"] as? [[String: Any]])
            #expect(onShift.first?["team"] as? String == "一班" && onShift.first?["agents"] as? [String] == ["话务员二"])
            #expect(screen["standby"] as? [String] == [])

            let again = try await client.call(.post, APIRoutes.scheduleCallIn, token: TestCity.token("sup1"), ["day": "2025-03-03", "agent_id": "agent2"])
            #expect(again.status == .conflict && (again.errorMessage ?? "").contains("没有待调用的备班"), "\(again.raw)")
            let none = try await client.call(.post, APIRoutes.scheduleCallIn, token: TestCity.token("sup1"), ["day": "2025-03-03", "agent_id": "agent3"])
            #expect(none.status == .conflict)
            #expect(try await client.call(.post, APIRoutes.scheduleCallIn, token: TestCity.token("mgr1"), ["day": "2025-03-03", "agent_id": "agent2"]).status
                == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func staffingRowsAreTheErlangCPlanOfTheForecastWithTheRoster(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            let shifts = try await Self.seed(client, s)
            _ = try await put(client, ["assignments": ["agent1", "agent2", "agent3"].map {
                ["day": "2025-03-04", "agent_id": $0, "kind": "shift", "shift_ids": [shifts.middle]] as [String: Any]
            }])
            // No calls recorded: nothing to forecast from, the page asks for the day's calls.
            let empty = try await client.call(.get, APIRoutes.staffing + "?day=2025-03-04", as: "mgr1")
            #expect(empty.status == .ok && empty["source"] as? String == "none" && empty["forecast_calls"] as? Double == 0, "\(empty.raw)")

            let r = try await client.call(.get, APIRoutes.staffing + "?day=2025-03-04&daily_calls=3000&aht=240&service_level=0.8&answer_seconds=20&shrinkage=0.3", as: "sup1")
            #expect(r.status == .ok && r["source"] as? String == "entered", "\(r.raw)")
            let rows = try #require(r["rows"] as? [[String: Any]])
            let calls = StaffingDay.typicalDay(dailyCalls: 3000)
            let plan = try StaffingPlan(calls: calls, averageHandleSeconds: 240, target: ServiceTarget(serviceLevel: 0.8, answerSeconds: 20, shrinkage: 0.3))
            #expect(rows.count == 48)
            for (row, expected) in zip(rows, plan.rows) {
                #expect(row["agents"] as? Int == expected.requirement.agents && row["required_scheduled_agents"] as? Int == expected.requirement.scheduledAgents)
            }
            #expect(rows[20]["start"] as? String == "10:00" && rows[20]["scheduled_agents"] as? Double == 3 && rows[20]["rostered_agents"] as? Int == 3)
            #expect(rows[20]["short"] as? Bool == true && rows[4]["short"] as? Bool == true, "calls at 02:00 and nobody on the phones")
            let simulated = try #require(rows[20]["simulated_service_level"] as? Double)
            #expect(simulated < 0.2, "3 agents for a peak half hour: most calls wait")

            // Calls in the history of the week before today: the forecast learns from them (today's calls are not history yet).
            try await Self.calls(s, days: 2...8, minute: 600)
            let learned = try await client.call(.get, APIRoutes.staffing + "?day=2025-03-04", as: "admin1")
            #expect(learned["source"] as? String == "history" && learned["history_days"] as? Int == 7, "\(learned.raw)")
            #expect(learned["average_handle_seconds"] as? Double == 180)
            let learnedRows = try #require(learned["rows"] as? [[String: Any]])
            #expect((learnedRows[20]["forecast_calls"] as? Double ?? 0) > 10, "the calls came at 10:00")
            #expect(learnedRows[30]["forecast_calls"] as? Double == 0)

            let bad = try await client.call(.get, APIRoutes.staffing + "?day=2025-03-04&shrinkage=1.5", as: "mgr1")
            #expect(bad.errorField == "shrinkage", "\(bad.raw)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func anAgentSeesOnlyTheirOwnShiftsAndOthersAreKeptOut(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            let shifts = try await Self.seed(client, s)
            _ = try await put(client, ["assignments": ["agent1", "agent2"].map {
                ["day": "2025-03-04", "agent_id": $0, "kind": "shift", "shift_ids": [shifts.early]] as [String: Any]
            }])
            let mine = try await roster(client, as: "agent1").json["entries"] as? [[String: Any]] ?? []
            #expect(mine.map { $0["agent_id"] as? String } == ["agent1"])
            #expect(try await roster(client, as: "mgr1").json["entries"] as? [[String: Any]] != nil)
            for user in ["disp1", "east1", "rev1", "cb1", "ed1", "qi1", "eastadmin"] {
                #expect(try await roster(client, as: user).status == .forbidden, "\(user)")
                #expect(try await client.call(.get, APIRoutes.staffing, as: user).status == .forbidden, "\(user)")
            }
            #expect(try await client.call(.get, APIRoutes.staffing, as: "agent1").status == .forbidden)
            for user in ["agent1", "mgr1", "disp1"] {
                let r = try await put(client, as: user, ["day": "2025-03-04", "agent_id": "agent1", "kind": "rest"])
                #expect(r.status == .forbidden, "\(user): \(r.raw)")
                let t = try await client.post(APIRoutes.scheduleTeams, as: user, ["name": "三班", "members": ["agent3"]])
                #expect(t.status == .forbidden, "\(user)")
            }
        }
    }
}
