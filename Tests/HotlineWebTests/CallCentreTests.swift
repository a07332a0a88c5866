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

/// Telephony events (话务事件) and the big screen (话务大屏): each event id is taken once, also under concurrent
/// retries; a bad event refuses its batch; today's figures and the floor add up; an answered call pops the agent's desk.
@Suite struct CallCentreTests {
    static func event(_ id: String, _ type: String, at: String, call: String? = nil, _ fields: [String: Any] = [:]) -> [String: Any] {
        var e: [String: Any] = ["event_id": id, "type": type, "at": at]
        if let call { e["call_id"] = call }
        return e.merging(fields) { $1 }
    }

    /// A morning: three calls — one answered in 5 s and ended, one answered after 40 s, one abandoned after 20 s —, a
    /// fourth still waiting, and three agents.
    static var morning: [[String: Any]] {
        [
            event("s1", "agent_state", at: "2025-03-03T09:00:00+08:00", ["agent": "agent1", "state": "ready", "seat": "A01"]),
            event("s2", "agent_state", at: "2025-03-03T09:00:00+08:00", ["agent": "agent2", "state": "ready", "seat": "A02"]),
            event("s3", "agent_state", at: "2025-03-03T09:00:00+08:00", ["agent": "agent3", "state": "break"]),
            event("c1-o", "call_offered", at: "2025-03-03T09:30:00+08:00", call: "c1", ["caller": "13812345678", "queue": "综合", "ivr": "1"]),
            event("c1-a", "call_answered", at: "2025-03-03T09:30:05+08:00", call: "c1", ["agent": "agent1", "seat": "A01"]),
            event("s4", "agent_state", at: "2025-03-03T09:30:05+08:00", ["agent": "agent1", "state": "busy"]),
            event("c1-e", "call_ended", at: "2025-03-03T09:34:05+08:00", call: "c1", ["wait_seconds": 5, "talk_seconds": 240, "acw_seconds": 30]),
            event("c2-o", "call_offered", at: "2025-03-03T09:31:00+08:00", call: "c2", ["caller": "13900001111", "queue": "综合"]),
            event("c2-a", "call_answered", at: "2025-03-03T09:31:40+08:00", call: "c2", ["agent": "agent2"]),
            event("c2-t", "call_transferred", at: "2025-03-03T09:33:00+08:00", call: "c2", ["to": "公积金专家坐席", "three_way": true]),
            event("c3-o", "call_offered", at: "2025-03-03T09:32:00+08:00", call: "c3", ["caller": "13700002222", "queue": "综合"]),
            event("c3-x", "call_abandoned", at: "2025-03-03T09:32:20+08:00", call: "c3"),
            event("c3-m", "missed_call", at: "2025-03-03T09:32:20+08:00", call: "c3", ["caller": "13700002222"]),
            event("c4-o", "call_offered", at: "2025-03-03T09:59:00+08:00", call: "c4", ["caller": "13600003333", "queue": "综合"]),
        ]
    }

    func post(_ client: any TestClientProtocol, _ events: [[String: Any]], as user: String = "admin1") async throws -> APIReply {
        try await client.post(APIRoutes.ctiEvents, as: user, ["events": events])
    }

