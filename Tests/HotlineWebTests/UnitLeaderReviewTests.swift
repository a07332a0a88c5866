import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// 单位领导审核: a unit that reviews its own replies holds its staff's replies in 待单位审核 until one of its admins passes
/// them on to the centre or sends them back; a unit admin's own reply and units without the setting go straight on.
@Suite struct UnitLeaderReviewTests {
    let console = ConsoleTests()
    let admin = AdminPageTests()
    static let replyText = "已派人维修，路灯恢复照明。"

    func field(_ reply: APIReply) -> String? { (reply.json["error"] as? [String: Any])?["field"] as? String }

    /// Turns the unit's leader review on or off through the API, as an admin does.
    func setLeaderReview(_ client: any TestClientProtocol, _ unit: String, _ on: Bool) async throws {
        let reply = try await client.call(.patch, APIRoutes.unit(unit), as: "admin1", json: "{\"leader_review\": \(on)}")
        try #require(reply.status == .ok, "\(reply.raw)")
        #expect(reply["leader_review"] as? Bool == on)
    }

    /// A new order signed by the east district, replied by `replier` when given.
    func order(_ client: any TestClientProtocol, repliedBy replier: String? = "east1") async throws -> String {
        let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
        try #require(try await client.post(APIRoutes.action(n, "dispatch"), as: "disp1", ["lead_unit": "dist-east"]).status == .ok)
        try #require(try await client.post(APIRoutes.action(n, "sign"), as: "east1").status == .ok)
        if let replier {
            let reply = try await client.post(APIRoutes.action(n, "reply"), as: replier, ["text": Self.replyText])
            try #require(reply.status == .ok, "\(reply.raw)")
        }
        return n
    }

