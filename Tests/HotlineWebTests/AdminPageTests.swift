import Foundation
import HTTPTypes
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// The administration pages (系统管理): snapshots of each page model's fixture.
@Suite struct AdminPageSnapshotTests {
    let snapshots = PageSnapshotTests()

    @Test func adminPagesMatchTheirSnapshots() throws {
        let renderer = try PageRenderer()
        try snapshots.check("admin", try renderer.html("admin", AdminIndexPage.fixture))
        try snapshots.check("admin-units", try renderer.html("admin-units", AdminUnitsPage.fixture))
        try snapshots.check("admin-unit", try renderer.html("admin-unit", AdminUnitPage.fixture))
        try snapshots.check("admin-users", try renderer.html("admin-users", AdminUsersPage.fixture))
        try snapshots.check("admin-user", try renderer.html("admin-user", AdminUserPage.fixture))
        try snapshots.check("admin-categories", try renderer.html("admin-categories", AdminCategoriesPage.fixture))
        try snapshots.check("admin-catalogue", try renderer.html("admin-catalogue", AdminCataloguePage.fixture))
        try snapshots.check("admin-time-limits", try renderer.html("admin-time-limits", AdminTimeLimitsPage.fixture))
        try snapshots.check("admin-calendar", try renderer.html("admin-calendar", AdminCalendarPage.fixture))
    }

    @Test func theYearViewTellsHolidaysMakeUpDaysAndWeekendsApart() throws {
        let html = try PageRenderer().html("admin-calendar", AdminCalendarPage.fixture)
        #expect(html.contains("<td class=\"holiday\" title=\"2025-01-28 春节（放假）\">28</td>"))
        #expect(html.contains("<td class=\"makeup\" title=\"2025-01-26 春节调休（上班）\">26</td>"))
        #expect(html.contains("<td class=\"makeup override\" title=\"2025-02-08 春节调休（上班），本地调整\">8</td>"))
        #expect(html.contains("<td class=\"weekend\" title=\"2025-03-01 周末\">1</td>"))
        #expect(html.components(separatedBy: "<table class=\"month\">").count == 13, "twelve months")
        #expect(html.contains("春节：2025-01-28 至 2025-02-04"))
    }

    @Test func onlyAdminsSeeTheAdministrationLink() {
        #expect(PageUser.links(for: .admin).contains { $0.href == WebRoutes.admin })
        for role in Role.allCases where role != .admin && role != .system {
            #expect(!PageUser.links(for: role).contains { $0.href == WebRoutes.admin }, "\(role)")
        }
    }
}

/// The administration pages through HTTP, as the admin and as other roles.
@Suite struct AdminPageTests {
    let console = ConsoleTests()

    static func audit(_ action: AuditAction) -> AuditFilter {
        var filter = AuditFilter()
        filter.action = action
        return filter
    }

    func csrf(_ reply: APIReply) throws -> String {
        try #require(reply.raw.range(of: "name=\"_csrf\" value=\"").map { String(reply.raw[$0.upperBound...].prefix(64)) })
    }

    /// Signs in and returns the session cookie with the CSRF token of its forms.
    func session(_ client: any TestClientProtocol, _ user: String) async throws -> (cookie: String, csrf: String) {
        let cookie = try await console.logIn(client, user)
        return (cookie, try csrf(try await console.page(client, WebRoutes.home, cookie: cookie)))
    }

