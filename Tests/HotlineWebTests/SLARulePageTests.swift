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

/// 时限监控规则 (`/admin/sla-rule`): the SLA sweeper's rule on an admin page, saved through the same use case as
/// `PUT /api/v1/sla-rule`, refusals naming the field as the form labels it.
@Suite struct SLARulePageTests {
    let admin = AdminPageTests()

    @Test(arguments: TestDatabase.available)
    func theAdminSeesAndChangesTheRuleAndABadValueChangesNothing(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let s = try await admin.session(client, "admin1")
            let index = try await admin.console.page(client, WebRoutes.admin, cookie: s.cookie)
            #expect(index.raw.contains("<a href=\"/admin/sla-rule\">时限监控规则</a>"), "linked from the administration home")
            let page = try await admin.console.page(client, WebRoutes.adminSLARule, cookie: s.cookie)
            #expect(page.status == .ok)
            #expect(page.raw.contains("<h1>时限监控规则</h1>"))
            #expect(page.raw.contains("各环节时限用去80%时预警；到期未办结标记超期；承办单位超期自动催办；答复超期向承办单位亮黄牌；同一单位一个自然月内每累计3张黄牌亮红牌。"))
            #expect(page.raw.contains("name=\"warn_percent\" value=\"80\""))
            #expect(page.raw.contains("name=\"urge_when_overdue\" value=\"on\" checked"))
            #expect(page.raw.contains("name=\"yellow_card_when_overdue\" value=\"on\" checked"))
            #expect(page.raw.contains("name=\"yellow_cards_for_red\" value=\"3\""))
            #expect(page.raw.contains("name=\"_csrf\" value=\"\(s.csrf)\""))

            // Refusals: a word, a share out of range, too many yellow cards; each names its field and keeps what was typed.
            let refusals: [([(String, String)], String)] = [
                ([("warn_percent", "八十"), ("yellow_cards_for_red", "3")], "预警比例：预警比例应为1到99之间的整数"),
                ([("warn_percent", "100"), ("yellow_cards_for_red", "3")], "预警比例：预警比例应为1到99之间的整数"),
                ([("warn_percent", "70"), ("yellow_cards_for_red", "40")], "红牌所需黄牌数：红牌所需黄牌数应为0到31之间的整数"),
            ]
            for (fields, message) in refusals {
                let bad = try await admin.post(client, WebRoutes.adminSLARule, s, fields + [("urge_when_overdue", "on")])
                #expect(bad.status == .unprocessableContent, "\(fields)")
                #expect(bad.raw.contains("role=\"alert\">\(message)</p>"), "\(fields)")
                #expect(bad.raw.contains("name=\"warn_percent\" value=\"\(fields[0].1)\""), "the form keeps what was typed")
                #expect(!bad.raw.contains("name=\"yellow_card_when_overdue\" value=\"on\" checked"), "and the boxes as they were sent")
            }
            #expect(try await services.directory.slaRule() == .default, "a refused change leaves the rule as it was")
            #expect(try await services.audit.list(AdminPageTests.audit(.slaRuleChanged), page: 1, size: 10).isEmpty)

            // Other roles may neither see nor change it.
            for user in ["sup1", "disp1"] {
                let other = try await admin.session(client, user)
                #expect(try await admin.console.page(client, WebRoutes.adminSLARule, cookie: other.cookie).status == .forbidden, "\(user)")
                let post = try await admin.post(client, WebRoutes.adminSLARule, other, [("warn_percent", "50"), ("yellow_cards_for_red", "0")])
                #expect(post.status == .forbidden, "\(user)")
            }
            // A form without the session's token is refused.
            let forged = try await admin.console.form(
                client, WebRoutes.adminSLARule, admin.encoded([("_csrf", "forged"), ("warn_percent", "50"), ("yellow_cards_for_red", "0")]), cookie: s.cookie)
            #expect(forged.status == .forbidden)
            #expect(try await services.directory.slaRule() == .default)

            // Saved: 60%, no automatic urge (its box unticked), yellow cards on, red cards off.
            let saved = try await admin.post(
                client, WebRoutes.adminSLARule, s, [("warn_percent", " 60 "), ("yellow_card_when_overdue", "on"), ("yellow_cards_for_red", "0")])
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == WebRoutes.adminSLARule + "?done=sla_rule_changed")
            let rule = SLARule(warnPercent: 60, urgeWhenOverdue: false, yellowCardWhenOverdue: true, yellowCardsForRed: 0)
            #expect(try await services.directory.slaRule() == rule)
            let audit = try await services.audit.list(AdminPageTests.audit(.slaRuleChanged), page: 1, size: 10)
            #expect(audit.count == 1 && audit.first?.actorID == "admin1")
            let after = try await admin.console.page(client, WebRoutes.adminSLARule + "?done=sla_rule_changed", cookie: s.cookie)
            #expect(after.raw.contains("已保存时限监控规则，自下一轮检查起生效。"))
            #expect(after.raw.contains("各环节时限用去60%时预警；到期未办结标记超期；超期不自动催办；答复超期向承办单位亮黄牌；不自动亮红牌。"))
            #expect(after.raw.contains("name=\"urge_when_overdue\" value=\"on\">"), "unticked now")
            // The API reads what the page saved.
            let api = try await client.call(.get, APIRoutes.slaRule, as: "admin1")
            #expect(api["warn_percent"] as? Int == 60 && api["urge_when_overdue"] as? Bool == false && api["yellow_cards_for_red"] as? Int == 0)
        }
    }

    @Test func theRulePageMatchesItsSnapshot() throws {
        let page = AdminSLARulePage(
            user: .adminFixture, rule: .default, error: "预警比例：预警比例应为1到99之间的整数",
            draft: ["warn_percent": "100", "urge_when_overdue": "on", "yellow_cards_for_red": "3"])
        try PageSnapshotTests().check("admin-sla-rule", try PageRenderer().html("admin-sla-rule", page))
    }
}

