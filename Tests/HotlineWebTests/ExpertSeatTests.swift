import Foundation
import HotlineApp
import HotlineDomain
@testable import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// 专家坐席 through the API: managers station a department with its matters, hours and specialists; an agent escalates
/// a call they answered (recorded on the call as a transfer) while the seat is staffed, or leaves a written question;
/// only the seat's specialist answers, once, and the answer becomes a knowledge draft in the same step; every refusal
/// leaves the seats, the questions, the calls and the knowledge base as they were.
@Suite struct ExpertSeatTests {
    /// Monday 10:00 is within 09:00-12:00 on a working day.
    static func seat(name: String = "社保专家坐席", unit: String = "dist-east", matters: [String] = ["02"], hours: String = "09:00-12:00 14:00-17:30",
                     specialists: [String] = ["east1"]) -> [String: Any] {
        ["name": name, "unit_id": unit, "matters": matters, "hours": hours, "specialists": specialists, "note": "社保卡、养老保险政策解答"]
    }

    func add(_ client: any TestClientProtocol, _ body: [String: Any] = seat(), as user: String = "mgr1") async throws -> Int {
        let reply = try await client.post(APIRoutes.expertSeats, as: user, body)
        try #require(reply.status == .created, "\(reply.raw)")
        return try #require(reply["id"] as? Int)
    }

    /// A call offered to the queue and answered by `agent`.
    func answeredCall(_ client: any TestClientProtocol, _ id: String, agent: String = "agent1") async throws {
        let events: [[String: Any]] = [
            ["event_id": id + "-o", "type": "call_offered", "call_id": id, "at": "2025-03-03T09:58:00+08:00", "caller": "13812345678", "queue": "综合"],
            ["event_id": id + "-a", "type": "call_answered", "call_id": id, "at": "2025-03-03T09:58:10+08:00", "agent": agent, "seat": "A01"],
        ]
        let reply = try await client.post(APIRoutes.ctiEvents, as: "admin1", ["events": events])
        try #require(reply.status == .ok, "\(reply.raw)")
    }

    func counts(_ services: HotlineServices) async throws -> (seats: Int, consultations: Int, drafts: Int, transfers: Int) {
        try await services.database.read { db in
            func count(_ sql: String) async throws -> Int { try await db.firstRow(Statement(sql))?.decode(column: "n", as: Int.self) ?? 0 }
            return (
                try await count("SELECT COUNT(*) AS n FROM expert_seats"), try await count("SELECT COUNT(*) AS n FROM expert_consultations"),
                try await count("SELECT COUNT(*) AS n FROM knowledge_entries WHERE status = 'draft'"),
                try await count("SELECT COALESCE(SUM(transfers), 0) AS n FROM calls")
            )
        }
    }

