import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// 话术 through the API: editors write, reword, retire and restore scripts with their history; readers see what is in
/// use; the intake assistant's answer carries the scripts of the matter and the general ones; bad input names the field
/// and stores nothing.
@Suite struct ScriptAPITests {
    static var streetLightComfort: [String: Any] {
        [
            "title": "路灯不亮的安抚", "category_code": "01.01", "situation": "comfort",
            "text": "晚上路灯不亮出行确实不安全，您反映的位置我已经记下，马上转给市政设施管理部门尽快维修。", "tags": ["路灯", "安抚"],
        ]
    }
    static var opening: [String: Any] { ["title": "标准开场白", "situation": "opening", "text": "您好，12345政务服务便民热线，请问有什么可以帮您？"] }
    static var socialSecurityPolicy: [String: Any] {
        [
            "title": "社保卡补办说明", "category_code": "02.01.01", "situation": "policy", "text": "社保卡丢失请先拨打12333挂失，再到人社窗口补办。",
        ]
    }

    func id(_ reply: APIReply) throws -> String { String(try #require(reply["id"] as? Int, "\(reply.raw)")) }

    func count(_ services: HotlineServices) async throws -> Int {
        try await ReplyScriptStore(database: services.database).browse(ScriptFilter(active: nil), limit: 1000, offset: 0).count
    }

    @Test(arguments: TestDatabase.available)
    func editorsWriteRewordRetireAndRestoreWithHistory(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let created = try await client.post(APIRoutes.scripts, as: "ed1", Self.streetLightComfort)
            #expect(created.status == .created)
            #expect(created["situation_name"] as? String == "安抚")
            #expect(created["category_name"] as? String == "市政设施")
            #expect(created["tags"] as? [String] == ["路灯", "安抚"])
            let script = try id(created)

            var reworded = Self.streetLightComfort
            reworded["text"] = "给您出行带来不便，非常抱歉。您反映的路灯位置已记录，市政部门一般在3个工作日内修复。"
            let edited = try await client.call(.put, APIRoutes.script(script), token: TestCity.token("admin1"), reworded)
            #expect(edited.status == .ok && edited["version"] as? Int == 2, "\(edited.raw)")

            let noReason = try await client.post(APIRoutes.scriptAction(script, "retire"), as: "ed1", ["reason": " "])
            #expect(noReason.status == .unprocessableContent && noReason.errorField == "reason", "\(noReason.raw)")
            let retired = try await client.post(APIRoutes.scriptAction(script, "retire"), as: "ed1", ["reason": "与新版服务规范不符"])
            #expect(retired["active"] as? Bool == false)
            #expect(try await client.post(APIRoutes.scriptAction(script, "retire"), as: "ed1", ["reason": "再次停用"]).status == .conflict)
            // Readers no longer see it; editors do, with every version.
            #expect(try await client.call(.get, APIRoutes.script(script), as: "agent1").status == .notFound)
            #expect(try await client.call(.get, APIRoutes.scripts, as: "agent1").items.isEmpty)
            let restored = try await client.post(APIRoutes.scriptAction(script, "restore"), as: "ed1", [:])
            #expect(restored["active"] as? Bool == true && restored["version"] as? Int == 4)

            let detail = try await client.call(.get, APIRoutes.script(script), as: "ed1")
            let history = try #require(detail["history"] as? [[String: Any]])
            #expect(history.map { $0["action"] as? String } == ["create", "edit", "retire", "restore"])
            #expect(history.map { $0["actor_id"] as? String } == ["ed1", "admin1", "ed1", "ed1"])
            #expect(history[2]["note"] as? String == "与新版服务规范不符")
            #expect((history[0]["content"] as? [String: Any])?["text"] as? String == Self.streetLightComfort["text"] as? String)
            let forAgent = try await client.call(.get, APIRoutes.script(script), as: "agent1")
            #expect(forAgent.status == .ok && (forAgent["history"] as? [Any])?.isEmpty == true, "readers get no history")
        }
    }

    @Test(arguments: TestDatabase.available)
    func listsSearchByWordsCategorySubtreeAndSituation(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            for body in [Self.streetLightComfort, Self.opening, Self.socialSecurityPolicy] {
                #expect(try await client.post(APIRoutes.scripts, as: "ed1", body).status == .created)
            }
            func titles(_ query: String, as user: String = "agent1") async throws -> [String] {
                try await client.call(.get, APIRoutes.scripts + query, as: user).items.compactMap { $0["title"] as? String }
            }
            #expect(try await titles("").count == 3)
            #expect(try await titles("?q=" + "12333".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!) == ["社保卡补办说明"])
            #expect(try await titles("?q=%E5%AE%89%E6%8A%9A") == ["路灯不亮的安抚"], "a tag is found (安抚)")
            #expect(try await titles("?category=01") == ["路灯不亮的安抚"], "a category takes its subtree")
            #expect(try await titles("?category=general") == ["标准开场白"])
            #expect(try await titles("?situation=policy") == ["社保卡补办说明"])
            let badSituation = try await client.call(.get, APIRoutes.scripts + "?situation=chat", as: "agent1")
            #expect(badSituation.status == .unprocessableContent && badSituation.errorField == "situation")
            #expect(try await client.call(.get, APIRoutes.scripts + "?state=retired", as: "agent1").status == .forbidden)
            #expect(try await client.call(.get, APIRoutes.scripts + "?state=all", as: "ed1").items.count == 3)
            #expect(try await client.call(.get, APIRoutes.scripts, as: "east1").status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func badInputNamesTheFieldAndStoresNothing(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let cases: [(String, Any, String)] = [
                ("title", "", "title"), ("title", String(repeating: "长", count: 61), "title"), ("text", "  ", "text"),
                ("situation", "smalltalk", "situation"), ("category_code", "09.09", "category_code"),
                ("tags", (0..<11).map { "标签\($0)" }, "tags"),
            ]
            for (key, value, field) in cases {
                var body = Self.streetLightComfort
                body[key] = value
                let reply = try await client.post(APIRoutes.scripts, as: "ed1", body)
                #expect(reply.status == .unprocessableContent && reply.errorField == field, "\(key): \(reply.raw)")
                #expect(reply.errorMessage?.contains(field) == true, "the message names the field: \(reply.raw)")
            }
            #expect(try await client.post(APIRoutes.scripts, as: "agent1", Self.opening).status == .forbidden)
            #expect(try await client.post(APIRoutes.scripts, as: "sup1", Self.opening).status == .forbidden)
            #expect(try await count(services) == 0)
            #expect(try await client.call(.put, APIRoutes.script("99"), token: TestCity.token("ed1"), Self.opening).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theIntakeAssistantCarriesTheScriptsOfTheMatterAndTheGeneralOnes(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            for body in [Self.streetLightComfort, Self.opening, Self.socialSecurityPolicy] {
                _ = try await client.post(APIRoutes.scripts, as: "ed1", body)
            }
            let retiredID = try id(
                try await client.post(
                    APIRoutes.scripts, as: "ed1",
                    [
                        "title": "旧版结束语", "situation": "closing", "text": "再见。",
                    ]))
            _ = try await client.post(APIRoutes.scriptAction(retiredID, "retire"), as: "ed1", ["reason": "用语生硬"])
            let answer = try await client.post(APIRoutes.assist, as: "agent1", ["title": "路灯不亮", "content": "幸福路路灯坏了", "category_code": "01.01.01"])
            #expect(answer.status == .ok)
            let scripts = try #require(answer["scripts"] as? [[String: Any]], "\(answer.raw)")
            #expect(
                scripts.map { $0["title"] as? String } == ["标准开场白", "路灯不亮的安抚"], "in the order of a call; another matter and retired ones left out")
            #expect(scripts.first?["situation_name"] as? String == "开场")
            #expect(scripts.last?["text"] as? String == Self.streetLightComfort["text"] as? String)
            // Every field the desk read before is still there.
            for key in ["warnings", "categories", "detailed_categories", "units", "knowledge", "similar", "excluded_units"] {
                #expect(answer[key] != nil, "\(key) kept")
            }
            let other = try await client.post(APIRoutes.assist, as: "disp1", ["content": "社保卡丢了", "category_code": "02.01.01"])
            #expect((other["scripts"] as? [[String: Any]])?.compactMap { $0["title"] as? String } == ["标准开场白", "社保卡补办说明"])
        }
    }
}
