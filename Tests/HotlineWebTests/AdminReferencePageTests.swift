import Foundation
import HTTPTypes
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// 事项分类 edited in the console, 办理时限 rules added and removed with the picker, 限制呼入 listed, added and lifted;
/// on SQLite and PostgreSQL, as the admin and as roles that may not.
@Suite struct AdminReferencePageTests {
    let admin = AdminPageTests()
    var console: ConsoleTests { admin.console }

    @Test func newAdminPagesMatchTheirSnapshots() throws {
        let renderer = try PageRenderer()
        let snapshots = PageSnapshotTests()
        try snapshots.check("admin-category", try renderer.html("admin-category", AdminCategoryPage.fixture))
        try snapshots.check("admin-restrictions", try renderer.html("admin-restrictions", AdminRestrictionsPage.fixture))
        try snapshots.check("admin-restrictions-supervisor", try renderer.html("admin-restrictions", AdminRestrictionsPage.supervisorFixture))
    }

    @Test(arguments: TestDatabase.available)
    func theAdminAddsRenamesMovesAndRetiresACategoryAndOrdersKeepTheirCodes(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let s = try await admin.session(client, "admin1")
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)

            let page = try await console.page(client, WebRoutes.adminCategories, cookie: s.cookie)
            #expect(page.raw.contains("<td class=\"depth-1\"><a href=\"/admin/categories/01.01\">市政设施</a></td><td>01.01</td><td>在用</td><td>2</td>"))
            #expect(!page.raw.contains("/admin/categories/01.01.01\""), "the third level is on its parent's page")
            #expect(page.raw.contains("<option value=\"01.01\">　市政设施</option>"))
            let parent = try await console.page(client, WebRoutes.adminCategory("01.01"), cookie: s.cookie)
            #expect(parent.raw.contains("<tr><td><a href=\"/admin/categories/01.01.01\">路灯</a></td><td>01.01.01</td><td>在用</td><td>0</td></tr>"))

            // Add: 照明设施 under 城乡建设 gets the next code below it.
            let added = try await admin.post(client, WebRoutes.adminCategories, s, [("name", "照明设施"), ("parent_code", "01")])
            #expect(added.status == .seeOther)
            #expect(added.headers[.location] == WebRoutes.adminCategory("01.02") + "?done=category_created")
            #expect(services.reference.categoryName("01.02") == "照明设施", "reference data reloaded")
            let blank = try await admin.post(client, WebRoutes.adminCategories, s, [("name", "  "), ("parent_code", "01")])
            #expect(blank.status == .unprocessableContent && blank.raw.contains("role=\"alert\">名称：不能为空"))
            let twin = try await admin.post(client, WebRoutes.adminCategories, s, [("name", "照明设施"), ("parent_code", "01")])
            #expect(twin.status == .conflict && twin.raw.contains("同一上级分类下已有“照明设施”"))
            #expect(try await services.directory.categories().count == 8, "nothing else stored")

            // Rename: the order keeps its code and shows the new name.
            let renamed = try await admin.post(client, WebRoutes.adminCategory("01.01.01"), s, [("name", "路灯照明"), ("parent_code", "01.01")])
            #expect(renamed.status == .seeOther)
            let order = try await console.page(client, WebRoutes.order(number), cookie: try await console.logIn(client, "disp1"))
            #expect(order.raw.contains("城乡建设 / 市政设施 / 路灯照明"))
            #expect(try await services.orders.order(OrderNumber(rawValue: Int64(number)!))?.categoryCode == "01.01.01")