/// 载入国务院放假安排 as a CSV file on the calendar page's form (multipart, its CSRF token in the URL), with the same
/// parsing and refusals as pasted text.
@Suite struct CalendarScheduleUploadTests {
    let admin = AdminPageTests()

    func upload(_ client: any TestClientProtocol, _ s: (cookie: String, csrf: String), csrf: String? = nil, year: String = "2027",
                file: Data?, pasted: String = "") async throws -> APIReply
    {
        let body = MultipartBody(
            fields: [("_csrf", csrf ?? s.csrf), ("year", year), ("csv", pasted)],
            files: [("file", file == nil ? "" : "2027年放假安排.csv", file ?? Data())])
        return try await client.upload(WebRoutes.adminCalendarSchedule + "?_csrf=" + (csrf ?? s.csrf), headers: [.cookie: "hotline_session=" + s.cookie], body)
    }

    @Test(arguments: TestDatabase.available)
    func theAdminUploadsTheOfficialScheduleAsAFile(db: TestDatabase) async throws {
        try await withAPI(db, now: ProvisionalCalendarWebTests.november) { client, services in
            let s = try await admin.session(client, "admin1")
            let page = try await admin.console.page(client, WebRoutes.adminCalendar(year: 2027), cookie: s.cookie)
            #expect(page.raw.contains("action=\"/admin/calendar/schedule?_csrf=\(s.csrf)\" enctype=\"multipart/form-data\""))
            #expect(page.raw.contains("<label for=\"sc-file\">上传CSV文件</label><input id=\"sc-file\" name=\"file\" type=\"file\""))

            // Refused as pasted text is: a bad line, a file that is not UTF-8, no file and no text; nothing is stored.
            let badLine = try await upload(client, s, file: Data("start,end,kind,name\n2027-02-05,2027-02-40,holiday,春节\n".utf8))
            #expect(badLine.status == .unprocessableContent)
            #expect(badLine.raw.contains("role=\"alert\">") && badLine.raw.contains("放假安排CSV第2行无法识别"), "\(badLine.raw.prefix(0))")
            let gbk = try await upload(client, s, file: Data([0x32, 0x30, 0x32, 0x37, 0x2C, 0xB4, 0xBA, 0xBD, 0xDA]))
            #expect(gbk.status == .unprocessableContent && gbk.raw.contains("CSV文件：文件不是UTF-8编码"))
            let nothing = try await upload(client, s, file: nil)
            #expect(nothing.status == .unprocessableContent && nothing.raw.contains("请上传或粘贴放假安排CSV"))
            let badYear = try await upload(client, s, year: "明年", file: Data(ProvisionalCalendarWebTests.official2027.utf8))
            #expect(badYear.status == .unprocessableContent && badYear.raw.contains("年份应为2000到2100之间的整数"))
            // Not an admin, or a token that is not the session's: refused before the body is read.
            let dispatcher = try await admin.session(client, "disp1")
            #expect(try await upload(client, dispatcher, file: Data(ProvisionalCalendarWebTests.official2027.utf8)).status == .forbidden)
            #expect(try await upload(client, s, csrf: "forged", file: Data(ProvisionalCalendarWebTests.official2027.utf8)).status == .forbidden)
            #expect(try await services.directory.calendarSchedules().isEmpty)

            // The file, with the byte-order mark spreadsheet programs write, wins over stale pasted text.
            let loaded = try await upload(
                client, s, file: Data("\u{FEFF}".utf8) + Data(ProvisionalCalendarWebTests.official2027.utf8), pasted: "2027-13-01,2027-13-02,holiday,错")
            #expect(loaded.status == .seeOther, "\(loaded.raw)")
            #expect(loaded.headers[.location] == WebRoutes.adminCalendar(year: 2027) + "&done=schedule_loaded")
            let stored = try await services.directory.calendarSchedules()
            #expect(stored.map(\.year) == [2027] && stored.first?.loadedBy == "admin1")
            let after = try await admin.console.page(client, WebRoutes.adminCalendar(year: 2027) + "&done=schedule_loaded", cookie: s.cookie)
            #expect(after.raw.contains("<td class=\"holiday\" title=\"2027-02-12 春节（放假）\">12</td>"))
            #expect(!after.raw.contains("（放假，临时）"))
            #expect(try await services.audit.list(AdminPageTests.audit(.calendarChanged), page: 1, size: 10).count == 1)
        }
    }
}
