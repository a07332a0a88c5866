import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Page models rendered with their fixtures must match the reviewed snapshots in `Snapshots/`; set
/// `HOTLINE_UPDATE_SNAPSHOTS=1` to rewrite them after a deliberate change, and review the diff.
@Suite struct PageSnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    func check(_ name: String, _ html: String) throws {
        let file = Self.directory.appendingPathComponent(name + ".html")
        if ProcessInfo.processInfo.environment["HOTLINE_UPDATE_SNAPSHOTS"] == "1" {
            try html.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(html == expected, "\(name) differs from its snapshot")
    }

    @Test func loginPageMatchesItsSnapshot() throws {
        try check("login", try PageRenderer().html("login", LoginPage.fixture))
    }

    @Test func homePageMatchesItsSnapshot() throws {
        try check("home", try PageRenderer().html("home", HomePage.fixture))
    }

    @Test func errorPageMatchesItsSnapshot() throws {
        try check("error", try PageRenderer().html("error", ErrorPage.fixture))
    }

    @Test func textIsEscaped() throws {
        var page = LoginPage.fixture
        page.error = "<script>alert(1)</script>"
        let html = try PageRenderer().html("login", page)
        #expect(!html.contains("<script>") && html.contains("&lt;script&gt;"))
    }
}

/// The console through HTTP: login, each role's home with its own counts, logout with CSRF.
@Suite struct ConsoleTests {
    func form(_ client: any TestClientProtocol, _ path: String, _ body: String, cookie: String? = nil) async throws -> APIReply {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = "hotline_session=" + cookie }
        return try await client.send(.post, path, headers: headers, body: body)
    }

    func logIn(_ client: any TestClientProtocol, _ user: String) async throws -> String {
        let reply = try await form(client, WebRoutes.login, "username=\(user)&password=\(TestCity.password)&next=%2F")
        try #require(reply.status == .seeOther, "\(reply.raw)")
        let setCookie = try #require(reply.headers[.setCookie])
        return try #require(setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init))
    }

    func page(_ client: any TestClientProtocol, _ path: String, cookie: String) async throws -> APIReply {
        try await client.send(.get, path, headers: [.cookie: "hotline_session=" + cookie])
    }

    @Test(arguments: TestDatabase.available)
    func signedOutBrowsersAreSentToTheLoginPage(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let home = try await client.send(.get, WebRoutes.home, headers: [:])
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == PortalRoutes.home, "a visitor is a citizen: the front page is the portal")
            let login = try await client.send(.get, WebRoutes.login, headers: [:])
            #expect(login.status == .ok)
            #expect(login.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(login.raw.contains("<label for=\"username\">用户名</label>"))
            #expect(login.headers[.contentSecurityPolicy]?.contains("form-action 'self'") == true)
            let css = try await client.send(.get, WebRoutes.asset("app.css"), headers: [:])
            #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
            #expect(try await client.send(.get, WebRoutes.asset("..%2Fx"), headers: [:]).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func wrongPasswordShowsTheLoginPageAgainWithTheReason(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let reply = try await form(client, WebRoutes.login, "username=east1&password=wrong-password-1&next=%2F")
            #expect(reply.status == .unauthorized)
            #expect(reply.raw.contains("用户名或密码不正确"))
            #expect(reply.headers[.setCookie] == nil)
            let offsite = try await form(client, WebRoutes.login, "username=east1&password=\(TestCity.password)&next=%2F%2Fevil.example%2F")
            #expect(offsite.headers[.location] == "/", "never redirected to another site")
        }
    }

    @Test(arguments: TestDatabase.available)
    func eachRoleSeesItsOwnQueuesCountedInItsScope(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            for lead in ["dist-east", "dist-east", "dist-west"] {
                let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
                _ = try await client.post(APIRoutes.action(n, "dispatch"), as: "disp1", ["lead_unit": lead])
            }
            _ = try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake)

            let east = try await page(client, WebRoutes.home, cookie: try await logIn(client, "east1"))
            #expect(east.status == .ok)
            #expect(east.raw.contains("东区承办员，您好"))
            #expect(east.raw.contains("<div class=\"count\">2</div>\n    <div class=\"label\">待签收</div>"))
            #expect(east.raw.contains("东区人民政府"))
            let west = try await page(client, WebRoutes.home, cookie: try await logIn(client, "west1"))
            #expect(west.raw.contains("<div class=\"count\">1</div>\n    <div class=\"label\">待签收</div>"))
            let dispatcher = try await page(client, WebRoutes.home, cookie: try await logIn(client, "disp1"))
            #expect(dispatcher.raw.contains("<div class=\"count\">1</div>\n    <div class=\"label\">待派单</div>"))
            #expect(!dispatcher.raw.contains("待签收"))
            let editor = try await page(client, WebRoutes.home, cookie: try await logIn(client, "ed1"))
            #expect(editor.raw.contains("知识待审核"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func liveUpdatesStreamTheQueueCountsWhileTheSessionLasts(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.action(n, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            let cookie = try await logIn(client, "east1")
            let home = try await page(client, WebRoutes.home, cookie: cookie)
            #expect(home.raw.contains("data-label=\"待签收\"") && home.raw.contains("/assets/live.js"))
            let stream = try await page(client, WebRoutes.liveQueues + "?max_events=1", cookie: cookie)
            #expect(stream.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(stream.raw.hasPrefix("event: queues\ndata: ["))
            #expect(stream.raw.contains("{\"count\":\"1\",\"label\":\"待签收\",\"urgent\":false}") || stream.raw.contains("\"label\":\"待签收\""))
            let csrf = try #require(home.raw.range(of: "name=\"_csrf\" value=\"").map { String(home.raw[$0.upperBound...].prefix(64)) })
            _ = try await form(client, WebRoutes.logout, "_csrf=" + csrf, cookie: cookie)
            #expect(try await page(client, WebRoutes.liveQueues + "?max_events=1", cookie: cookie).status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.available)
    func logoutNeedsTheFormsCSRFToken(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let cookie = try await logIn(client, "disp1")
            let home = try await page(client, WebRoutes.home, cookie: cookie)
            let csrf = try #require(home.raw.range(of: "name=\"_csrf\" value=\"").map { home.raw[$0.upperBound...].prefix(64) }.map(String.init))
            #expect(try await form(client, WebRoutes.logout, "", cookie: cookie).status == .forbidden)
            #expect(try await form(client, WebRoutes.logout, "_csrf=" + String(repeating: "0", count: 64), cookie: cookie).status == .forbidden)
            #expect(try await page(client, WebRoutes.home, cookie: cookie).status == .ok, "still signed in")
            let out = try await form(client, WebRoutes.logout, "_csrf=" + csrf, cookie: cookie)
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == WebRoutes.login)
            #expect(try await page(client, WebRoutes.home, cookie: cookie).status == .seeOther)
        }
    }
}

