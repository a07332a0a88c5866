import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The callback rule (回访规则) through the API and the console: unanswered calls close an order only after tries on
/// different days, and a low score or an unsatisfied complaint puts the order on the supervisors' board (督办关注) until
/// one of them acts or acknowledges it (已研判).
@Suite struct CallbackRuleWebTests {
    let console = ConsoleTests()

    /// A new complaint replied to by the east district and passed by review: waiting for its callback.
    func awaitingCallback(_ client: any TestClientProtocol) async throws -> String {
        let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
        for (user, action, body) in [("disp1", "dispatch", ["lead_unit": "dist-east"]), ("east1", "sign", [:]),
                                     ("east1", "reply", ["text": "已派人维修，路灯恢复照明。"]), ("rev1", "pass-review", [:])] as [(String, String, [String: Any])] {
            let reply = try await client.post(APIRoutes.action(n, action), as: user, body)
            try #require(reply.status == .ok, "\(action): \(reply.raw)")
        }
        return n
    }

    func csrf(_ reply: APIReply) throws -> String {
        try #require(reply.raw.range(of: "name=\"_csrf\" value=\"").map { String(reply.raw[$0.upperBound...].prefix(64)) })
    }

    func field(_ reply: APIReply) -> String? { (reply.json["error"] as? [String: Any])?["field"] as? String }

