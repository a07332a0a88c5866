import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// 消息提醒 in the console and the API: the bell's count on every page, the list with its sentences, opening a notice,
/// 全部标为已读, the live count, and nobody reaching another user's or another unit's notices.
@Suite struct NoticePageTests {
    let console = ConsoleTests()

    /// An order dispatched to the east district and urged by the supervisor: two notices for each east user.
    func urgedOrder(_ client: any TestClientProtocol) async throws -> String {
        let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
        #expect(try await client.post(APIRoutes.action(n, "dispatch"), as: "disp1", ["lead_unit": "dist-east"]).status == .ok)
        #expect(try await client.post(APIRoutes.action(n, "urge"), as: "sup1", ["note": "请今天内联系市民"]).status == .ok)
        return n
    }

    func csrf(_ page: APIReply) throws -> String {
        try #require(page.raw.range(of: "name=\"_csrf\" value=\"").map { String(page.raw[$0.upperBound...].prefix(64)) })
    }

    /// The bell as the header renders it: its count, or nil when it shows none.
    func bell(_ page: APIReply) -> String? {
        guard let start = page.raw.range(of: "<span class=\"bell-count\"") else { return nil }
        let rest = page.raw[start.upperBound...]
        guard rest.hasPrefix(">"), let end = rest.range(of: "</span>") else { return nil }
        return String(rest[rest.index(after: rest.startIndex)..<end.lowerBound])
    }

    /// The field an API refusal names.
    func field(_ reply: APIReply) -> String? { (reply["error"] as? [String: Any])?["field"] as? String }

    /// The ids of the notices a page lists, newest first.
    func noticeIDs(_ page: APIReply) -> [String] {
        page.raw.components(separatedBy: "action=\"/notices/").dropFirst().compactMap { rest in
            let id = rest.prefix { $0.isNumber }
            return id.isEmpty ? nil : String(id)
        }
    }

    @Test func noticesPageMatchesItsSnapshot() throws {
        try PageSnapshotTests().check("notices", try PageRenderer().html("notices", NoticesPage.fixture))
        try PageSnapshotTests().check("notices-empty", try PageRenderer().html("notices", NoticesPage.emptyFixture))
    }

