import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// 质检 through the API: scoring forms validated and versioned; random draws reproducible from their seed and never
/// repeating a target, also when inspectors draw at the same moment; the targeted rules (unsatisfied orders, long
/// calls, new agents, one agent); the scoring math (weights, fatal item); the agent's acknowledgement and appeal, a
/// supervisor's decision keeping the original score; refusals that change nothing; the trends.
@Suite struct QualityAPITests {
    static var standardForm: [String: Any] {
        [
        "name": "通话质检评分表",
        "items": [
            ["name": "开头语和结束语", "weight": 10, "guide": "规范开头语并报工号"],
            ["name": "答复准确性", "weight": 30, "guide": "与知识库一致", "fatal": true],
            ["name": "政策正确性", "weight": 25, "fatal": true],
            ["name": "服务态度与同理心", "weight": 20],
            ["name": "工单填写完整性", "weight": 15],
        ],
        ]
    }

    /// A call of `agent` answered at `at`, with `talk` seconds of talk, as the call-centre system reports it.
    static func call(_ id: String, agent: String, at: Date, talk: Int = 120) -> [[String: Any]] {
        [
            ["event_id": id + "-o", "type": "call_offered", "call_id": id, "caller": "13812345678", "queue": "综合", "at": at.addingTimeInterval(-10).chinaISO8601],
            ["event_id": id + "-a", "type": "call_answered", "call_id": id, "agent": agent, "seat": "A01", "at": at.chinaISO8601],
            [
                "event_id": id + "-e", "type": "call_ended", "call_id": id, "wait_seconds": 10, "talk_seconds": talk, "acw_seconds": 30,
                "at": at.addingTimeInterval(TimeInterval(talk)).chinaISO8601,
            ],
        ]
    }

    static func ingest(_ client: any TestClientProtocol, _ events: [[String: Any]]) async throws {
        let reply = try await client.post(APIRoutes.ctiEvents, as: "admin1", ["events": events])
        try #require((200..<300).contains(reply.status.code), "\(reply.raw)")
    }

    /// `count` calls of `agent` spread over the two days before `now`.
    static func calls(_ client: any TestClientProtocol, prefix: String, agent: String = "agent1", count: Int, now: Date = TestCity.monday, talk: Int = 120)
        async throws -> [String]
    {
        var events: [[String: Any]] = []
        var ids: [String] = []
        for i in 0..<count {
            let id = "\(prefix)\(i)"
            ids.append(id)
            events += call(id, agent: agent, at: now.addingTimeInterval(-Double(i + 1) * 1800), talk: talk)
        }
        try await ingest(client, events)
        return ids
    }

    static func order(_ client: any TestClientProtocol, as user: String = "agent1") async throws -> String {
        try #require(try await client.post(APIRoutes.orders, as: user, Bodies.intake).order["number"] as? String)
    }

    func formID(_ client: any TestClientProtocol) async throws -> Int {
        let reply = try await client.post(APIRoutes.qualityForms, as: "admin1", Self.standardForm)
        try #require(reply.status == .created, "\(reply.raw)")
        return try #require(reply["id"] as? Int)
    }

    func draw(_ client: any TestClientProtocol, _ body: [String: Any], as user: String = "qi1") async throws -> APIReply {
        try await client.post(APIRoutes.qualityBatches, as: user, body)
    }

    static func targets(_ reply: APIReply) -> [String] {
        (reply["inspections"] as? [[String: Any]] ?? []).compactMap { $0["target"] as? String }
    }

    static func inspectionIDs(_ reply: APIReply) -> [String] {
        (reply["inspections"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? Int).map(String.init) }
    }

    func count(_ services: HotlineServices, _ table: String) async throws -> Int {
        try await ChannelGatewayTests.count(services, table)
    }

    func auditActions(_ services: HotlineServices) async throws -> [String] {
        try await services.audit.list(AuditFilter(), page: 1, size: 200).map(\.action.rawValue)
    }

    // MARK: Forms

