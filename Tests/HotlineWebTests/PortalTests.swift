import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The citizen portal (市民门户): a phone proven by a one-time code sends a request with photos, follows it, reads the
/// answer and rates it; another phone never sees it; refusals store nothing.
@Suite struct PortalTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: UInt8(7), count: 600))
    static let pdf = Data(Array("%PDF-1.7\n".utf8) + Array(repeating: UInt8(0x20), count: 2000))

    /// A browser on the portal: its citizen cookie, kept between requests.
    struct Browser {
        var cookie: String?
        var headers: HTTPFields {
            var h: HTTPFields = [.origin: "http://localhost"]
            if let cookie { h[.cookie] = PortalController.cookieName + "=" + cookie }
            return h
        }
        var csrf: String { cookie.map { SessionCookie.csrfToken(forSession: $0) } ?? "" }
    }

    static func form(_ fields: [(String, String)]) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }

    func post(_ client: any TestClientProtocol, _ path: String, _ browser: Browser, _ fields: [(String, String)]) async throws -> APIReply {
        var headers = browser.headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await client.send(.post, path, headers: headers, body: Self.form(fields))
    }

    func get(_ client: any TestClientProtocol, _ path: String, _ browser: Browser) async throws -> APIReply {
        try await client.send(.get, path, headers: browser.headers)
    }

    /// Proves `phone` with a code the test knows (the SMS itself is the gateway's business) and returns the browser.
    func verified(_ client: any TestClientProtocol, _ services: HotlineServices, phone: String, now: Date) async throws -> Browser {
        let access = CitizenAccessStore(database: services.database)
        #expect(try await access.issue(code: "246810", to: phone, at: now) == .issued)
        let reply = try await post(client, PortalRoutes.verify, Browser(), [("phone", phone), ("code", "246810"), ("step", "verify"), ("next", "/portal/submit")])
        #expect(reply.status == .seeOther, "\(reply.raw)")
        #expect(reply.headers[.location] == "/portal/submit")
        let setCookie = try #require(reply.headers[.setCookie])
        let token = try #require(setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init))
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("Path=/portal"))
        return Browser(cookie: token)
    }

    func submit(_ client: any TestClientProtocol, _ browser: Browser, content: String = "幸福路12号门口路灯坏了一个月，晚上很黑，希望尽快修好。",
                files: [(field: String, filename: String, data: Data)] = [], anonymous: Bool = false) async throws -> APIReply {
        var fields = [("_csrf", browser.csrf), ("kind", "complaint"), ("content", content), ("district", "东区"), ("address", "幸福路12号"),
                      ("latitude", "30.5"), ("longitude", "114.3")]
        if anonymous { fields.append(("anonymous", "1")) }
        return try await client.upload(PortalRoutes.submit, headers: browser.headers, MultipartBody(fields: fields, files: files))
    }

    static func number(in html: String) -> String? {
        guard let start = html.range(of: "id=\"order-number\">") else { return nil }
        return String(html[start.upperBound...].prefix { $0.isNumber })
    }

    func orderCount(_ services: HotlineServices) async throws -> Int {
        try await services.database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM work_orders").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    @Test(arguments: TestDatabase.available)
    func aVerifiedCitizenSendsAPhotoFollowsTheOrderReadsTheAnswerAndRatesIt(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withAPI(db, clock: clock) { client, services, clock in
            let browser = try await verified(client, services, phone: "13912340001", now: clock.now)
            let sent = try await submit(client, browser, files: [("files", "现场.png", Self.png)])
            #expect(sent.status == .ok, "\(sent.raw)")
            let n = try #require(Self.number(in: sent.raw))
            let number = try #require(OrderNumber(n))
            let order = try #require(try await services.orders.order(number))
            #expect(order.channel == .web && order.caller.phone == "13912340001" && order.categoryCode == nil)
            #expect(order.intakeAttachments?.map(\.name) == ["现场.png"])
            // The citizen sees their own photo back; another citizen gets nothing.
            let sha = try #require(order.intakeAttachments?.first?.sha256)
            let mine = try await client.download(PortalRoutes.photo(n, sha), headers: browser.headers)
            #expect(mine.status == .ok && mine.data == Self.png && mine.headers[.contentType] == "image/png")
            let stranger = try await verified(client, services, phone: "13912340009", now: clock.now)
            #expect(try await client.download(PortalRoutes.photo(n, sha), headers: stranger.headers).status == .notFound)
            #expect(try await get(client, PortalRoutes.order(n), browser).raw.contains(PortalRoutes.photo(n, sha)))
            #expect(order.location.latitude == 30.5 && order.location.district == "东区")
            // The staff see the photo; the dispatcher classifies and dispatches; the loop runs to the end.
            let detail = try await client.call(.get, APIRoutes.order(n), as: "disp1")
            #expect(detail.status == .ok)
            #expect(try await client.post(APIRoutes.action(n, "reclassify"), as: "disp1", ["category_code": "01.01.01", "reason": "市民网上反映"]).status == .ok)
            for (user, action, payload) in [("disp1", "dispatch", ["lead_unit": "dist-east"]), ("east1", "sign", [:]),
                                            ("east1", "reply", ["text": "已更换路灯，恢复照明。"]), ("rev1", "pass-review", [:])] as [(String, String, [String: Any])] {
                let r = try await client.post(APIRoutes.action(n, action), as: user, payload)
                try #require(r.status == .ok, "\(action): \(r.raw)")
            }
            var page = try await get(client, PortalRoutes.order(n), browser)
            #expect(page.status == .ok)
            #expect(page.raw.contains("已更换路灯，恢复照明。") && page.raw.contains("已答复，待回访"))
            #expect(!page.raw.contains("东区承办员") && !page.raw.contains("rev1") && !page.raw.contains("east1"), "no staff on the citizen's page")
            // Rating waits until the callback is over.
            var rated = try await post(client, PortalRoutes.rate(n), browser, [("_csrf", browser.csrf), ("satisfaction", "satisfied")])
            #expect(rated.status == .conflict || rated.status == .unprocessableContent, "\(rated.status)")
            #expect(try await client.post(APIRoutes.action(n, "callback"), as: "cb1",
                                          ["reached": true, "resolved": true, "satisfaction": "basically_satisfied"]).status == .ok)
            rated = try await post(client, PortalRoutes.rate(n), browser, [("_csrf", browser.csrf), ("satisfaction", "satisfied"), ("stars", "5"),
                                                                           ("comment", "修得很快")])
            #expect(rated.status == .ok, "\(rated.raw)")
            #expect(rated.raw.contains("感谢您的评价") && rated.raw.contains("您的评价：满意，5星"))
            // Once only.
            let again = try await post(client, PortalRoutes.rate(n), browser, [("_csrf", browser.csrf), ("satisfaction", "unsatisfied")])
            #expect(again.status != .ok)
            // The citizen's own word is the satisfaction measure's verdict; the record keeps both.
            let stored = try #require(try await services.orders.record(OrderNumber(n)!))
            #expect(stored.order.callback?.satisfaction == .basicallySatisfied && stored.order.citizenRating?.satisfaction == .satisfied)
            #expect(stored.events.last?.kind == "citizen_rated")
            let measures = try await client.call(.get, APIRoutes.measures + "?from=2025-03-03&to=2025-03-03", as: "mgr1")
            let total = try #require(measures["total"] as? [String: Any])
            #expect(total["rated"] as? Int == 1 && total["satisfied"] as? Int == 1 && total["basically_satisfied"] as? Int == 0, "\(measures.raw)")
            #expect(total["satisfaction_rate"] as? Double == 1)
            page = try await get(client, PortalRoutes.home, browser)
            #expect(page.raw.contains(n) && page.raw.contains("已办结"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func anotherCitizensOrderAnswersAsIfItDidNotExist(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withAPI(db, clock: clock) { client, services, clock in
            let owner = try await verified(client, services, phone: "13912340002", now: clock.now)
            let sent = try await submit(client, owner, content: "我家楼下餐馆油烟很大，秘密内容甲乙丙")
            let n = try #require(Self.number(in: sent.raw))
            let other = try await verified(client, services, phone: "13912340003", now: clock.now)
            let page = try await get(client, PortalRoutes.order(n), other)
            let unknown = try await get(client, PortalRoutes.order("20250303999999"), other)
            #expect(page.status == .notFound && unknown.status == .notFound)
            #expect(!page.raw.contains("秘密内容甲乙丙"))
            #expect(page.raw.replacingOccurrences(of: n, with: "") == unknown.raw.replacingOccurrences(of: "20250303999999", with: ""))
            let home = try await get(client, PortalRoutes.home, other)
            #expect(!home.raw.contains(n))
            let rate = try await post(client, PortalRoutes.rate(n), other, [("_csrf", other.csrf), ("satisfaction", "unsatisfied")])
            #expect(rate.status == .notFound)
            // Without a session the order page asks for the phone first.
            let anonymous = try await get(client, PortalRoutes.order(n), Browser())
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == PortalRoutes.track + "?number=" + n)
            // The rating form needs the session's token.
            let forged = try await post(client, PortalRoutes.rate(n), owner, [("_csrf", "x"), ("satisfaction", "satisfied")])
            #expect(forged.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func refusedRequestsStoreNothing(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withAPI(db, clock: clock) { client, services, clock in
            let browser = try await verified(client, services, phone: "13912340004", now: clock.now)
            let before = try await orderCount(services)
            let pdf = try await submit(client, browser, files: [("files", "合同.pdf", Self.pdf)])
            #expect(pdf.status == .unprocessableContent && pdf.raw.contains("只能上传照片"))
            let empty = try await submit(client, browser, content: "   ")
            #expect(empty.status == .unprocessableContent)
            let long = try await submit(client, browser, content: String(repeating: "长", count: TextLimits.content + 1))
            #expect(long.status == .unprocessableContent)
            let noSession = try await submit(client, Browser())
            #expect(noSession.status == .forbidden)
            #expect(try await orderCount(services) == before)
            #expect(try await services.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM order_attachments").first()?.decode(column: "n", as: Int.self) ?? 0
            } == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anonymousRequestsKeepNoPhoneAndCannotBeFollowed(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withAPI(db, clock: clock) { client, services, _ in
            let sent = try await submit(client, Browser(), anonymous: true)
            #expect(sent.status == .ok, "\(sent.raw)")
            #expect(sent.raw.contains("匿名反映不能查询进度"))
            let text = try #require(Self.number(in: sent.raw))
            let n = try #require(OrderNumber(text))
            let order = try #require(try await services.orders.order(n))
            #expect(order.caller.phone.isEmpty && order.caller.isAnonymous)
            // No phone can ever find it, not even the stand-in of the tracking API.
            for phone in ["", PublicController.absentPhone] {
                let track = try await client.call(.post, APIRoutes.publicTrack, json: "{\"number\": \"\(n)\", \"phone\": \"\(phone)\"}")
                #expect(track.status == .notFound)
            }
            // A city that refuses anonymous requests stores none.
            try await CitizenAccessStore(database: services.database).setAnonymousAllowed(false)
            let refused = try await submit(client, Browser(), anonymous: true)
            #expect(refused.status == .forbidden)
            #expect(try await orderCount(services) == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func codesAreRationedPerPhoneAndTriesPerCode(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withAPI(db, clock: clock) { client, services, clock in
            let access = CitizenAccessStore(database: services.database)
            // Twenty requests for a code at the same moment: one code is sent.
            let results = try await withThrowingTaskGroup(of: CitizenAccessStore.IssueResult.self) { group in
                for i in 0..<20 { group.addTask { try await access.issue(code: String(format: "%06d", i), to: "13912340005", at: clock.now) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0 == .issued }.count == 1)
            #expect(results.allSatisfy { $0 == .issued || $0 == .tooSoon(wait: 60) })
            // Five per hour, a minute apart.
            for _ in 0..<4 {
                clock.advance(61)
                #expect(try await access.issue(code: "135790", to: "13912340005", at: clock.now) == .issued)
            }
            clock.advance(61)
            #expect(try await access.issue(code: "135790", to: "13912340005", at: clock.now) == .tooMany)
            clock.advance(3_600)
            #expect(try await access.issue(code: "135790", to: "13912340005", at: clock.now) == .issued)
            // Five wrong tries burn the code: the right one is refused after them.
            for _ in 0..<5 {
                let wrong = try await post(client, PortalRoutes.verify, Browser(), [("phone", "13912340005"), ("code", "000000"), ("step", "verify")])
                #expect(wrong.status == .unprocessableContent && wrong.raw.contains("验证码不正确或已过期"))
            }
            let right = try await post(client, PortalRoutes.verify, Browser(), [("phone", "13912340005"), ("code", "135790"), ("step", "verify")])
            #expect(right.status == .unprocessableContent)
            // A used code does not open a second session.
            clock.advance(61)
            #expect(try await access.issue(code: "112233", to: "13912340005", at: clock.now) == .issued)
            let first = try await post(client, PortalRoutes.verify, Browser(), [("phone", "13912340005"), ("code", "112233"), ("step", "verify")])
            let second = try await post(client, PortalRoutes.verify, Browser(), [("phone", "13912340005"), ("code", "112233"), ("step", "verify")])
            #expect(first.status == .seeOther && second.status == .unprocessableContent)
            // Ten tries of the right code at the same moment: one of them uses it.
            clock.advance(61)
            #expect(try await access.issue(code: "778899", to: "13912340005", at: clock.now) == .issued)
            let redeemed = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<10 { group.addTask { try await access.redeem(code: "778899", for: "13912340005", at: clock.now) } }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(redeemed == 1)
            // An expired code is refused.
            clock.advance(61)
            #expect(try await access.issue(code: "445566", to: "13912340005", at: clock.now) == .issued)
            clock.advance(301)
            let late = try await post(client, PortalRoutes.verify, Browser(), [("phone", "13912340005"), ("code", "445566"), ("step", "verify")])
            #expect(late.status == .unprocessableContent)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theCodeGoesOutThroughTheSMSGatewaysOutboxOrNotAtAll(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withAPI(db, clock: clock) { client, services, clock in
            func outbox() async throws -> [String] {
                try await services.database.read { db in
                    try await db.raw("SELECT body FROM channel_outbox WHERE channel = 'sms' ORDER BY id").all().map { try $0.decode(column: "body", as: String.self) }
                }
            }
            // No SMS gateway: the page says so, and no code is kept.
            let refused = try await post(client, PortalRoutes.verify, Browser(), [("phone", "13912340007"), ("step", "send")])
            #expect(refused.status == .forbidden && refused.raw.contains("短信服务暂未开通"))
            #expect(try await outbox().isEmpty)
            // A gateway that could not sign its messages would only make dead letters: no code either.
            try await services.channelGateways.setGateway(
                .sms, enabled: true, outboundURL: "http://127.0.0.1:9/sms", inboundSecret: "sms-inbound-secret-0001", outboundSecret: nil,
                by: "admin1", at: clock.now, audit: AuditEntry(at: clock.now, actor: .system, action: .channelGatewayChanged, target: "sms"))
            let unsigned = try await post(client, PortalRoutes.verify, Browser(), [("phone", "13912340007"), ("step", "send")])
            #expect(unsigned.status == .forbidden && unsigned.raw.contains("短信服务暂未开通"))
            #expect(try await outbox().isEmpty)
            let gateway = try await client.call(.put, APIRoutes.channelGateway("sms"), as: "admin1", json: """
                {"outbound_url": "http://127.0.0.1:9/sms", "enabled": true, "inbound_secret": "sms-inbound-secret-0001", "outbound_secret": "sms-outbound-secret-001"}
                """)
            #expect(gateway.status == .ok, "\(gateway.raw)")
            let sent = try await post(client, PortalRoutes.verify, Browser(), [("phone", "139 1234 0007"), ("step", "send")])
            #expect(sent.status == .ok && sent.raw.contains("验证码已发送至 139****0007") && sent.raw.contains("id=\"code\""))
            let texts = try await outbox()
            #expect(texts.count == 1)
            let code = try #require(texts.first?.split(whereSeparator: { !$0.isNumber }).first { $0.count == 6 }.map(String.init))
            // The code from the SMS opens a session.
            let verified = try await post(client, PortalRoutes.verify, Browser(), [("phone", "13912340007"), ("code", code), ("step", "verify")])
            #expect(verified.status == .seeOther && verified.headers[.setCookie] != nil)
            // Asking again at once is refused with the wait, and sends nothing.
            let again = try await post(client, PortalRoutes.verify, Browser(), [("phone", "13912340007"), ("step", "send")])
            #expect(again.status == .tooManyRequests && again.raw.contains("秒后再获取"))
            #expect(try await outbox().count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func requestsAreLimitedPerPhone(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withAPI(db, clock: clock) { client, services, clock in
            let browser = try await verified(client, services, phone: "13912340006", now: clock.now)
            for i in 0..<RateLimit.intakePerSender.requests {
                var headers = browser.headers
                headers[.xForwardedFor] = "10.0.0.\(i + 1)"
                let r = try await client.upload(PortalRoutes.submit, headers: headers, MultipartBody(
                    fields: [("_csrf", browser.csrf), ("kind", "consultation"), ("content", "第\(i)次咨询公积金提取")], files: []))
                #expect(r.status == .ok, "\(r.raw)")
            }
            let count = try await orderCount(services)
            var headers = browser.headers
            headers[.xForwardedFor] = "10.0.1.1"
            let limited = try await client.upload(PortalRoutes.submit, headers: headers, MultipartBody(
                fields: [("_csrf", browser.csrf), ("kind", "consultation"), ("content", "再一次咨询")], files: []))
            #expect(limited.status == .tooManyRequests && limited.raw.contains("请求过于频繁"))
            #expect(try await orderCount(services) == count)
        }
    }

    @Test(arguments: TestDatabase.available)
    func thePortalPagesSpeakChineseAndTheFrontPageIsThePortal(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let front = try await client.send(.get, "/", headers: [:])
            #expect(front.status == .seeOther && front.headers[.location] == PortalRoutes.home)
            let short = try await client.send(.get, "/track?number=20250303000001", headers: [:])
            #expect(short.status == .seeOther && short.headers[.location] == PortalRoutes.track + "?number=20250303000001")
            for path in [PortalRoutes.home, PortalRoutes.scope, PortalRoutes.track, PortalRoutes.verify, PortalRoutes.submit] {
                let page = try await client.send(.get, path, headers: [:])
                #expect(page.status == .ok, "\(path)")
                #expect(page.raw.contains("12345") && page.raw.contains("lang=\"zh-CN\""), "\(path)")
            }
            let scope = try await client.send(.get, PortalRoutes.scope, headers: [:])
            for number in ["110", "119", "120", "122", "法院", "信访"] { #expect(scope.raw.contains(number)) }
            let shapes = try await client.send(.get, PortalRoutes.shapes, headers: [:])
            #expect(shapes.status == .ok && shapes.headers[.contentType] == "application/geo+json")
        }
    }
}
