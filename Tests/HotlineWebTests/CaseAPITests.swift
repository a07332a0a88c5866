import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// 典型案例 through the API: supervisors, managers and quality inspectors mark a finished order they can see; the
/// library is searchable by words, tags, category and date, newest first; a case shows the order's request and answer
/// with the caller masked and never stores the caller; marking and retiring are audited; refusals store nothing.
@Suite struct CaseAPITests {
    static func body(_ order: String, title: String = "社保卡补办一次办结", tags: [String] = ["exemplary", "policy_question"]) -> [String: Any] {
        ["order_number": order, "title": title, "tags": tags, "note": "受理时问清挂失情况，一次说清补办渠道，避免市民重复来电。"]
    }

    func finished(_ client: any TestClientProtocol, title: String = "社保卡补办", category: String = "02.01.01") async throws -> String {
        try await AssistAPITests().walkToClosed(client, title: title, content: "社保卡丢了，想问怎么补办", category: category, unit: "dist-east", staff: "east1")
    }

    func count(_ services: HotlineServices) async throws -> Int {
        try await TypicalCaseStore(database: services.database).browse(CaseFilter(active: nil), limit: 1000, offset: 0).count
    }

    func auditActions(_ services: HotlineServices) async throws -> [String] {
        try await services.audit.list(AuditFilter(), page: 1, size: 100).map(\.action.rawValue)
    }

