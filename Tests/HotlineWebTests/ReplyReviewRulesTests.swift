import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// The reply review rules (答复审核规则) at work: a blocking rule refuses a reply through the API and the console form
/// and stores nothing, warnings let it through and show; the reviewer sees the verdicts beside the reply; admins
/// change the rules through the API and their page, others cannot, bad parameters are refused in Chinese.
@Suite struct ReplyReviewRulesTests {
    let console = ConsoleTests()
    let admin = AdminPageTests()

    /// A fresh complaint the east district has signed for: waiting for its reply. The clock reads 2025-03-03.
    func handling(_ client: any TestClientProtocol) async throws -> String {
        let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
        try #require(try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-east"]).status == .ok)
        try #require(try await client.post(APIRoutes.action(number, "sign"), as: "east1", [:]).status == .ok)
        return number
    }

    static let goodReply = "东区人民政府已电话联系来电人，我局安排人员到幸福路12号小区现场查看，路灯已更换灯泡，晚上出行恢复照明。"

    @Test(arguments: TestDatabase.available)
    func aBlockingRuleRefusesTheReplyThroughTheAPIAndStoresNothing(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let number = try await handling(client)
            let before = try #require(try await services.orders.record(OrderNumber(number)!))
            let refused = try await client.post(APIRoutes.action(number, "reply"), as: "east1", ["text": "已修复，有事请打13912345678，我局将于3月1日前回访。"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorCode == "reply_review_failed")
            let error = try #require(refused.json["error"] as? [String: Any])
            let failed = try #require(error["failed_rules"] as? [[String: Any]])
            // Both blocking failures first, then the warnings; each explains itself.
            #expect(failed.prefix(2).map { $0["rule"] as? String } == ["no_unmasked_numbers", "promised_dates_ahead"])
            #expect(failed.prefix(2).allSatisfy { $0["severity"] as? String == "block" })
            #expect(failed.dropFirst(2).map { $0["rule"] as? String } == ["addresses_request", "complaint_contact"])
            #expect(failed.dropFirst(2).allSatisfy { $0["severity"] as? String == "warn" })
            let message = try #require(error["message"] as? String)
            #expect(message.contains("答复含有未遮挡的电话号码或身份证号（139****5678）"))
            #expect(message.contains("答复承诺的日期已经过去：“3月1日”"))
            #expect(!message.contains("13912345678"), "the refusal does not repeat the number")
            let after = try #require(try await services.orders.record(OrderNumber(number)!))
            #expect(after.order == before.order && after.events.count == before.events.count, "nothing stored")

            // Warnings only: the reply goes through, and the unit is told what to improve.
            let warned = try await client.post(APIRoutes.action(number, "reply"), as: "east1", ["text": "已修复"])
            #expect(warned.status == .ok)
            #expect(warned.order["status"] as? String == "replied")
            let warnings = try #require(warned.json["warnings"] as? [[String: Any]])
            #expect(warnings.map { $0["code"] as? String } == [
                "reply_rule_result_and_unit", "reply_rule_minimum_length", "reply_rule_addresses_request", "reply_rule_complaint_contact",
            ])
            #expect(warnings.contains { ($0["message"] as? String) == "答复过短：应不少于20字，现有3字" })
        }
    }

    @Test(arguments: TestDatabase.available)
    func aGoodReplyPassesWithoutWarnings(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try await handling(client)
            let passed = try await client.post(APIRoutes.action(number, "reply"), as: "east1", ["text": Self.goodReply])
            #expect(passed.status == .ok)
            #expect((passed.json["warnings"] as? [Any])?.isEmpty == true, "\(passed.raw)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theConsoleFormRefusesABlockedReplyAndTheReviewerSeesTheVerdicts(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let number = try await handling(client)
            let unit = try await admin.session(client, "east1")
            let refused = try await admin.post(client, WebRoutes.order(number) + "/reply", unit, [("text", "已修好，电话0571-87654321")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.raw.contains("role=\"alert\""))
            #expect(refused.raw.contains("答复未通过审核规则，未保存：答复含有未遮挡的电话号码或身份证号（057******4321），请删除或用*遮挡"))
            #expect(refused.raw.contains("（提醒）答复过短"))
            #expect(try await services.orders.order(OrderNumber(number)!)?.status == .handling, "nothing stored")

            let sent = try await admin.post(client, WebRoutes.order(number) + "/reply", unit, [("text", "已修复")])
            #expect(sent.status == .seeOther)
            // The reviewer sees every rule's verdict beside the reply under review.
            let reviewer = try await console.logIn(client, "rev1")
            let page = try await console.page(client, WebRoutes.order(number), cookie: reviewer)
            #expect(page.raw.contains("<h4>答复审核规则</h4>"))
            #expect(page.raw.contains("<li class=\"warn\"><strong>提醒</strong> 答复过短：应不少于20字，现有3字</li>"))
            #expect(page.raw.contains("<li class=\"pass\"><strong>通过</strong> 不含未遮挡的电话号码或身份证号</li>"))
            #expect(page.raw.contains("<li class=\"warn\"><strong>提醒</strong> 投诉件的答复应说明是否已联系来电人"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func adminsEditTheRulesThroughTheAPI(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let read = try await client.call(.get, APIRoutes.replyRules, as: "east1")
            #expect(read.status == .ok)
            let rules = try #require(read.json["rules"] as? [[String: Any]])
            #expect(rules.map { $0["id"] as? String } == ReplyRuleID.allCases.map(\.rawValue))
            #expect(rules.first { $0["id"] as? String == "minimum_length" }?["severity_name"] as? String == "提醒")

            let body = "{\"rules\": [{\"id\": \"minimum_length\", \"severity\": \"block\", \"parameters\": {\"min_chars\": 30}}]}"
            #expect(try await client.call(.put, APIRoutes.replyRules, as: "disp1", json: body).status == .forbidden)
            #expect(try await client.call(.put, APIRoutes.replyRules, as: "east1", json: body).status == .forbidden)
            let bad = try await client.call(.put, APIRoutes.replyRules, as: "admin1",
                                            json: "{\"rules\": [{\"id\": \"minimum_length\", \"severity\": \"block\", \"parameters\": {\"min_chars\": \"三十\"}}]}")
            #expect(bad.status == .unprocessableContent)
            #expect((bad.json["error"] as? [String: Any])?["message"] as? String == "规则“答复不少于规定字数”：“最少字数”应为1到2000之间的整数")
            #expect((bad.json["error"] as? [String: Any])?["field"] as? String == "rules[0].parameters.min_chars")
            let badSeverity = try await client.call(.put, APIRoutes.replyRules, as: "admin1", json: "{\"rules\": [{\"id\": \"minimum_length\", \"severity\": \"stop\"}]}")
            #expect(badSeverity.status == .unprocessableContent && badSeverity.raw.contains("处理方式应为拦截或提醒"))
            let unknown = try await client.call(.put, APIRoutes.replyRules, as: "admin1", json: "{\"rules\": [{\"id\": \"no_swearing\"}]}")
            #expect(unknown.status == .unprocessableContent && unknown.raw.contains("没有这条审核规则"))
            #expect(services.reference.context.replyRules == .default, "nothing changed")
            #expect(try await services.directory.replyRules() == .default)

            let saved = try await client.call(.put, APIRoutes.replyRules, as: "admin1", json: body)
            #expect(saved.status == .ok, "\(saved.raw)")
            let rule = services.reference.context.replyRules.rule(.minimumLength)
            #expect(rule.severity == .block && rule.parameters["min_chars"] == "30")
            #expect(try await services.directory.replyRules() == services.reference.context.replyRules, "stored, so every instance reloads it")
            let audit = try await client.call(.get, APIRoutes.audit + "?actor=admin1", as: "admin1")
            #expect(audit.items.first?["action"] as? String == "reply_rules_changed")
            #expect(audit.items.first?["detail"] as? String == "minimum_length block")

            // Now a short reply is refused.
            let number = try await handling(client)
            let refused = try await client.post(APIRoutes.action(number, "reply"), as: "east1", ["text": "我局已修复，已电话联系来电人。"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.raw.contains("答复过短：应不少于30字"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func adminsEditTheRulesOnTheirPage(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let dispatcher = try await console.logIn(client, "disp1")
            #expect(try await console.page(client, WebRoutes.adminReplyRules, cookie: dispatcher).status == .forbidden)
            let s = try await admin.session(client, "admin1")
            let page = try await console.page(client, WebRoutes.adminReplyRules, cookie: s.cookie)
            #expect(page.status == .ok)
            #expect(page.raw.contains("<h1>答复审核规则</h1>"))
            #expect(page.raw.contains("<th scope=\"row\">不能只是套话（如“已处理”“已知悉”）</th>"))
            #expect(page.raw.contains("<label for=\"rr-minimum_length-min_chars\">最少字数</label><input id=\"rr-minimum_length-min_chars\" name=\"minimum_length.min_chars\" type=\"text\" value=\"20\">"))

            var fields = ReplyReviewRules.default.rules.flatMap { rule -> [(String, String)] in
                [(rule.id.rawValue + ".enabled", "on"), (rule.id.rawValue + ".severity", rule.severity.rawValue)]
                    + rule.parameters.sorted { $0.key < $1.key }.map { (rule.id.rawValue + "." + $0.key, $0.value) }
            }
            let bad = try await admin.post(client, WebRoutes.adminReplyRules, s, fields.map { $0.0 == "addresses_request.min_similarity" ? ($0.0, "很高") : $0 })
            #expect(bad.status == .unprocessableContent)
            #expect(bad.raw.contains("规则“答复针对诉求内容（与诉求文字的相似度不低于阈值）”：“最低相似度（0到1之间）”应为0到1之间的小数，如0.05"))
            #expect(bad.raw.contains("value=\"很高\""), "the form keeps what was typed")
            #expect(services.reference.context.replyRules == .default, "nothing changed")

            fields.removeAll { $0.0 == "complaint_contact.enabled" }
            fields = fields.map { $0.0 == "not_stock_phrase.severity" ? ($0.0, "block") : $0 }
            let saved = try await admin.post(client, WebRoutes.adminReplyRules, s, fields)
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == WebRoutes.adminReplyRules + "?done=reply_rules_changed")
            let rules = services.reference.context.replyRules
            #expect(!rules.rule(.complaintContact).enabled)
            #expect(rules.rule(.notStockPhrase).severity == .block)
            #expect(rules.rule(.minimumLength) == ReplyReviewRules.default.rule(.minimumLength))
            let after = try await console.page(client, WebRoutes.adminReplyRules + "?done=reply_rules_changed", cookie: s.cookie)
            #expect(after.raw.contains("已保存答复审核规则"))
            #expect(after.raw.contains("name=\"complaint_contact.enabled\" value=\"on\" aria-label"), "unticked now")

            // A stock phrase is now refused on the unit's form.
            let number = try await handling(client)
            let unit = try await admin.session(client, "east1")
            let refused = try await admin.post(client, WebRoutes.order(number) + "/reply", unit, [("text", "已处理")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.raw.contains("答复只有套话，请写明具体办理过程和结果"))
        }
    }
}

/// Rules changed on one instance reach another on the same database through the reference version.
@Suite struct ReplyRulesSyncTests {
    @Test(arguments: TestDatabase.available)
    func rulesChangedOnOneInstanceApplyOnTheOther(db: TestDatabase) async throws {
        try await db.withTwoInstances { a, b in
            let admin = try #require(TestCity.users.first { $0.id == "admin1" })
            _ = try await HotlineApp(services: a).admin.setReplyRules(
                AdminInput.ReplyRulesInput(rules: [.init(id: "not_stock_phrase", severity: "block")]), by: admin, client: "test", at: TestCity.monday)
            #expect(b.reference.context.replyRules == .default)
            #expect(try await b.reference.reloadIfChanged() == true)
            #expect(b.reference.context.replyRules.rule(.notStockPhrase).severity == .block)
            // Instance B now refuses a stock phrase.
            let deskB = HotlineApp(services: b).desk
            let number = try await deskB.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: TestCity.monday).order.number
            _ = try await deskB.apply(.dispatch(lead: "dist-east", assisting: [], note: nil), to: number, by: TestCity.actor("disp1"), at: TestCity.monday)
            _ = try await deskB.apply(.sign, to: number, by: TestCity.actor("east1"), at: TestCity.monday)
            await #expect(throws: ReplyReviewRefusal.self) {
                try await deskB.reply(number, text: "已知悉。", files: [], by: TestCity.actor("east1"), at: TestCity.monday)
            }
            #expect(try await b.orders.order(number)?.status == .handling)
        }
    }
}

/// The admin page of the rules, as a snapshot: the default rules, one refused by a bad parameter.
@Suite struct ReplyRulesPageSnapshotTests {
    @Test func theRulesPageMatchesItsSnapshot() throws {
        let page = AdminReplyRulesPage(
            user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminReplyRules), notice: nil,
            error: "规则“答复不少于规定字数”：“最少字数”应为1到2000之间的整数",
            rules: AdminReplyRulesPage.rules(.default, draft: nil))
        try PageSnapshotTests().check("admin-reply-rules", try PageRenderer().html("admin-reply-rules", page))
    }
}
