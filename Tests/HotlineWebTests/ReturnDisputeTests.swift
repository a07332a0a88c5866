import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Returns (退单) with a reason from the admins' list and evidence, and the centre's decision on them: accept and
/// re-dispatch (同意退单并改派), or refuse and send the order back to the unit (驳回退单).
@Suite struct ReturnDisputeTests {
    let console = ConsoleTests()

    /// A new order dispatched to the east district (signed by it when `signed`).
    func dispatched(_ client: any TestClientProtocol, signed: Bool = false) async throws -> String {
        let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
        try #require(try await client.post(APIRoutes.action(n, "dispatch"), as: "disp1", ["lead_unit": "dist-east"]).status == .ok)
        if signed { try #require(try await client.post(APIRoutes.action(n, "sign"), as: "east1").status == .ok) }
        return n
    }

    func returned(_ client: any TestClientProtocol, signed: Bool = false) async throws -> String {
        let n = try await dispatched(client, signed: signed)
        let reply = try await client.post(APIRoutes.action(n, "return"), as: "east1",
                                          ["reason": "wrong_district", "evidence": "诉求地点幸福路128号属西区管辖"])
        try #require(reply.status == .ok, "\(reply.raw)")
        return n
    }

    func field(_ reply: APIReply) -> String? { (reply.json["error"] as? [String: Any])?["field"] as? String }

    func sentences(_ client: any TestClientProtocol, _ n: String) async throws -> String {
        try await console.page(client, WebRoutes.order(n), cookie: try await console.logIn(client, "sup1")).raw
    }

    @Test(arguments: TestDatabase.available)
    func everyReasonOnTheListReturnsTheOrderWithItsEvidence(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            for reason in ReturnReasonList.default.items {
                let n = try await dispatched(client)
                let reply = try await client.post(APIRoutes.action(n, "return"), as: "east1",
                                                  ["reason": reason.code, "evidence": "经核实，该诉求应由其他单位办理，详见说明。"])
                #expect(reply.status == .ok, "\(reason.code): \(reply.raw)")
                #expect(reply.order["status"] as? String == "returned")
                let page = try await sentences(client, n)
                #expect(page.contains("东区人民政府退单，理由：\(reason.name)"), "\(reason.code)")
                #expect(page.contains("<dt>退单理由</dt><dd>东区人民政府：\(reason.name)。依据：经核实，该诉求应由其他单位办理，详见说明。</dd>"))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aReturnWithoutEvidenceOrWithAnUnknownReasonChangesNothing(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await dispatched(client)
            let before = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            let bad: [([String: Any], String)] = [
                (["reason": "wrong_district"], "evidence"),
                (["reason": "wrong_district", "evidence": "   "], "evidence"),
                (["reason": "not_a_reason", "evidence": "诉求地点属西区管辖"], "reason"),
                (["reason": "", "evidence": "诉求地点属西区管辖"], "reason"),
                (["evidence": "诉求地点属西区管辖"], "reason"),
                (["reason": "other", "evidence": "不归我们"], "evidence"),
                ([:], "reason"),
            ]
            for (body, expected) in bad {
                let reply = try await client.post(APIRoutes.action(n, "return"), as: "east1", body)
                #expect(reply.status == .unprocessableContent, "\(body): \(reply.raw)")
                #expect(field(reply) == expected, "\(body): \(reply.raw)")
            }
            let other = try await client.post(APIRoutes.action(n, "return"), as: "east1", ["reason": "other", "evidence": "不归我们"])
            #expect(other.raw.contains("不少于10字"), "其他 asks for a longer explanation: \(other.raw)")
            #expect(try await client.call(.get, APIRoutes.order(n), as: "sup1").raw == before.raw, "nothing stored")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theOldFreeTextShapesAreFiledUnderOther(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let first = try await dispatched(client)
            #expect(try await client.post(APIRoutes.action(first, "return"), as: "east1", ["reason": "地址在西区"]).status == .ok)
            let second = try await dispatched(client)
            #expect(try await client.post(APIRoutes.action(second, "return"), as: "east1", ["note": "地址在西区"]).status == .ok)
            #expect(try await sentences(client, first).contains("东区人民政府退单，理由：其他"))
            #expect(try await sentences(client, second).contains("东区人民政府：其他。依据：地址在西区"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theCentreRefusesAReturnAndTheUnitCarriesOnWithItsDeadline(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await returned(client, signed: true)
            let before = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            let replyBy = (before.order["deadlines"] as? [String: Any])?["reply_by"] as? String
            for user in ["east1", "eastadmin", "agent1", "rev1", "cb1", "admin1"] {
                let refused = try await client.post(APIRoutes.action(n, "reject-return"), as: user, ["reason": "经核实属于东区职责"])
                #expect(refused.status == .forbidden || refused.status == .notFound, "\(user): \(refused.status)")
            }
            let empty = try await client.post(APIRoutes.action(n, "reject-return"), as: "disp1", ["reason": " "])
            #expect(empty.status == .unprocessableContent && field(empty) == "reason")
            #expect(try await client.call(.get, APIRoutes.order(n), as: "sup1").raw == before.raw, "refusals change nothing")

            let rejected = try await client.post(APIRoutes.action(n, "reject-return"), as: "disp1", ["reason": "经核实幸福路128号属东区管辖"])
            #expect(rejected.status == .ok, "\(rejected.raw)")
            #expect(rejected.order["status"] as? String == "handling", "a unit that had signed carries on handling")
            #expect(rejected.order["lead_unit"] as? String == "dist-east")
            #expect((rejected.order["deadlines"] as? [String: Any])?["reply_by"] as? String == replyBy, "the reply deadline runs on")
            let again = try await client.post(APIRoutes.action(n, "return"), as: "east1", ["reason": "wrong_district", "evidence": "仍认为属西区管辖"])
            #expect(again.status != .ok, "the return window closes with the refusal")
            let page = try await sentences(client, n)
            #expect(page.contains("驳回东区人民政府的退单，退回该单位继续办理"))
            #expect(page.contains("经核实幸福路128号属东区管辖"))
            let notices = try await client.call(.get, APIRoutes.notices, as: "east1")
            #expect(notices.raw.contains("驳回东区人民政府的退单"), "the unit is told: \(notices.raw)")
            #expect(try await client.post(APIRoutes.action(n, "reject-return"), as: "sup1", ["reason": "再次驳回"]).status == .conflict,
                    "only a returned order")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSupervisorMayRefuseAnUnsignedReturnWhichWaitsForTheSignatureAgain(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await returned(client)
            let rejected = try await client.post(APIRoutes.action(n, "reject-return"), as: "sup1", ["reason": "经核实属东区管辖"])
            #expect(rejected.status == .ok && rejected.order["status"] as? String == "dispatched")
            #expect(try await client.post(APIRoutes.action(n, "sign"), as: "east1").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func acceptingAReturnReDispatchesToAnotherUnit(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await returned(client)
            let dispatcher = try await console.logIn(client, "disp1")
            let detail = try await console.page(client, WebRoutes.order(n), cookie: dispatcher).raw
            #expect(detail.contains("<summary>同意退单并改派</summary>") && detail.contains("<summary>驳回退单</summary>"))
            let leads = detail.components(separatedBy: "<select id=\"redispatch-lead_unit\"")[1].components(separatedBy: "</select>")[0]
            #expect(!leads.contains("dist-east") && leads.contains("dist-west"), "the unit that returned it is not offered")
            let redispatched = try await client.post(APIRoutes.action(n, "redispatch"), as: "disp1", ["lead_unit": "dist-west", "note": "退单理由成立"])
            #expect(redispatched.status == .ok)
            #expect(try await sentences(client, n).contains("同意退单，改派至西区人民政府主办"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theConsoleFormsOfferTheListAndRefuseWhatIsMissing(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await dispatched(client)
            let unit = try await console.logIn(client, "east1")
            let detail = try await console.page(client, WebRoutes.order(n), cookie: unit).raw
            let form = detail.components(separatedBy: "<summary>退单</summary>")[1].components(separatedBy: "</form>")[0]
            for reason in ReturnReasonList.default.items { #expect(form.contains("value=\"\(reason.code)\"") && form.contains(reason.name)) }
            #expect(form.contains("type=\"radio\"") && !form.contains("checked"), "nothing chosen beforehand")
            #expect(form.contains("name=\"evidence\"") && form.contains("退单依据"))
            let csrf = SessionCookie.csrfToken(forSession: unit)
            let missing = try await console.form(client, WebRoutes.order(n) + "/return", "_csrf=\(csrf)&evidence=%E5%B1%9E%E8%A5%BF%E5%8C%BA", cookie: unit)
            #expect(missing.status == .unprocessableContent && missing.raw.contains("请选择退单原因"))
            let noEvidence = try await console.form(client, WebRoutes.order(n) + "/return", "_csrf=\(csrf)&reason=duplicate&evidence=", cookie: unit)
            #expect(noEvidence.status == .unprocessableContent && noEvidence.raw.contains("退单依据：不能为空"))
            let sent = try await console.form(client, WebRoutes.order(n) + "/return", "_csrf=\(csrf)&reason=duplicate&evidence=%E4%B8%8E%E5%B7%A5%E5%8D%95%E9%87%8D%E5%A4%8D", cookie: unit)
            #expect(sent.status == .seeOther)

            let dispatcher = try await console.logIn(client, "disp1")
            let list = try await console.page(client, "/orders?status=returned", cookie: dispatcher).raw
            #expect(list.contains("<td data-label=\"退单理由\">重复工单：与工单重复</td>"))
            let refused = try await console.form(client, WebRoutes.order(n) + "/reject-return",
                                                 "_csrf=\(SessionCookie.csrfToken(forSession: dispatcher))&reason=%E5%B9%B6%E9%9D%9E%E9%87%8D%E5%A4%8D", cookie: dispatcher)
            #expect(refused.status == .seeOther, "\(refused.raw)")
            #expect(try await client.call(.get, APIRoutes.order(n), as: "sup1").order["status"] as? String == "dispatched")
        }
    }

    @Test(arguments: TestDatabase.available)
    func adminsKeepTheListWithStableCodes(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let listed = try await client.call(.get, APIRoutes.returnReasons, as: "disp1")
            #expect(listed.status == .ok && listed.items.compactMap { $0["code"] as? String } == ReturnReasonList.default.items.map(\.code))
            var items: [[String: Any]] = ReturnReasonList.default.items.map { ["code": $0.code, "name": $0.name] }
            items[1]["name"] = "不属于本区县辖区"
            items[3]["active"] = false
            items.insert(["code": "court_case", "name": "已进入司法程序"], at: 5)
            func put(_ user: String, _ items: [[String: Any]]) async throws -> APIReply {
                let data = try JSONSerialization.data(withJSONObject: ["items": items])
                return try await client.call(.put, APIRoutes.returnReasons, as: user, json: String(decoding: data, as: UTF8.self))
            }
            #expect(try await put("disp1", items).status == .forbidden)
            #expect(try await put("sup1", items).status == .forbidden)
            let unchanged = try await client.call(.get, APIRoutes.returnReasons, as: "disp1")
            #expect(unchanged.raw == listed.raw)
            let dropped = try await put("admin1", Array(items.dropFirst()))
            #expect(dropped.status == .unprocessableContent && field(dropped) == "items" && dropped.raw.contains("不能删除"))
            var noOther = items
            noOther[noOther.count - 1]["active"] = false
            #expect(field(try await put("admin1", noOther)) == "items")
            var badCode = items
            badCode[5]["code"] = "Court Case"
            #expect(field(try await put("admin1", badCode)) == "code")
            #expect(try await client.call(.get, APIRoutes.returnReasons, as: "disp1").raw == listed.raw, "refusals store nothing")

            let saved = try await put("admin1", items)
            #expect(saved.status == .ok, "\(saved.raw)")
            var filter = AuditFilter()
            filter.action = .returnReasonsChanged
            #expect(try await services.audit.list(filter, page: 1, size: 5).count == 1, "one audit line for the change, none for refusals")

            let n = try await dispatched(client)
            let unit = try await console.logIn(client, "east1")
            let form = try await console.page(client, WebRoutes.order(n), cookie: unit).raw
            #expect(form.contains("不属于本区县辖区") && form.contains("已进入司法程序") && !form.contains("value=\"duplicate\""))
            let retired = try await client.post(APIRoutes.action(n, "return"), as: "east1", ["reason": "duplicate", "evidence": "与另一工单重复"])
            #expect(retired.status == .unprocessableContent && field(retired) == "reason")
            #expect(try await client.post(APIRoutes.action(n, "return"), as: "east1", ["reason": "court_case", "evidence": "已起诉"]).status == .ok)
            #expect(try await sentences(client, n).contains("东区人民政府退单，理由：已进入司法程序"))
        }
    }
}

/// 提级督办 by the system when three different units have returned an order (巴彦淖尔's rule), once.
@Suite struct ReturnEscalationTests {
    @Test(arguments: TestDatabase.available)
    func theThirdUnitToReturnAnOrderEscalatesItOnce(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let rounds: [(unit: String, user: String)] = [("dist-east", "east1"), ("dist-west", "west1"), ("st-east-1", "street1"), ("dist-east", "east1")]
            var escalatedAfter: [Bool] = []
            for (i, round) in rounds.enumerated() {
                let send = try await client.post(APIRoutes.action(n, i == 0 ? "dispatch" : "redispatch"), as: "disp1", ["lead_unit": round.unit])
                try #require(send.status == .ok, "\(send.raw)")
                let back = try await client.post(APIRoutes.action(n, "return"), as: round.user, ["reason": "not_our_duty", "evidence": "不属于本单位职责范围"])
                try #require(back.status == .ok, "\(back.raw)")
                escalatedAfter.append(back.order["escalated"] as? Bool == true)
            }
            #expect(escalatedAfter == [false, false, true, true])
            let record = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            let escalations = (record["events"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "escalated" }
            #expect(escalations.count == 1, "once, however many return it after")
            #expect(escalations.first?["actor_role"] as? String == "system", "by the system")
            let console = ConsoleTests()
            let page = try await console.page(client, WebRoutes.order(n), cookie: try await console.logIn(client, "sup1")).raw
            #expect(page.contains("东区人民政府、西区人民政府、东区幸福街道办事处先后退单，自动提级督办"))
        }
    }
}