    @Test(arguments: TestDatabase.available)
    func aSupervisorMarksAFinishedOrderAndEveryReaderSeesItMasked(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let order = try await finished(client)
            let marked = try await client.post(APIRoutes.cases, as: "sup1", Self.body(order))
            #expect(marked.status == .created, "\(marked.raw)")
            #expect(marked["tag_names"] as? [String] == ["优秀办理", "政策咨询"])
            #expect(!marked.raw.contains("13900000001") && !marked.raw.contains("王先生"), "the case never carries the caller")
            let id = String(try #require(marked["id"] as? Int))
            #expect(try await auditActions(services).contains("typical_case_marked"))

            for user in ["agent1", "disp1", "rev1", "cb1", "mgr1", "qi1", "ed1"] {
                let detail = try await client.call(.get, APIRoutes.typicalCase(id), as: user)
                #expect(detail.status == .ok, "\(user): \(detail.raw)")
                let o = try #require(detail["order"] as? [String: Any])
                #expect(o["caller_phone"] as? String == "139****0001" && o["caller_name"] as? String == "王**", "\(user): \(o)")
                #expect(o["content"] as? String == "社保卡丢了，想问怎么补办" && o["answer"] as? String == "已处理")
                #expect(o["visible"] as? Bool == (user != "ed1"), "\(user): a knowledge editor reads the case but not the order")
                #expect(!detail.raw.contains("13900000001"))
            }
            for user in ["east1", "eastadmin", "admin1", "citizen1"] {
                #expect(try await client.call(.get, APIRoutes.typicalCase(id), as: user).status == .forbidden, "\(user)")
            }
            let again = try await client.post(APIRoutes.cases, as: "qi1", Self.body(order, title: "再次标记"))
            #expect(again.status == .conflict && again.errorCode == "already_typical_case")
            #expect(try await count(services) == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func refusalsNameTheFieldAndStoreNothing(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let order = try await finished(client)
            let open = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let notFinished = try await client.post(APIRoutes.cases, as: "sup1", Self.body(open))
            #expect(notFinished.status == .conflict && notFinished.errorCode == "order_not_finished", "\(notFinished.raw)")
            let wrong: [(String, Any, String)] = [
                ("title", " ", "title"), ("tags", [] as [String], "tags"), ("tags", ["nice"], "tags"), ("note", "", "note"),
                ("order_number", "12", "order_number"),
            ]
            for (key, value, field) in wrong {
                var body = Self.body(order)
                body[key] = value
                let reply = try await client.post(APIRoutes.cases, as: "mgr1", body)
                #expect(reply.status == .unprocessableContent && reply.errorField == field, "\(key): \(reply.raw)")
            }
            let missing = try await client.post(APIRoutes.cases, as: "sup1", Self.body("20250303999999"))
            #expect(missing.status == .notFound)
            for user in ["agent1", "disp1", "ed1", "admin1", "east1"] {
                #expect(try await client.post(APIRoutes.cases, as: user, Self.body(order)).status == .forbidden, "\(user)")
            }
            #expect(try await count(services) == 0)
            #expect(!(try await auditActions(services).contains("typical_case_marked")))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theLibrarySearchesByWordsTagsCategoryAndDateNewestFirst(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withAPI(db, clock: clock) { client, _, _ in
            let card = try await finished(client)
            let light = try await AssistAPITests().walkToClosed(
                client, title: "幸福路路灯不亮", content: "路灯坏了一周", category: "01.01.01", unit: "dist-east", staff: "east1")
            _ = try await client.post(APIRoutes.cases, as: "sup1", Self.body(card))
            clock.advance(2 * 86_400)
            _ = try await client.post(APIRoutes.cases, as: "qi1", Self.body(light, title: "路灯报修推诿", tags: ["buck_passing", "repeat_request"]))
            func titles(_ query: String, as user: String = "agent1") async throws -> [String] {
                try await client.call(.get, APIRoutes.cases + query, as: user).items.compactMap { $0["title"] as? String }
            }
            #expect(try await titles("") == ["路灯报修推诿", "社保卡补办一次办结"], "newest first")
            #expect(try await titles("?q=%E6%8E%A8%E8%AF%BF") == ["路灯报修推诿"], "words in the title (推诿)")
            #expect(try await titles("?q=%E5%B9%B8%E7%A6%8F%E8%B7%AF") == ["路灯报修推诿"], "words in the order's title (幸福路)")
            #expect(try await titles("?tag=policy_question") == ["社保卡补办一次办结"])
            #expect(try await titles("?tag=buck_passing,repeat_request") == ["路灯报修推诿"])
            #expect(try await titles("?category=02") == ["社保卡补办一次办结"], "a category takes its subtree")
            #expect(try await titles("?from=2025-03-04") == ["路灯报修推诿"])
            #expect(try await titles("?to=2025-03-03") == ["社保卡补办一次办结"])
            #expect(try await titles("?page_size=1&page=2") == ["社保卡补办一次办结"])
            let badDate = try await client.call(.get, APIRoutes.cases + "?from=3/4", as: "agent1")
            #expect(badDate.status == .unprocessableContent && badDate.errorField == "from")
            #expect(try await client.call(.get, APIRoutes.cases + "?tag=nice", as: "agent1").errorField == "tag")
            #expect(try await client.call(.get, APIRoutes.cases, as: "admin1").status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func retiringTakesAReasonIsAuditedAndLeavesTheLibrary(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let order = try await finished(client)
            let id = String(try #require(try await client.post(APIRoutes.cases, as: "sup1", Self.body(order))["id"] as? Int))
            #expect(try await client.post(APIRoutes.retireCase(id), as: "agent1", ["reason": "x"]).status == .forbidden)
            let empty = try await client.post(APIRoutes.retireCase(id), as: "mgr1", ["reason": ""])
            #expect(empty.status == .unprocessableContent && empty.errorField == "reason")
            let retired = try await client.post(APIRoutes.retireCase(id), as: "mgr1", ["reason": "政策已调整，案例不再适用"])
            #expect(retired.status == .ok && retired["active"] as? Bool == false && retired["retire_reason"] as? String == "政策已调整，案例不再适用")
            #expect(try await client.post(APIRoutes.retireCase(id), as: "mgr1", ["reason": "again"]).status == .conflict)
            #expect(try await client.call(.get, APIRoutes.cases, as: "agent1").items.isEmpty)
            #expect(try await client.call(.get, APIRoutes.typicalCase(id), as: "agent1").status == .notFound)
            #expect(try await client.call(.get, APIRoutes.cases + "?state=retired", as: "sup1").items.count == 1)
            #expect(try await client.call(.get, APIRoutes.cases + "?state=retired", as: "agent1").status == .forbidden)
            #expect(
                try await auditActions(services).filter { $0.hasPrefix("typical_case") }.sorted() == ["typical_case_marked", "typical_case_retired"])
            // Once retired, the order may be marked again.
            #expect(try await client.post(APIRoutes.cases, as: "qi1", Self.body(order, title: "重新整理的案例")).status == .created)
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyRoleMarksOnlyWhatItMayMark(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            var allowed = 0
            for (role, user) in TestCity.userByRole.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let order = try await finished(client, title: "社保卡补办\(role.rawValue)")
                let reply = try await client.post(APIRoutes.cases, as: user, Self.body(order))
                if Capability.markTypicalCases.isAllowed(for: role) {
                    #expect(reply.status == .created, "\(role): \(reply.raw)")
                    allowed += 1
                } else {
                    #expect(reply.status == .forbidden, "\(role): \(reply.status) \(reply.raw)")
                }
            }
            #expect(allowed == 3)
            #expect(try await count(services) == 3)
        }
    }
}
