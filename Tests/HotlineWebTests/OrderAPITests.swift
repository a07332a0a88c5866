import Foundation
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct OrderAPITests {
    @Test(arguments: TestDatabase.available)
    func oneOrderWalksFromIntakeToArchive(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let created = try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake)
            #expect(created.status == .created)
            let number = try #require(created.order["number"] as? String)
            #expect(created.order["status"] as? String == "pending_dispatch")
            let steps: [(String, String, [String: Any], String)] = [
                ("dispatch", "disp1", ["lead_unit": "dist-east", "assisting_units": ["dept-housing"]], "dispatched"),
                ("sign", "east1", [:], "handling"),
                ("sub-dispatch", "east1", ["unit": "st-east-1", "note": "请街道核实"], "handling"),
                ("request-extension", "east1", ["working_days": 3, "reason": "需协调供电部门"], "handling"),
                ("approve-extension", "sup1", [:], "handling"),
                ("reply", "street1", ["text": "已更换路灯灯泡。"], "replied"),
                ("pass-review", "rev1", ["note": "答复规范"], "awaiting_callback"),
                ("callback", "cb1", ["resolved": true, "satisfaction": "satisfied", "note": "市民满意"], "closed"),
                ("final-reply", "sup1", ["note": "已作最终答复"], "closed"),
                ("archive", "disp1", [:], "archived"),
            ]
            for (action, user, body, expected) in steps {
                let reply = try await client.post(APIRoutes.action(number, action), as: user, body)
                #expect(reply.status == .ok, "\(action): \(reply.json)")
                #expect(reply.order["status"] as? String == expected, "\(action)")
            }
            let detail = try await client.call(.get, APIRoutes.order(number), as: "sup1")
            #expect(detail.status == .ok)
            #expect(detail["chain_verified"] as? Bool == true)
            let events = (detail["events"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(events == ["created", "dispatched", "signed", "sub_dispatched", "extension_requested", "extension_approved", "replied",
                               "review_passed", "callback_recorded", "final_reply_marked", "archived"])
            #expect(detail.order["final_reply"] as? Bool == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func returnAndRedispatchThroughTheAPI(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-west"])
            let returned = try await client.post(APIRoutes.action(number, "return"), as: "west1", ["reason": "地址在东区"])
            #expect(returned.order["status"] as? String == "returned")
            let again = try await client.post(APIRoutes.action(number, "redispatch"), as: "disp1", ["lead_unit": "dist-east"])
            #expect(again.order["lead_unit"] as? String == "dist-east")
            let list = try await client.call(.get, APIRoutes.orders + "?unit=dist-east&status=dispatched", as: "disp1")
            #expect(list["total"] as? Int == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func directAnswerAndRejectionAtIntake(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            var body = Bodies.intake
            body["kind"] = "consultation"
            body["decision"] = ["type": "answer_directly", "answer": "社保卡补办请携带身份证到就近网点。"]
            let answered = try await client.post(APIRoutes.orders, as: "agent1", body)
            #expect(answered.order["status"] as? String == "closed")
            body["decision"] = ["type": "reject", "reason": "emergency_119"]
            let rejected = try await client.post(APIRoutes.orders, as: "agent1", body)
            #expect(rejected.order["status"] as? String == "rejected")
            #expect((rejected.order["rejection"] as? [String: Any])?["redirect_number"] as? String == "119")
        }
    }

    @Test(arguments: TestDatabase.available)
    func listFiltersAndPaginates(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            for i in 0..<5 {
                var body = Bodies.intake
                body["title"] = "路灯问题\(i)"
                body["channel"] = i % 2 == 0 ? "phone" : "wechat"
                _ = try await client.post(APIRoutes.orders, as: "agent1", body)
            }
            let page = try await client.call(.get, APIRoutes.orders + "?channel=wechat&page_size=1&page=2", as: "disp1")
            #expect(page.status == .ok)
            #expect(page["total"] as? Int == 2)
            let items = page["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1)
            #expect(items.first?["caller_phone"] as? String == "138****5678")
            let text = try await client.call(.get, APIRoutes.orders + "?q=%E8%B7%AF%E7%81%AF%E9%97%AE%E9%A2%983", as: "disp1")
            #expect(text["total"] as? Int == 1)
        }
    }
}