    @Test(arguments: TestDatabase.available)
    func formsAreCheckedAndEveryEditIsANewVersion(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            func with(_ change: (inout [String: Any]) -> Void) -> [String: Any] {
                var body = Self.standardForm
                change(&body)
                return body
            }
            var items = Self.standardForm["items"] as! [[String: Any]]
            let wrong: [([String: Any], String, String)] = [
                (with { $0["name"] = " " }, "name", "不能为空"),
                (with { $0["items"] = [] as [Any] }, "items", "评分项"),
                (with { var i = items; i[0]["weight"] = 5; $0["items"] = i }, "items", "之和应为100分，现为95分"),
                (with { var i = items; i[1]["name"] = "开头语和结束语"; $0["items"] = i }, "items[1].name", "重复"),
                (with { var i = items; i[2]["name"] = ""; $0["items"] = i }, "items[2].name", "不能为空"),
                (with { var i = items; i[0]["weight"] = 0; i[1]["weight"] = 40; $0["items"] = i }, "items[0].weight", "1到100"),
            ]
            for (body, field, words) in wrong {
                let reply = try await client.post(APIRoutes.qualityForms, as: "admin1", body)
                #expect(reply.status == .unprocessableContent && reply.errorField == field, "\(field): \(reply.raw)")
                #expect(reply.errorMessage?.contains(words) == true, "\(field): \(reply.errorMessage ?? "")")
            }
            #expect(try await count(services, "quality_forms") == 0)
            #expect(try await count(services, "quality_form_versions") == 0)
            for user in ["qi1", "sup1", "mgr1", "agent1"] {
                #expect(try await client.post(APIRoutes.qualityForms, as: user, Self.standardForm).status == .forbidden, "\(user)")
            }
            let id = String(try await formID(client))
            items[3]["weight"] = 15
            items[4]["weight"] = 20
            let edited = try await client.call(.put, APIRoutes.qualityForm(id), token: TestCity.token("admin1"), with { $0["items"] = items })
            #expect(edited.status == .ok && edited["version"] as? Int == 2, "\(edited.raw)")
            let refused = try await client.call(.put, APIRoutes.qualityForm(id), token: TestCity.token("admin1"), with { $0["name"] = "" })
            #expect(refused.status == .unprocessableContent)
            let detail = try await client.call(.get, APIRoutes.qualityForm(id), as: "qi1")
            let versions = try #require(detail["versions"] as? [[String: Any]])
            #expect(versions.count == 2 && (detail["form"] as? [String: Any])?["version"] as? Int == 2)
            #expect(((versions[0]["content"] as? [String: Any])?["items"] as? [[String: Any]])?[3]["weight"] as? Int == 20, "version 1 kept")
            #expect(try await client.call(.get, APIRoutes.qualityForms, as: "agent1").status == .forbidden)
            #expect(try await auditActions(services).filter { $0 == "quality_form_changed" }.count == 2)
        }
    }

    // MARK: Sampling

    @Test func aSeedGivesTheSameDrawAndNoTargetTwice() {
        let now = TestCity.monday
        let candidates = (0..<50).map { QualityCandidate(kind: .call, key: "c\($0)", agentID: "a", at: now) }
        let first = QualitySampling.pick(candidates, count: 10, seed: 42)
        #expect(first.count == 10 && Set(first).count == 10)
        #expect(QualitySampling.pick(candidates.reversed(), count: 10, seed: 42) == first, "the candidates' order does not matter")
        #expect(QualitySampling.pick(candidates, count: 10, seed: 43) != first)
        #expect(QualitySampling.pick(candidates + candidates, count: 100, seed: 7).count == 50, "a repeated candidate is taken once")
    }

    @Test(arguments: TestDatabase.available)
    func randomDrawsAreReproducibleAndNeverRepeatATarget(db: TestDatabase) async throws {
        let seen = Mutex<[[String]]>([])
        for _ in 0..<2 {
            try await withAPI(db) { client, _ in
                _ = try await Self.calls(client, prefix: "r", count: 12)
                for _ in 0..<4 { _ = try await Self.order(client) }
                _ = try await Self.order(client, as: "disp1")  // a dispatcher's order is no agent's work
                let first = try await draw(client, ["rule": "random", "calls": 5, "orders": 2, "seed": 42])
                #expect(first.status == .created, "\(first.raw)")
                #expect((first["batch"] as? [String: Any])?["seed"] as? Int == 42)
                let picked = Self.targets(first)
                #expect(picked.count == 7)
                let second = try await draw(client, ["rule": "random", "calls": 20, "orders": 20, "seed": 42])
                let rest = Self.targets(second)
                let expected = 12 - 5 + 4 - 2
                #expect(rest.count == expected, "the rest, and only the agents' orders: \(rest)")
                #expect(Set(picked).isDisjoint(with: rest))
                let third = try await draw(client, ["rule": "random", "calls": 5, "orders": 5])
                #expect(third.status == .created && Self.targets(third).isEmpty, "nothing left to inspect")
                seen.withLock { $0.append(picked) }
            }
        }
        let draws = seen.withLock { $0 }
        #expect(draws.count == 2 && draws[0] == draws[1], "the same seed over the same calls and orders gives the same draw")
    }

    @Test(arguments: TestDatabase.available)
    func targetedRulesTakeWhatTheyName(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let now = TestCity.monday
            // agent1 has worked here for months; agent9 answered a first call two days ago.
            try await Self.ingest(client, Self.call("old", agent: "agent1", at: now.addingTimeInterval(-60 * 86_400)))
            let longCall = try await Self.calls(client, prefix: "long", count: 1, talk: 900)
            let short = try await Self.calls(client, prefix: "short", count: 2, talk: 300)
            let newcomer = try await Self.calls(client, prefix: "new", agent: "agent9", count: 2, now: now.addingTimeInterval(-3600), talk: 200)

            let long = try await draw(client, ["rule": "long_calls"])
            #expect(Self.targets(long) == longCall, "\(long.raw)")
            let longer = try await draw(client, ["rule": "long_calls", "threshold_seconds": 250])
            #expect(Set(Self.targets(longer)) == Set(short), "over 250 s, the 900 s call already inspected")

            let fresh = try await draw(client, ["rule": "new_agents", "orders": 0])
            #expect(Set(Self.targets(fresh)) == Set(newcomer), "\(fresh.raw)")

            // Orders: one rated unsatisfied at the callback, one satisfied, one open.
            func walk(_ satisfaction: String) async throws -> String {
                let n = try await Self.order(client)
                for (user, action, payload) in [
                    ("disp1", "dispatch", ["lead_unit": "dist-east"]), ("east1", "sign", [:]), ("east1", "reply", ["text": "已处理"]),
                    ("rev1", "pass-review", [:]),
                    ("cb1", "callback", ["reached": true, "resolved": satisfaction == "satisfied", "satisfaction": satisfaction]),
                ] as [(String, String, [String: Any])] {
                    let r = try await client.post(APIRoutes.action(n, action), as: user, payload)
                    try #require(r.status == .ok, "\(action): \(r.raw)")
                }
                return n
            }
            let unhappy = try await walk("unsatisfied")
            _ = try await walk("satisfied")
            let open = try await Self.order(client)
            let unsatisfied = try await draw(client, ["rule": "unsatisfied"])
            #expect(Self.targets(unsatisfied) == [unhappy], "\(unsatisfied.raw)")

            let one = try await draw(client, ["rule": "agent", "agent": "agent1", "calls": 10, "orders": 10])
            let taken = Set(Self.targets(one))
            #expect(taken.contains(open) && !taken.contains(unhappy) && !taken.contains(newcomer[0]), "agent1's work not yet inspected: \(taken)")
            #expect(taken.isDisjoint(with: longCall + short), "calls already inspected are not drawn again")

            // Bad input: a clear field, nothing stored.
            let before = try await count(services, "quality_batches")
            let wrong: [([String: Any], String)] = [
                (["rule": "everything"], "rule"), (["rule": "random", "calls": 0, "orders": 0], "calls"), (["rule": "random", "calls": 500], "calls"),
                (["rule": "random", "calls": 1, "from": "3/1"], "from"), (["rule": "random", "calls": 1, "from": "2025-03-05", "to": "2025-03-01"], "to"),
                (["rule": "agent", "agent": "disp1"], "agent"), (["rule": "agent"], "agent"), (["rule": "long_calls", "threshold_seconds": 0], "threshold_seconds"),
                (["rule": "random", "calls": 1, "seed": -1], "seed"),
            ]
            for (body, field) in wrong {
                let reply = try await draw(client, body)
                #expect(reply.status == .unprocessableContent && reply.errorField == field, "\(body): \(reply.raw)")
            }
            for user in ["agent1", "sup1", "mgr1", "admin1"] {
                #expect(try await draw(client, ["rule": "random", "calls": 1], as: user).status == .forbidden, "\(user)")
            }
            #expect(try await count(services, "quality_batches") == before)
        }
    }

    @Test(arguments: TestDatabase.available)
    func inspectorsDrawingAtOnceNeverShareATarget(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            _ = try await Self.calls(client, prefix: "k", count: 30)
            let drawn = try await withThrowingTaskGroup(of: [String].self) { group in
                for seed in 1...4 {
                    group.addTask {
                        let reply = try await draw(client, ["rule": "random", "calls": 20, "seed": seed])
                        #expect(reply.status == .created, "every draw succeeds: \(reply.raw)")
                        return Self.targets(reply)
                    }
                }
                var all: [[String]] = []
                for try await targets in group { all.append(targets) }
                return all
            }
            let flat = drawn.flatMap { $0 }
            #expect(Set(flat).count == flat.count, "no call in two batches: \(drawn)")
            #expect(flat.count >= 20 && flat.count <= 30)
            let rest = Self.targets(try await draw(client, ["rule": "random", "calls": 30]))
            #expect(rest.count == 30 - flat.count && Set(rest).isDisjoint(with: flat), "a later draw takes exactly the calls left")
            #expect(try await count(services, "quality_inspections") == 30)
        }
    }

    // MARK: Scoring and appeal

    /// A form and a batch of `calls` of agent1's calls; the inspections' ids.
    func scoredSetUp(_ client: any TestClientProtocol, calls: Int) async throws -> [String] {
        _ = try await formID(client)
        _ = try await Self.calls(client, prefix: "s", count: calls)
        return Self.inspectionIDs(try await draw(client, ["rule": "random", "calls": calls]))
    }

    func score(_ client: any TestClientProtocol, _ id: String, _ scores: [Int], as user: String = "qi1") async throws -> APIReply {
        try await client.post(
            APIRoutes.qualityAction(id, "score"), as: user, ["scores": scores, "comments": ["", "答复有误", "", "", ""], "comment": "总体尚可"])
    }

    @Test(arguments: TestDatabase.available)
    func theTotalIsTheSumUnlessAFatalItemScoresZero(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let ids = try await scoredSetUp(client, calls: 3)
            try #require(ids.count == 3)
            let good = try await score(client, ids[0], [10, 28, 25, 18, 12])
            #expect(good.status == .ok && good["total"] as? Int == 93 && good["grade"] as? String == "优秀", "\(good.raw)")
            let fatal = try await score(client, ids[1], [10, 0, 25, 20, 15])
            #expect(fatal["total"] as? Int == 0 && fatal["grade"] as? String == "不合格", "a fatal item at 0: \(fatal.raw)")
            #expect((fatal["scores"] as? [Int]) == [10, 0, 25, 20, 15], "the marks are kept as given")

            // Refusals leave the inspection pending and unscored.
            for (scores, field) in [([10, 31, 25, 20, 15], "scores[1]"), ([10, 30, 25, 20], "scores"), ([-1, 30, 25, 20, 15], "scores[0]")] {
                let reply = try await score(client, ids[2], scores)
                #expect(reply.status == .unprocessableContent && reply.errorField == field, "\(scores): \(reply.raw)")
            }
            for user in ["agent1", "sup1", "admin1"] {
                #expect(try await score(client, ids[2], [10, 30, 25, 20, 15], as: user).status == .forbidden, "\(user)")
            }
            let pending = try await client.call(.get, APIRoutes.qualityInspection(ids[2]), as: "qi1")
            #expect((pending["inspection"] as? [String: Any])?["status"] as? String == "pending")
            #expect(try await score(client, ids[0], [10, 30, 25, 20, 15]).status == .conflict, "a saved score is final")
            let again = try await client.call(.get, APIRoutes.qualityInspection(ids[0]), as: "qi1")
            #expect((again["inspection"] as? [String: Any])?["total"] as? Int == 93)
            #expect(try await auditActions(services).filter { $0 == "quality_scored" }.count == 2)
            #expect(try await score(client, "999999", [10, 30, 25, 20, 15]).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAgentAcknowledgesOrAppealsAndASupervisorDecides(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withAPI(db, clock: clock) { client, services, _ in
            try await services.directory.addUsers([UserAccount(id: "agent2", displayName: "话务员二", role: .agent, unitID: "centre")])
            _ = try await services.accounts.issueToken(
                for: "agent2", kind: "api", scopes: ["*"], now: TestCity.monday, lifetime: 86_400 * 365, token: TestCity.token("agent2"))
            let ids = try await scoredSetUp(client, calls: 5)
            try #require(ids.count == 5)
            for id in ids { _ = try await score(client, id, [10, 20, 15, 10, 10]) }  // 65, 合格

            // The agent sees their own, not a pending one and not another agent's.
            let mine = try await client.call(.get, APIRoutes.qualityMine, as: "agent1")
            #expect(mine.items.count == 5)
            #expect(try await client.call(.get, APIRoutes.qualityMine, as: "agent2").items.isEmpty)
            #expect(try await client.call(.get, APIRoutes.qualityInspection(ids[0]), as: "agent2").status == .notFound)
            #expect(try await client.post(APIRoutes.qualityAction(ids[0], "appeal"), as: "agent2", ["reason": "不是我的通话"]).status == .notFound)

            // Acknowledge; then neither a second acknowledgement nor an appeal.
            let ack = try await client.post(APIRoutes.qualityAction(ids[0], "acknowledge"), as: "agent1", [:])
            #expect(ack.status == .ok && ack["status"] as? String == "acknowledged", "\(ack.raw)")
            #expect(try await client.post(APIRoutes.qualityAction(ids[0], "appeal"), as: "agent1", ["reason": "再想想"]).status == .conflict)

            // Appeal: a reason needed; once only; only the agent.
            let empty = try await client.post(APIRoutes.qualityAction(ids[1], "appeal"), as: "agent1", ["reason": " "])
            #expect(empty.status == .unprocessableContent && empty.errorField == "reason")
            #expect(try await client.post(APIRoutes.qualityAction(ids[1], "appeal"), as: "disp1", ["reason": "x"]).status == .forbidden)
            let appealed = try await client.post(APIRoutes.qualityAction(ids[1], "appeal"), as: "agent1", ["reason": "政策依据已更新，答复并无错误"])
            #expect(appealed.status == .ok && appealed["status"] as? String == "appealed", "\(appealed.raw)")
            let second = try await client.post(APIRoutes.qualityAction(ids[1], "appeal"), as: "agent1", ["reason": "再次申诉"])
            #expect(second.status == .conflict && second.errorCode == "not_awaiting_agent")
            #expect(try await client.call(.get, APIRoutes.qualityAppeals, as: "sup1").items.count == 1)
            #expect(try await client.call(.get, APIRoutes.qualityAppeals, as: "agent1").status == .forbidden)

            // Uphold with a re-score: the original stays beside it.
            func decide(_ id: String, _ body: [String: Any], as user: String = "sup1") async throws -> APIReply {
                try await client.post(APIRoutes.qualityAction(id, "decide"), as: user, body)
            }
            #expect(try await decide(ids[1], ["decision": "uphold", "scores": [10, 30, 25, 20, 15]], as: "qi1").status == .forbidden)
            #expect(try await decide(ids[1], ["decision": "uphold", "scores": [10, 31, 25, 20, 15]]).errorField == "scores[1]")
            #expect(try await decide(ids[1], ["decision": "uphold"]).errorField == "scores")
            #expect(try await decide(ids[1], ["decision": "maybe"]).errorField == "decision")
            let upheld = try await decide(ids[1], ["decision": "uphold", "scores": [10, 28, 25, 15, 10], "comment": "政策依据核实无误"])
            #expect(upheld.status == .ok && upheld["status"] as? String == "upheld", "\(upheld.raw)")
            #expect(upheld["total"] as? Int == 65 && upheld["rescore_total"] as? Int == 88 && upheld["final_total"] as? Int == 88)
            #expect(upheld["scores"] as? [Int] == [10, 20, 15, 10, 10], "the original marks are kept")
            #expect(try await decide(ids[1], ["decision": "reject", "reason": "x"]).status == .conflict, "decided once")
            let seen = try await client.call(.get, APIRoutes.qualityInspection(ids[1]), as: "agent1")
            #expect((seen["inspection"] as? [String: Any])?["status_name"] as? String == "申诉成立")

            // Reject: a reason needed.
            _ = try await client.post(APIRoutes.qualityAction(ids[2], "appeal"), as: "agent1", ["reason": "态度项扣分过重"])
            #expect(try await decide(ids[2], ["decision": "reject"], as: "admin1").errorField == "reason")
            let rejected = try await decide(ids[2], ["decision": "reject", "reason": "录音显示确有不耐烦语气"], as: "admin1")
            #expect(rejected["status"] as? String == "rejected" && rejected["decision_note"] as? String == "录音显示确有不耐烦语气")
            #expect(try await decide(ids[3], ["decision": "reject", "reason": "x"]).status == .conflict, "nothing to decide")

            // Late: eight days after the scoring, acknowledging is still possible, appealing not.
            clock.advance(8 * 86_400)
            let late = try await client.post(APIRoutes.qualityAction(ids[3], "appeal"), as: "agent1", ["reason": "迟到的申诉"])
            #expect(late.status == .conflict && late.errorCode == "appeal_too_late", "\(late.raw)")
            let still = try await client.call(.get, APIRoutes.qualityInspection(ids[3]), as: "agent1")
            #expect((still["inspection"] as? [String: Any])?["status"] as? String == "scored" && (still["inspection"] as? [String: Any])?["appeal_reason"] == nil)
            #expect(try await client.post(APIRoutes.qualityAction(ids[3], "acknowledge"), as: "agent1", [:]).status == .ok)

            let audit = try await auditActions(services)
            for action in ["quality_batch_drawn", "quality_scored", "quality_acknowledged", "quality_appealed", "quality_appeal_decided"] {
                #expect(audit.contains(action), "\(action)")
            }

            // Trends: five inspections this week (the re-score counts), two appeals, one upheld.
            clock.advance(-8 * 86_400)
            let trends = try await client.call(.get, APIRoutes.qualityTrends, as: "mgr1")
            #expect(trends.status == .ok, "\(trends.raw)")
            let weeks = try #require((trends["overall"] as? [String: Any])?["weeks"] as? [[String: Any]])
            #expect(weeks.count == 12)
            let week = try #require(weeks.last)
            #expect(week["week"] as? String == "2025-03-03" && week["inspections"] as? Int == 5)
            #expect(week["average_score"] as? Double == Double(65 * 4 + 88) / 5 && week["pass_rate"] as? Double == 1)
            #expect(week["appeals"] as? Int == 2 && week["upheld"] as? Int == 1)
            let agents = try #require(trends["agents"] as? [[String: Any]])
            #expect(agents.count == 1 && agents[0]["name"] as? String == "话务员一")
            for user in ["agent1", "disp1", "ed1"] {
                #expect(try await client.call(.get, APIRoutes.qualityTrends, as: user).status == .forbidden, "\(user)")
            }
            // The agent-performance figure.
            let quality = HotlineApp(services: services).quality
            let average = try await quality.averageScore(agent: "agent1", from: TestCity.monday.addingTimeInterval(-86_400), to: clock.now.addingTimeInterval(86_400))
            #expect(average == Double(65 * 4 + 88) / 5)
            #expect(try await quality.averageScore(agent: "agent2", from: TestCity.monday.addingTimeInterval(-86_400), to: clock.now) == nil)
        }
    }

    @Test func trendsGroupByWeekAgentAndTeam() {
        let now = TestCity.monday.addingTimeInterval(2 * 86_400)  // Wednesday
        let facts = [
            QualityFact(agentID: "a", scoredAt: now, total: 90, appealed: false, upheld: false),
            QualityFact(agentID: "b", scoredAt: now.addingTimeInterval(-86_400), total: 50, appealed: true, upheld: false),
            QualityFact(agentID: "a", scoredAt: now.addingTimeInterval(-7 * 86_400), total: 70, appealed: true, upheld: true),
            QualityFact(agentID: "a", scoredAt: now.addingTimeInterval(-100 * 86_400), total: 10, appealed: false, upheld: false),
        ]
        let t = QualityTrends(facts, weeks: 12, now: now, teams: ["a": "一班", "b": "二班"])
        #expect(t.weeks.last?.description == "2025-03-03" && t.weeks.first?.description == "2024-12-16")
        #expect(t.overall.weeks[11].inspections == 2 && t.overall.weeks[11].averageScore == 70 && t.overall.weeks[11].passRate == 0.5)
        #expect(t.overall.weeks[10].upheld == 1 && t.overall.total.inspections == 3, "older than twelve weeks is left out")
        #expect(t.agents.map(\.key) == ["a", "b"] && t.agents[0].total.averageScore == 80)
        #expect(t.teams.map(\.key) == ["一班", "二班"] && t.teams[1].total.appeals == 1)
        #expect(QualityTrends.averageScore(facts, agent: "a", from: now.addingTimeInterval(-10 * 86_400), to: now.addingTimeInterval(1)) == 80)
    }

    @Test func scoringMathAndGrades() {
        let form = QualityFormContent.standard
        #expect(form.checked().map(\.items.count) == .success(5))
        #expect(QualityScore(points: [10, 30, 25, 20, 15], comments: [], overall: "").total(on: form) == 100)
        #expect(QualityScore(points: [10, 30, 0, 20, 15], comments: [], overall: "").total(on: form) == 0, "政策正确性 is fatal")
        #expect(QualityScore(points: [0, 30, 25, 20, 15], comments: [], overall: "").total(on: form) == 90, "开头语 is not")
        #expect(QualityGrade(total: 90) == .excellent && QualityGrade(total: 89) == .pass && QualityGrade(total: 60) == .pass && QualityGrade(total: 59) == .fail)
    }
}