    @Test(arguments: TestDatabase.available)
    func theBellCountsTheUsersUnreadNoticesOnEveryPage(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await urgedOrder(client)
            let east = try await console.logIn(client, "east1")
            for path in [WebRoutes.home, WebRoutes.orders, WebRoutes.order(n), WebRoutes.notices, WebRoutes.order("20250101000099")] {
                let page = try await console.page(client, path, cookie: east)
                #expect(bell(page) == "2", "\(path)")
                #expect(page.raw.contains("aria-label=\"消息提醒，2条未读\"") && page.raw.contains("/assets/bell.js"), "\(path)")
            }
            let west = try await console.page(client, WebRoutes.home, cookie: try await console.logIn(client, "west1"))
            #expect(west.raw.contains("<span class=\"bell-count\" hidden>") && bell(west) == nil, "no notice, no count")
            #expect(west.raw.contains("aria-label=\"消息提醒\""))
            let sup = try await console.page(client, WebRoutes.home, cookie: try await console.logIn(client, "sup1"))
            #expect(bell(sup) == nil, "the supervisor is not told of their own urge")
            #expect(!(try await console.page(client, WebRoutes.login, cookie: "").raw.contains("id=\"bell\"")), "signed out, no bell")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theListTellsWhatHappenedAndOpeningANoticeReadsItAndGoesToTheOrder(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await urgedOrder(client)
            let east = try await console.logIn(client, "east1")
            let list = try await console.page(client, WebRoutes.notices, cookie: east)
            #expect(list.status == .ok)
            #expect(list.raw.contains("<h1>消息提醒</h1>") && list.raw.contains("未读 2 条。"))
            #expect(list.raw.contains("市12345热线中心 督办员一 对工单 \(n) 催办东区人民政府（本单第1次）：请今天内联系市民"))
            #expect(list.raw.contains("市12345热线中心 派单员一 对工单 \(n) 派单至东区人民政府主办，答复期限 "))
            #expect(list.raw.contains("查看工单 \(n)：小区路灯不亮"))
            #expect(list.raw.components(separatedBy: "notice-item unread").count == 3)
            let ids = noticeIDs(list)
            #expect(ids.count == 2)
            let token = try csrf(list)

            #expect(try await console.form(client, WebRoutes.noticeOpen(ids[0]), "", cookie: east).status == .forbidden, "no CSRF token")
            #expect(bell(try await console.page(client, WebRoutes.home, cookie: east)) == "2")
            let opened = try await console.form(client, WebRoutes.noticeOpen(ids[0]), "_csrf=" + token, cookie: east)
            #expect(opened.status == .seeOther && opened.headers[.location] == WebRoutes.order(n))
            #expect(bell(try await console.page(client, WebRoutes.order(n), cookie: east)) == "1")
            let again = try await console.form(client, WebRoutes.noticeOpen(ids[0]), "_csrf=" + token, cookie: east)
            #expect(again.headers[.location] == WebRoutes.order(n), "opening twice is opening once")
            let after = try await console.page(client, WebRoutes.notices, cookie: east)
            #expect(after.raw.contains("未读 1 条。") && after.raw.components(separatedBy: "notice-item unread").count == 2)
            let unreadOnly = try await console.page(client, WebRoutes.notices + "?unread=true", cookie: east)
            #expect(noticeIDs(unreadOnly) == [ids[1]])

            // A colleague's read state is their own.
            #expect(bell(try await console.page(client, WebRoutes.home, cookie: try await console.logIn(client, "eastadmin"))) == "2")
        }
    }

    @Test(arguments: TestDatabase.available)
    func markingAllReadStopsAtWhatWasShownAndIsIdempotent(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await urgedOrder(client)
            let east = try await console.logIn(client, "east1")
            let list = try await console.page(client, WebRoutes.notices, cookie: east)
            let newest = try #require(noticeIDs(list).first)
            #expect(list.raw.contains("name=\"up_to\" value=\"\(newest)\"") && list.raw.contains("全部标为已读"))
            // A card arrives after the page was shown.
            #expect(try await client.post(APIRoutes.action(n, "card"), as: "sup1", ["colour": "yellow", "reason": "催办后仍未联系"]).status == .ok)
            let body = "_csrf=\(try csrf(list))&all=true&up_to=\(newest)"
            for _ in 0..<2 {
                let marked = try await console.form(client, WebRoutes.noticesRead, body, cookie: east)
                #expect(marked.status == .seeOther && marked.headers[.location] == WebRoutes.notices + "?done=read")
            }
            let after = try await console.page(client, WebRoutes.notices, cookie: east)
            #expect(after.raw.contains("已全部标为已读") == false, "no done= in this request")
            #expect(bell(after) == "1" && after.raw.contains("未读 1 条。"), "the yellow card that came meanwhile stays unread")
            #expect(after.raw.contains("向东区人民政府亮黄牌：催办后仍未联系"))
            let done = try await console.page(client, WebRoutes.notices + "?done=read", cookie: east)
            #expect(done.raw.contains("已全部标为已读。"))

            let bad = try await console.form(client, WebRoutes.noticesRead, "_csrf=\(try csrf(list))&up_to=1", cookie: east)
            #expect(bad.status == .unprocessableContent && bad.raw.contains("消息：请指明要标为已读的消息"))
            #expect(try await console.form(client, WebRoutes.noticesRead, "all=true", cookie: east).status == .forbidden, "no CSRF token")
            #expect(bell(try await console.page(client, WebRoutes.home, cookie: east)) == "1", "refusals change nothing")
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentMarksThroughTheAPICountEachNoticeOnce(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await urgedOrder(client)
            for i in 0..<3 { _ = try await client.post(APIRoutes.action(n, "urge"), as: "sup1", ["note": "第\(i + 2)次催办"]) }
            let listed = try await client.call(.get, APIRoutes.notices, as: "east1")
            let ids = try #require(listed["items"] as? [[String: Any]]).compactMap { $0["id"] as? Int }
            #expect(ids.count == 5 && listed["unread"] as? Int == 5)
            let marked = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<12 {
                    group.addTask {
                        let body: [String: Any] = i % 3 == 0 ? ["all": true] : ["ids": ids]
                        let reply = try await client.post(APIRoutes.noticesRead, as: "east1", body)
                        return reply.status == .ok ? reply["marked"] as? Int ?? -100 : -100
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(marked == 5, "every notice counted once, whichever request marked it")
            let after = try await client.call(.get, APIRoutes.notices, as: "east1")
            #expect(after["unread"] as? Int == 0)
            #expect(try await client.call(.get, APIRoutes.notices, as: "eastadmin")["unread"] as? Int == 5)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAPIListsAndMarksTheCallersOwnNotices(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let n = try await urgedOrder(client)
            let reply = try await client.call(.get, APIRoutes.notices + "?page_size=1", as: "east1")
            #expect(reply.status == .ok)
            let item = try #require((reply["items"] as? [[String: Any]])?.first)
            #expect(item["order_number"] as? String == n && item["kind_name"] as? String == "催办" && item["read"] as? Bool == false)
            #expect(item["sentence"] as? String == "市12345热线中心 督办员一 对工单 \(n) 催办东区人民政府（本单第1次）：请今天内联系市民")
            #expect(item["title"] as? String == "小区路灯不亮" && (item["at"] as? String)?.hasSuffix("+08:00") == true)
            #expect(reply["unread"] as? Int == 2 && reply["has_more"] as? Bool == true && reply["page_size"] as? Int == 1)
            let id = try #require(item["id"] as? Int)

            let bad = try await client.call(.get, APIRoutes.notices + "?page_size=500", as: "east1")
            #expect(bad.status == .unprocessableContent && field(bad) == "page_size")
            #expect(field(try await client.call(.get, APIRoutes.notices + "?unread=yes", as: "east1")) == "unread")
            let empty = try await client.post(APIRoutes.noticesRead, as: "east1", [:])
            #expect(empty.status == .unprocessableContent && field(empty) == "ids")
            #expect(field(try await client.post(APIRoutes.noticesRead, as: "east1", ["ids": ["x"]]))?.hasPrefix("ids") == true)

            // Another unit's user can neither see nor mark it.
            let west = try await client.call(.get, APIRoutes.notices, as: "west1")
            #expect((west["items"] as? [Any])?.isEmpty == true && west["unread"] as? Int == 0)
            let foreign = try await client.post(APIRoutes.noticesRead, as: "west1", ["ids": [id]])
            #expect(foreign.status == .ok && foreign["marked"] as? Int == 0)
            #expect(try await client.call(.get, APIRoutes.notices, as: "east1")["unread"] as? Int == 2)

            let marked = try await client.post(APIRoutes.noticesRead, as: "east1", ["ids": [id]])
            #expect(marked["marked"] as? Int == 1 && marked["unread"] as? Int == 1)
            #expect(try await client.post(APIRoutes.noticesRead, as: "east1", ["ids": [id]])["marked"] as? Int == 0, "idempotent")
            let unread = try await client.call(.get, APIRoutes.notices + "?unread=true", as: "east1")
            #expect((unread["items"] as? [[String: Any]])?.map { $0["kind_name"] as? String } == ["派单"])

            // An API key with orders:read is enough; one for reference data only is not.
            let key = try await services.accounts.issueToken(for: "east1", kind: AccountStore.apiKeyKind, scopes: ["orders:read"], now: TestCity.monday, lifetime: 86_400)
            #expect(try await client.call(.get, APIRoutes.notices, token: key.token).status == .ok)
            #expect(try await client.call(.post, APIRoutes.noticesRead, token: key.token, ["all": true])["marked"] as? Int == 1)
            let reference = try await services.accounts.issueToken(for: "east1", kind: AccountStore.apiKeyKind, scopes: ["reference:read"], now: TestCity.monday, lifetime: 86_400)
            #expect(try await client.call(.get, APIRoutes.notices, token: reference.token).errorCode == "insufficient_scope")
        }
    }

    @Test(arguments: TestDatabase.available)
    func nobodyReachesAnotherUnitsNotices(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await urgedOrder(client)
            let east = try await console.logIn(client, "east1")
            let ids = noticeIDs(try await console.page(client, WebRoutes.notices, cookie: east))
            let westCookie = try await console.logIn(client, "west1")
            let west = try await console.page(client, WebRoutes.notices, cookie: westCookie)
            #expect(!west.raw.contains(n) && west.raw.contains("暂无消息") && !west.raw.contains("全部标为已读"))
            let opened = try await console.form(client, WebRoutes.noticeOpen(ids[0]), "_csrf=" + (try csrf(west)), cookie: westCookie)
            #expect(opened.status == .notFound && opened.raw.contains("消息不存在"))
            #expect(try await console.form(client, WebRoutes.noticeOpen("abc"), "_csrf=" + (try csrf(west)), cookie: westCookie).status == .notFound)
            #expect(bell(try await console.page(client, WebRoutes.home, cookie: east)) == "2", "east1's notices stay unread")

            // Moved to another unit, a user leaves the old unit's notices behind.
            let moved = try await client.call(.patch, APIRoutes.user("eastadmin"), as: "admin1", json: "{\"unit_id\": \"dist-west\"}")
            #expect(moved.status == .ok, "\(moved.raw)")
            #expect((try await client.call(.get, APIRoutes.notices, as: "eastadmin")["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theLiveStreamsCarryTheBellsCount(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await urgedOrder(client)
            let east = try await console.logIn(client, "east1")
            let queues = try await console.page(client, WebRoutes.liveQueues + "?max_events=1", cookie: east)
            #expect(queues.raw.hasPrefix("event: queues\ndata: [") && queues.raw.contains("event: notices\ndata: 2\n\n"))
            let bellOnly = try await console.page(client, WebRoutes.liveQueues + "?tiles=none&max_events=1", cookie: east)
            #expect(bellOnly.raw == "event: notices\ndata: 2\n\n")
            let order = try await console.page(client, WebRoutes.livePage + "?max_events=1&path=%2Forders%2F" + n, cookie: east)
            #expect(order.raw.hasPrefix("event: page\ndata: ") && order.raw.contains("event: notices\ndata: 2\n\n"))
            let quiet = try await console.page(client, WebRoutes.liveQueues + "?tiles=none&max_events=1", cookie: try await console.logIn(client, "west1"))
            #expect(quiet.raw == "event: notices\ndata: 0\n\n")

            let before = try #require(try await LiveUpdateTests().print(client, WebRoutes.notices, cookie: east))
            #expect(try await LiveUpdateTests().print(client, WebRoutes.notices, cookie: east) == before)
            #expect(try await client.post(APIRoutes.action(n, "urge"), as: "sup1", ["note": "再次催办"]).status == .ok)
            #expect(try await LiveUpdateTests().print(client, WebRoutes.notices, cookie: east) != before, "a new notice moves the list's fingerprint")
            let page = try await console.page(client, WebRoutes.notices, cookie: east)
            #expect(page.raw.contains("data-path=\"/notices\"") && page.raw.contains("/assets/page-live.js"))
        }
    }
}

