import Crypto
import Foundation
import HotlineApp
import HotlineDomain
@testable import HotlineStorage
import HotlineTestSupport
import Testing

@testable import HotlineWeb

/// 渠道回复: the channels' outbox — progress notices written in the event's transaction for orders that came in through
/// a gateway, sent signed to the channel's outbound webhook, retried with backoff, dead after the last try, requeued —
/// and messages other parts of the platform enqueue (one-time codes), idempotent by key; on SQLite and PostgreSQL.
@Suite struct ChannelOutboxTests {
    let monday = TestCity.monday
    static let outboundSecret = "outbound-secret-0123456789"

    func rows(_ s: HotlineServices, _ state: WebhookDelivery.State? = nil) async throws -> [ChannelDelivery] {
        try await s.channelOutbox.deliveries(state: state, page: 1, size: 100).items.reversed()
    }

    func sender(_ s: HotlineServices, _ policy: WebhookPolicy = WebhookPolicy(maxTries: 3, timeout: .seconds(5))) -> ChannelSender {
        ChannelSender(services: s, transport: HTTPWebhookTransport(), policy: policy)
    }

    /// An SMS message taken in through the gateway.
    func received(_ s: HotlineServices, id: String = "sms-1", phone: String = "13900001111") async throws -> OrderNumber {
        try await HotlineApp(services: s).channels.receive(
            InboundMessage(channel: .sms, messageID: id, sender: phone, text: "幸福路12号路灯不亮。晚上出行不便。"), at: monday).order
    }