            // Move: under 照明设施; the code stays, the tree follows the parent, a rule on the new parent applies.
            let cycle = try await admin.post(client, WebRoutes.adminCategory("01"), s, [("name", "城乡建设"), ("parent_code", "01.01")])
            #expect(cycle.status == .unprocessableContent)
            let moved = try await admin.post(client, WebRoutes.adminCategory("01.01.01"), s, [("name", "路灯照明"), ("parent_code", "01.02")])
            #expect(moved.status == .seeOther)
            let node = try #require(try await services.directory.categories().first { $0.code == "01.01.01" })
            #expect(node.parentCode == "01.02" && node.level == 3 && !node.retired)
            #expect(services.reference.context.categoryTree.lineage(of: "01.01.01") == ["01.01.01", "01.02", "01"])
            let rule = try await admin.post(
                client, WebRoutes.adminTimeLimits, s,
                [("stage", "handling"), ("kind", ""), ("category_code", "01.02"), ("lane", ""), ("limit_count", "2"), ("limit_unit", "working_days")])
            #expect(rule.status == .seeOther)
            let dispatched = try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            #expect((dispatched.order["deadlines"] as? [String: Any])?["reply_by"] as? String == "2025-03-05T23:59:59+08:00")

            // Retire: 照明设施 and 路灯照明 below it; intake refuses them in Chinese; the old order still shows its name.
            let detail = try await console.page(client, WebRoutes.adminCategory("01.02"), cookie: s.cookie)
            #expect(detail.raw.contains("位置：城乡建设 / 照明设施") && detail.raw.contains("其下 1 个分类一并停用。"))
            #expect(detail.raw.contains("<input type=\"hidden\" name=\"parent_code\" value=\"01.02\">"), "a child is added from its parent's page")
            let retired = try await admin.post(client, WebRoutes.adminCategoryRetirement("01.02"), s, [])
            #expect(retired.status == .seeOther && retired.headers[.location] == WebRoutes.adminCategory("01.02") + "?done=category_retired")
            #expect(services.reference.context.categoryTree.retired == ["01.02", "01.01.01"])
            let refused = try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake)
            #expect(refused.status == .unprocessableContent && refused.raw.contains("该事项分类已停用"))
            let desk = try await console.page(client, WebRoutes.intake, cookie: try await console.logIn(client, "agent1"))
            #expect(!desk.raw.contains("value=\"01.01.01\"") && desk.raw.contains("value=\"01.01\""))
            let list = try await console.page(client, WebRoutes.adminCategories, cookie: s.cookie)
            #expect(list.raw.contains("<tr class=\"retired\"><td class=\"depth-1\"><a href=\"/admin/categories/01.02\">照明设施</a></td><td>01.02</td><td>已停用</td>"))
            let again = try await console.page(client, WebRoutes.order(number), cookie: try await console.logIn(client, "disp1"))
            #expect(again.raw.contains("城乡建设 / 照明设施 / 路灯照明"), "the order shows where its category lies now")
            let under = try await admin.post(client, WebRoutes.adminCategories, s, [("name", "新分类"), ("parent_code", "01.02")])
            #expect(under.status == .unprocessableContent && under.raw.contains("role=\"alert\">上级分类已停用"))

            // Restore the parent: its child stays retired until restored too.
            #expect(try await admin.post(client, WebRoutes.adminCategoryRestoration("01.01.01"), s, []).status == .unprocessableContent)
            #expect(try await admin.post(client, WebRoutes.adminCategoryRestoration("01.02"), s, []).status == .seeOther)
            #expect(services.reference.context.categoryTree.retired == ["01.01.01"])
            #expect(try await console.page(client, WebRoutes.adminCategory("09.09"), cookie: s.cookie).status == .notFound)

            let audit = try await services.audit.list(AdminPageTests.audit(.categoryChanged), page: 1, size: 20)
            #expect(audit.count == 5, "added, renamed, moved, retired, restored")
            #expect(audit.last?.target == "category:01.02")
        }
    }

    @Test(arguments: TestDatabase.available)
    func timeLimitRulesAreAddedAndRemovedWithThePicker(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let s = try await admin.session(client, "admin1")
            let page = try await console.page(client, WebRoutes.adminTimeLimits, cookie: s.cookie)
            #expect(page.raw.contains("<td>办理</td><td>投诉</td><td>全部</td><td>全部</td><td>10 个工作日</td>"))
            #expect(page.raw.contains("<td>审核</td><td>全部</td><td>全部</td><td>全部</td><td>1 个工作日</td>"))
            #expect(page.raw.contains("<option value=\"working_hours\">工作小时</option>"))
            #expect(!page.raw.contains(">10d<") && !page.raw.contains("24ch"), "no codes")
            let rules = services.reference.context.limits.rules

            func rule(_ count: String, _ unit: String, kind: String = "complaint", category: String = "") -> [(String, String)] {
                [("stage", "handling"), ("kind", kind), ("category_code", category), ("lane", ""), ("limit_count", count), ("limit_unit", unit)]
            }
            for (fields, message) in [
                (rule("ten", "working_days"), "时限数值：应为1到250之间的整数"), (rule("0", "working_days"), "时限数值：应为1到250之间的整数"),
                (rule("3", "fortnights"), "时限单位：请选择工作日、工作小时或自然小时"), (rule("3", "working_days", kind: "gossip"), "类型：请选择诉求类型"),
                (rule("3", "working_days", category: "77"), "事项分类：事项分类不存在"),
            ] {
                let bad = try await admin.post(client, WebRoutes.adminTimeLimits, s, fields)
                #expect(bad.status == .unprocessableContent && bad.raw.contains("role=\"alert\">\(message)"), "\(fields)")
                #expect(bad.raw.contains("id=\"tl-count\" name=\"limit_count\" type=\"number\""), "the form is shown again")
            }
            #expect(services.reference.context.limits.rules == rules, "nothing changed")

            let added = try await admin.post(client, WebRoutes.adminTimeLimits, s, rule("2", "working_days"))
            #expect(added.status == .seeOther && added.headers[.location] == WebRoutes.adminTimeLimits + "?done=time_limit_added")
            #expect(services.reference.context.limits.rules.last == TimeLimitRule(stage: .handling, kind: .complaint, limit: .workingDays(2)))
            #expect(try await admin.post(client, WebRoutes.adminTimeLimits, s, rule("2", "working_days")).status == .conflict)
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let dispatched = try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            #expect((dispatched.order["deadlines"] as? [String: Any])?["reply_by"] as? String == "2025-03-05T23:59:59+08:00")

            let removed = try await admin.post(client, WebRoutes.adminTimeLimitRemoval, s, rule("2", "working_days"))
            #expect(removed.status == .seeOther && removed.headers[.location] == WebRoutes.adminTimeLimits + "?done=time_limit_removed")
            #expect(services.reference.context.limits.rules == rules)
            #expect(try await admin.post(client, WebRoutes.adminTimeLimitRemoval, s, rule("2", "working_days")).status == .notFound)
            let audit = try await services.audit.list(AdminPageTests.audit(.timeLimitsChanged), page: 1, size: 10)
            #expect(audit.count == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func reviewAndCallbackDeadlinesShowAndCountAsOverdue(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withAPI(db, clock: clock) { client, services, clock in
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            _ = try await client.post(APIRoutes.action(number, "sign"), as: "east1", [:])
            let replied = try await client.post(APIRoutes.action(number, "reply"), as: "east1", ["text": "已更换灯泡。"])
            #expect((replied.order["deadlines"] as? [String: Any])?["review_by"] as? String == "2025-03-04T23:59:59+08:00")
            let reviewer = try await console.logIn(client, "rev1")
            let detail = try await console.page(client, WebRoutes.order(number), cookie: reviewer)
            #expect(detail.raw.contains("审核时限") && detail.raw.contains("2025-03-04 23:59"))
            let queue = try await console.page(client, "/orders?status=replied", cookie: reviewer)
            #expect(queue.raw.contains(number) && queue.raw.contains("<td data-label=\"时限\">剩余 "), "the deadline, not —")

            clock.advance(2 * 86_400)
            // Sessions end after 30 idle minutes: sign in again two days later.
            let reviewerLater = try await console.logIn(client, "rev1")
            let overdue = try await console.page(client, "/orders?status=replied&overdue=true", cookie: reviewerLater)
            #expect(overdue.raw.contains(number) && overdue.raw.contains("<td data-label=\"时限\">超期 "))
            let home = try await console.page(client, WebRoutes.home, cookie: reviewerLater)
            #expect(home.raw.contains("审核超期"))
            let supervisor = try await console.page(client, "/orders?overdue=true", cookie: try await console.logIn(client, "sup1"))
            #expect(supervisor.raw.contains(number), "counted with the other stages' overdue orders")
            let east = try await console.page(client, "/orders?overdue=true", cookie: try await console.logIn(client, "east1"))
            #expect(!east.raw.contains(number), "review is the centre's clock, not the unit's")

            let passed = try await client.post(APIRoutes.action(number, "pass-review"), as: "rev1", [:])
            #expect((passed.order["deadlines"] as? [String: Any])?["callback_by"] as? String == "2025-03-07T23:59:59+08:00")
            let callback = try await console.page(client, WebRoutes.order(number), cookie: try await console.logIn(client, "cb1"))
            #expect(callback.raw.contains("回访时限") && callback.raw.contains("2025-03-07 23:59"))
            _ = services
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAdminRestrictsACallerAndLiftsTheRestrictionWithAReason(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let s = try await admin.session(client, "admin1")
            let empty = try await console.page(client, WebRoutes.adminRestrictions, cookie: s.cookie)
            #expect(empty.status == .ok && empty.raw.contains("目前没有限制呼入的号码"))
            #expect(empty.raw.contains("<strong aria-current=\"page\">限制呼入</strong>"))

            for (fields, message) in [
                ([("phone", "12"), ("reason", "反复无理占线")], "来电号码：电话号码格式不正确"),
                ([("phone", "13812345678"), ("reason", " ")], "理由：须填写限制原因"),
                ([("phone", "13812345678"), ("reason", "反复无理占线"), ("ends_on", "2025-02-30")], "截止日期：应为有效日期"),
                ([("phone", "13812345678"), ("reason", "反复无理占线"), ("ends_on", "2025-03-02")], "截止日期：应在今天到180天之内"),
            ] {
                let bad = try await admin.post(client, WebRoutes.adminRestrictions, s, fields)
                #expect(bad.status == .unprocessableContent && bad.raw.contains("role=\"alert\">\(message)"), "\(fields): \(bad.status)")
            }
            #expect(try await services.restrictions.list(phone: nil, activeAt: nil).isEmpty, "nothing stored")

            let added = try await admin.post(
                client, WebRoutes.adminRestrictions, s, [("phone", "138-1234-5678"), ("reason", "一天内无理占线40次"), ("ends_on", "2025-03-10")])
            #expect(added.status == .seeOther && added.headers[.location] == WebRoutes.adminRestrictions + "?done=restriction_added")
            let stored = try #require(try await services.restrictions.active(for: "13812345678", at: TestCity.monday))
            #expect(stored.endsAt == CivilDay(iso: "2025-03-11")!.start)
            let list = try await console.page(client, WebRoutes.adminRestrictions + "?done=restriction_added", cookie: s.cookie)
            #expect(list.raw.contains("<td>138****5678</td><td>一天内无理占线40次</td><td>管理员</td><td>2025-03-03 10:00</td><td>2025-03-10（含当日）</td>"))
            #expect(!list.raw.contains("13812345678"), "admins may not see the whole number")
            let supervisor = try await console.page(client, WebRoutes.adminRestrictions, cookie: try await console.logIn(client, "sup1"))
            #expect(supervisor.status == .ok && supervisor.raw.contains("<td>13812345678</td>"))
            #expect(!supervisor.raw.contains("class=\"admin-nav\""), "no administration navigation for supervisors")
            let desk = try await console.page(client, "/intake?phone=13812345678", cookie: try await console.logIn(client, "agent1"))
            #expect(desk.raw.contains("该号码已被限制呼入"), "the intake desk warns")

            let lift = WebRoutes.adminRestrictionLift(String(stored.id))
            let noReason = try await admin.post(client, lift, s, [("note", "")])
            #expect(noReason.status == .unprocessableContent && noReason.raw.contains("说明：须填写解除原因"))
            #expect(try await services.restrictions.active(for: "13812345678", at: TestCity.monday) != nil, "still restricted")
            let lifted = try await admin.post(client, lift, s, [("note", "来电人已致歉")])
            #expect(lifted.status == .seeOther && lifted.headers[.location] == WebRoutes.adminRestrictions + "?done=restriction_lifted")
            #expect(try await services.restrictions.active(for: "13812345678", at: TestCity.monday) == nil)
            #expect(try await admin.post(client, lift, s, [("note", "再次解除")]).status == .notFound)
            let after = try await console.page(client, "/intake?phone=13812345678", cookie: try await console.logIn(client, "agent1"))
            #expect(!after.raw.contains("该号码已被限制呼入"))
            let audit = try await services.audit.list(AuditFilter(), page: 1, size: 50).filter { [.callerRestricted, .restrictionLifted].contains($0.action) }
            #expect(audit.map(\.action) == [.restrictionLifted, .callerRestricted])
            #expect(audit.last?.detail.contains("138****5678") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func rolesThatMayNotGetTheForbiddenPageAndNothingChanges(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let rules = services.reference.context.limits.rules
            for user in ["agent1", "disp1", "eastadmin", "mgr1"] {
                let s = try await admin.session(client, user)
                for path in [WebRoutes.adminRestrictions, WebRoutes.adminCategory("01.01")] {
                    let reply = try await console.page(client, path, cookie: s.cookie)
                    #expect(reply.status == .forbidden && reply.raw.contains("没有权限"), "\(user) GET \(path)")
                }
                for path in [
                    WebRoutes.adminRestrictions, WebRoutes.adminRestrictionLift("1"), WebRoutes.adminCategories, WebRoutes.adminCategory("01.01"),
                    WebRoutes.adminCategoryRetirement("01.01"), WebRoutes.adminCategoryRestoration("01.01"), WebRoutes.adminTimeLimits,
                    WebRoutes.adminTimeLimitRemoval,
                ] {
                    let reply = try await admin.post(
                        client, path, s,
                        [
                            ("phone", "13812345678"), ("reason", "x"), ("note", "x"), ("name", "x"), ("parent_code", ""), ("stage", "handling"),
                            ("limit_count", "1"), ("limit_unit", "working_days"),
                        ])
                    #expect(reply.status == .forbidden && reply.raw.contains("没有权限"), "\(user) POST \(path): \(reply.status)")
                }
            }
            // Supervisors restrict callers but do not edit categories or time limits.
            let sup = try await admin.session(client, "sup1")
            #expect(try await console.page(client, WebRoutes.adminCategory("01.01"), cookie: sup.cookie).status == .forbidden)
            #expect(try await admin.post(client, WebRoutes.adminCategoryRetirement("01.01"), sup, []).status == .forbidden)
            #expect(try await services.restrictions.list(phone: nil, activeAt: nil).isEmpty)
            #expect(try await services.directory.categories().count == 7 && services.reference.context.categoryTree.retired.isEmpty)
            #expect(services.reference.context.limits.rules == rules)
            // A form without its token changes nothing either.
            let a = try await admin.session(client, "admin1")
            let forged = try await console.form(client, WebRoutes.adminCategories, "name=x&parent_code=", cookie: a.cookie)
            #expect(forged.status == .forbidden)
            #expect(try await services.directory.categories().count == 7)
        }
    }
}
