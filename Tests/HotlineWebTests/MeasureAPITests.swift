import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Testing
import ZIPFoundation

/// `GET /api/v1/measures` and `/api/v1/ranking` (考评指标, 考评排名): figures from the rollups within the caller's scope,
/// rates null without a denominator, bad parameters refused with 400 naming them, and the exports read back.
@Suite struct MeasureAPITests {
    /// Three orders on Monday 2025-03-03: one answered on the call, one dispatched to 东区 and signed at once, one
    /// dispatched to 西区 and not signed. By hand: accepted 3, direct answers 1, dispatched 2, signed on time 1.
    /// Returns 西区's order, dispatched and never signed.
    @discardableResult
    static func seed(_ s: HotlineServices) async throws -> OrderNumber {
        let desk = s.desk
        let agent = TestCity.actor("agent1")
        let direct = try await desk.intake(TestCity.draft(), by: agent, at: TestCity.monday).order.number
        _ = try await desk.apply(.answerDirectly(answer: "按政策可直接办理，已告知。"), to: direct, by: TestCity.actor("disp1"), at: TestCity.monday)
        let east = try await desk.intake(TestCity.draft(), by: agent, at: TestCity.monday).order.number
        _ = try await desk.apply(.dispatch(lead: "dist-east", assisting: [], note: nil), to: east, by: TestCity.actor("disp1"), at: TestCity.monday)
        _ = try await desk.apply(.sign, to: east, by: TestCity.actor("east1"), at: TestCity.monday.addingTimeInterval(600))
        let west = try await desk.intake(TestCity.draft(), by: agent, at: TestCity.monday).order.number
        _ = try await desk.apply(.dispatch(lead: "dist-west", assisting: [], note: nil), to: west, by: TestCity.actor("disp1"), at: TestCity.monday)
        return west
    }