@Suite struct OrderPagesTests {
    let console = ConsoleTests()

    @Test func listAndDetailPagesMatchTheirSnapshots() throws {
        let snapshots = PageSnapshotTests()
        try snapshots.check("orders", try PageRenderer().html("orders", OrderListPage.fixture))
        try snapshots.check("order", try PageRenderer().html("order", OrderDetailPage.fixture))
        try snapshots.check("order-replied", try PageRenderer().html("order", OrderDetailPage.repliedFixture))
        try snapshots.check("order-revealed", try PageRenderer().html("order", OrderDetailPage.revealedFixture))
    }

    @Test(arguments: TestDatabase.available)
    func anOrderGoesFromDispatchToReplyThroughTheForms(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let dispatcher = try await console.logIn(client, "disp1")
            let queue = try await console.page(client, "/orders?status=pending_dispatch", cookie: dispatcher)
            #expect(queue.raw.contains("<a href=\"/orders/\(n)\">\(n)</a>"))
            #expect(queue.raw.contains("138****5678"))
            let detail = try await console.page(client, WebRoutes.order(n), cookie: dispatcher)
            #expect(detail.raw.contains("<summary>派单</summary>"))
            #expect(!detail.raw.contains("<summary>签收</summary>"), "a dispatcher cannot sign")
            #expect(detail.raw.contains("✓ 记录完整，未被篡改"))
            let csrf = try #require(detail.raw.range(of: "name=\"_csrf\" value=\"").map { String(detail.raw[$0.upperBound...].prefix(64)) })

            #expect(detail.raw.contains("name=\"assisting_units[]\" multiple"))
            let dispatched = try await console.form(
                client, WebRoutes.order(n) + "/dispatch", "_csrf=\(csrf)&lead_unit=dist-east&assisting_units%5B%5D=dist-west&assisting_units%5B%5D=dist-east&note=",
                cookie: dispatcher)
            #expect(dispatched.status == .seeOther)
            #expect(dispatched.headers[.location] == WebRoutes.order(n) + "?done=dispatch")
            let assisted = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            #expect(assisted.order["assisting_units"] as? [String] == ["dist-west"], "the lead is not also an assistant")
            #expect(try await console.page(client, WebRoutes.order(n), cookie: try await console.logIn(client, "west1")).status == .ok)
            let forged = try await console.form(client, WebRoutes.order(n) + "/redispatch", "lead_unit=dist-west", cookie: dispatcher)
            #expect(forged.status == .forbidden, "no CSRF token, no change")

            let unit = try await console.logIn(client, "east1")
            let unitView = try await console.page(client, WebRoutes.order(n) + "?done=dispatch", cookie: dispatcher)
            #expect(unitView.raw.contains("已派单"))
            let unitDetail = try await console.page(client, WebRoutes.order(n), cookie: unit)
            #expect(unitDetail.raw.contains("<summary>签收</summary>") && unitDetail.raw.contains("<summary>退单</summary>"))
            let unitCSRF = try #require(unitDetail.raw.range(of: "name=\"_csrf\" value=\"").map { String(unitDetail.raw[$0.upperBound...].prefix(64)) })
            #expect(try await console.form(client, WebRoutes.order(n) + "/sign", "_csrf=\(unitCSRF)", cookie: unit).status == .seeOther)
            let empty = try await console.form(client, WebRoutes.order(n) + "/reply", "_csrf=\(unitCSRF)&text=", cookie: unit)
            #expect(empty.status == .unprocessableContent)
            #expect(empty.raw.contains("role=\"alert\""))
            #expect(try await console.form(client, WebRoutes.order(n) + "/reply", "_csrf=\(unitCSRF)&text=%E5%B7%B2%E4%BF%AE%E5%A5%BD", cookie: unit).status == .seeOther)
            let after = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            #expect(after.order["status"] as? String == "replied")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theDispatcherSeesRecommendationsAndTheRecommendedUnitFirst(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            _ = try await client.call(.put, APIRoutes.catalogue, as: "admin1", json: "{\"items\": [{\"category_code\": \"01.01\", \"unit_id\": \"dist-west\"}]}")
            let first = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let second = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let dispatcher = try await console.logIn(client, "disp1")
            let detail = try await console.page(client, WebRoutes.order(second), cookie: dispatcher)
            #expect(detail.raw.contains("<h3>派单推荐</h3>"))
            #expect(detail.raw.contains("派单目录：路灯（全市）") || detail.raw.contains("派单目录："))
            #expect(detail.raw.contains("<h3>相似工单（可并单）</h3>") && detail.raw.contains("<dt><a href=\"/orders/\(first)\">\(first)</a></dt>"), "a candidate is a link")
            let options = detail.raw.components(separatedBy: "<select id=\"dispatch-lead_unit\"")[1]
            #expect(options.range(of: "dist-west")!.lowerBound < options.range(of: "dist-east")!.lowerBound, "the recommended unit comes first")
            let unit = try await console.logIn(client, "east1")
            _ = try await client.post(APIRoutes.action(second, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            #expect(!(try await console.page(client, WebRoutes.order(second), cookie: unit)).raw.contains("派单推荐"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aUnitCannotOpenAnotherUnitsOrderPage(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.action(n, "dispatch"), as: "disp1", ["lead_unit": "dist-west"])
            let east = try await console.logIn(client, "east1")
            #expect(try await console.page(client, WebRoutes.order(n), cookie: east).status == .notFound)
            let list = try await console.page(client, "/orders", cookie: east)
            #expect(!list.raw.contains(n))
            let west = try await console.logIn(client, "west1")
            #expect(try await console.page(client, WebRoutes.order(n), cookie: west).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func dueSoonListsWhatFallsDueWithinAWorkingDay(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock()) { client, _, clock in
            // Dispatched on Monday 3 March 10:00: to be answered by the end of Monday 17 March (ten working days).
            let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.action(n, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            let unit = try await console.logIn(client, "east1")
            let monday = try await console.page(client, "/orders?status=dispatched,handling&due_soon=true", cookie: unit)
            #expect(monday.raw.contains("<h1>已派单、办理中 · 即将超期</h1>") && !monday.raw.contains(n), "not yet within a working day of its deadline")
            clock.advance(11 * 86_400 + 2 * 3600)  // Friday 14 March 12:00: due by the end of the next working day
            let friday = try await console.page(client, "/orders?status=dispatched,handling&due_soon=true", cookie: try await console.logIn(client, "east1"))
            #expect(friday.raw.contains(n))
            let api = try await client.call(.get, APIRoutes.orders + "?due_soon=true", as: "east1")
            #expect(api["total"] as? Int == 1)
            let home = try await console.page(client, WebRoutes.home, cookie: try await console.logIn(client, "east1"))
            #expect(home.raw.contains("<div class=\"count\">1</div>\n    <div class=\"label\">即将超期</div>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func listsPageAndSort(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            for i in 0..<25 { _ = try await services.desk.intake(TestCity.draft(title: "第\(i)件"), by: TestCity.actor("agent1"), at: TestCity.monday) }
            let sup = try await console.logIn(client, "sup1")
            let first = try await console.page(client, "/orders?sort=oldest", cookie: sup)
            #expect(first.raw.contains("共 25 件"))
            #expect(first.raw.contains(">第0件<") && !first.raw.contains(">第24件<"))
            #expect(first.raw.contains("href=\"/orders?sort=oldest&amp;page=2\" rel=\"next\""))
            let second = try await console.page(client, "/orders?sort=oldest&page=2", cookie: sup)
            #expect(second.raw.contains(">第24件<") && second.raw.contains("rel=\"prev\""))
            #expect(!second.raw.contains("rel=\"next\""))
        }
    }
}

@Suite struct IntakePageTests {
    let console = ConsoleTests()

    @Test func intakePageMatchesItsSnapshot() throws {
        try PageSnapshotTests().check("intake", try PageRenderer().html("intake", IntakePage.fixture))
    }

    @Test(arguments: TestDatabase.available)
    func theAgentSeesTheCallersOpenOrdersAndRestrictionThenTakesTheRequest(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let earlier = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.restrictions, as: "sup1", ["phone": "13812345678", "reason": "反复无理占线", "days": 7])
            let agent = try await console.logIn(client, "agent1")
            let desk = try await console.page(client, "/intake?phone=138-1234-5678", cookie: agent)
            #expect(desk.status == .ok)
            #expect(desk.raw.contains("该号码已被限制呼入"))
            #expect(desk.raw.contains("该来电人有未办结的工单"))
            #expect(desk.raw.contains("name=\"caller[name]\" value=\"张先生\""), "the caller's name from their last order")
            #expect(desk.raw.contains("<a href=\"/orders/\(earlier)\">\(earlier)</a>"))
            #expect(desk.raw.contains("<script src=\"/assets/intake.js\"></script>"))
            let csrf = try #require(desk.raw.range(of: "name=\"_csrf\" value=\"").map { String(desk.raw[$0.upperBound...].prefix(64)) })

            let missing = try await console.form(client, WebRoutes.intake, "_csrf=\(csrf)&channel=phone&kind=complaint&caller%5Bphone%5D=13900000000&title=&content=x", cookie: agent)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.raw.contains("role=\"alert\""))
            // A direct answer without a category is refused, named as the form labels it, and nothing is stored.
            let before = try #require(try await client.call(.get, APIRoutes.orders, as: "sup1").json["total"] as? Int)
            let unclassified = try await console.form(client, WebRoutes.intake, "_csrf=\(csrf)&channel=phone&kind=consultation&caller%5Bphone%5D=13900000000"
                + "&title=%E5%92%A8%E8%AF%A2&content=%E5%92%A8%E8%AF%A2&decision%5Btype%5D=answer_directly&decision%5Banswer%5D=%E5%B7%B2%E7%AD%94%E5%A4%8D", cookie: agent)
            #expect(unclassified.status == .unprocessableContent)
            #expect(unclassified.raw.contains("事项分类"))
            #expect(try await client.call(.get, APIRoutes.orders, as: "sup1").json["total"] as? Int == before)
            let body = "_csrf=\(csrf)&channel=phone&kind=help&caller%5Bphone%5D=13900000000&caller%5Bname%5D=%E6%9D%8E%E5%A5%B3%E5%A3%AB"
                + "&title=%E5%81%9C%E6%B0%B4&content=%E5%B0%8F%E5%8C%BA%E5%81%9C%E6%B0%B4&category_code=01.01&location%5Bdistrict%5D=%E4%B8%9C%E5%8C%BA"
                + "&lanes%5B%5D=urgent_livelihood&decision%5Btype%5D=accept"
            let taken = try await console.form(client, WebRoutes.intake, body, cookie: agent)
            #expect(taken.status == .seeOther)
            let location = try #require(taken.headers[.location])
            #expect(location.hasSuffix("?done=create"))
            let number = String(location.dropFirst("/orders/".count).prefix(14))
            let stored = try await client.call(.get, APIRoutes.order(number), as: "sup1")
            #expect(stored.order["lanes"] as? [String] == ["urgent_livelihood"])
            #expect(stored.order["title"] as? String == "停水")

            let unit = try await console.logIn(client, "east1")
            #expect(try await console.page(client, WebRoutes.intake, cookie: unit).status == .forbidden)
        }
    }
}
