import Foundation
import HTTPTypes
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// 热点预警 through the API and the console: a burst of similar orders becomes a stored topic, alerts managers and
/// supervisors once, shows on `/insight/topics` with its orders; the thresholds form refuses bad values naming the field.
@Suite struct TopicPageTests {
    let console = ConsoleTests()
    let admin = AdminPageTests()

    /// Everyday requests, the same mix every day.
    static let everyday: [(String, String)] = [
        ("小区路灯不亮", "幸福路小区路灯坏了，晚上出行不便。"), ("公交班次太少", "上下班等公交车时间太长，希望增加班次。"),
        ("社保卡补办", "社保卡丢了，想问怎么补办。"), ("装修噪音", "楼上装修噪音太大，周末也不停。"),
        ("垃圾清运不及时", "路边垃圾桶满了没人清运，气味难闻。"), ("井盖破损", "人行道井盖破损，存在安全隐患。"),
    ]

    static let burst = [
        "翠湖花园旁边工地夜间施工噪音扰民", "投诉翠湖花园附近工地半夜施工", "翠湖花园工地夜间施工影响睡眠",
        "翠湖花园附近工地夜间施工噪音太大", "翠湖花园旁工地夜里还在施工", "再次投诉翠湖花园工地夜间施工扰民",
    ]

    static func intake(title: String, content: String, phone: Int) -> [String: Any] {
        var body = Bodies.intake
        body["title"] = title
        body["content"] = content
        body["caller"] = ["name": "市民", "phone": "1390000\(String(format: "%04d", phone))"]
        return body
    }