    func encoded(_ fields: [(String, String)]) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.*"))
        return fields.map { $0 + "=" + ($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") }.joined(separator: "&")
    }

    func post(_ client: any TestClientProtocol, _ path: String, _ s: (cookie: String, csrf: String), _ fields: [(String, String)]) async throws
        -> APIReply
    {
        try await console.form(client, path, encoded([("_csrf", s.csrf)] + fields), cookie: s.cookie)
    }

    @Test(arguments: TestDatabase.available)
    func theAdminAddsAUnitAndCannotMoveAUnitBelowItself(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let admin = try await session(client, "admin1")
            let home = try await console.page(client, WebRoutes.home, cookie: admin.cookie)
            #expect(home.raw.contains("<a href=\"/admin\">系统管理</a>"))
            let list = try await console.page(client, WebRoutes.adminUnits, cookie: admin.cookie)
            #expect(list.status == .ok)
            #expect(list.raw.contains("<td class=\"depth-2\"><a href=\"/admin/units/comm-east-1-1\">幸福社区居委会</a></td>"))

            let added = try await post(
                client, WebRoutes.adminUnits, admin,
                [
                    ("id", "st-west-1"), ("name", "西区和平街道办事处"), ("kind", "street"), ("parent_id", "dist-west"), ("district", "西区"),
                    ("contact_name", "赵强"), ("contact_phone", "0571-5555"),
                ])
            #expect(added.status == .seeOther)
            #expect(added.headers[.location] == WebRoutes.adminUnits + "?done=unit_created")
            let unit = try #require(try await services.directory.units().first { $0.id == "st-west-1" })
            #expect(unit.parentID == "dist-west" && unit.contactName == "赵强")
            #expect(services.reference.unitName("st-west-1") == "西区和平街道办事处", "reference data reloaded")
            let after = try await console.page(client, WebRoutes.adminUnits + "?done=unit_created", cookie: admin.cookie)
            #expect(after.raw.contains("已新增单位") && after.raw.contains("赵强 0571-5555"))
            let audit = try await services.audit.list(Self.audit(.unitCreated), page: 1, size: 10)
            #expect(audit.first?.target == "unit:st-west-1")

            let duplicate = try await post(client, WebRoutes.adminUnits, admin, [("id", "st-west-1"), ("name", "重复"), ("kind", "street")])
            #expect(duplicate.status == .conflict && duplicate.raw.contains("单位 st-west-1 已存在"))

            let cycle = try await post(
                client, WebRoutes.adminUnit("dist-east"), admin,
                [
                    ("name", "东区人民政府"), ("kind", "district"), ("parent_id", "comm-east-1-1"), ("district", "东区"),
                ])
            #expect(cycle.status == .unprocessableContent)
            #expect(cycle.raw.contains("role=\"alert\">不能把单位挂到它自己或其下级单位之下</p>"))
            #expect(try await services.directory.units().first { $0.id == "dist-east" }?.parentID == nil, "nothing stored")

            let renamed = try await post(
                client, WebRoutes.adminUnit("dist-west"), admin,
                [
                    ("name", "西区政府"), ("kind", "district"), ("parent_id", ""), ("district", "西区"), ("contact_name", ""), ("contact_phone", ""),
                ])
            #expect(renamed.status == .seeOther)
            #expect(services.reference.unitName("dist-west") == "西区政府")
            #expect(try await console.page(client, WebRoutes.adminUnit("no-such-unit"), cookie: admin.cookie).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAdminManagesUsersWithTheAPIsChecks(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let admin = try await session(client, "admin1")
            let list = try await console.page(client, WebRoutes.adminUsers + "?sort=role", cookie: admin.cookie)
            #expect(list.status == .ok && list.raw.contains("共 14 个用户") && list.raw.contains("<strong>角色</strong>"))

            let weak = try await post(
                client, WebRoutes.adminUsers, admin,
                [
                    ("id", "west2"), ("display_name", "西区承办员二"), ("role", "unit_staff"), ("unit_id", "dist-west"), ("password", "short"),
                ])
            #expect(weak.status == .unprocessableContent && weak.raw.contains("密码：密码至少10位"))
            #expect(weak.raw.contains("value=\"west2\""), "the form keeps what was typed")
            let unitless = try await post(
                client, WebRoutes.adminUsers, admin,
                [
                    ("id", "west2"), ("display_name", "西区承办员二"), ("role", "unit_staff"), ("unit_id", ""), ("password", "long-enough-1"),
                ])
            #expect(unitless.status == .unprocessableContent && unitless.raw.contains("承办单位角色须指定所属单位"))
            #expect(try await services.directory.userRecord("west2") == nil)
            let created = try await post(
                client, WebRoutes.adminUsers, admin,
                [
                    ("id", "west2"), ("display_name", "西区承办员二"), ("role", "unit_staff"), ("unit_id", "dist-west"), ("password", "long-enough-1"),
                ])
            #expect(created.status == .seeOther)
            #expect(try await services.directory.userRecord("west2")?.account.unitID == "dist-west")

            // Edit role, unit and state: deactivating revokes the user's tokens.
            #expect(try await client.call(.get, APIRoutes.me, as: "west1").status == .ok)
            let edited = try await post(
                client, WebRoutes.adminUser("west1"), admin,
                [
                    ("display_name", "西区管理员"), ("role", "unit_admin"), ("unit_id", "dist-west"), ("active", "false"),
                ])
            #expect(edited.status == .seeOther && edited.headers[.location] == WebRoutes.adminUser("west1") + "?done=user_updated")
            let west1 = try #require(try await services.directory.userRecord("west1"))
            #expect(west1.account.role == .unitAdmin && !west1.active && west1.account.displayName == "西区管理员")
            #expect(try await client.call(.get, APIRoutes.me, as: "west1").status == .unauthorized)
            let page = try await console.page(client, WebRoutes.adminUser("west1") + "?done=user_updated", cookie: admin.cookie)
            #expect(page.raw.contains("已保存用户") && page.raw.contains("<option value=\"false\" selected>停用</option>"))

            let demoted = try await post(
                client, WebRoutes.adminUser("admin1"), admin, [("display_name", "管理员"), ("role", "agent"), ("unit_id", "centre"), ("active", "true")])
            #expect(demoted.status == .conflict && demoted.raw.contains("不能停用自己或撤销自己的管理员角色"))
            #expect(try await services.directory.userRecord("admin1")?.account.role == .admin)

            // Reset a password (tokens revoked) and unlock.
            let mismatch = try await post(
                client, WebRoutes.adminUserPassword("east1"), admin, [("password", "new-password-1"), ("password_confirm", "new-password-2")])
            #expect(mismatch.status == .unprocessableContent && mismatch.raw.contains("两次输入的密码不一致"))
            #expect(try await client.call(.get, APIRoutes.me, as: "east1").status == .ok)
            let reset = try await post(
                client, WebRoutes.adminUserPassword("east1"), admin, [("password", "new-password-1"), ("password_confirm", "new-password-1")])
            #expect(reset.status == .seeOther)
            #expect(try await client.call(.get, APIRoutes.me, as: "east1").status == .unauthorized)
            #expect(try await SessionClient.logIn(client, "east1", password: "new-password-1").token.isEmpty == false)
            let unlocked = try await post(client, WebRoutes.adminUserUnlock("east1"), admin, [])
            #expect(unlocked.status == .seeOther && unlocked.headers[.location] == WebRoutes.adminUser("east1") + "?done=unlocked")
            #expect(try await post(client, WebRoutes.adminUserUnlock("nobody"), admin, []).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAdminChangesTheCatalogueAndTheAssistantFollows(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let admin = try await session(client, "admin1")
            let set = try await post(
                client, WebRoutes.adminCatalogue, admin, [("category_code", "01.01"), ("district", ""), ("unit_id", "dist-west"), ("note", "路灯归西区")])
            #expect(set.status == .seeOther && set.headers[.location] == WebRoutes.adminCatalogue + "?done=catalogue_changed")
            let recommended = try await client.call(.get, APIRoutes.catalogueRecommend + "?category=01.01.01", as: "disp1")
            #expect((recommended["entry"] as? [String: Any])?["unit_id"] as? String == "dist-west")
            let same = try await post(
                client, WebRoutes.adminCatalogue, admin, [("category_code", "01.01"), ("district", ""), ("unit_id", "dist-west")])
            #expect(same.headers[.location] == WebRoutes.adminCatalogue + "?done=catalogue_unchanged")
            let changed = try await post(
                client, WebRoutes.adminCatalogue, admin, [("category_code", "01.01"), ("district", "东区"), ("unit_id", "dist-east")])
            #expect(changed.status == .seeOther)
            let unknown = try await post(client, WebRoutes.adminCatalogue, admin, [("category_code", "99"), ("unit_id", "dist-east")])
            #expect(unknown.status == .unprocessableContent && unknown.raw.contains("事项分类 99 不存在"))
            let page = try await console.page(client, WebRoutes.adminCatalogue, cookie: admin.cookie)
            #expect(page.raw.contains("<td>01.01 市政设施</td><td>全市</td><td>西区人民政府</td>"))
            #expect(page.raw.contains("<td>01.01 市政设施</td><td>东区</td><td>东区人民政府</td>"))
            #expect(page.raw.contains("<td>路灯归西区</td>"))
            let removed = try await post(client, WebRoutes.adminCatalogue, admin, [("category_code", "01.01"), ("district", "东区"), ("unit_id", "")])
            #expect(removed.status == .seeOther)
            #expect(try await services.catalogue.catalogue().entries.count == 1)
            #expect(try await services.catalogue.history(categoryCode: "01.01", limit: 10, offset: 0).count == 3)

            let categories = try await console.page(client, WebRoutes.adminCategories, cookie: admin.cookie)
            #expect(categories.raw.contains("<td class=\"depth-1\"><a href=\"/admin/categories/01.01\">市政设施</a></td><td>01.01</td><td>在用</td><td>2</td>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAdminSetsTheCallbackRuleOnTheTimeLimitsPage(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let admin = try await session(client, "admin1")
            let page = try await console.page(client, WebRoutes.adminTimeLimits, cookie: admin.cookie)
            #expect(page.raw.contains("<h2 id=\"callback-rule\">回访规则</h2>"))
            #expect(page.raw.contains("name=\"auto_redo[]\" value=\"unresolved\"> 回访未解决时自动重办"), "nothing checked by default")
            let bad = try await post(client, WebRoutes.adminCallbackRule, admin, [("auto_redo[]", "always")])
            #expect(bad.status == .unprocessableContent)
            #expect(services.reference.context.callbackRule == .default, "nothing changed")
            let saved = try await post(client, WebRoutes.adminCallbackRule, admin, [("auto_redo[]", "unresolved")])
            #expect(saved.status == .seeOther)
            #expect(services.reference.context.callbackRule == CallbackRule(autoRedo: [.unresolved]))
            let after = try await console.page(client, WebRoutes.adminTimeLimits + "?done=callback_rule_changed", cookie: admin.cookie)
            #expect(after.raw.contains("value=\"unresolved\" checked"))
            #expect(after.raw.contains("已保存回访规则"))
            let cleared = try await post(client, WebRoutes.adminCallbackRule, admin, [])
            #expect(cleared.status == .seeOther)
            #expect(services.reference.context.callbackRule == .default)
        }
    }