    @Test(arguments: TestDatabase.available)
    func unansweredCallsCloseOnlyOnASecondDayAndTheFormSaysHowManySoFar(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock()) { client, _, clock in
            let n = try await awaitingCallback(client)
            for _ in 0..<3 {
                let reply = try await client.post(APIRoutes.action(n, "callback"), as: "cb1", ["reached": false])
                #expect(reply.order["status"] as? String == "awaiting_callback", "\(reply.raw)")
                clock.advance(3600)
            }
            let agent = try await console.logIn(client, "cb1")
            let page = try await console.page(client, WebRoutes.order(n), cookie: agent)
            #expect(page.raw.contains("本轮已回访未接通3次（1天）；累计3次且分布在至少2个不同日期时按未接通办结。"))
            #expect(page.raw.contains("回访未接通（第3次，共1天）"))
            clock.advance(86_400)
            let closed = try await client.post(APIRoutes.action(n, "callback"), as: "cb1", ["reached": false])
            #expect(closed.order["status"] as? String == "closed", "\(closed.raw)")
            let after = try await console.page(client, WebRoutes.order(n), cookie: try await console.logIn(client, "cb1"))
            #expect(after.raw.contains("回访未接通（第4次，共2天），按规定办结"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theRuleIsSetThroughTheAPIAndBadValuesChangeNothing(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let initial = try await client.call(.get, APIRoutes.callbackRule, as: "disp1")
            #expect(initial.json["unreachable_attempts"] as? Int == 3)
            #expect(initial.json["unreachable_days"] as? Int == 2)
            #expect(initial.json["supervise_below_stars"] as? Int == 2)
            #expect(initial.json["supervise_unsatisfied_complaints"] as? Bool == true)
            for (body, expected) in [
                (#"{"auto_redo": [], "unreachable_attempts": 0}"#, "unreachable_attempts"),
                (#"{"auto_redo": [], "unreachable_days": 11}"#, "unreachable_days"),
                (#"{"auto_redo": [], "unreachable_attempts": 2, "unreachable_days": 3}"#, "unreachable_days"),
                (#"{"auto_redo": [], "supervise_below_stars": 5}"#, "supervise_below_stars"),
            ] {
                let reply = try await client.call(.put, APIRoutes.callbackRule, as: "admin1", json: body)
                #expect(reply.status == .unprocessableContent, "\(body): \(reply.raw)")
                #expect(field(reply) == expected, "\(body): \(reply.raw)")
            }
            #expect(services.reference.context.callbackRule == .default, "nothing changed")
            let set = try await client.call(.put, APIRoutes.callbackRule, as: "admin1",
                                            json: #"{"auto_redo": [], "unreachable_attempts": 2, "unreachable_days": 1, "supervise_below_stars": 0}"#)
            #expect(set.status == .ok, "\(set.raw)")
            #expect(services.reference.context.callbackRule
                == CallbackRule(unreachableAttempts: 2, unreachableDays: 1, superviseBelowStars: 0, superviseUnsatisfiedComplaints: true))
            // The old shape (only `auto_redo`) keeps the other fields.
            #expect(try await client.call(.put, APIRoutes.callbackRule, as: "admin1", json: #"{"auto_redo": ["unresolved"]}"#).status == .ok)
            #expect(services.reference.context.callbackRule
                == CallbackRule(autoRedo: [.unresolved], unreachableAttempts: 2, unreachableDays: 1, superviseBelowStars: 0))
            // The configured rule decides: two unanswered calls on one day now close.
            let n = try await awaitingCallback(client)
            _ = try await client.post(APIRoutes.action(n, "callback"), as: "cb1", ["reached": false])
            let second = try await client.post(APIRoutes.action(n, "callback"), as: "cb1", ["reached": false])
            #expect(second.order["status"] as? String == "closed")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAdminSetsTheUnreachableAndSupervisionRulesOnTheTimeLimitsPage(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let cookie = try await console.logIn(client, "admin1")
            let page = try await console.page(client, WebRoutes.adminTimeLimits, cookie: cookie)
            #expect(page.raw.contains("<label for=\"unreachable-days\">未接通须分布的天数</label>"))
            let token = try csrf(page)
            let bad = try await console.form(client, WebRoutes.adminCallbackRule,
                                             "_csrf=\(token)&unreachable_attempts=3&unreachable_days=abc&supervise_below_stars=2", cookie: cookie)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.raw.contains("未接通须分布的天数应为整数"))
            #expect(services.reference.context.callbackRule == .default, "nothing changed")
            let saved = try await console.form(
                client, WebRoutes.adminCallbackRule,
                "_csrf=\(token)&unreachable_attempts=4&unreachable_days=3&supervise_below_stars=1&supervise_unsatisfied_complaints=false", cookie: cookie)
            #expect(saved.status == .seeOther, "\(saved.raw)")
            #expect(services.reference.context.callbackRule
                == CallbackRule(unreachableAttempts: 4, unreachableDays: 3, superviseBelowStars: 1, superviseUnsatisfiedComplaints: false))
            let after = try await console.page(client, WebRoutes.adminTimeLimits, cookie: cookie)
            #expect(after.raw.contains("<option value=\"1\" selected>1星及以下</option>"))
            #expect(after.raw.contains("value=\"true\"> 投诉件回访不满意时列入督办关注"), "unchecked now")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aLowScoreFlagsTheOrderForTheSupervisorsUntilOneAcknowledgesIt(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await awaitingCallback(client)
            let other = try await awaitingCallback(client)
            let reply = try await client.post(APIRoutes.action(n, "callback"), as: "cb1",
                                              ["reached": true, "resolved": true, "satisfaction": "basically_satisfied", "stars": 1])
            #expect(reply.order["status"] as? String == "closed")
            // Three stars and satisfied: no flag.
            _ = try await client.post(APIRoutes.action(other, "callback"), as: "cb1",
                                      ["reached": true, "resolved": true, "satisfaction": "satisfied", "stars": 3])
            let flaggedList = try await client.call(.get, APIRoutes.orders + "?supervision_flagged=true", as: "sup1")
            let numbers = (flaggedList.json["items"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String }
            #expect(numbers == [n])

            let sup = try await console.logIn(client, "sup1")
            let home = try await console.page(client, WebRoutes.home, cookie: sup)
            #expect(home.raw.contains("督办关注"))
            #expect(home.raw.contains(WebRoutes.orders + "?supervision_flagged=true"))
            let board = try await console.page(client, WebRoutes.supervision, cookie: sup)
            #expect(board.raw.contains("回访低分或投诉不满意、待督办员研判"))
            let notices = try await console.page(client, WebRoutes.notices, cookie: sup)
            #expect(notices.raw.contains("回访低分（1星），自动列入督办关注：回访结果触发督办规则"), "supervisors are told")
            let detail = try await console.page(client, WebRoutes.order(n), cookie: sup)
            #expect(detail.raw.contains("<summary>已研判</summary>"))
            #expect(detail.raw.contains("因回访低分列入督办关注"))

            // A dispatcher may not acknowledge; an empty note is refused; neither changes anything.
            let before = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            let forbidden = try await client.post(APIRoutes.action(n, "acknowledge-supervision"), as: "disp1", ["note": "已研判"])
            #expect(forbidden.status == .forbidden)
            let empty = try await console.form(client, WebRoutes.order(n) + "/acknowledge-supervision", "_csrf=\(try csrf(detail))&note=", cookie: sup)
            #expect(empty.status == .unprocessableContent)
            #expect(empty.raw.contains(">说明："), "the refusal names the field as the form labels it")
            let unchanged = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            #expect(unchanged.raw == before.raw, "nothing changed")

            let done = try await console.form(client, WebRoutes.order(n) + "/acknowledge-supervision",
                                              "_csrf=\(try csrf(detail))&note=%E5%B7%B2%E6%A0%B8%E5%AE%9E", cookie: sup)
            #expect(done.status == .seeOther, "\(done.raw)")
            let emptied = try await client.call(.get, APIRoutes.orders + "?supervision_flagged=true", as: "sup1")
            #expect((emptied.json["items"] as? [[String: Any]])?.isEmpty == true)
            let timeline = try await console.page(client, WebRoutes.order(n), cookie: sup)
            let acknowledged = try await console.page(client, WebRoutes.order(n) + "?done=acknowledge_supervision", cookie: sup)
            #expect(acknowledged.raw.contains(">已研判<") && !acknowledged.raw.contains("已已研判"), "the done notice does not repeat 已")
            #expect(timeline.raw.contains("督办员已研判，移出督办关注"))
            #expect(!timeline.raw.contains("<summary>已研判</summary>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func anUnsatisfiedComplaintIsFlaggedAndAnUnsatisfiedHelpRequestIsNot(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let complaint = try await awaitingCallback(client)
            _ = try await client.post(APIRoutes.action(complaint, "callback"), as: "cb1",
                                      ["reached": true, "resolved": true, "satisfaction": "unsatisfied"])
            var help = Bodies.intake
            help["kind"] = "help"
            let h = try #require(try await client.post(APIRoutes.orders, as: "agent1", help).order["number"] as? String)
            for (user, action, body) in [("disp1", "dispatch", ["lead_unit": "dist-east"]), ("east1", "sign", [:]),
                                         ("east1", "reply", ["text": "已派人维修，路灯恢复照明。"]), ("rev1", "pass-review", [:]),
                                         ("cb1", "callback", ["reached": true, "resolved": true, "satisfaction": "unsatisfied"])]
                as [(String, String, [String: Any])] {
                try #require(try await client.post(APIRoutes.action(h, action), as: user, body).status == .ok, "\(action)")
            }
            let flagged = try await client.call(.get, APIRoutes.orders + "?supervision_flagged=true", as: "sup1")
            #expect((flagged.json["items"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String } == [complaint])
        }
    }
}