    @Test(arguments: TestDatabase.available)
    func measuresByUnitAnswerTheCountsAndRatesWithDefinitions(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            try await Self.seed(s)
            let reply = try await client.call(.get, APIRoutes.measures + "?from=2025-03-01&to=2025-03-31&by=unit", as: "mgr1")
            #expect(reply.status == .ok)
            let rows = try #require(reply["rows"] as? [[String: Any]])
            let east = try #require(rows.first { $0["key"] as? String == "dist-east" })
            let west = try #require(rows.first { $0["key"] as? String == "dist-west" })
            #expect(east["name"] as? String == "东区人民政府")
            #expect(east["dispatched"] as? Int == 1 && east["response_rate"] as? Double == 1)
            #expect(west["dispatched"] as? Int == 1 && west["response_rate"] as? Double == 0)
            #expect(west["resolution_rate"] is NSNull, "no callback reached: null, not left out")
            let total = try #require(reply["total"] as? [String: Any])
            #expect(total["accepted"] as? Int == 3 && total["direct_answered"] as? Int == 1)
            #expect(total["direct_answer_rate"] as? Double == 0.333333)
            #expect(total["response_rate"] as? Double == 0.5)
            let definitions = try #require(reply["definitions"] as? [String: Any])
            let response = try #require(definitions["response_rate"] as? [String: Any])
            #expect(response["denominator"] as? String == "派单工单数")
            #expect(definitions.count == MeasureDefinition.all().count)
        }
    }

    /// By category the rows are the first-level categories (一级分类): orders in 01.01.01 and 01.01.02 count together
    /// under 01.
    @Test(arguments: TestDatabase.available)
    func measuresByCategoryGroupUnderTheFirstLevel(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            try await Self.seed(s)
            let other = try await s.desk.intake(TestCity.draft(category: "01.01.02"), by: TestCity.actor("agent1"), at: TestCity.monday).order.number
            _ = try await s.desk.apply(.dispatch(lead: "dist-east", assisting: [], note: nil), to: other, by: TestCity.actor("disp1"), at: TestCity.monday)
            let reply = try await client.call(.get, APIRoutes.measures + "?from=2025-03-01&to=2025-03-31&by=category", as: "mgr1")
            #expect(reply.status == .ok)
            let rows = try #require(reply["rows"] as? [[String: Any]])
            #expect(rows.map { $0["key"] as? String } == ["01"])
            #expect(rows.first?["accepted"] as? Int == 4 && rows.first?["dispatched"] as? Int == 3)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aUnitAdminSeesOnlyItsSubtree(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            try await Self.seed(s)
            let reply = try await client.call(.get, APIRoutes.measures + "?from=2025-03-01&to=2025-03-31&by=unit&subtree=true", as: "eastadmin")
            #expect(reply.status == .ok)
            let rows = try #require(reply["rows"] as? [[String: Any]])
            #expect(!rows.contains { $0["key"] as? String == "dist-west" })
            #expect(rows.first { $0["key"] as? String == "dist-east" }?["subtree"] as? Bool == true)
            let total = try #require(reply["total"] as? [String: Any])
            #expect(total["dispatched"] as? Int == 1)
            // By day, the unit's own trend: one row per day of the period.
            let days = try await client.call(.get, APIRoutes.measures + "?from=2025-03-01&to=2025-03-07&by=day", as: "eastadmin")
            #expect((days["rows"] as? [[String: Any]])?.count == 7)
            #expect((days["rows"] as? [[String: Any]])?.first { $0["key"] as? String == "2025-03-03" }?["dispatched"] as? Int == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func badParametersAndRolesAreRefused(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let badBy = try await client.call(.get, APIRoutes.measures + "?by=street", as: "mgr1")
            #expect(badBy.status == .badRequest)
            #expect((badBy["error"] as? [String: Any])?["field"] as? String == "by")
            let badDate = try await client.call(.get, APIRoutes.measures + "?from=2025-13-01", as: "mgr1")
            #expect(badDate.status == .badRequest)
            #expect(((badDate["error"] as? [String: Any])?["message"] as? String)?.contains("开始日期") == true)
            let backwards = try await client.call(.get, APIRoutes.measures + "?from=2025-03-10&to=2025-03-01", as: "mgr1")
            #expect(backwards.status == .badRequest)
            let badMonth = try await client.call(.get, APIRoutes.ranking + "?month=2025-3x", as: "mgr1")
            #expect(badMonth.status == .badRequest)
            #expect(try await client.call(.get, APIRoutes.measures, as: "east1").status == .forbidden)
            #expect(try await client.call(.get, APIRoutes.measures, as: "agent1").status == .forbidden)
        }
    }

    /// 超期未办结: 东区's signed order and 西区's dispatched one, neither replied to, count as open overdue once their reply
    /// deadlines have passed — under their units, category, channel, kind and acceptance day, in the total within each
    /// viewer's scope, and in the ranking; the directly answered order never does.
    @Test(arguments: TestDatabase.available)
    func openOverdueOrdersCountUnderEveryGrouping(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock(TestCity.monday)) { client, s, clock in
            let number = try await Self.seed(s)
            let day = "from=2025-03-01&to=2025-03-31"
            func overdue(_ by: String, _ key: String) async throws -> Int? {
                let rows = try await client.call(.get, APIRoutes.measures + "?\(day)&by=\(by)", as: "mgr1")["rows"] as? [[String: Any]]
                return rows?.first { $0["key"] as? String == key }?["open_overdue"] as? Int
            }
            #expect(try await overdue("unit", "dist-west") == 0, "not yet past its deadline")
            clock.advance(90 * 86_400)
            let west = try #require(try await s.orders.order(number))
            #expect(try await overdue("unit", "dist-west") == 1)
            #expect(try await overdue("unit", "dist-east") == 1)
            #expect(try await overdue("category", String(try #require(west.categoryCode).prefix(2))) == 2)
            #expect(try await overdue("channel", west.channel.rawValue) == 2)
            #expect(try await overdue("kind", west.kind.rawValue) == 2)
            #expect(try await overdue("day", CivilDay(containing: west.timeline.createdAt).description) == 2)
            #expect(try await overdue("month", "2025-03") == 2)
            let total = try await client.call(.get, APIRoutes.measures + "?\(day)&by=unit", as: "mgr1")["total"] as? [String: Any]
            #expect(total?["open_overdue"] as? Int == 2)
            let own = try await client.call(.get, APIRoutes.measures + "?\(day)&by=unit", as: "eastadmin")["total"] as? [String: Any]
            #expect(own?["open_overdue"] as? Int == 1, "西区's overdue order is outside 东区's scope")
            let outside = try await client.call(.get, APIRoutes.measures + "?from=2025-04-01&to=2025-04-30&by=unit", as: "mgr1")["total"] as? [String: Any]
            #expect(outside?["open_overdue"] as? Int == 0, "orders accepted in another period are not counted")
            let ranking = try #require(try await client.call(.get, APIRoutes.ranking + "?month=2025-03", as: "mgr1")["rows"] as? [[String: Any]])
            let westRow = try #require(ranking.first { $0["unit"] as? String == "dist-west" })
            #expect((westRow["measures"] as? [String: Any])?["open_overdue"] as? Int == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func rankingPlacesUnitsAndExports(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            try await Self.seed(s)
            // A city department with an order never signed: it is ranked among departments, not below the districts.
            let housing = try await s.desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: TestCity.monday).order.number
            _ = try await s.desk.apply(.dispatch(lead: "dept-housing", assisting: [], note: nil), to: housing, by: TestCity.actor("disp1"), at: TestCity.monday)
            let reply = try await client.call(.get, APIRoutes.ranking + "?month=2025-03", as: "mgr1")
            #expect(reply.status == .ok)
            let rows = try #require(reply["rows"] as? [[String: Any]])
            // 东区 signed on time (response 1) ahead of 西区 (response 0); the department is first of its own group.
            #expect(rows.map { $0["unit"] as? String } == ["dist-east", "dist-west", "dept-housing"])
            #expect(rows.map { $0["place"] as? Int } == [1, 2, 1])
            #expect(rows.map { $0["group_name"] as? String } == ["区县", "区县", "市直部门"])
            let groups = try #require(reply["groups"] as? [[String: Any]])
            #expect(groups.map { $0["group"] as? String } == ["district", "department"] && groups.map { $0["ranked"] as? Int } == [2, 1])
            let own = try await client.call(.get, APIRoutes.ranking + "?month=2025-03", as: "eastadmin")
            #expect((own["rows"] as? [[String: Any]])?.map { $0["unit"] as? String } == ["dist-east"])
            #expect(own["ranked"] as? Int == 3)
            let csv = try await client.call(.get, APIRoutes.ranking + "?month=2025-03&format=csv", as: "mgr1")
            #expect(csv.status == .ok)
            #expect(csv.raw.contains("考核类别,名次,单位,综合得分"))
            #expect(csv.raw.contains("区县,1,东区人民政府") && csv.raw.contains("区县,2,西区人民政府") && csv.raw.contains("市直部门,1,市住房和城乡建设局"))
            let xlsx = try await client.call(.get, APIRoutes.ranking + "?month=2025-03&format=xlsx", as: "mgr1")
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers[.contentType]?.contains("spreadsheetml") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func settingsAreChangedByManagersAndChangeTheSatisfactionRate(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let body = #"{"basic_satisfaction_weight":0.5,"response_weight":25,"resolution_weight":25,"satisfaction_weight":25,"on_time_weight":25,"yellow_card_penalty":1,"red_card_penalty":3}"#
            #expect(try await client.call(.put, APIRoutes.measureSettings, as: "sup1", json: body).status == .forbidden)
            #expect(try await client.call(.put, APIRoutes.measureSettings, as: "mgr1", json: body).status == .ok)
            let read = try await client.call(.get, APIRoutes.measureSettings, as: "sup1")
            #expect(read["basic_satisfaction_weight"] as? Double == 0.5)
            let bad = body.replacingOccurrences(of: "0.5", with: "1.5")
            let refused = try await client.call(.put, APIRoutes.measureSettings, as: "mgr1", json: bad)
            #expect(refused.status == .unprocessableContent)
            #expect(try await client.call(.get, APIRoutes.measureSettings, as: "sup1")["basic_satisfaction_weight"] as? Double == 0.5, "unchanged")
        }
    }

    @Test func xlsxCellsReadBack() throws {
        let sheet = Spreadsheet(sheetName: "2025-03考评排名", rows: [[.text("名次"), .text("单位"), .text("得分")], [.number(1), .text("东区<人民>政府"), .number(87.5)]])
        let archive = try Archive(data: try sheet.xlsx(), accessMode: .read)
        var xml = Data()
        _ = try archive.extract(try #require(archive["xl/worksheets/sheet1.xml"])) { xml.append($0) }
        let text = String(decoding: xml, as: UTF8.self)
        #expect(text.contains(#"<c r="B2" t="inlineStr"><is><t xml:space="preserve">东区&lt;人民&gt;政府</t></is></c>"#))
        #expect(text.contains(#"<c r="C2"><v>87.5</v></c>"#))
        #expect(text.contains(#"<c r="A1" t="inlineStr"><is><t xml:space="preserve">名次</t></is></c>"#))
        #expect(archive["xl/workbook.xml"] != nil && archive["[Content_Types].xml"] != nil)
    }
}