    /// Four weeks of two everyday orders a day, then the burst in the last three days (from `burstPhone` when given,
    /// else each from its own caller); the clock ends on the last day.
    func seed(_ client: any TestClientProtocol, _ clock: TestClock, burstPhone: Int? = nil) async throws -> [String] {
        var phone = 0
        for day in 0..<28 {
            for k in 0..<2 {
                let (title, content) = Self.everyday[(day * 2 + k) % Self.everyday.count]
                phone += 1
                let r = try await client.post(APIRoutes.orders, as: "agent1", Self.intake(title: title, content: content, phone: phone))
                try #require(r.status == .created, "\(r.raw)")
            }
            clock.advance(86_400)
        }
        var burst: [String] = []
        for (k, text) in Self.burst.enumerated() {
            phone += 1
            let r = try await client.post(APIRoutes.orders, as: "agent1", Self.intake(title: text, content: text + "，请相关部门处理。", phone: burstPhone ?? phone))
            burst.append(try #require(r.order["number"] as? String))
            if k % 2 == 1 { clock.advance(86_400) }
        }
        return burst
    }

    @Test(arguments: TestDatabase.available)
    func oneCallersRepeatedOrdersMakeNoTopic(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock(TestCity.monday.addingTimeInterval(-35 * 86_400))) { client, services, clock in
            let burst = try await seed(client, clock, burstPhone: 9999)
            #expect(burst.count == Self.burst.count)
            let refresh = try await client.post(APIRoutes.topicsRefresh, as: "mgr1")
            #expect(refresh.status == .ok, "\(refresh.raw)")
            #expect((refresh["risen"] as? [Any])?.isEmpty == true, "six orders of one caller are one voice: \(refresh.raw)")
            let list = try await client.call(.get, APIRoutes.topics, as: "sup1")
            #expect((list["topics"] as? [[String: Any]])?.isEmpty == true, "\(list.raw.prefix(600))")
            #expect(try await services.hotTopics.unreadAlerts(userID: "mgr1") == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBurstOfSimilarOrdersBecomesATopicThatAlertsOnce(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock(TestCity.monday.addingTimeInterval(-35 * 86_400))) { client, services, clock in
            let burst = try await seed(client, clock)
            let first = try await client.post(APIRoutes.topicsRefresh, as: "mgr1")
            #expect(first.status == .ok, "\(first.raw)")
            #expect((first["risen"] as? [Any])?.count == 1, "\(first.raw)")
            let list = try await client.call(.get, APIRoutes.topics, as: "sup1")
            let topics = try #require(list["topics"] as? [[String: Any]])
            let topic = try #require(topics.first)
            #expect((topic["label"] as? String)?.contains("翠湖花园") == true, "\(list.raw.prefix(600))")
            #expect(topic["size"] as? Int == burst.count)
            let id = try #require(topic["id"] as? Int)
            let detail = try await client.call(.get, APIRoutes.topic(String(id)), as: "sup1")
            #expect(Set(try #require(detail["orders"] as? [String])) == Set(burst))

            // A second refresh continues the topic: no second alert.
            let second = try await client.post(APIRoutes.topicsRefresh, as: "mgr1")
            #expect((second["risen"] as? [Any])?.isEmpty == true && second["continued"] as? Int == 1, "\(second.raw)")
            #expect(try await services.hotTopics.unreadAlerts(userID: "mgr1") == 1)
            #expect(try await services.hotTopics.unreadAlerts(userID: "sup1") == 1)
            #expect(try await services.hotTopics.unreadAlerts(userID: "disp1") == 0, "dispatchers read topics but are not alerted")

            // The console: the page, the bell, the topic's orders; opening the topic reads its alert.
            let cookie = try await console.logIn(client, "mgr1")
            let page = try await console.page(client, WebRoutes.insightTopics, cookie: cookie)
            #expect(page.status == .ok)
            #expect(page.raw.contains("翠湖花园") && page.raw.contains("<svg class=\"trend\""))
            let home = try await console.page(client, WebRoutes.home, cookie: cookie)
            #expect(home.raw.contains("<span class=\"bell-count\">1</span>"), "the bell counts the alert")
            let notices = try await console.page(client, WebRoutes.notices, cookie: cookie)
            #expect(notices.raw.contains("新热点「<a href=\"/insight/topics/\(id)\">"))
            #expect(notices.raw.contains("未读 1 条。"), "the summary counts the unread alert as the bell does")
            let opened = try await console.page(client, WebRoutes.insightTopic(String(id)), cookie: cookie)
            for number in burst { #expect(opened.raw.contains(">\(number)</a>")) }
            #expect(try await services.hotTopics.unreadAlerts(userID: "mgr1") == 0)

            // Roles without the capability get 403.
            let agent = try await console.logIn(client, "agent1")
            #expect(try await console.page(client, WebRoutes.insightTopics, cookie: agent).status == .forbidden)
            #expect(try await client.post(APIRoutes.topicsRefresh, as: "sup1").status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func nothingRisesWhenTheRecentDaysLookLikeTheirPast(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock(TestCity.monday.addingTimeInterval(-35 * 86_400))) { client, services, clock in
            var phone = 0
            for day in 0..<28 {
                for k in 0..<2 {
                    let (title, content) = Self.everyday[(day * 2 + k) % Self.everyday.count]
                    phone += 1
                    _ = try await client.post(APIRoutes.orders, as: "agent1", Self.intake(title: title, content: content, phone: phone))
                }
                clock.advance(86_400)
            }
            let r = try await client.post(APIRoutes.topicsRefresh, as: "mgr1")
            #expect((r["risen"] as? [Any])?.isEmpty == true, "\(r.raw)")
            #expect(try await services.hotTopics.current(limit: 10).isEmpty)
            #expect(try await services.hotTopics.unreadAlerts(userID: "mgr1") == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theThresholdsFormRefusesBadValuesNamingTheField(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let s = try await admin.session(client, "mgr1")
            let good = [("min_size", "6"), ("min_ratio", "2.5"), ("coverage", "0.5"), ("window_days", "7"), ("baseline_days", "28"), ("webhook_url", "")]
            let bad = try await admin.post(client, WebRoutes.insightTopicsSettings, s, good.map { $0.0 == "min_size" ? ("min_size", "1") : $0 })
            #expect(bad.status == .badRequest || bad.status == .unprocessableContent, "\(bad.status)")
            #expect(bad.raw.contains("最少件数：应为 2 到 10000 之间的整数"), "\(bad.raw)")
            #expect(try await services.hotTopics.settings().minSize == 5, "nothing stored")
            let badURL = try await admin.post(client, WebRoutes.insightTopicsSettings, s, good.map { $0.0 == "webhook_url" ? ("webhook_url", "ftp://x") : $0 })
            #expect(badURL.raw.contains("推送地址：应为 http 或 https 网址"), "\(badURL.raw)")
            let saved = try await admin.post(client, WebRoutes.insightTopicsSettings, s, good)
            #expect(saved.status == .seeOther)
            let stored = try await services.hotTopics.settings()
            #expect(stored.minSize == 6 && stored.minRatio == 2.5 && stored.coverage == 0.5 && stored.baselineDays == 28 && stored.updatedBy == "mgr1")
            #expect(try await services.audit.list(AdminPageTests.audit(.topicSettingsChanged), page: 1, size: 10).count == 1)
            // Supervisors read topics but do not set thresholds.
            let sup = try await admin.session(client, "sup1")
            #expect(try await admin.post(client, WebRoutes.insightTopicsSettings, sup, good).status == .forbidden)
        }
    }
}
