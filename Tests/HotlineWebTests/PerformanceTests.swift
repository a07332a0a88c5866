import Foundation
import HotlineApp
import HotlineDomain
@testable import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// 坐席绩效 through the API and the console: the week's figures recomputed from calls, orders and their measure facts;
/// overseers see every agent and team, an agent only their own row and the stars; managers set the targets, bad values
/// refused by field with nothing stored.
@Suite struct PerformanceTests {
    /// Two calls agent1 answered and ended (talk 240 s and 120 s, after-call 30 s and 30 s), one direct answer and one
    /// accepted order by agent1.
    func week(_ client: any TestClientProtocol) async throws {
        func call(_ id: String, talk: Int) -> [[String: Any]] {
            [
                ["event_id": id + "-o", "type": "call_offered", "call_id": id, "at": "2025-03-03T09:30:00+08:00", "caller": "13812345678", "queue": "综合"],
                ["event_id": id + "-a", "type": "call_answered", "call_id": id, "at": "2025-03-03T09:30:05+08:00", "agent": "agent1"],
                ["event_id": id + "-e", "type": "call_ended", "call_id": id, "at": "2025-03-03T09:40:00+08:00", "wait_seconds": 5, "talk_seconds": talk,
                 "acw_seconds": 30],
            ]
        }
        let sent = try await client.post(APIRoutes.ctiEvents, as: "admin1", ["events": call("p1", talk: 240) + call("p2", talk: 120)])
        try #require(sent.status == .ok, "\(sent.raw)")
        var direct = Bodies.intake
        direct["kind"] = "consultation"
        direct["decision"] = ["type": "answer_directly", "answer": "社保卡补办请携带身份证到就近网点。"]
        try #require(try await client.post(APIRoutes.orders, as: "agent1", direct).status == .created)
        try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).status == .created)
    }

    @Test(arguments: TestDatabase.available)
    func theWeekIsCountedFromTheRecordAndEachRoleSeesItsShare(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            try await week(client)
            let all = try await client.call(.get, APIRoutes.performance, as: "sup1")
            #expect(all.status == .ok && all["from"] as? String == "2025-03-03" && all["to"] as? String == "2025-03-09", "\(all.raw.prefix(300))")
            let agents = try #require(all["agents"] as? [[String: Any]])
            let one = try #require(agents.first { $0["agent_id"] as? String == "agent1" })
            #expect(one["calls"] as? Int == 2 && one["orders"] as? Int == 2)
            #expect(one["average_handling_seconds"] as? Double == 210, "(240 + 30 + 120 + 30) / 2")
            #expect(one["average_after_call_seconds"] as? Double == 30)
            #expect(one["direct_answer_rate"] as? Double == 0.5)
            #expect(one["place"] == nil, "two calls are under the minimum to be ranked")
            // The same figures recomputed straight from the tables.
            let figures = try await PerformanceStore(database: services.database).figures(
                from: CivilDay(iso: "2025-03-03")!.start, to: CivilDay(iso: "2025-03-10")!.start)
            #expect(figures["agent1"]?.calls == 2 && figures["agent1"]?.directAnswered == 1)

            // An agent sees their own row and no one else's; the overseers' route is closed to them.
            #expect(try await client.call(.get, APIRoutes.performance, as: "agent1").status == .forbidden)
            let mine = try await client.call(.get, APIRoutes.performanceMine, as: "agent1")
            #expect(mine.status == .ok && (mine["agents"] as? [[String: Any]])?.count == 1)
            for user in ["east1", "ed1", "disp1", "cb1"] {
                #expect(try await client.call(.get, APIRoutes.performance, as: user).status == .forbidden, "\(user)")
            }
            // With a lower minimum, agent1 is ranked and named a star.
            let lowered = try await client.call(.put, APIRoutes.performanceTargets, as: "mgr1", json: "{\"minimum_calls\": 1}")
            #expect(lowered.status == .ok, "\(lowered.raw)")
            let ranked = try await client.call(.get, APIRoutes.performanceMine, as: "agent1")
            #expect((ranked["stars"] as? [[String: Any]])?.first?["agent_id"] as? String == "agent1", "\(ranked.raw.prefix(500))")
            #expect(try await client.call(.get, APIRoutes.performance + "?week=2099-01-01", as: "sup1").status == .unprocessableContent)
            #expect(try await client.call(.get, APIRoutes.performance + "?week=三月", as: "sup1").status == .unprocessableContent)
        }
    }

    @Test(arguments: TestDatabase.available)
    func managersSetTargetsAndBadValuesChangeNothing(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let before = try await client.call(.get, APIRoutes.performanceTargets, as: "mgr1")
            for (body, field) in [("{\"direct_answer_rate\": 1.5}", "direct_answer_rate"), ("{\"average_handling_seconds\": 5}", "average_handling_seconds"),
                                  ("{\"quality_weight\": 0, \"satisfaction_weight\": 0, \"direct_answer_weight\": 0, \"handling_weight\": 0, \"volume_weight\": 0}", "quality_weight")] {
                let refused = try await client.call(.put, APIRoutes.performanceTargets, as: "mgr1", json: body)
                #expect(refused.status == .unprocessableContent && refused.raw.contains(field), "\(refused.raw)")
            }
            #expect(try await client.call(.put, APIRoutes.performanceTargets, as: "sup1", json: "{\"quality_score\": 80}").status == .forbidden)
            #expect(try await client.call(.put, APIRoutes.performanceTargets, as: "agent1", json: "{\"quality_score\": 80}").status == .forbidden)
            #expect(try await client.call(.get, APIRoutes.performanceTargets, as: "mgr1").raw == before.raw)
            let saved = try await client.call(.put, APIRoutes.performanceTargets, as: "admin1", json: "{\"quality_score\": 85, \"minimum_calls\": 50}")
            #expect(saved.status == .ok && saved["quality_score"] as? Double == 85 && saved["minimum_calls"] as? Int == 50)
            #expect(saved["direct_answer_rate"] as? Double == 0.6, "fields not sent keep their value")
            let audit = try await services.audit.list(AuditFilter(), page: 1, size: 20).map(\.action)
            #expect(audit.filter { $0 == .performanceTargetsChanged }.count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theConsolePageAnswersEachRole(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            try await week(client)
            let fixtures = ScriptCasePageTests()
            for (role, user) in TestCity.userByRole.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where role != .citizen {
                let cookie = try await fixtures.session(services, user)
                let page = try await ConsoleTests().page(client, WebRoutes.performance, cookie: cookie)
                let overseer = Capability.viewPerformance.isAllowed(for: role), own = Capability.viewOwnPerformance.isAllowed(for: role)
                #expect(page.status == (overseer || own ? .ok : .forbidden), "\(role): \(page.status)")
                if overseer { #expect(page.raw.contains("坐席绩效") && page.raw.contains("话务员一") && page.raw.contains("本周服务之星")) }
                if own { #expect(page.raw.contains("我的绩效") && page.raw.contains("210秒") && !page.raw.contains("综合得分")) }
                #expect(page.raw.contains("设置绩效目标") == Capability.managePerformanceTargets.isAllowed(for: role), "\(role) targets form")
            }
            let manager = try await fixtures.session(services, "mgr1")
            let csrf = SessionCookie.csrfToken(forSession: manager)
            let refused = try await ConsoleTests().form(
                client, WebRoutes.performanceTargets, fixtures.form([("satisfaction_rate", "九成")], csrf: csrf), cookie: manager)
            #expect(refused.status == .unprocessableContent && refused.raw.contains("满意率目标（0至1）应为数字"), "\(refused.raw.prefix(300))")
            let saved = try await ConsoleTests().form(
                client, WebRoutes.performanceTargets, fixtures.form([("satisfaction_rate", "0.85")], csrf: csrf), cookie: manager)
            #expect(saved.status == .seeOther)
            #expect(try await services.database.read { db in
                try await db.firstRow(Statement("SELECT value FROM platform_settings WHERE name = 'performance_targets'"))?.decode(column: "value", as: String.self)
            }?.contains("0.85") == true)
        }
    }

    /// 话务中心: one nav link for a role with several call-centre pages, the page itself for a role with one, none for
    /// the rest; the hub lists exactly the pages the role may open.
    @Test(arguments: TestDatabase.available)
    func theCallCentreHubListsEachRolesPages(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let fixtures = ScriptCasePageTests()
            for (role, user) in TestCity.userByRole.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where role != .citizen {
                let cookie = try await fixtures.session(services, user)
                let cards = CallCentreHub.cards(for: role)
                let home = try await ConsoleTests().page(client, WebRoutes.home, cookie: cookie)
                let hub = try await ConsoleTests().page(client, WebRoutes.callCentre, cookie: cookie)
                #expect(home.raw.contains("href=\"/callcentre\"") == (cards.count > 1), "\(role) hub link")
                #expect(hub.status == (cards.isEmpty ? .forbidden : .ok), "\(role) hub: \(hub.status)")
                for card in cards {
                    let page = try await ConsoleTests().page(client, card.href, cookie: cookie)
                    #expect(page.status == .ok || page.status == .seeOther, "\(role) \(card.href): \(page.status)")
                    #expect(hub.raw.contains("href=\"\(card.href)\""), "\(role) hub card \(card.title)")
                }
                if cards.count == 1 { #expect(home.raw.contains("href=\"\(cards[0].href)\""), "\(role) direct link") }
            }
            #expect(CallCentreHub.cards(for: .supervisor).map(\.short) == ["大屏", "人力预测", "排班", "质检", "专家坐席", "绩效"])
            #expect(CallCentreHub.cards(for: .agent).map(\.title) == ["我的排班", "我的质检", "专家坐席", "我的绩效"])
            #expect(CallCentreHub.cards(for: .unitStaff).map(\.title) == ["专家坐席"])
        }
    }
}
