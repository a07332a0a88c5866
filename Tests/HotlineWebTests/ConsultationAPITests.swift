import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

extension Bodies {
    /// A joint consultation (会商) held at the test clock's Monday, deciding that `lead` leads with the housing bureau
    /// (or the east district) assisting, due that Friday.
    static func consultation(lead: String = "dept-housing") -> [String: Any] {
        let helper = lead == "dept-housing" ? "dist-east" : "dept-housing"
        return ["units": [lead, helper], "meeting_at": "2025-03-03T10:00", "lead_unit": lead, "assisting_units": [helper],
                "due_by": "2025-03-07", "decision": "由主办单位牵头处置，协办单位配合，周五前答复市民"]
    }
}

/// 提级规则, 协调督办 and 会商 through the API and the console, on SQLite and PostgreSQL.
@Suite struct ConsultationAPITests {
    let console = ConsoleTests()

    func open(_ client: any TestClientProtocol, lead: String = "dist-east") async throws -> String {
        let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
        try #require(try await client.post(APIRoutes.action(n, "dispatch"), as: "disp1", ["lead_unit": lead]).status == .ok)
        return n
    }

    /// Takes a dispatched order of the east district through reply, review and an unsatisfied callback, then redoes it.
    func redoRound(_ client: any TestClientProtocol, _ n: String) async throws -> APIReply {
        for (user, action, body) in [("east1", "sign", [:]), ("east1", "reply", ["text": "已派人维修，路灯恢复照明。"]), ("rev1", "pass-review", [:]),
                                     ("cb1", "callback", ["reached": true, "resolved": false, "satisfaction": "unsatisfied"])] as [(String, String, [String: Any])] {
            let reply = try await client.post(APIRoutes.action(n, action), as: user, body)
            try #require(reply.status == .ok, "\(action): \(reply.raw)")
        }
        return try await client.post(APIRoutes.action(n, "redo"), as: "disp1", ["reason": "市民反映仍未解决"])
    }

    func queueTotal(_ client: any TestClientProtocol) async throws -> Int? {
        try await client.call(.get, APIRoutes.orders + "?escalated=pending", as: "sup1")["total"] as? Int
    }

    @Test(arguments: TestDatabase.available)
    func theEscalationRuleIsReadByAllChangedByAdminsAndAudited(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let initial = try await client.call(.get, APIRoutes.escalationRule, as: "disp1")
            #expect(initial["redo_rounds"] as? Int == 2 && initial["returning_units"] as? Int == 3)
            let body = #"{"redo_rounds": 3, "returning_units": 0}"#
            #expect(try await client.call(.put, APIRoutes.escalationRule, as: "sup1", json: body).status == .forbidden)
            let bad = try await client.call(.put, APIRoutes.escalationRule, as: "admin1", json: #"{"redo_rounds": 3, "returning_units": 99}"#)
            #expect(bad.status == .unprocessableContent && (bad["error"] as? [String: Any])?["field"] as? String == "returning_units", "\(bad.raw)")
            #expect(try await client.call(.get, APIRoutes.escalationRule, as: "admin1")["redo_rounds"] as? Int == 2, "a refused change leaves it")
            let set = try await client.call(.put, APIRoutes.escalationRule, as: "admin1", json: body)
            #expect(set.status == .ok && set["redo_rounds"] as? Int == 3 && set["returning_units"] as? Int == 0, "\(set.raw)")
            #expect(services.reference.context.escalationRule == EscalationRule(redoRounds: 3, returningUnits: 0))
            var filter = AuditFilter()
            filter.action = .escalationRuleChanged
            let lines = try await services.audit.list(filter, page: 1, size: 10)
            #expect(lines.count == 1 && lines.first?.detail == "redo_rounds=3 returning_units=0")
        }
    }

