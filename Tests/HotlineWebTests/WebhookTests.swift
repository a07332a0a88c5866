import Crypto
import Foundation
import HTTPTypes
import HotlineApp
import HotlineDomain
@testable import HotlineStorage
import HotlineTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import HotlineWeb

/// A webhook receiver for tests: records each request's idempotency key, signature and body, answers 500 to the first
/// `failFirst` requests (every one while `alwaysFail`) and 200 after, optionally slowly.
final class TestReceiver: Sendable {
    struct Hit: Sendable {
        var key: String
        var signature: String
        var body: Data
    }

    private struct State {
        var hits: [Hit] = []
        var failuresLeft = 0
        var alwaysFail = false
    }

    private let state = Mutex(State())
    let delay: Duration?

    init(failFirst: Int = 0, alwaysFail: Bool = false, delay: Duration? = nil) {
        state.withLock {
            $0.failuresLeft = failFirst
            $0.alwaysFail = alwaysFail
        }
        self.delay = delay
    }

    var hits: [Hit] { state.withLock { $0.hits } }
    func recover() { state.withLock { $0.alwaysFail = false; $0.failuresLeft = 0 } }

    /// Records a request and says whether to answer 200.
    func take(_ hit: Hit) -> Bool {
        state.withLock { s in
            s.hits.append(hit)
            if s.alwaysFail { return false }
            if s.failuresLeft > 0 {
                s.failuresLeft -= 1
                return false
            }
            return true
        }
    }

    /// Runs the receiver on a free loopback port while `body` runs; `body` gets its URL.
    func serve(_ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("hook") { [self] request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let hit = Hit(
                key: request.headers[HTTPField.Name("Idempotency-Key")!] ?? "",
                signature: request.headers[HTTPField.Name("X-Hotline-Signature")!] ?? "", body: Data(buffer.readableBytesView))
            let ok = take(hit)
            if let delay { try await Task.sleep(for: delay) }
            return Response(status: ok ? .ok : .internalServerError)
        }
        var logger = Logger(label: "receiver")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body("http://127.0.0.1:\(port)/hook")
        }
    }
}

/// 消息推送: each unit's webhook, the outbox written with the notice's event, the sender's retries, backoff, dead letters
/// and idempotency against a local receiver, on SQLite and PostgreSQL.
@Suite struct WebhookTests {
    let monday = TestCity.monday
    static let secret = "0123456789abcdef-secret"

    static func account(_ id: String) -> UserAccount { TestCity.users.first { $0.id == id }! }

    func setHook(_ s: HotlineServices, unit: UnitID = "dist-east", url: String, enabled: Bool = true) async throws {
        _ = try await HotlineApp(services: s).admin.setWebhook(
            of: unit, AdminInput.WebhookInput(url: url, secret: Self.secret, enabled: enabled), by: Self.account("admin1"), client: "test", at: monday)
    }