    @Test(arguments: TestDatabase.available)
    func managersStationASeatAndBadSettingsStoreNothing(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let id = try await add(client)
            let list = try await client.call(.get, APIRoutes.expertSeats, as: "agent1")
            #expect(list.status == .ok && list.raw.contains("社保专家坐席") && list.raw.contains("\"staffed\":true"), "\(list.raw)")
            #expect(list.raw.contains("\"hours\":\"09:00-12:00 14:00-17:30\"") && list.raw.contains("东区承办员"))

            let bad: [(String, [String: Any], String)] = [
                ("name", Self.seat(name: " "), "坐席名称不能为空"),
                ("hours", Self.seat(name: "甲", hours: "9点到12点"), "值守时间"),
                ("hours", Self.seat(name: "乙", hours: "12:00-09:00"), "结束应晚于开始"),
                ("hours", Self.seat(name: "丙", hours: "09:00-12:00 11:00-13:00"), "重叠"),
                ("matters", Self.seat(name: "丁", matters: ["99"]), "不是在用的事项分类"),
                ("matters", Self.seat(name: "戊", matters: []), "至少选择一个"),
                ("specialists", Self.seat(name: "己", specialists: ["west1"]), "不是驻场部门在用的用户"),
                ("specialists", Self.seat(name: "庚", specialists: ["nobody"]), "不是驻场部门在用的用户"),
                ("unit_id", Self.seat(name: "辛", unit: "dept-nowhere"), "驻场部门不存在"),
            ]
            let before = try await counts(services)
            for (field, body, message) in bad {
                let reply = try await client.post(APIRoutes.expertSeats, as: "mgr1", body)
                #expect(reply.status == .unprocessableContent, "\(field): \(reply.raw)")
                #expect(reply.raw.contains(field) && reply.raw.contains(message), "\(field): \(reply.raw)")
            }
            let taken = try await client.post(APIRoutes.expertSeats, as: "admin1", Self.seat())
            #expect(taken.status == .conflict && taken.raw.contains("同名"))
            for user in ["agent1", "sup1", "east1", "ed1"] {
                #expect(try await client.post(APIRoutes.expertSeats, as: user, Self.seat(name: "壬")).status == .forbidden, "\(user)")
            }
            #expect(try await counts(services).seats == before.seats)

            // Out of service: agents no longer see it; managers still do when they ask for every seat.
            var edited = Self.seat()
            edited["active"] = false
            let off = try await client.call(.put, APIRoutes.expertSeat(String(id)), as: "mgr1", json: Self.json(edited))
            #expect(off.status == .ok && off["active"] as? Bool == false, "\(off.raw)")
            #expect(!(try await client.call(.get, APIRoutes.expertSeats, as: "agent1").raw.contains("社保专家坐席")))
            #expect(try await client.call(.get, APIRoutes.expertSeats + "?state=all", as: "mgr1").raw.contains("社保专家坐席"))
            #expect(try await client.call(.get, APIRoutes.expertSeats + "?state=all", as: "agent1").status == .forbidden)
            let audit = try await services.audit.list(AuditFilter(), page: 1, size: 50).map(\.action)
            #expect(audit.filter { $0 == .expertSeatChanged }.count == 2)
        }
    }

    static func json(_ body: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: body), as: UTF8.self)
    }

    @Test(arguments: TestDatabase.available)
    func anEscalatedCallIsATransferAndTheAnswerBecomesADraftInOneStep(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let seat = try await add(client)
            try await answeredCall(client, "call-1")
            let asked = try await client.post(APIRoutes.expertConsultations, as: "agent1", [
                "seat_id": seat, "question": "退休人员异地就医备案怎么办？需要哪些材料？", "category_code": "02.01.01", "call_id": "call-1", "three_way": true,
            ])
            #expect(asked.status == .created && asked["status_name"] as? String == "待解答", "\(asked.raw)")
            let id = String(try #require(asked["id"] as? Int))
            // The call records the transfer to the seat.
            let call = try await services.database.read { db in
                try await db.firstRow(Statement("SELECT transfers, transferred_to, three_way FROM calls WHERE call_id = 'call-1'"))
            }
            #expect(try call?.decode(column: "transfers", as: Int.self) == 1)
            #expect(try call?.decode(column: "transferred_to", as: String.self) == "社保专家坐席")
            #expect(try call?.decode(column: "three_way", as: Int.self) == 1)

            // The specialist sees it among the seat's questions; another district's staff does not.
            let inbox = try await client.call(.get, APIRoutes.expertConsultations + "?view=seats&status=waiting", as: "east1")
            #expect(inbox.status == .ok && inbox.raw.contains("异地就医备案"))
            #expect(!(try await client.call(.get, APIRoutes.expertConsultations + "?view=seats", as: "west1").raw.contains("异地就医备案")))
            #expect(try await client.call(.get, APIRoutes.expertConsultation(id), as: "west1").status == .notFound)

            // Only the seat's specialist answers.
            let before = try await counts(services)
            for user in ["west1", "eastadmin"] {
                let refused = try await client.post(APIRoutes.answerConsultation(id), as: user, ["answer": "不归我答", "to_knowledge": true])
                #expect(refused.status == .forbidden || refused.status == .notFound, "\(user): \(refused.raw)")
            }
            #expect(try await client.post(APIRoutes.answerConsultation(id), as: "agent1", ["answer": "我来答"]).status == .forbidden)
            #expect(try await client.post(APIRoutes.answerConsultation(id), as: "east1", ["answer": "  "]).status == .unprocessableContent)
            #expect(try await counts(services) == before)

            let answer = "持社保卡和身份证，在“江州人社”小程序办理异地就医备案，即时生效；也可到区社保服务大厅窗口办理。"
            let answered = try await client.post(APIRoutes.answerConsultation(id), as: "east1", ["answer": answer, "to_knowledge": true])
            #expect(answered.status == .ok && answered["status_name"] as? String == "已解答", "\(answered.raw)")
            let entry = try #require(answered["knowledge_entry_id"] as? Int)
            let draft = try await client.call(.get, APIRoutes.knowledge + "/\(entry)", as: "ed1")
            #expect(draft.status == .ok && draft.raw.contains("异地就医备案") && draft.raw.contains("江州人社"), "\(draft.raw)")
            #expect(draft.raw.contains("\"status\":\"draft\""))
            // The agent reads the answer; a second answer changes nothing.
            let read = try await client.call(.get, APIRoutes.expertConsultation(id), as: "agent1")
            #expect(read.raw.contains("江州人社") && read["answered_by_name"] as? String == "东区承办员")
            let after = try await counts(services)
            let again = try await client.post(APIRoutes.answerConsultation(id), as: "east1", ["answer": "另一种说法", "to_knowledge": true])
            #expect(again.status == .conflict)
            #expect(try await counts(services) == after)
            #expect(try await client.post(APIRoutes.consultationDraft(id), as: "ed1").status == .conflict, "one answer, one draft")
        }
    }

    @Test(arguments: TestDatabase.available)
    func escalationsAreRefusedWhenTheCallIsAnothersOrTheSeatIsOffDuty(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let staffed = try await add(client)
            let offDuty = try await add(client, Self.seat(name: "夜间专家坐席", hours: "20:00-22:00"))
            try await answeredCall(client, "call-2", agent: "agent1")
            let before = try await counts(services)
            let cases: [(String, [String: Any], HTTPResponse.Status, String)] = [
                ("disp1", ["seat_id": staffed, "question": "问题", "call_id": "call-2"], .unprocessableContent, "不是您接听的"),
                ("agent1", ["seat_id": offDuty, "question": "问题", "call_id": "call-2"], .conflict, "不在值守时间"),
                ("agent1", ["seat_id": 999, "question": "问题"], .unprocessableContent, "专家坐席不存在"),
                ("agent1", ["seat_id": staffed, "question": ""], .unprocessableContent, "请写明"),
                ("agent1", ["seat_id": staffed, "question": String(repeating: "问", count: 1001)], .unprocessableContent, "不能超过1000字"),
                ("agent1", ["seat_id": staffed, "question": "问题", "category_code": "77"], .unprocessableContent, "事项分类不存在"),
                ("agent1", ["seat_id": staffed, "question": "问题", "order_number": "20250303999999"], .unprocessableContent, "工单不存在"),
            ]
            for (user, body, status, message) in cases {
                let reply = try await client.post(APIRoutes.expertConsultations, as: user, body)
                #expect(reply.status == status && reply.raw.contains(message), "\(body): \(reply.raw)")
            }
            for user in ["sup1", "east1", "ed1", "mgr1"] {
                #expect(try await client.post(APIRoutes.expertConsultations, as: user, ["seat_id": staffed, "question": "问题"]).status == .forbidden)
            }
            #expect(try await counts(services) == before)
            // Off duty, a written question is still taken (留言会商), and no call records a transfer.
            let written = try await client.post(APIRoutes.expertConsultations, as: "agent1", ["seat_id": offDuty, "question": "夜间供暖补贴政策？"])
            #expect(written.status == .created && written["call_id"] == nil)
            #expect(try await counts(services).transfers == 0)
            // The asker sees their own; another asker does not.
            let id = String(try #require(written["id"] as? Int))
            #expect(try await client.call(.get, APIRoutes.expertConsultation(id), as: "disp1").status == .notFound)
            #expect(try await client.call(.get, APIRoutes.expertConsultations + "?view=asked", as: "agent1").raw.contains("供暖补贴"))
            #expect(!(try await client.call(.get, APIRoutes.expertConsultations + "?view=asked", as: "disp1").raw.contains("供暖补贴")))
            #expect(try await client.call(.get, APIRoutes.expertConsultations, as: "sup1").raw.contains("供暖补贴"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func twoAnswersAtOnceMakeOneAnswerAndOneDraft(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let seat = try await add(client, Self.seat(specialists: ["east1", "eastadmin"]))
            let asked = try await client.post(APIRoutes.expertConsultations, as: "agent1", ["seat_id": seat, "question": "社保断缴后如何补缴？"])
            let id = String(try #require(asked["id"] as? Int))
            let drafts = try await counts(services).drafts
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<8 {
                    group.addTask {
                        try await client.post(APIRoutes.answerConsultation(id), as: i % 2 == 0 ? "east1" : "eastadmin",
                                              ["answer": "第\(i)种答法：到社保窗口申请补缴。", "to_knowledge": true]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.filter { $0 == .conflict }.count == 7, "\(statuses)")
            #expect(try await counts(services).drafts == drafts + 1)
            // A later draft for an answer made without one: the specialist or an editor, once.
            let second = try await client.post(APIRoutes.expertConsultations, as: "agent1", ["seat_id": seat, "question": "灵活就业人员医保怎么交？"])
            let other = String(try #require(second["id"] as? Int))
            #expect(try await client.post(APIRoutes.consultationDraft(other), as: "ed1").status == .conflict, "not answered yet")
            _ = try await client.post(APIRoutes.answerConsultation(other), as: "east1", ["answer": "通过江州人社小程序按月缴纳。"])
            #expect(try await client.post(APIRoutes.consultationDraft(other), as: "agent1").status == .forbidden)
            #expect(try await client.post(APIRoutes.consultationDraft(other), as: "ed1").status == .created)
            #expect(try await client.post(APIRoutes.consultationDraft(other), as: "east1").status == .conflict)
            #expect(try await counts(services).drafts == drafts + 2)
        }
    }
}