    @Test(arguments: TestDatabase.available)
    func redosEscalateUnderTheConfiguredRuleAndFillTheCoordinationQueue(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            #expect(try await client.call(.put, APIRoutes.escalationRule, as: "admin1", json: #"{"redo_rounds": 3, "returning_units": 3}"#).status == .ok)
            let n = try await open(client)
            var escalated: [Bool] = []
            for _ in 1...3 {
                let redo = try await redoRound(client, n)
                try #require(redo.status == .ok, "\(redo.raw)")
                escalated.append(redo.order["escalated"] as? Bool == true)
            }
            #expect(escalated == [false, false, true])
            let record = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            let events = (record["events"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "escalated" }
            #expect(events.count == 1)
            #expect((events.first?["details"] as? [String: Any])?["rule"] as? String == "redo_rounds_3", "\(events)")
            #expect(record.order["awaits_coordination"] as? Bool == true)
            // The queue: its list, and the tile on the supervisor's and the dispatcher's home.
            #expect(try await queueTotal(client) == 1)
            let list = try await client.call(.get, APIRoutes.orders + "?escalated=pending", as: "disp1")
            #expect(list.items.map { $0["number"] as? String } == [n])
            #expect(try await client.call(.get, APIRoutes.orders + "?escalated=yes", as: "sup1").status == .unprocessableContent)
            for user in ["sup1", "disp1"] {
                let home = try await console.page(client, WebRoutes.home, cookie: try await console.logIn(client, user)).raw
                #expect(home.contains("data-label=\"协调督办\">\n    <div class=\"count\">1</div>"), "\(user)'s home")
                #expect(home.contains("href=\"/orders?escalated=pending\""), "\(user)'s tile opens the list")
            }
            let board = try await console.page(client, WebRoutes.supervision, cookie: try await console.logIn(client, "sup1")).raw
            #expect(board.contains("协调督办：待会商的提级工单") && board.contains(">\(n)</a>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRuleOfZeroNeverEscalatesByRedosAndReturnsFollowTheirOwnNumber(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            #expect(try await client.call(.put, APIRoutes.escalationRule, as: "admin1", json: #"{"redo_rounds": 0, "returning_units": 2}"#).status == .ok)
            let n = try await open(client)
            for _ in 1...3 { #expect(try await redoRound(client, n).order["escalated"] as? Bool == false) }
            let m = try await open(client)
            let first = try await client.post(APIRoutes.action(m, "return"), as: "east1", ["reason": "not_our_duty", "evidence": "不属于本单位职责范围"])
            #expect(first.order["escalated"] as? Bool == false)
            #expect(try await client.post(APIRoutes.action(m, "redispatch"), as: "disp1", ["lead_unit": "dist-west"]).status == .ok)
            let second = try await client.post(APIRoutes.action(m, "return"), as: "west1", ["reason": "not_our_duty", "evidence": "不属于本单位职责范围"])
            #expect(second.order["escalated"] as? Bool == true)
            let events = (try await client.call(.get, APIRoutes.order(m), as: "sup1")["events"] as? [[String: Any]] ?? [])
            #expect(events.contains { $0["kind"] as? String == "escalated" && ($0["details"] as? [String: Any])?["rule"] as? String == "returning_units_2" })
            #expect(try await queueTotal(client) == 1, "only the returned order waits")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aConsultationDispatchesToTheLeadUnitTellsTheAssistantsAndEmptiesTheQueue(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await open(client)
            #expect(try await client.post(APIRoutes.action(n, "escalate"), as: "sup1", ["reason": "多部门职责交叉"]).status == .ok)
            #expect(try await queueTotal(client) == 1)
            // Wrong roles are refused, and so is bad input, each leaving the order as it was.
            let before = try await client.call(.get, APIRoutes.order(n), as: "sup1").raw
            for user in ["east1", "agent1", "rev1", "mgr1"] {
                #expect(try await client.post(APIRoutes.action(n, "consult"), as: user, Bodies.consultation()).status == .forbidden, "\(user)")
            }
            var unknown = Bodies.consultation()
            unknown["units"] = ["dept-housing", "no-such-unit"]
            let refused = try await client.post(APIRoutes.action(n, "consult"), as: "sup1", unknown)
            #expect(refused.status == .unprocessableContent && (refused["error"] as? [String: Any])?["field"] as? String == "units", "\(refused.raw)")
            var badDate = Bodies.consultation()
            badDate["due_by"] = "2025-03-08"
            let saturday = try await client.post(APIRoutes.action(n, "consult"), as: "sup1", badDate)
            #expect(saturday.status == .unprocessableContent && (saturday["error"] as? [String: Any])?["field"] as? String == "due_by")
            #expect(try await client.call(.get, APIRoutes.order(n), as: "sup1").raw == before, "refusals change nothing")

            let done = try await client.post(APIRoutes.action(n, "consult"), as: "disp1", Bodies.consultation())
            #expect(done.status == .ok, "\(done.raw)")
            #expect(done.order["status"] as? String == "dispatched" && done.order["lead_unit"] as? String == "dept-housing")
            #expect(done.order["assisting_units"] as? [String] == ["dist-east"])
            #expect((done.order["deadlines"] as? [String: Any])?["reply_by"] as? String == "2025-03-07T23:59:59+08:00", "\(done.order["deadlines"] ?? "")")
            #expect(done.order["awaits_coordination"] as? Bool == false)
            #expect(try await queueTotal(client) == 0, "the queue empties")
            let record = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            let event = try #require((record["events"] as? [[String: Any]] ?? []).last)
            #expect(event["kind"] as? String == "consulted" && event["note"] as? String == "由主办单位牵头处置，协办单位配合，周五前答复市民")
            let details = event["details"] as? [String: Any] ?? [:]
            #expect(details["units"] as? String == "dept-housing,dist-east" && details["lead_unit"] as? String == "dept-housing")
            #expect(details["assisting_units"] as? String == "dist-east" && details["due_by"] as? String == "2025-03-07")
            #expect(details["meeting_at"] as? String == "2025-03-03T10:00:00+08:00")
            // The assisting unit sees the order in its list and is told.
            let east = try await client.call(.get, APIRoutes.orders + "?unit=dist-east", as: "east1")
            #expect(east.items.contains { $0["number"] as? String == n })
            #expect(try await client.call(.get, APIRoutes.order(n), as: "east1").status == .ok)
            #expect(try await client.call(.get, APIRoutes.notices, as: "east1").raw.contains("会商"))
            // Once decided, it is not decided again.
            #expect(try await client.post(APIRoutes.action(n, "consult"), as: "sup1", Bodies.consultation()).errorCode == "already_consulted")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aConsultationIsRefusedOnOrdersNotEscalatedOrClosed(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await open(client)
            let before = try await client.call(.get, APIRoutes.order(n), as: "sup1").raw
            let plain = try await client.post(APIRoutes.action(n, "consult"), as: "sup1", Bodies.consultation())
            #expect(plain.status == .conflict && plain.errorCode == "not_escalated", "\(plain.raw)")
            #expect(try await client.call(.get, APIRoutes.order(n), as: "sup1").raw == before)
            let m = try await open(client)
            #expect(try await client.post(APIRoutes.action(m, "escalate"), as: "sup1", ["reason": "群众反映强烈"]).status == .ok)
            for (user, action, body) in [("east1", "sign", [:]), ("east1", "reply", ["text": "已派人维修，路灯恢复照明。"]), ("rev1", "pass-review", [:]),
                                         ("cb1", "close", ["note": "市民表示无需回访"])] as [(String, String, [String: Any])] {
                try #require(try await client.post(APIRoutes.action(m, action), as: user, body).status == .ok)
            }
            let closedBefore = try await client.call(.get, APIRoutes.order(m), as: "sup1").raw
            let closed = try await client.post(APIRoutes.action(m, "consult"), as: "sup1", Bodies.consultation())
            #expect(closed.status == .conflict && closed.errorCode == "illegal_transition", "\(closed.raw)")
            #expect(try await client.call(.get, APIRoutes.order(m), as: "sup1").raw == closedBefore)
            #expect(try await queueTotal(client) == 0, "a closed order leaves the queue")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theOrderPageHoldsTheConsultationAndTellsItInWords(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await open(client)
            let admin = AdminPageTests()
            let sup = try await admin.session(client, "sup1")
            let plain = try await console.page(client, WebRoutes.order(n), cookie: sup.cookie).raw
            #expect(!plain.contains("<summary>会商</summary>"), "no form before escalation")
            #expect(plain.contains("<summary>提级督办</summary>"))
            #expect(try await client.post(APIRoutes.action(n, "escalate"), as: "sup1", ["reason": "多部门职责交叉"]).status == .ok)
            let page = try await console.page(client, WebRoutes.order(n), cookie: sup.cookie).raw
            #expect(page.contains("<summary>会商</summary>") && page.contains("type=\"datetime-local\"") && page.contains("type=\"date\""))
            #expect(!page.contains("<summary>提级督办</summary>"), "an escalated order offers no second escalation")
            let bad = try await admin.post(client, WebRoutes.order(n) + "/consult", sup, [("units[]", "dept-housing"), ("meeting_at", "2025-03-03T10:00"),
                                                                                     ("lead_unit", "dept-housing"), ("due_by", "2025-03-07"), ("decision", "牵头处置")])
            #expect(bad.status == .unprocessableContent && bad.raw.contains("参会单位"), "\(bad.status)")
            let posted = try await admin.post(client, WebRoutes.order(n) + "/consult", sup, [
                ("units[]", "dept-housing"), ("units[]", "dist-east"), ("meeting_at", "2025-03-03T10:00"), ("lead_unit", "dept-housing"),
                ("assisting_units[]", "dist-east"), ("due_by", "2025-03-07"), ("decision", "由市住建局牵头维修"),
            ])
            #expect(posted.status == .seeOther, "\(posted.raw)")
            let after = try await console.page(client, WebRoutes.order(n), cookie: sup.cookie).raw
            #expect(after.contains("会商（参会单位：市住房和城乡建设局、东区人民政府），决定由市住房和城乡建设局主办，东区人民政府协办，答复期限 2025-03-07 23:59"), "\(after)")
            #expect(!after.contains("<summary>会商</summary>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAdminSetsTheEscalationRuleOnTheTimeLimitsPage(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let admin = AdminPageTests()
            let s = try await admin.session(client, "admin1")
            let page = try await console.page(client, WebRoutes.adminTimeLimits, cookie: s.cookie).raw
            #expect(page.contains("<h2 id=\"escalation-rule\">提级规则</h2>") && page.contains("name=\"redo_rounds\" type=\"number\" min=\"0\" max=\"20\" step=\"1\" value=\"2\""))
            let bad = try await admin.post(client, WebRoutes.adminEscalationRule, s, [("redo_rounds", "两次"), ("returning_units", "3")])
            #expect(bad.status == .unprocessableContent && bad.raw.contains("重办次数"))
            #expect(services.reference.context.escalationRule == .default)
            let saved = try await admin.post(client, WebRoutes.adminEscalationRule, s, [("redo_rounds", "4"), ("returning_units", "0")])
            #expect(saved.status == .seeOther && saved.headers[.location] == WebRoutes.adminTimeLimits + "?done=escalation_rule_changed")
            #expect(services.reference.context.escalationRule == EscalationRule(redoRounds: 4, returningUnits: 0))
            let shown = try await console.page(client, WebRoutes.adminTimeLimits + "?done=escalation_rule_changed", cookie: s.cookie).raw
            #expect(shown.contains("已保存提级规则") && shown.contains("同一工单重办4次时自动提级督办"))
        }
    }
}