    @Test(arguments: TestDatabase.available)
    func eventsAreTakenOncePerIdEvenWhenRetriedConcurrently(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let replies = try await withThrowingTaskGroup(of: APIReply.self) { group in
                for _ in 0..<8 { group.addTask { try await post(client, Self.morning) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == .ok }, "\(replies.map(\.raw))")
            #expect(replies.map { $0["accepted"] as? Int ?? -1 }.reduce(0, +) == Self.morning.count, "each event applied once")
            #expect(replies.map { $0["duplicates"] as? Int ?? -1 }.reduce(0, +) == Self.morning.count * 7)
            let store = CallCentreStore(database: services.database)
            #expect(try await store.eventCount() == Self.morning.count)
            let day = try await store.day(TestCity.monday)
            #expect(day.offered == 4 && day.answered == 2 && day.abandoned == 1 && day.transferred == 1, "\(day)")
            // One retried alone is a duplicate too.
            let again = try await client.post(APIRoutes.ctiEvents, as: "admin1", Self.morning[3])
            #expect(again.status == .ok && again["accepted"] as? Int == 0 && again["duplicates"] as? Int == 1)
            // An id twice in one batch: its first occurrence is taken, the second is a duplicate.
            let offered = Self.event("c5-o", "call_offered", at: "2025-03-03T10:01:00+08:00", call: "c5", ["caller": "13500004444", "queue": "综合"])
            let twice = try await post(client, [offered, Self.event("c5-o", "call_abandoned", at: "2025-03-03T10:01:30+08:00", call: "c5")])
            #expect(twice.status == .ok && twice["accepted"] as? Int == 1 && twice["duplicates"] as? Int == 1, "\(twice.raw)")
            #expect(try await store.eventCount() == Self.morning.count + 1)
            let after = try await store.day(TestCity.monday)
            #expect(after.offered == 5 && after.abandoned == 1, "the second c5-o (an abandonment) was not applied: \(after)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theScreenCountsTodaysCallsAndTheFloor(db: TestDatabase) async throws {
        let clock = TestClock(CivilDay(iso: "2025-03-03")!.at(minutes: 10 * 60))
        try await withAPI(db, clock: clock) { client, _, _ in
            #expect(try await post(client, Self.morning).status == .ok)
            let screen = try await client.call(.get, APIRoutes.screen, as: "mgr1")
            #expect(screen.status == .ok, "\(screen.raw)")
            #expect(screen["offered"] as? Int == 4 && screen["answered"] as? Int == 2 && screen["abandoned"] as? Int == 1)
            #expect(screen["connection_rate"] as? Double == 0.5)
            #expect(screen["answered_in15_rate"] as? Double == 0.25, "only c1 was answered within 15 s")
            #expect(screen["average_wait_seconds"] as? Double == 22.5, "(5 + 40) / 2")
            #expect(screen["queue"] as? Int == 1, "c4 is still waiting")
            #expect(screen["longest_wait_seconds"] as? Int == 60, "c4 has waited since 09:59")
            #expect(screen["missed_callbacks"] as? Int == 1 && screen["transferred"] as? Int == 1)
            let agents = try #require(screen["agents"] as? [[String: Any]])
            let byState = Dictionary(uniqueKeysWithValues: agents.map { ($0["key"] as? String ?? "", $0["count"] as? Int ?? -1) })
            #expect(byState["ready"] == 1 && byState["busy"] == 1 && byState["break"] == 1 && byState["offline"] == 0)
            let alerts = try #require(screen["alerts"] as? [String])
            #expect(alerts.contains("有来电已等待60秒") && alerts.contains("漏接待回拨1个"), "\(alerts)")
            // An older report does not undo a newer state.
            _ = try await post(client, [Self.event("s5", "agent_state", at: "2025-03-03T09:10:00+08:00", ["agent": "agent1", "state": "offline"])])
            let later = try await client.call(.get, APIRoutes.screen, as: "mgr1")
            let states = try #require(later["agents"] as? [[String: Any]])
            #expect(states.first { $0["key"] as? String == "busy" }?["count"] as? Int == 1)
            // The page shows the same figures.
            let session = try await AdminPageTests().session(client, "mgr1")
            let page = try await AdminPageTests().console.page(client, WebRoutes.screen, cookie: session.cookie)
            #expect(page.status == .ok && page.raw.contains("话务实况") && page.raw.contains("id=\"value-queue\">1<"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBadEventRefusesItsBatchAndOnlyTheCallCentreKeyMaySend(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let bad = try await post(client, [Self.morning[0], ["event_id": "x", "type": "call_offered", "call_id": "c9"]])
            #expect(bad.status == .badRequest || bad.status == .unprocessableContent, "\(bad.raw)")
            #expect(bad.raw.contains("events[1].caller"))
            let unknown = try await post(client, [["event_id": "y", "type": "call_teleported", "call_id": "c9"]])
            #expect(unknown.status != .ok && unknown.raw.contains("事件类型"))
            let state = try await post(client, [["event_id": "z", "type": "agent_state", "agent": "agent1", "state": "napping"]])
            #expect(state.status != .ok && state.raw.contains("坐席状态"))
            #expect(try await CallCentreStore(database: services.database).eventCount() == 0)
            // Agents, supervisors and managers may not send events; a key without the scope may not either.
            for user in ["agent1", "sup1", "mgr1"] { #expect(try await post(client, [Self.morning[0]], as: user).status == .forbidden, "\(user)") }
            let key = try await client.post(APIRoutes.apiKeys, as: "admin1", ["user_id": "admin1", "label": "话务平台", "scopes": ["cti:events"], "days": 30])
            let token = try #require(key["token"] as? String, "\(key.raw)")
            let sent = try await client.call(.post, APIRoutes.ctiEvents, token: token, Self.morning[0])
            #expect(sent.status == .ok && sent["accepted"] as? Int == 1)
            #expect(try await client.call(.get, APIRoutes.orders, token: token).status == .forbidden, "the key opens nothing else")
            // The screen is for managers, supervisors, dispatchers and admins.
            for (user, allowed) in [("mgr1", true), ("sup1", true), ("disp1", true), ("admin1", true), ("agent1", false), ("east1", false)] {
                #expect((try await client.call(.get, APIRoutes.screen, as: user).status == .ok) == allowed, "\(user)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func anAnsweredCallPopsTheIntakeDeskOfItsAgent(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let agent = try await AdminPageTests().session(client, "agent1")
            // The stream carries only calls answered after it opened: the call is answered once the agent's page listens.
            let pop = try await withThrowingTaskGroup(of: APIReply?.self) { group in
                group.addTask {
                    try await client.send(.get, WebRoutes.liveCalls + "?max_events=1", headers: [.cookie: "hotline_session=" + agent.cookie])
                }
                group.addTask {
                    let start = ContinuousClock.now
                    while services.screenPops.subscriberCount(agent: "agent1") == 0 {
                        guard ContinuousClock.now - start < .seconds(600) else { throw PopTimeout() }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    _ = try await post(client, [Self.morning[3], Self.morning[4]])
                    return nil
                }
                while let next = try await group.next() {
                    if let reply = next { group.cancelAll(); return reply }
                }
                throw PopTimeout()
            }
            #expect(pop.status == .ok && pop.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(pop.raw.contains("event: call") && pop.raw.contains("\"href\":\"\\/intake?phone=13812345678&call=c1\""), "\(pop.raw)")
            #expect(pop.raw.contains("138****5678") && !pop.raw.contains("\"caller\":\"13812345678\""))
            // Only agents pop.
            let supervisor = try await AdminPageTests().session(client, "sup1")
            let refused = try await client.send(.get, WebRoutes.liveCalls, headers: [.cookie: "hotline_session=" + supervisor.cookie])
            #expect(refused.status == .forbidden)
        }
    }
}

/// The agent's page never started listening.
struct PopTimeout: Error {}