extension NoticesPage {
    static let fixture: NoticesPage = {
        var user = PageUser(displayName: "东区承办员 王芳", roleName: "承办单位工作人员", unitName: "东区人民政府", csrf: "fixture-csrf", links: PageUser.links(for: .unitStaff))
        user.bell(unread: 2)
        let at = TestCity.monday
        func notice(_ id: Int64, _ kind: String, _ sentence: String, read: Bool, minutes: Double) -> Notice {
            Notice(id: id, at: at.addingTimeInterval(minutes * 60), order: OrderNumber(rawValue: 20_250_303_000_001), title: "小区路灯不亮", kindName: kind,
                   sentence: sentence, read: read)
        }
        let page = NoticePage(
            notices: [
                notice(3, "黄牌警示", "市12345热线中心 督办员 李强 对工单 20250303000001 向东区人民政府亮黄牌：催办后仍未联系市民", read: false, minutes: 90),
                notice(2, "催办", "市12345热线中心 督办员 李强 对工单 20250303000001 催办东区人民政府（本单第1次）：请今天内联系市民", read: false, minutes: 60),
                notice(1, "派单", "市12345热线中心 派单员 陈静 对工单 20250303000001 派单至东区人民政府主办，答复期限 2025-03-12 18:00", read: true, minutes: 5),
            ],
            unread: 2, page: 1, size: 20, hasMore: true)
        return NoticesPage(user: user, notices: page, unreadOnly: false)
    }()

    static let emptyFixture = NoticesPage(
        user: .fixture, notices: NoticePage(notices: [], unread: 0, page: 1, size: 20, hasMore: false), unreadOnly: true, done: "已全部标为已读。")
}