    @Test(arguments: TestDatabase.available)
    func progressNoticesGoToTheSenderSignedAndNothingInternalIsInThem(db: TestDatabase) async throws {
        try await db.withServices { s in
            let receiver = TestReceiver()
            try await receiver.serve { url in
                try await ChannelGatewayTests.configure(s, .sms, outbound: url)
                let n = try await received(s)
                _ = try await s.desk.apply(.dispatch(lead: "dist-east", assisting: [], note: "内部：请东区今天内处理"), to: n, by: TestCity.actor("disp1"), at: monday)
                // A phone order tells no one through a channel.
                _ = try await s.desk.intake(TestCity.draft(channel: .sms), by: TestCity.actor("agent1"), at: monday)
                let queued = try await rows(s)
                #expect(queued.map(\.kind) == ["created", "dispatched"])
                #expect(queued.allSatisfy { $0.recipient == "13900001111" && $0.channel == .sms && $0.order == n && $0.state == .pending })
                #expect(queued[1].body == "【12345】您的诉求（工单号\(n)）已转交东区人民政府办理。")
                let summary = try await sender(s).sendOnce(at: monday.addingTimeInterval(1))
                #expect(summary.delivered == 2)
                let hits = receiver.hits
                try #require(hits.count == 2)
                for (hit, row) in zip(hits.sorted { $0.key < $1.key }, queued.sorted { $0.key < $1.key }) {
                    #expect(hit.key == row.key)
                    let mac = HMAC<SHA256>.authenticationCode(for: hit.body, using: SymmetricKey(data: Data(Self.outboundSecret.utf8)))
                    #expect(hit.signature == "sha256=" + mac.map { String(format: "%02x", $0) }.joined())
                    let json = try #require(try JSONSerialization.jsonObject(with: hit.body) as? [String: Any])
                    #expect(json["channel"] as? String == "sms" && json["to"] as? String == "13900001111" && json["key"] as? String == row.key)
                    #expect(json["order_number"] as? String == String(n.rawValue) && json["text"] as? String == row.body)
                    let text = row.body
                    for word in ["disp1", "派单员一", "内部", "agent1"] { #expect(!text.contains(word), "\(text)") }
                }
                #expect(try await sender(s).sendOnce(at: monday.addingTimeInterval(3600)) == WebhookSender.Summary(), "nothing twice")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func failedTriesBackOffThenDieAndARequeueDelivers(db: TestDatabase) async throws {
        try await db.withServices { s in
            let receiver = TestReceiver(alwaysFail: true)
            try await receiver.serve { url in
                try await ChannelGatewayTests.configure(s, .sms, outbound: url)
                _ = try await received(s)
                let t0 = monday.addingTimeInterval(1)
                let send = sender(s, WebhookPolicy(maxTries: 3, firstDelay: .seconds(30), maxDelay: .seconds(3600), timeout: .seconds(5)))
                #expect(try await send.sendOnce(at: t0).retrying == 1)
                var row = try #require(try await rows(s).first)
                #expect(row.tries == 1 && row.nextAt == t0.addingTimeInterval(30) && row.lastError == "渠道网关答复失败（HTTP 500）")
                #expect(try await send.sendOnce(at: t0.addingTimeInterval(29)) == WebhookSender.Summary(), "not due before its backoff")
                #expect(try await send.sendOnce(at: t0.addingTimeInterval(30)).retrying == 1)
                row = try #require(try await rows(s).first)
                #expect(row.nextAt == t0.addingTimeInterval(90), "the wait doubles")
                #expect(try await send.sendOnce(at: t0.addingTimeInterval(90)).dead == 1)
                row = try #require(try await rows(s).first)
                #expect(row.state == .dead && row.tries == 3)
                #expect(try await send.sendOnce(at: t0.addingTimeInterval(86_400)) == WebhookSender.Summary(), "a dead letter waits")
                receiver.recover()
                let admin = HotlineApp(services: s).admin
                await #expect(throws: AppError.self) {
                    _ = try await admin.requeueChannelDelivery(row.id, by: WebhookTests.account("sup1"), client: "test", at: t0)
                }
                let requeued = try await admin.requeueChannelDelivery(row.id, by: WebhookTests.account("admin1"), client: "test", at: t0.addingTimeInterval(100))
                #expect(requeued.state == .pending && requeued.tries == 0)
                #expect(try await send.sendOnce(at: t0.addingTimeInterval(100)).delivered == 1)
                #expect(receiver.hits.count == 4 && Set(receiver.hits.map(\.key)) == [row.key])
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func noticesAreWrittenInTheEventsTransactionAndOnlyForAGatewayThatIsOn(db: TestDatabase) async throws {
        struct Refused: Error {}
        try await db.withServices { s in
            _ = try await received(s, id: "before")
            #expect(try await rows(s).isEmpty, "no gateway with an outbound URL, no row")
            try await ChannelGatewayTests.configure(s, .sms, outbound: "http://127.0.0.1:1/hook")
            let n = try await received(s, id: "after")
            #expect(try await rows(s).count == 1)
            let context = s.reference.context
            await #expect(throws: Refused.self) {
                try await s.database.transaction { db in
                    let current = try #require(try await SQLWorkOrderStore.load(n, in: db, lock: false))
                    let outcome = try Lifecycle.apply(.dispatch(lead: "dist-east", assisting: [], note: nil), to: current.order, by: TestCity.actor("disp1"), at: monday, in: context)
                    try await SQLWorkOrderStore.write(outcome, previous: current, in: db)
                    #expect(try await db.rows(Statement("SELECT id FROM channel_outbox WHERE kind = 'dispatched'")).count == 1, "inside the event's transaction")
                    throw Refused()
                }
            }
            #expect(try await rows(s).count == 1, "the rolled-back event left no notice")
            // Turned off before sending: kept as a dead letter that says why.
            try await ChannelGatewayTests.configure(s, .sms, enabled: false, outbound: "http://127.0.0.1:1/hook")
            #expect(try await sender(s).sendOnce(at: monday.addingTimeInterval(1)).dead == 1)
            #expect(try await rows(s, .dead).first?.lastError == "该渠道的出站推送未开启或未配置，未发送")
        }
    }

    @Test(arguments: TestDatabase.available)
    func enqueuedMessagesAreIdempotentByKeyAndSentWithoutAnOrder(db: TestDatabase) async throws {
        try await db.withServices { s in
            let receiver = TestReceiver()
            try await receiver.serve { url in
                try await ChannelGatewayTests.configure(s, .sms, outbound: url)
                let code = OutboundMessage(channel: .sms, recipient: "13900005555", text: "【12345】您的验证码为 482913，5分钟内有效。", key: "otp-abc")
                try await s.channelOutbox.enqueue([code], at: monday)
                try await s.channelOutbox.enqueue([code], at: monday)
                try await s.database.transaction { db in try await ChannelOutboxStore.enqueue([code], at: TestCity.monday, in: db) }
                #expect(try await rows(s).count == 1)
                #expect(try await sender(s).sendOnce(at: monday).delivered == 1)
                let json = try #require(try JSONSerialization.jsonObject(with: receiver.hits[0].body) as? [String: Any])
                #expect(json["to"] as? String == "13900005555" && json["key"] as? String == "otp-abc" && json["order_number"] is NSNull)
            }
        }
    }
}
