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

/// 驻场分析 (`/insight/specialists`, `GET /api/v1/specialists`) and the manager's home: figures worked out by hand from
/// the orders below, stationings recorded by managers with bad input refused naming the field, roles kept out.
@Suite struct SpecialistPageTests {
    let console = ConsoleTests()
    let admin = AdminPageTests()

    /// Monday 2025-03-03: two orders answered on the call and one dispatched to 东区 (all 01.01.01, which the catalogue
    /// gives to 东区 through its ancestor 01), one dispatched to 西区. By hand: 东区 3 accepted, 1 dispatched (1/3), 2
    /// direct (2/3); 西区 1 accepted, all dispatched. Scores: 东区 100 × (0.4 + 0.3 / 3) = 50; 西区 100 × (0.4 / 3 + 0.3) ≈ 43.3.
    static func seed(_ s: HotlineServices) async throws {
        _ = try await s.catalogue.apply([(categoryCode: "01", district: nil, unitID: "dist-east")], note: nil, by: TestCity.actor("admin1"),
                                        at: TestCity.monday, audit: nil)
        let desk = s.desk
        let agent = TestCity.actor("agent1")
        for _ in 0..<2 {
            let direct = try await desk.intake(TestCity.draft(), by: agent, at: TestCity.monday).order.number
            _ = try await desk.apply(.answerDirectly(answer: "按政策可直接办理，已告知。"), to: direct, by: TestCity.actor("disp1"), at: TestCity.monday)
        }
        for lead in ["dist-east", "dist-west"] {
            let n = try await desk.intake(TestCity.draft(), by: agent, at: TestCity.monday).order.number
            _ = try await desk.apply(.dispatch(lead: lead, assisting: [], note: nil), to: n, by: TestCity.actor("disp1"), at: TestCity.monday)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAPIRanksDepartmentsWithDirectAnswersAttributedThroughTheCatalogue(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            try await Self.seed(s)
            let reply = try await client.call(.get, APIRoutes.specialists + "?from=2025-03-01&to=2025-03-31", as: "mgr1")
            #expect(reply.status == .ok, "\(reply.raw)")
            let rows = try #require(reply["departments"] as? [[String: Any]])
            #expect(rows.map { $0["key"] as? String } == ["dist-east", "dist-west"])
            let east = rows[0], west = rows[1]
            #expect(east["volume"] as? Int == 3 && east["direct_answered"] as? Int == 2 && east["dispatched"] as? Int == 1)
            #expect(abs((east["dispatched_share"] as? Double ?? 0) - 1.0 / 3.0) < 1e-6)
            #expect(east["score"] as? Double == 50)
            #expect(west["volume"] as? Int == 1 && west["dispatched_share"] as? Double == 1 && west["score"] as? Double == 43.3)
            #expect(west["dissatisfaction_rate"] is NSNull, "no callback reached: null")
            let categories = try #require(reply["categories"] as? [[String: Any]])
            #expect(categories.count == 1 && categories[0]["volume"] as? Int == 4)

            let bad = try await client.call(.get, APIRoutes.specialists + "?from=2025-3-1", as: "mgr1")
            #expect(bad.status == .badRequest && bad.raw.contains("\"from\""), "\(bad.raw)")
            #expect(try await client.call(.get, APIRoutes.specialists, as: "eastadmin").status == .forbidden)
            #expect(try await client.call(.get, APIRoutes.specialists, as: "agent1").status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func managersRecordStationingsAndSeeTheBeforeAndAfter(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            try await Self.seed(s)
            let m = try await admin.session(client, "mgr1")
            let page = try await console.page(client, WebRoutes.insightSpecialists + "?from=2025-03-01&to=2025-03-31", cookie: m.cookie)
            #expect(page.status == .ok)
            #expect(page.raw.contains("东区人民政府") && page.raw.contains("50.0") && page.raw.contains("驻场指数：100"))

            // Bad input: named by the form's label, nothing stored.
            let unknown = try await admin.post(client, WebRoutes.insightSpecialists, m, [("unit_id", "nowhere"), ("from", "2025-03-03")])
            #expect(unknown.status == .badRequest || unknown.status == .unprocessableContent, "\(unknown.status)")
            #expect(unknown.raw.contains("驻场部门不存在"), "\(unknown.raw)")
            let backwards = try await admin.post(client, WebRoutes.insightSpecialists, m,
                                                 [("unit_id", "dist-east"), ("from", "2025-03-03"), ("to", "2025-03-01")])
            #expect(backwards.raw.contains("驻场结束日期不能早于开始日期"), "\(backwards.raw)")
            let longNote = try await admin.post(client, WebRoutes.insightSpecialists, m,
                                                [("unit_id", "dist-east"), ("from", "2025-03-03"), ("note", String(repeating: "长", count: 201))])
            #expect(longNote.raw.contains("备注不能超过200字"))
            #expect(try await s.stationings.all().isEmpty)

            // A one-day stationing on the Monday: after = that day (2 of 3 answered directly), before = the Sunday (none).
            let saved = try await admin.post(client, WebRoutes.insightSpecialists, m,
                                             [("unit_id", "dist-east"), ("from", "2025-03-03"), ("to", "2025-03-03"), ("note", "政策专员")])
            #expect(saved.status == .seeOther)
            let stored = try await s.stationings.all()
            #expect(stored.count == 1 && stored[0].unitID == "dist-east" && stored[0].to == CivilDay(iso: "2025-03-03"))
            #expect(try await s.audit.list(AdminPageTests.audit(.stationingChanged), page: 1, size: 10).count == 1)
            let after = try await console.page(client, WebRoutes.insightSpecialists + "?from=2025-03-01&to=2025-03-31", cookie: m.cookie)
            #expect(after.raw.contains("66.7%（2025年3月3日 至 2025年3月3日，3 件）"), "\(after.raw)")
            #expect(after.raw.contains("—（2025年3月2日 至 2025年3月2日，0 件）"))
            let api = try await client.call(.get, APIRoutes.specialists + "?from=2025-03-01&to=2025-03-31", as: "sup1")
            let comparison = try #require((api["stationings"] as? [[String: Any]])?.first)
            #expect(abs((comparison["direct_answer_rate_after"] as? Double ?? 0) - 2.0 / 3.0) < 1e-6)
            #expect(comparison["direct_answer_rate_before"] is NSNull)

            // Supervisors read but do not record; agents do not read.
            let sup = try await admin.session(client, "sup1")
            #expect(try await console.page(client, WebRoutes.insightSpecialists, cookie: sup.cookie).status == .ok)
            #expect(try await admin.post(client, WebRoutes.insightSpecialists, sup, [("unit_id", "dist-east"), ("from", "2025-03-03")]).status == .forbidden)
            let agent = try await console.logIn(client, "agent1")
            #expect(try await console.page(client, WebRoutes.insightSpecialists, cookie: agent).status == .forbidden)

            // Removing it.
            let removed = try await admin.post(client, WebRoutes.insightSpecialistRemove(String(stored[0].id)), m, [])
            #expect(removed.status == .seeOther)
            #expect(try await s.stationings.all().isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theManagersHomeShowsTheMonthsRatesTrendRankingAndLinks(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            try await Self.seed(s)
            let m = try await console.logIn(client, "mgr1")
            let home = try await console.page(client, WebRoutes.home, cookie: m)
            #expect(home.status == .ok)
            #expect(home.raw.contains("2025年3月主要指标"), "\(home.raw)")
            // 响应率 this month: nobody signed, 2 dispatched → 0.0%; last month had no order.
            #expect(home.raw.contains("<div class=\"count\">0.0%</div>\n    <div class=\"label\">响应率</div>"))
            #expect(home.raw.contains("上月无可比数据"))
            #expect(home.raw.contains("<svg class=\"chart\""))
            #expect(home.raw.contains("本月各类单位排名前三") && home.raw.contains("href=\"/insight/specialists\"") && home.raw.contains("href=\"/insight/reports\""))
            #expect(home.raw.contains("href=\"/insight/map\""))
            let unit = try await console.logIn(client, "eastadmin")
            let unitHome = try await console.page(client, WebRoutes.home, cookie: unit)
            #expect(unitHome.raw.contains("本单位本月在区县中排名第"))
            #expect(!unitHome.raw.contains("主要指标"))
            let agent = try await console.logIn(client, "agent1")
            #expect(!(try await console.page(client, WebRoutes.home, cookie: agent)).raw.contains("主要指标"))
        }
    }
}
