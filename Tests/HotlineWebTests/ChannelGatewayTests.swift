import Crypto
import Foundation
import HTTPTypes
import HotlineApp
import HotlineDomain
@testable import HotlineStorage
import HotlineTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// 渠道接入: the SMS, WeChat, app and mailbox webhooks — each checked by its signature before anything is stored, a
/// retried message id never making a second order (also under concurrent retries), and the limits per sender across
/// channels — on SQLite and PostgreSQL.
@Suite struct ChannelGatewayTests {
    static let token = "wechatToken2025"
    static let key = "sms-and-app-key-0123456789"
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    let monday = TestCity.monday

    static func configure(_ s: HotlineServices, _ channel: Channel, enabled: Bool = true, outbound: String? = nil) async throws {
        _ = try await HotlineApp(services: s).admin.setChannelGateway(
            of: channel,
            AdminInput.ChannelGatewayInput(
                enabled: enabled, outboundURL: outbound, inboundSecret: channel == .wechat ? token : key,
                outboundSecret: outbound == nil ? nil : "outbound-secret-0123456789"),
            by: TestCity.users.first { $0.id == "admin1" }!, client: "test", at: TestCity.monday)
    }

    static func count(_ s: HotlineServices, _ table: String) async throws -> Int {
        try await s.database.read { db in
            try await db.firstRow(Statement("SELECT COUNT(*) AS n FROM \(table)"))?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// A JSON delivery signed with `key` at `at` (the test clock's now unless given).
    static func post(
        _ client: any TestClientProtocol, _ channel: Channel, _ body: [String: Any], key: String = key, at: Date = TestCity.monday,
        from address: String = "198.51.100.20"
    ) async throws -> APIReply {
        let data = try JSONSerialization.data(withJSONObject: body)
        let timestamp = String(Int64(at.timeIntervalSince1970))
        return try await client.send(
            .post, APIRoutes.channel(channel.rawValue),
            headers: [.contentType: "application/json", ChannelController.timestampHeader: timestamp, forwardedFor: address,
                      ChannelController.signatureHeader: ChannelController.signature(data, timestamp: timestamp, secret: key)],
            body: String(decoding: data, as: UTF8.self))
    }

    static func sms(_ id: String, phone: String = "13900001111", text: String = "幸福路12号路灯不亮。晚上出行不便。") -> [String: Any] {
        ["message_id": id, "phone": phone, "text": text]
    }

    static func wechatXML(id: String = "6201234567890123456", from openid: String = "oUser-openid-001", text: String = "东区幸福路积水严重，请尽快处理。")
        -> String
    {
        "<xml><ToUserName><![CDATA[gh_12345]]></ToUserName><FromUserName><![CDATA[\(openid)]]></FromUserName>"
            + "<CreateTime>1740967200</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[\(text)]]></Content>"
            + "<MsgId>\(id)</MsgId></xml>"
    }

    static func wechatQuery(token: String = token, at: Date = TestCity.monday, nonce: String = "38271", echo: String? = nil) -> String {
        let timestamp = String(Int64(at.timeIntervalSince1970))
        let signature = WeChatProtocol.signature(token: token, timestamp: timestamp, nonce: nonce)
        return "?signature=\(signature)&timestamp=\(timestamp)&nonce=\(nonce)" + (echo.map { "&echostr=" + $0 } ?? "")
    }

    @Test func theWeChatSignatureIsTheSHA1OfTheSortedTokenTimestampAndNonce() {
        // sorted: "1409304348" < "1409304348" … the token sorts by its characters.
        let expected = Insecure.SHA1.hash(data: Data(["1409304348", "270008401", "tok"].sorted().joined().utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(WeChatProtocol.signature(token: "tok", timestamp: "1409304348", nonce: "270008401") == expected)
        #expect(WeChatProtocol.verify(expected.uppercased(), token: "tok", timestamp: "1409304348", nonce: "270008401"))
        #expect(!WeChatProtocol.verify(expected, token: "tok2", timestamp: "1409304348", nonce: "270008401"))
    }

    @Test func aTitleIsTheFirstSentence() {
        #expect(ChannelDesk.title(of: "幸福路12号路灯不亮。晚上出行不便。") == "幸福路12号路灯不亮")
        #expect(ChannelDesk.title(of: String(repeating: "长", count: 60)).count == 40)
    }

    @Test(arguments: TestDatabase.available)
    func weChatsURLCheckEchoesOnlyWithTheTokensSignature(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            try await Self.configure(s, .wechat)
            let good = try await client.send(.get, APIRoutes.channel("wechat") + Self.wechatQuery(echo: "echo123"), headers: [:])
            #expect(good.status == .ok && good.raw == "echo123")
            let bad = try await client.send(.get, APIRoutes.channel("wechat") + Self.wechatQuery(token: "otherToken", echo: "echo123"), headers: [:])
            #expect(bad.status == .unauthorized && bad.errorCode == "bad_signature" && !bad.raw.contains("echo123"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aWeChatMessageWithABadSignatureIsRefusedAndAGoodOneAccepted(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            try await Self.configure(s, .wechat)
            let path = APIRoutes.channel("wechat")
            let forged = try await client.send(.post, path + Self.wechatQuery(token: "guessedToken"), headers: [.contentType: "text/xml"], body: Self.wechatXML())
            #expect(forged.status == .unauthorized && forged.errorCode == "bad_signature")
            #expect(forged.raw.contains("签名校验失败"))
            let unsigned = try await client.send(.post, path, headers: [.contentType: "text/xml"], body: Self.wechatXML())
            #expect(unsigned.status == .unauthorized)
            #expect(try await Self.count(s, "work_orders") == 0, "nothing stored from a refused request")
            #expect(try await Self.count(s, "channel_messages") == 0, "nothing stored from a refused request")

            let good = try await client.send(.post, path + Self.wechatQuery(), headers: [.contentType: "text/xml"], body: Self.wechatXML())
            #expect(good.status == .ok && good.headers[.contentType]?.hasPrefix("application/xml") == true)
            let reply = try #require(WeChatProtocol.parse(Data(good.raw.utf8)))
            #expect(reply.toUser == "oUser-openid-001" && reply.fromUser == "gh_12345" && reply.msgType == "text", "from the account to the sender")
            let match = try #require(reply.content?.firstMatch(of: /工单号(\d{14})/))
            let number = String(match.1)
            #expect(reply.content?.hasPrefix("已受理，工单号") == true)
            let parsed = try #require(OrderNumber(number))
            let order = try #require(try await s.orders.order(parsed))
            #expect(order.channel == .wechat && order.caller.phone == "" && order.title == "东区幸福路积水严重，请尽快处理" && order.kind == .consultation)
            let events = try await s.orders.events(of: order.number)
            #expect(events.first?.actorID == "channel:wechat" && events.first?.details.contains("\"message_id\":\"6201234567890123456\"") == true)
            #expect(try await s.channelGateways.order(ofMessage: "6201234567890123456", channel: .wechat) == order.number)

            // WeChat retries the same MsgId: the same order is named again, and no second one is made.
            let retry = try await client.send(.post, path + Self.wechatQuery(nonce: "99"), headers: [.contentType: "text/xml"], body: Self.wechatXML())
            #expect(WeChatProtocol.parse(Data(retry.raw.utf8))?.content?.contains(number) == true)
            #expect(try await Self.count(s, "work_orders") == 1)
            // An event (a follow) is acknowledged and stores nothing.
            let follow = "<xml><ToUserName>gh_12345</ToUserName><FromUserName>oUser2</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>subscribe</Event></xml>"
            let ack = try await client.send(.post, path + Self.wechatQuery(), headers: [.contentType: "text/xml"], body: follow)
            #expect(ack.status == .ok && ack.raw == "success")
            let junk = try await client.send(.post, path + Self.wechatQuery(), headers: [.contentType: "text/xml"], body: "{not xml")
            #expect(junk.status == .badRequest && junk.errorCode == "malformed")
            #expect(try await Self.count(s, "work_orders") == 1)
            #expect(try await Self.count(s, "channel_messages") == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aStaleTimestampIsRefused(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            try await Self.configure(s, .wechat)
            try await Self.configure(s, .sms)
            let old = TestCity.monday.addingTimeInterval(-301)
            let wechat = try await client.send(.post, APIRoutes.channel("wechat") + Self.wechatQuery(at: old), headers: [:], body: Self.wechatXML())
            #expect(wechat.status == .unauthorized && wechat.errorCode == "stale_timestamp")
            let sms = try await Self.post(client, .sms, Self.sms("m-1"), at: TestCity.monday.addingTimeInterval(400))
            #expect(sms.status == .unauthorized && sms.errorCode == "stale_timestamp")
            #expect(try await Self.count(s, "work_orders") == 0)
            #expect(try await Self.count(s, "channel_messages") == 0)
            #expect(try await Self.post(client, .sms, Self.sms("m-1"), at: TestCity.monday.addingTimeInterval(299)).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func smsAppAndMailboxAreCheckedByTheirHMACAndAnswerTheOrderNumber(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            for channel in [Channel.sms, .app, .mailbox] { try await Self.configure(s, channel) }
            let bodies: [(Channel, [String: Any])] = [
                (.sms, Self.sms("sms-1")),
                (.app, ["message_id": "app-1", "user_id": "u-88", "phone": "13700002222", "text": "公交站台破损？请维修。", "kind": "help",
                        "address": "人民路3号"]),
                (.mailbox, ["message_id": "mail-1", "email": "citizen@example.cn", "name": "李女士", "subject": "关于老旧小区加装电梯的建议",
                            "body": String(repeating: "小区居民多为老人，上下楼困难，建议加装电梯。", count: 40), "kind": "suggestion"]),
            ]
            for (channel, body) in bodies {
                let forged = try await Self.post(client, channel, body, key: "a-key-the-gateway-does-not-have")
                #expect(forged.status == .unauthorized && forged.errorCode == "bad_signature", "\(channel)")
                #expect(try await Self.count(s, "channel_messages") == 0, "\(channel): nothing stored")
            }
            #expect(try await Self.count(s, "work_orders") == 0)
            var numbers: [String] = []
            for (channel, body) in bodies {
                let reply = try await Self.post(client, channel, body)
                #expect(reply.status == .ok, "\(channel): \(reply.raw)")
                #expect(reply["duplicate"] as? Bool == false)
                numbers.append(try #require(reply["order_number"] as? String))
            }
            let orders = try await numbers.asyncMap { try await s.orders.order(OrderNumber($0)!)! }
            #expect(orders.map(\.channel) == [.sms, .app, .mailbox])
            #expect(orders[0].caller.phone == "13900001111" && orders[0].title == "幸福路12号路灯不亮")
            #expect(orders[1].caller.phone == "13700002222" && orders[1].kind == .help && orders[1].location.address == "人民路3号")
            #expect(orders[2].title == "关于老旧小区加装电梯的建议" && orders[2].caller.name == "李女士" && orders[2].caller.phone == "")
            #expect(orders[2].content.count > 800, "a mailbox letter is long")
            // The same message again: the first delivery's order, marked duplicate.
            let again = try await Self.post(client, .app, bodies[1].1)
            #expect(again.status == .ok && again["order_number"] as? String == numbers[1] && again["duplicate"] as? Bool == true)
            #expect(try await Self.count(s, "work_orders") == 3)
        }
    }

    @Test(arguments: TestDatabase.available)
    func refusedRequestsSayWhyInChineseAndStoreNothing(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            let unconfigured = try await Self.post(client, .sms, Self.sms("x-1"))
            #expect(unconfigured.status == .forbidden && unconfigured.errorCode == "channel_disabled" && unconfigured.raw.contains("未开启"))
            try await Self.configure(s, .sms, enabled: false)
            #expect(try await Self.post(client, .sms, Self.sms("x-1")).errorCode == "channel_disabled")
            try await Self.configure(s, .sms)
            let missing = try await Self.post(client, .sms, ["message_id": "x-2", "phone": "13900001111"])
            #expect(missing.status == .unprocessableContent && missing.json.description.contains("text"))
            let badPhone = try await Self.post(client, .sms, Self.sms("x-3", phone: "not-a-phone"))
            #expect(badPhone.status == .unprocessableContent && badPhone.raw.contains("电话号码格式不正确"))
            let long = try await Self.post(client, .sms, Self.sms("x-4", text: String(repeating: "长", count: ChannelDesk.textLimit + 1)))
            #expect(long.status == .unprocessableContent && long.errorCode == "too_long")
            let huge = try await Self.post(client, .sms, Self.sms("x-5", text: String(repeating: "a", count: APIBody.maximumBytes + 1)))
            #expect(huge.status == .contentTooLarge)
            let timestamp = String(Int64(TestCity.monday.timeIntervalSince1970))
            let notJSON = Data("{\"message_id\": ".utf8)
            let malformed = try await client.send(
                .post, APIRoutes.channel("sms"),
                headers: [.contentType: "application/json", ChannelController.timestampHeader: timestamp,
                          ChannelController.signatureHeader: ChannelController.signature(notJSON, timestamp: timestamp, secret: Self.key)],
                body: String(decoding: notJSON, as: UTF8.self))
            #expect(malformed.status == .badRequest && malformed.errorCode == "malformed")
            #expect(try await Self.count(s, "work_orders") == 0)
            #expect(try await Self.count(s, "channel_messages") == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theSendersLimitHoldsAcrossChannels(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            try await Self.configure(s, .sms)
            try await Self.configure(s, .app)
            for i in 0..<10 { #expect(try await Self.post(client, .sms, Self.sms("sms-\(i)", phone: "13911112222")).status == .ok) }
            let app = try await Self.post(client, .app, ["message_id": "app-x", "user_id": "u-1", "phone": "139 1111 2222", "text": "又一条诉求。"])
            #expect(app.status == .tooManyRequests && app.errorCode == "rate_limited" && app.raw.contains("请求过于频繁"))
            #expect(try await Self.count(s, "work_orders") == 10, "the refused one stored nothing")
            #expect(try await Self.count(s, "channel_messages") == 10, "the refused one stored nothing")
            // A retry of a message already received is answered, not counted.
            let retry = try await Self.post(client, .sms, Self.sms("sms-3", phone: "13911112222"))
            #expect(retry.status == .ok && retry["duplicate"] as? Bool == true)
            #expect(try await Self.post(client, .app, ["message_id": "app-y", "user_id": "u-2", "text": "另一位市民。"]).status == .ok)
        }
    }

    /// Eight deliveries of one message at once: through one desk (one group-commit batch) and through eight desks (eight
    /// transactions racing in the database, as eight instances would), one order either way; the number sequence has
    /// no gap for the duplicates.
    @Test(arguments: TestDatabase.available)
    func concurrentRetriesMakeOneOrder(db: TestDatabase) async throws {
        try await db.withServices { s in
            try await Self.configure(s, .sms)
            func message(_ id: String) -> InboundMessage {
                InboundMessage(channel: .sms, messageID: id, sender: "13900003333", phone: nil, text: "幸福路路灯不亮。")
            }
            let shared = HotlineApp(services: s).channels
            let batched = try await withThrowingTaskGroup(of: ChannelReceipt.self) { group in
                for _ in 0..<8 { group.addTask { try await shared.receive(message("same-1"), at: monday) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(batched.map(\.order)).count == 1 && batched.filter { !$0.duplicate }.count == 1)
            let racing = try await withThrowingTaskGroup(of: ChannelReceipt.self) { group in
                for _ in 0..<8 {
                    let own = HotlineApp(services: s).channels
                    group.addTask { try await own.receive(message("same-2"), at: monday) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(racing.map(\.order)).count == 1 && racing.filter { !$0.duplicate }.count == 1)
            #expect(try await Self.count(s, "work_orders") == 2)
            #expect(try await Self.count(s, "channel_messages") == 2)
            // Retries in later batches, one by one, and a new message after them: its number follows without a gap.
            for _ in 0..<3 { #expect(try await shared.receive(message("same-1"), at: monday) == ChannelReceipt(order: batched[0].order, duplicate: true)) }
            let next = try await shared.receive(message("new-3"), at: monday)
            let numbers = [batched[0].order, racing[0].order].sorted()
            #expect(numbers.map { $0.rawValue % 100_000 } == [1, 2] && next.order.rawValue % 100_000 == 3, "\(numbers) \(next.order)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentRetriesOverHTTPMakeOneOrder(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            try await Self.configure(s, .sms)
            let replies = try await withThrowingTaskGroup(of: APIReply.self) { group in
                for _ in 0..<8 { group.addTask { try await Self.post(client, .sms, Self.sms("http-same", phone: "13900004444")) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let answered = replies.filter { $0.status == .ok }
            let codes = replies.map { Int($0.status.code) }
            #expect(Set(codes).isSubset(of: [200, 429]), "answered or limited: \(codes)")
            #expect(Set(answered.compactMap { $0["order_number"] as? String }).count == 1)
            #expect(answered.filter { $0["duplicate"] as? Bool == false }.count == 1)
            #expect(try await Self.count(s, "work_orders") == 1)
            #expect(try await Self.count(s, "channel_messages") == 1)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for e in self { out.append(try await transform(e)) }
        return out
    }
}