    @Test(arguments: TestDatabase.available)
    func theSettingIsStoredAndShownOnTheUnitsAPI(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let listed = try await client.call(.get, APIRoutes.units, as: "admin1")
            let east = try #require(listed.items.first { $0["id"] as? String == "dist-east" })
            #expect(east["leader_review"] as? Bool == false, "off for every unit until an admin turns it on")
            try await setLeaderReview(client, "dist-east", true)
            #expect(try await services.directory.units().first { $0.id == "dist-east" }?.leaderReview == true)
            #expect(services.reference.context.leaderReviewUnits == ["dist-east"], "the reference data reloaded")
            let created = try await client.post(APIRoutes.units, as: "admin1",
                                                ["id": "st-east-2", "name": "东区和平街道办事处", "kind": "street", "parent_id": "dist-east", "leader_review": true])
            #expect(created.status == .created && created["leader_review"] as? Bool == true, "\(created.raw)")
            #expect(services.reference.context.leaderReviewUnits == ["dist-east", "st-east-2"])
            let wrongType = try await client.call(.patch, APIRoutes.unit("dist-west"), as: "admin1", json: "{\"leader_review\": \"yes\"}")
            #expect(wrongType.status == .badRequest || wrongType.status == .unprocessableContent, "\(wrongType.raw)")
            #expect(try await client.call(.patch, APIRoutes.unit("dist-west"), as: "eastadmin", json: "{\"leader_review\": true}").status == .forbidden)
            #expect(services.reference.context.leaderReviewUnits == ["dist-east", "st-east-2"], "nothing changed by the refusals")
        }
    }

    @Test(arguments: TestDatabase.available)
    func withoutTheSettingAStaffReplyGoesStraightToTheCentre(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await order(client)
            let detail = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            #expect(detail.order["status"] as? String == "replied")
            let pass = try await client.post(APIRoutes.action(n, "pass-unit-review"), as: "eastadmin")
            #expect(pass.status == .conflict || pass.status == .unprocessableContent, "\(pass.raw)")
            #expect(pass.raw.contains("工单当前状态为“已答复”，不能“单位审核通过”"), "\(pass.raw)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aStaffReplyWaitsForTheUnitAdminWhoPassesItOnToTheCentre(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            try await setLeaderReview(client, "dist-east", true)
            let n = try await order(client)
            let waiting = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            #expect(waiting.order["status"] as? String == "unit_review")
            #expect(waiting.order["status_name"] as? String == "待单位审核")
            let deadlines = waiting.order["deadlines"] as? [String: Any]
            #expect(deadlines?["review_by"] == nil, "no review clock before the unit passes the reply")
            #expect(waiting.order["overdue"] as? Bool != true)
            // The centre's reviewer cannot review it yet; the unit's staff cannot pass their own reply.
            #expect(try await client.post(APIRoutes.action(n, "pass-review"), as: "rev1").status != .ok)
            let staff = try await client.post(APIRoutes.action(n, "pass-unit-review"), as: "east1")
            #expect(staff.status == .forbidden, "\(staff.raw)")
            // Another unit's admin does not see the order at all.
            let westAdmin = try await client.post(APIRoutes.users, as: "admin1",
                                                  ["id": "westadmin", "display_name": "西区单位管理员", "role": "unit_admin", "unit_id": "dist-west",
                                                   "password": TestCity.password])
            try #require(westAdmin.status == .created, "\(westAdmin.raw)")
            let stranger = try await admin.post(client, WebRoutes.order(n) + "/pass-unit-review", try await admin.session(client, "westadmin"), [])
            #expect(stranger.status == .notFound, "another unit's order is not there for its admin: \(stranger.status)")
            #expect(try await client.call(.get, APIRoutes.order(n), as: "sup1").raw == waiting.raw, "nothing changed by the refusals")

            let passed = try await client.post(APIRoutes.action(n, "pass-unit-review"), as: "eastadmin", ["note": "同意报送"])
            #expect(passed.status == .ok, "\(passed.raw)")
            #expect(passed.order["status"] as? String == "replied")
            #expect((passed.order["deadlines"] as? [String: Any])?["review_by"] != nil, "the centre's review clock starts now")
            let reviewed = try await client.post(APIRoutes.action(n, "pass-review"), as: "rev1")
            #expect(reviewed.status == .ok && reviewed.order["status"] as? String == "awaiting_callback", "\(reviewed.raw)")
            let record = try await console.page(client, WebRoutes.order(n), cookie: try await console.logIn(client, "sup1")).raw
            #expect(record.contains("东区人民政府答复，待单位审核"))
            #expect(record.contains("单位审核通过，答复报送中心审核"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aUnitAdminsOwnReplySkipsTheStep(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            try await setLeaderReview(client, "dist-east", true)
            let n = try await order(client, repliedBy: "eastadmin")
            #expect(try await client.call(.get, APIRoutes.order(n), as: "sup1").order["status"] as? String == "replied")
        }
    }

    @Test(arguments: TestDatabase.available)
    func passingChecksTheReplyRulesInForceAgain(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            try await setLeaderReview(client, "dist-east", true)
            let n = try await order(client)
            let stricter = "{\"rules\": [{\"id\": \"minimum_length\", \"severity\": \"block\", \"parameters\": {\"min_chars\": 30}}]}"
            try #require(try await client.call(.put, APIRoutes.replyRules, as: "admin1", json: stricter).status == .ok)
            let before = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            let refused = try await client.post(APIRoutes.action(n, "pass-unit-review"), as: "eastadmin")
            #expect(refused.status == .unprocessableContent, "\(refused.raw)")
            #expect(refused.raw.contains("答复过短：应不少于30字"), "\(refused.raw)")
            #expect(try await client.call(.get, APIRoutes.order(n), as: "sup1").raw == before.raw, "nothing stored")
            // The admin sends it back instead; the staff member writes a fuller reply, which waits for the admin again.
            try #require(try await client.post(APIRoutes.action(n, "send-back-unit-review"), as: "eastadmin", ["reason": "请写明维修时间和联系市民情况"]).status == .ok)
            let fuller = "经现场核查，幸福路12号小区路灯线路老化，我单位已于3月3日更换线路和灯具，路灯恢复照明，已电话告知来电人。"
            let again = try await client.post(APIRoutes.action(n, "reply"), as: "east1", ["text": fuller])
            #expect(again.status == .ok && again.order["status"] as? String == "unit_review", "\(again.raw)")
            #expect(try await client.post(APIRoutes.action(n, "pass-unit-review"), as: "eastadmin").order["status"] as? String == "replied")
        }
    }

    @Test(arguments: TestDatabase.available)
    func sendingBackNeedsAReasonAndLeavesTheDeadlineAsItWas(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            try await setLeaderReview(client, "dist-east", true)
            let n = try await order(client)
            let before = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            let replyBy = try #require((before.order["deadlines"] as? [String: Any])?["reply_by"] as? String)
            for body in [[:], ["reason": "   "], ["reason": String(repeating: "长", count: TextLimits.note + 1)]] as [[String: Any]] {
                let refused = try await client.post(APIRoutes.action(n, "send-back-unit-review"), as: "eastadmin", body)
                #expect(refused.status == .unprocessableContent, "\(body): \(refused.raw)")
                #expect(field(refused) == "reason")
            }
            #expect(try await client.call(.get, APIRoutes.order(n), as: "sup1").raw == before.raw, "nothing stored")

            let back = try await client.post(APIRoutes.action(n, "send-back-unit-review"), as: "eastadmin", ["reason": "未写明联系市民情况"])
            #expect(back.status == .ok, "\(back.raw)")
            #expect(back.order["status"] as? String == "handling")
            #expect((back.order["deadlines"] as? [String: Any])?["reply_by"] as? String == replyBy, "the handling deadline is unchanged")
            let rounds = try #require(try await client.call(.get, APIRoutes.order(n), as: "sup1").json["reply_rounds"] as? [[String: Any]])
            #expect(rounds.count == 1 && rounds[0]["text"] as? String == Self.replyText, "the round stays in the log")
            #expect(rounds[0]["review"] as? String == "unit_sent_back" && rounds[0]["review_note"] as? String == "未写明联系市民情况")
            let page = try await console.page(client, WebRoutes.order(n), cookie: try await console.logIn(client, "east1")).raw
            #expect(page.contains("单位审核退回：未写明联系市民情况"))
            #expect(page.contains("单位审核退回经办人重新办理"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theUnitsAdminsAreToldOfAWaitingReplyAndTheStaffOfASendBack(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            try await setLeaderReview(client, "dist-east", true)
            // The dispatch told the unit already; count from the signed order on.
            let n = try await order(client, repliedBy: nil)
            let staffBefore = try await client.call(.get, APIRoutes.notices, as: "east1")["unread"] as? Int ?? -1
            let adminBefore = try await client.call(.get, APIRoutes.notices, as: "eastadmin")["unread"] as? Int ?? -1
            try #require(try await client.post(APIRoutes.action(n, "reply"), as: "east1", ["text": Self.replyText]).status == .ok)
            let told = try await client.call(.get, APIRoutes.notices, as: "eastadmin")
            #expect(told["unread"] as? Int == adminBefore + 1)
            let item = try #require((told["items"] as? [[String: Any]])?.first)
            #expect(item["order_number"] as? String == n && item["kind_name"] as? String == "答复", "\(item)")
            #expect(try await client.call(.get, APIRoutes.notices, as: "east1")["unread"] as? Int == staffBefore, "the staff member is not told of their own reply")
            #expect(try await client.call(.get, APIRoutes.notices, as: "street1")["unread"] as? Int == 0, "nor is another unit")
            _ = try await client.post(APIRoutes.action(n, "send-back-unit-review"), as: "eastadmin", ["reason": "未写明联系市民情况"])
            let back = try await client.call(.get, APIRoutes.notices, as: "east1")
            #expect(back["unread"] as? Int == staffBefore + 1)
            #expect((back["items"] as? [[String: Any]])?.first?["kind_name"] as? String == "单位审核退回")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAdminFormTheOrderPageAndTheHomeTile(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let s = try await admin.session(client, "admin1")
            let form = try await console.page(client, WebRoutes.adminUnit("dist-east"), cookie: s.cookie).raw
            #expect(form.contains("<input type=\"checkbox\" name=\"leader_review\" value=\"on\" aria-describedby=\"unit-leader-review-hint\"> 单位领导审核</label>"))
            let saved = try await admin.post(client, WebRoutes.adminUnit("dist-east"), s,
                                              [("name", "东区人民政府"), ("kind", "district"), ("parent_id", ""), ("district", "东区"), ("leader_review", "on")])
            #expect(saved.status == .seeOther, "\(saved.raw)")
            #expect(services.reference.context.leaderReviewUnits == ["dist-east"])
            let shown = try await console.page(client, WebRoutes.adminUnit("dist-east"), cookie: s.cookie).raw
            #expect(shown.contains("name=\"leader_review\" value=\"on\" checked"))

            // The staff member's home: no tile before a reply waits; the admin's home: the tile with the count.
            let n = try await order(client)
            let eastAdmin = try await admin.session(client, "eastadmin")
            let tiles = ShownPage.tiles(try await console.page(client, WebRoutes.home, cookie: eastAdmin.cookie).raw)
            let tile = try #require(tiles.first { $0.label == "待单位审核" })
            #expect(tile.count == "1")
            let list = try await console.page(client, try #require(tile.href), cookie: eastAdmin.cookie).raw
            #expect(ShownPage.heading(list) == "待单位审核" && ShownPage.numbers(list) == [n])
            let west = ShownPage.tiles(try await console.page(client, WebRoutes.home, cookie: try await console.logIn(client, "west1")).raw)
            #expect(!west.contains { $0.label == "待单位审核" }, "a unit without the setting has no such tile")

            // The order page offers the admin both forms, the staff member neither.
            let adminPage = try await console.page(client, WebRoutes.order(n), cookie: eastAdmin.cookie).raw
            #expect(adminPage.contains("action=\"/orders/\(n)/pass-unit-review\"") && adminPage.contains("action=\"/orders/\(n)/send-back-unit-review\""))
            #expect(adminPage.contains("待单位审核"))
            let staffPage = try await console.page(client, WebRoutes.order(n), cookie: try await console.logIn(client, "east1")).raw
            #expect(!staffPage.contains("unit-review\""))
            let empty = try await admin.post(client, WebRoutes.order(n) + "/send-back-unit-review", eastAdmin, [("reason", "")])
            #expect(empty.status == .unprocessableContent && empty.raw.contains("role=\"alert\">理由：缺少必填字段"), "\(empty.status) \(empty.raw.components(separatedBy: "role=\"alert\"").dropFirst().first?.prefix(200) ?? "")")
            let passed = try await admin.post(client, WebRoutes.order(n) + "/pass-unit-review", eastAdmin, [("note", "")])
            #expect(passed.status == .seeOther, "\(passed.status) \(passed.raw)")
            #expect(try await client.call(.get, APIRoutes.order(n), as: "sup1").order["status"] as? String == "replied")

            // Switched off again: unticked, the box turns the setting off.
            _ = try await admin.post(client, WebRoutes.adminUnit("dist-east"), s, [("name", "东区人民政府"), ("kind", "district"), ("parent_id", ""), ("district", "东区")])
            #expect(services.reference.context.leaderReviewUnits.isEmpty)
        }
    }
}