    func dispatched(_ s: HotlineServices, lead: UnitID = "dist-east", assisting: [UnitID] = []) async throws -> OrderNumber {
        let number = try await s.desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: monday).order.number
        _ = try await s.desk.apply(.dispatch(lead: lead, assisting: assisting, note: nil), to: number, by: TestCity.actor("disp1"), at: monday)
        return number
    }

    func rows(_ s: HotlineServices, _ state: WebhookDelivery.State? = nil) async throws -> [WebhookDelivery] {
        try await s.webhooks.deliveries(state: state, page: 1, size: 100).items
    }

    func sender(_ s: HotlineServices, _ policy: WebhookPolicy = WebhookPolicy(maxTries: 3, timeout: .seconds(5))) -> WebhookSender {
        WebhookSender(services: s, transport: HTTPWebhookTransport(), policy: policy)
    }

    @Test func theBackoffDoublesUpToItsCapAndEndsAfterTheLastTry() {
        let p = WebhookPolicy(maxTries: 6, firstDelay: .seconds(30), maxDelay: .seconds(200))
        #expect((1...6).map { p.retryDelay(afterTry: $0) } == [30, 60, 120, 200, 200, nil])
    }

    @Test(arguments: TestDatabase.available)
    func aNoticeToAUnitWithAWebhookIsSentOnceSignedWithTheUnitsSecret(db: TestDatabase) async throws {
        try await db.withServices { s in
            let receiver = TestReceiver()
            try await receiver.serve { url in
                try await setHook(s, url: url)
                let n = try await dispatched(s, assisting: ["dist-west"])
                let queued = try await rows(s)
                #expect(queued.count == 1, "only the unit with a webhook gets a row")
                #expect(queued.first?.unit == "dist-east" && queued.first?.state == .pending && queued.first?.kind == "dispatched")
                let summary = try await sender(s).sendOnce(at: monday.addingTimeInterval(60))
                #expect(summary.delivered == 1 && summary.retrying == 0 && summary.dead == 0)
                let hits = receiver.hits
                try #require(hits.count == 1)
                let hit = hits[0]
                #expect(hit.key == queued[0].key && hit.key == "\(n.rawValue)-2-dist-east")
                let mac = HMAC<SHA256>.authenticationCode(for: hit.body, using: SymmetricKey(data: Data(Self.secret.utf8)))
                #expect(hit.signature == "sha256=" + mac.map { String(format: "%02x", $0) }.joined())
                let json = try #require(try JSONSerialization.jsonObject(with: hit.body) as? [String: String])
                #expect(json["order_number"] == String(n.rawValue) && json["kind"] == "派单" && json["delivery_id"] == hit.key)
                #expect(json["unit"] == "dist-east" && json["unit_name"] == "东区人民政府" && json["order_title"] == "小区路灯不亮")
                #expect(json["sentence"]?.hasPrefix("市12345热线中心 派单员一 对工单 \(n) 派单至东区人民政府主办") == true)
                #expect(json["at"] == monday.chinaISO8601)
                #expect(try await rows(s, .delivered).count == 1)
                // A second pass finds nothing due: nothing is sent twice.
                #expect(try await sender(s).sendOnce(at: monday.addingTimeInterval(3600)) == WebhookSender.Summary())
                #expect(receiver.hits.count == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func failedTriesRetryOnTheBackoffThenBecomeADeadLetterThatARequeueDelivers(db: TestDatabase) async throws {
        try await db.withServices { s in
            let receiver = TestReceiver(alwaysFail: true)
            try await receiver.serve { url in
                try await setHook(s, url: url)
                _ = try await dispatched(s)
                let t0 = monday.addingTimeInterval(60)
                let send = sender(s, WebhookPolicy(maxTries: 3, firstDelay: .seconds(30), maxDelay: .seconds(3600), timeout: .seconds(5)))
                #expect(try await send.sendOnce(at: t0).retrying == 1)
                var row = try #require(try await rows(s).first)
                #expect(row.tries == 1 && row.state == .pending && row.nextAt == t0.addingTimeInterval(30))
                #expect(row.lastError == "接收方答复失败（HTTP 500）")
                #expect(try await send.sendOnce(at: t0.addingTimeInterval(29)) == WebhookSender.Summary(), "not due before its backoff")
                #expect(receiver.hits.count == 1)
                #expect(try await send.sendOnce(at: t0.addingTimeInterval(30)).retrying == 1)
                row = try #require(try await rows(s).first)
                #expect(row.tries == 2 && row.nextAt == t0.addingTimeInterval(30 + 60), "the wait doubles")
                #expect(try await send.sendOnce(at: t0.addingTimeInterval(89)) == WebhookSender.Summary())
                #expect(try await send.sendOnce(at: t0.addingTimeInterval(90)).dead == 1)
                row = try #require(try await rows(s).first)
                #expect(row.state == .dead && row.tries == 3 && row.lastError == "接收方答复失败（HTTP 500）")
                #expect(try await send.sendOnce(at: t0.addingTimeInterval(86_400)) == WebhookSender.Summary(), "a dead letter is not tried again")
                #expect(receiver.hits.count == 3 && Set(receiver.hits.map(\.key)) == [row.key], "every try carries the same idempotency key")
                // 重新投递, and the receiver is back.
                receiver.recover()
                let admin = HotlineApp(services: s).admin
                await #expect(throws: AppError.self) {
                    _ = try await admin.requeueWebhookDelivery(row.id, by: Self.account("sup1"), client: "test", at: t0)
                }
                let requeued = try await admin.requeueWebhookDelivery(row.id, by: Self.account("admin1"), client: "test", at: t0.addingTimeInterval(100))
                #expect(requeued.state == .pending && requeued.tries == 0)
                #expect(try await send.sendOnce(at: t0.addingTimeInterval(100)).delivered == 1)
                #expect(try await rows(s, .delivered).map(\.id) == [row.id])
                #expect(receiver.hits.count == 4 && Set(receiver.hits.map(\.key)) == [row.key])
                await #expect(throws: AppError.conflict(code: "not_dead", message: "只有死信可以重新投递（这条推送已投递）", field: nil)) {
                    _ = try await admin.requeueWebhookDelivery(row.id, by: Self.account("admin1"), client: "test", at: t0.addingTimeInterval(200))
                }
                var filter = AuditFilter()
                filter.action = .webhookRequeued
                #expect(try await s.audit.list(filter, page: 1, size: 5).count == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aReceiverThatFailsTwiceGetsTheThirdTryAndAnUnreachableOneIsRetried(db: TestDatabase) async throws {
        try await db.withServices { s in
            let receiver = TestReceiver(failFirst: 2)
            try await receiver.serve { url in
                try await setHook(s, url: url)
                _ = try await dispatched(s)
                let send = sender(s)
                let t0 = monday.addingTimeInterval(60)
                #expect(try await send.sendOnce(at: t0).retrying == 1)
                #expect(try await send.sendOnce(at: t0.addingTimeInterval(30)).retrying == 1)
                #expect(try await send.sendOnce(at: t0.addingTimeInterval(90)).delivered == 1)
                #expect(try await rows(s, .delivered).first?.tries == 3)
                #expect(receiver.hits.count == 3)
            }
            // Nobody listens there any more.
            try await setHook(s, url: "http://127.0.0.1:1/hook")
            _ = try await dispatched(s)
            #expect(try await sender(s, WebhookPolicy(maxTries: 3, timeout: .seconds(1))).sendOnce(at: monday.addingTimeInterval(60)).retrying == 1)
            #expect(try await rows(s, .pending).first?.lastError == "无法连接接收方")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aUnitWithoutAWebhookOrWithItOffGetsNoRowsAndARowForADisabledHookIsNotSent(db: TestDatabase) async throws {
        try await db.withServices { s in
            _ = try await dispatched(s)
            #expect(try await rows(s).isEmpty, "no webhook, no row")
            try await setHook(s, url: "http://127.0.0.1:1/hook", enabled: false)
            _ = try await dispatched(s)
            #expect(try await rows(s).isEmpty, "a webhook that is off gets no row")
            try await setHook(s, url: "http://127.0.0.1:1/hook")
            _ = try await dispatched(s)
            #expect(try await rows(s).count == 1)
            // Turned off before it was sent: not sent, kept as a dead letter that says why.
            try await setHook(s, url: "http://127.0.0.1:1/hook", enabled: false)
            #expect(try await sender(s).sendOnce(at: monday.addingTimeInterval(60)).dead == 1)
            #expect(try await rows(s, .dead).first?.lastError == "该单位的消息推送已关闭，未发送")
        }
    }

    @Test(arguments: TestDatabase.available)
    func anEventThatIsRolledBackLeavesNoDelivery(db: TestDatabase) async throws {
        struct Refused: Error {}
        try await db.withServices { s in
            try await setHook(s, url: "http://127.0.0.1:1/hook")
            let n = try await dispatched(s)
            let before = try await rows(s).count
            let context = s.reference.context
            await #expect(throws: Refused.self) {
                try await s.database.transaction { db in
                    let current = try #require(try await SQLWorkOrderStore.load(n, in: db, lock: false))
                    let outcome = try Lifecycle.apply(.urge(note: "请今天内联系市民"), to: current.order, by: TestCity.actor("sup1"), at: monday, in: context)
                    try await SQLWorkOrderStore.write(outcome, previous: current, in: db)
                    let inside = try await db.rows(Statement("SELECT id FROM webhook_deliveries WHERE kind = 'urged'"))
                    #expect(inside.count == 1, "written with the event, in its transaction")
                    throw Refused()
                }
            }
            #expect(try await rows(s).count == before, "the failed event left no delivery")
            await #expect(throws: LifecycleError.self) {
                _ = try await s.desk.apply(.issueCard(colour: .yellow, reason: "未催办就亮牌"), to: n, by: TestCity.actor("sup1"), at: monday)
            }
            #expect(try await rows(s).count == before, "a refused action leaves no delivery")
        }
    }

    /// Two instances on PostgreSQL (rows split by `FOR UPDATE SKIP LOCKED`); on SQLite two senders of one instance (one
    /// writer at a time). Two SQLite instances would contend through busy waits that hold the shared thread pool's
    /// threads, which starves the SQLite tests running beside this one on a two-core machine.
    @Test(arguments: TestDatabase.available)
    func twoSendersAtOnceDeliverEachRowExactlyOnce(db: TestDatabase) async throws {
        try await withSenders(db) { a, b in
            let receiver = TestReceiver(delay: .milliseconds(5))
            try await receiver.serve { url in
                try await setHook(a, url: url)
                for _ in 0..<16 { _ = try await dispatched(a) }
                #expect(try await rows(a).count == 16)
                let policy = WebhookPolicy(maxTries: 3, timeout: .seconds(5), batch: 1)
                let now = monday.addingTimeInterval(60)
                let summaries = try await withThrowingTaskGroup(of: WebhookSender.Summary.self) { group in
                    for services in [a, b, a, b] { group.addTask { try await sender(services, policy).sendOnce(at: now) } }
                    var all: [WebhookSender.Summary] = []
                    for try await s in group { all.append(s) }
                    return all
                }
                #expect(summaries.map(\.delivered).reduce(0, +) == 16)
                let keys = receiver.hits.map(\.key)
                #expect(keys.count == 16 && Set(keys).count == 16, "each row sent once, by one sender")
                #expect(try await rows(a, .delivered).count == 16)
            }
        }
    }

    func withSenders(_ db: TestDatabase, _ body: @escaping @Sendable (HotlineServices, HotlineServices) async throws -> Void) async throws {
        if db == .postgres {
            try await db.withTwoInstances { a, b in try await body(a, b) }
        } else {
            try await db.withServices { s in try await body(s, s) }
        }
    }

    // MARK: API and page

    @Test(arguments: TestDatabase.available)
    func anAdminSetsAUnitsWebhookOverTheAPIAndNeverSeesTheSecret(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let path = APIRoutes.unitWebhook("dist-east")
            let none = try await client.call(.get, path, as: "admin1")
            #expect(none.status == .ok && none["configured"] as? Bool == false)
            for user in ["sup1", "east1", "eastadmin", "disp1"] {
                #expect(try await client.call(.get, path, as: user).status == .forbidden, "\(user)")
                #expect(try await client.call(.put, path, as: user, json: #"{"url": "https://gw.example/hook", "secret": "0123456789abcdef"}"#).status
                    == .forbidden, "\(user)")
                #expect(try await client.call(.get, APIRoutes.webhookDeliveries + "?state=dead", as: user).status == .forbidden, "\(user)")
                #expect(try await client.call(.post, APIRoutes.requeueWebhookDelivery("1"), as: user).status == .forbidden, "\(user)")
            }
            let noSecret = try await client.call(.put, path, as: "admin1", json: #"{"url": "https://gw.example/hook"}"#)
            #expect(noSecret.status == .unprocessableContent && noSecret.raw.contains("请设置签名密钥"))
            let badURL = try await client.call(.put, path, as: "admin1", json: #"{"url": "ftp://gw.example/hook", "secret": "0123456789abcdef"}"#)
            #expect(badURL.status == .unprocessableContent && badURL.raw.contains("url") && badURL.raw.contains("推送地址应以 http:// 或 https:// 开头"))
            let shortSecret = try await client.call(.put, path, as: "admin1", json: #"{"url": "https://gw.example/hook", "secret": "short"}"#)
            #expect(shortSecret.status == .unprocessableContent && shortSecret.raw.contains("签名密钥应为16到200个字符"))
            #expect(try await client.call(.get, path, as: "admin1")["configured"] as? Bool == false, "a refused change stores nothing")
            #expect(try await client.call(.put, APIRoutes.unitWebhook("nowhere"), as: "admin1",
                                          json: #"{"url": "https://gw.example/hook", "secret": "0123456789abcdef"}"#).status == .notFound)
            let set = try await client.call(.put, path, as: "admin1", json: #"{"url": "https://gw.example/hook", "secret": "0123456789abcdef", "enabled": true}"#)
            #expect(set.status == .ok && set["url"] as? String == "https://gw.example/hook" && set["secret_set"] as? Bool == true)
            #expect(set["enabled"] as? Bool == true && !set.raw.contains("0123456789abcdef"))
            // A blank secret keeps the one set.
            let off = try await client.call(.put, path, as: "admin1", json: #"{"url": "https://gw.example/other", "enabled": false}"#)
            #expect(off.status == .ok && off["enabled"] as? Bool == false && off["secret_set"] as? Bool == true)
            let read = try await client.call(.get, path, as: "admin1")
            #expect(read["url"] as? String == "https://gw.example/other" && !read.raw.contains("0123456789abcdef"))
            var filter = AuditFilter()
            filter.action = .webhookChanged
            let lines = try await services.audit.list(filter, page: 1, size: 5)
            #expect(lines.count == 2 && !lines.contains { $0.detail.contains("0123456789abcdef") })
            let dead = try await client.call(.get, APIRoutes.webhookDeliveries + "?state=dead", as: "admin1")
            #expect(dead.status == .ok && (dead["items"] as? [Any])?.isEmpty == true)
            #expect(try await client.call(.get, APIRoutes.webhookDeliveries + "?state=gone", as: "admin1").status == .unprocessableContent)
            #expect(try await client.call(.post, APIRoutes.requeueWebhookDelivery("999"), as: "admin1").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAdminPageSetsAWebhookListsDeadLettersAndRequeuesThem(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let pages = AdminPageTests()
            let other = try await pages.console.logIn(client, "sup1")
            #expect(try await pages.console.page(client, WebRoutes.adminWebhooks, cookie: other).status == .forbidden)
            let admin = try await pages.session(client, "admin1")
            let empty = try await pages.console.page(client, WebRoutes.adminWebhooks, cookie: admin.cookie)
            #expect(empty.status == .ok && empty.raw.contains("还没有单位设置推送地址。") && empty.raw.contains("没有死信。"))
            let refused = try await pages.post(client, WebRoutes.adminWebhooks, admin, [("unit_id", "dist-east"), ("url", "gw.example"), ("enabled", "on")])
            #expect(refused.status == .unprocessableContent && refused.raw.contains("推送地址：推送地址应以 http:// 或 https:// 开头"))
            #expect(refused.raw.contains("value=\"gw.example\""), "what was typed stays in the form")
            let saved = try await pages.post(
                client, WebRoutes.adminWebhooks, admin,
                [("unit_id", "dist-east"), ("url", "http://127.0.0.1:1/hook"), ("secret", "0123456789abcdef"), ("enabled", "on")])
            #expect(saved.status == .seeOther)
            // A notice that cannot be delivered becomes a dead letter after one try (the policy allows one here).
            _ = try await WebhookTests().dispatched(services)
            _ = try await WebhookSender(services: services, transport: HTTPWebhookTransport(), policy: WebhookPolicy(maxTries: 1, timeout: .seconds(1)))
                .sendOnce(at: TestCity.monday.addingTimeInterval(60))
            let listed = try await pages.console.page(client, WebRoutes.adminWebhooks + "?done=webhook_changed", cookie: admin.cookie)
            #expect(listed.raw.contains("已保存该单位的消息推送设置。") && listed.raw.contains("http://127.0.0.1:1/hook") && listed.raw.contains("已开启"))
            #expect(listed.raw.contains("东区人民政府") && listed.raw.contains("派单") && listed.raw.contains("无法连接接收方") && listed.raw.contains("1 次"))
            #expect(!listed.raw.contains("0123456789abcdef"), "the secret is never shown")
            let editing = try await pages.console.page(client, WebRoutes.adminWebhooks + "?unit=dist-east", cookie: admin.cookie)
            #expect(editing.raw.contains("<option value=\"dist-east\" selected>") && editing.raw.contains("value=\"http://127.0.0.1:1/hook\" required"),
                    "修改 opens the form with the unit's setting")
            let dead = try #require(try await services.webhooks.deliveries(state: .dead, page: 1, size: 5).items.first)
            let requeue = try await pages.post(client, WebRoutes.adminWebhookRequeue(String(dead.id)), admin, [])
            #expect(requeue.status == .seeOther)
            #expect(try await services.webhooks.delivery(dead.id)?.state == .pending)
            let again = try await pages.post(client, WebRoutes.adminWebhookRequeue(String(dead.id)), admin, [])
            #expect(again.status == .conflict && again.raw.contains("只有死信可以重新投递"))
        }
    }
}

extension AdminWebhooksPage {
    static let fixture = AdminWebhooksPage(
        user: .adminFixture, sections: AdminSection.all(current: WebRoutes.adminWebhooks), notice: "已保存该单位的消息推送设置。", error: nil,
        hooks: [
            Hook(unitName: "东区人民政府", url: "https://sms.example.gov.cn/hotline", stateText: "已开启", secretText: "已设置", updated: "2025-03-03 10:00 管理员",
                 editHref: WebRoutes.adminWebhooks + "?unit=dist-east#webhook-form"),
            Hook(unitName: "西区人民政府", url: "http://10.0.0.8/notify", stateText: "已关闭", secretText: "已设置", updated: "2025-03-02 09:30 管理员",
                 editHref: WebRoutes.adminWebhooks + "?unit=dist-west#webhook-form"),
        ],
        units: [PageOption(value: "dist-east", label: "东区人民政府", selected: true), PageOption(value: "dist-west", label: "西区人民政府")],
        url: "", enabled: true,
        deadLetters: [
            DeadLetter(id: "7", unitName: "东区人民政府", order: "20250303000001", orderHref: WebRoutes.order("20250303000001"), what: "催办",
                       triesText: "8 次", lastError: "接收方答复失败（HTTP 503）", time: "2025-03-03 12:31", requeueAction: WebRoutes.adminWebhookRequeue("7"))
        ],
        deadText: "以下 1 条消息多次推送失败，已停止重试；确认接收方恢复后可重新投递。", hasMoreDead: false)
}

@Suite struct WebhookPageSnapshotTests {
    @Test func theWebhooksPageMatchesItsSnapshot() throws {
        try PageSnapshotTests().check("admin-webhooks", try PageRenderer().html("admin-webhooks", AdminWebhooksPage.fixture))
    }
}