    @Test(arguments: TestDatabase.available)
    func calendarOverridesChangeDeadlinesAndCanBeRemoved(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let admin = try await session(client, "admin1")
            let deadline = APIRoutes.calendarDeadline + "?start=2025-03-03T10:00:00%2B08:00&working_days=1"
            #expect(try await client.call(.get, deadline, as: "agent1")["deadline"] as? String == "2025-03-04T23:59:59+08:00")
            let year = try await console.page(client, WebRoutes.adminCalendar(year: 2025), cookie: admin.cookie)
            #expect(year.status == .ok && year.raw.contains("<td class=\"holiday\" title=\"2025-10-01 "))

            let added = try await post(
                client, WebRoutes.adminCalendar, admin, [("start", "2025-03-04"), ("end", "2025-03-05"), ("kind", "holiday"), ("name", "抗洪放假")])
            #expect(added.status == .seeOther && added.headers[.location] == WebRoutes.adminCalendar(year: 2025) + "&done=override_added")
            #expect(try await client.call(.get, deadline, as: "agent1")["deadline"] as? String == "2025-03-06T23:59:59+08:00", "the override counts")
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let dispatched = try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            #expect(((dispatched.order["deadlines"] as? [String: Any])?["sign_by"] as? String)?.hasPrefix("2025-03-06") == true)
            let view = try await console.page(client, WebRoutes.adminCalendar(year: 2025) + "&done=override_added", cookie: admin.cookie)
            #expect(view.raw.contains("<td class=\"holiday override\" title=\"2025-03-04 抗洪放假（放假），本地调整\">4</td>"))
            #expect(view.raw.contains("已添加日历调整"))
            let workday = try await post(
                client, WebRoutes.adminCalendar, admin, [("start", "2025-03-08"), ("end", "2025-03-08"), ("kind", "workday"), ("name", "补班")])
            #expect(workday.status == .seeOther)
            #expect(services.reference.context.calendar.isWorkingDay(CivilDay(iso: "2025-03-08")!))
            let audit = try await services.audit.list(Self.audit(.calendarChanged), page: 1, size: 10)
            #expect(audit.count == 2)

            let stored = try await services.directory.calendarOverrides()
            let first = try #require(stored.first)
            let removed = try await post(client, WebRoutes.adminCalendarOverrideRemoval(String(first.id)), admin, [])
            #expect(removed.status == .seeOther)
            #expect(
                try await client.call(.get, deadline, as: "agent1")["deadline"] as? String == "2025-03-04T23:59:59+08:00",
                "back to the bundled calendar")
            #expect(try await services.directory.calendarOverrides().count == 1)
            #expect(try await services.audit.list(Self.audit(.calendarChanged), page: 1, size: 10).count == 3)
            #expect(try await post(client, WebRoutes.adminCalendarOverrideRemoval(String(first.id)), admin, []).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBadCalendarRangeIsRefusedAndNothingIsStored(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let admin = try await session(client, "admin1")
            let cases: [([(String, String)], String)] = [
                ([("start", "2025-03-10"), ("end", "2025-03-01"), ("kind", "holiday"), ("name", "x")], "结束日期不能早于开始日期"),
                ([("start", "2025-03-01"), ("end", "2025-04-15"), ("kind", "holiday"), ("name", "x")], "一次最多调整31天"),
                ([("start", "2025-02-30"), ("end", "2025-03-01"), ("kind", "holiday"), ("name", "x")], "开始日期应为有效日期"),
                ([("start", "2025-03-01"), ("end", "2025-03-01"), ("kind", "party"), ("name", "x")], "类型应为"),
                ([("start", "2025-03-01"), ("end", "2025-03-01"), ("kind", "holiday"), ("name", String(repeating: "长", count: 51))], "名称不能超过50字"),
                ([("start", "2025-03-01"), ("end", "2025-03-01"), ("kind", "holiday"), ("name", "a\nb")], "不能换行"),
            ]
            for (fields, message) in cases {
                let reply = try await post(client, WebRoutes.adminCalendar, admin, fields)
                #expect(reply.status == .unprocessableContent, "\(fields)")
                #expect(reply.raw.contains("role=\"alert\">") && reply.raw.contains(message), "\(message)")
            }
            #expect(try await services.directory.calendarOverrides().isEmpty)
            #expect(try await services.audit.list(Self.audit(.calendarChanged), page: 1, size: 10).isEmpty)
            #expect(try await console.page(client, WebRoutes.adminCalendar + "?year=abc", cookie: admin.cookie).status == .unprocessableContent)
        }
    }

    static let pages = [
        WebRoutes.admin, WebRoutes.adminUnits, WebRoutes.adminUnit("dist-east"), WebRoutes.adminUsers, WebRoutes.adminUser("east1"),
        WebRoutes.adminCategories, WebRoutes.adminCatalogue, WebRoutes.adminTimeLimits, WebRoutes.adminCalendar,
    ]
    static let forms = [
        WebRoutes.adminUnits, WebRoutes.adminUnit("dist-east"), WebRoutes.adminUsers, WebRoutes.adminUser("east1"),
        WebRoutes.adminUserPassword("east1"), WebRoutes.adminUserUnlock("east1"), WebRoutes.adminCatalogue, WebRoutes.adminTimeLimits,
        WebRoutes.adminCalendar, WebRoutes.adminCalendarOverrideRemoval("1"), WebRoutes.adminCallbackRule,
    ]

    @Test(arguments: TestDatabase.available)
    func otherRolesGetTheForbiddenPageEverywhere(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            for user in ["disp1", "eastadmin", "sup1"] {
                let s = try await session(client, user)
                let home = try await console.page(client, WebRoutes.home, cookie: s.cookie)
                #expect(!home.raw.contains("href=\"/admin\""))
                for path in Self.pages {
                    let reply = try await console.page(client, path, cookie: s.cookie)
                    #expect(reply.status == .forbidden && reply.raw.contains("没有权限"), "\(user) GET \(path): \(reply.status)")
                }
                for path in Self.forms {
                    let reply = try await post(
                        client, path, s,
                        [
                            ("id", "x-unit"), ("name", "x"), ("kind", "street"), ("role", "admin"), ("unit_id", "centre"),
                            ("active", "true"), ("password", "long-enough-1"), ("password_confirm", "long-enough-1"),
                            ("category_code", "01.01"), ("position", "0"), ("limit", "1d"), ("start", "2025-03-04"),
                            ("end", "2025-03-04"), ("display_name", "x"),
                        ])
                    #expect(reply.status == .forbidden && reply.raw.contains("没有权限"), "\(user) POST \(path): \(reply.status)")
                }
            }
            #expect(try await services.directory.units().count == TestCity.units.count)
            #expect(try await services.directory.userRecord("east1")?.account.role == .unitStaff)
            #expect(try await services.directory.calendarOverrides().isEmpty)
            #expect(try await services.catalogue.catalogue().entries.isEmpty)
        }
    }
}
