import Foundation
import HTTPTypes
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// 话术库 and 典型案例库 in the console: every new page for every role (200 for the roles the capability names, 403 for
/// the others), an editor's script form, a supervisor marking a finished order from its page, refusals named as the
/// form labels them with nothing stored, and the caller masked on the case page.
@Suite struct ScriptCasePageTests {
    let console = ConsoleTests()

    /// A browser session for `user` without going through the login form (many roles, one client address).
    func session(_ services: HotlineServices, _ user: String) async throws -> String {
        try await services.accounts.issueToken(for: user, kind: AccountStore.webKind, scopes: ["*"], now: TestCity.monday, lifetime: 3600).token
    }

    func form(_ fields: [(String, String)], csrf: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        return (["_csrf=" + csrf] + fields.map { $0 + "=" + ($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") }).joined(separator: "&")
    }

    @Test(arguments: TestDatabase.available)
    func everyNewPageAnswersEveryRoleByItsCapability(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let order = try await CaseAPITests().finished(client)
            let script = try ScriptAPITests().id(try await client.post(APIRoutes.scripts, as: "ed1", ScriptAPITests.opening))
            let typical = String(try #require(try await client.post(APIRoutes.cases, as: "sup1", CaseAPITests.body(order))["id"] as? Int))
            let other = try await CaseAPITests().finished(client, title: "社保卡补办二")
            let pages: [(String, Capability)] = [
                (WebRoutes.scripts, .readScripts), (WebRoutes.script(script), .readScripts), (WebRoutes.scriptsNew, .manageScripts),
                (WebRoutes.scriptEdit(script), .manageScripts), (WebRoutes.cases, .readCases), (WebRoutes.typicalCase(typical), .readCases),
                (WebRoutes.casesNew(order: other), .markTypicalCases),
            ]
            for (role, user) in TestCity.userByRole.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where role != .citizen {
                let cookie = try await session(services, user)
                for (path, capability) in pages {
                    let reply = try await console.page(client, path, cookie: cookie)
                    let expected: HTTPResponse.Status = capability.isAllowed(for: role) ? .ok : .forbidden
                    #expect(reply.status == expected, "\(role) \(path): \(reply.status)")
                }
                let home = try await console.page(client, WebRoutes.home, cookie: cookie)
                #expect(home.raw.contains("href=\"/scripts\"") == Capability.readScripts.isAllowed(for: role), "\(role) 话术 link")
                #expect(home.raw.contains("href=\"/cases\"") == Capability.readCases.isAllowed(for: role), "\(role) 案例 link")
            }
            for (path, _) in pages {
                let bare = try await client.send(.get, path, headers: [:])
                #expect(bare.status == .seeOther && bare.headers[.location]?.hasPrefix(WebRoutes.login) == true, "\(path) signed out")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func anEditorWritesAScriptAndARefusalNamesTheField(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let cookie = try await session(services, "ed1")
            let csrf = SessionCookie.csrfToken(forSession: cookie)
            let fields = [("title", "路灯不亮的安抚"), ("situation", "comfort"), ("category_code", "01.01"), ("text", "您反映的路灯位置已记录。"), ("tags", "路灯，安抚")]
            let refused = try await console.form(
                client, WebRoutes.scriptsNew, form(fields.map { $0.0 == "text" ? ($0.0, " ") : $0 }, csrf: csrf), cookie: cookie)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.raw.contains("话术内容：不能为空"), "\(refused.raw.prefix(400))")
            #expect(refused.raw.contains("value=\"路灯不亮的安抚\""), "what was typed is kept")
            #expect(try await ScriptAPITests().count(services) == 0)
            let created = try await console.form(client, WebRoutes.scriptsNew, form(fields, csrf: csrf), cookie: cookie)
            #expect(created.status == .seeOther, "\(created.raw.prefix(300))")
            let location = try #require(created.headers[.location])
            let page = try await console.page(client, location, cookie: cookie)
            #expect(page.raw.contains("话术已保存") && page.raw.contains("路灯、安抚") && page.raw.contains("修改记录"))
            let list = try await console.page(client, WebRoutes.scripts + "?category=01", cookie: try await session(services, "agent1"))
            #expect(list.raw.contains("路灯不亮的安抚") && !list.raw.contains("新建话术"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSupervisorMarksAFinishedOrderFromItsPage(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let order = try await CaseAPITests().finished(client)
            let cookie = try await session(services, "sup1")
            let csrf = SessionCookie.csrfToken(forSession: cookie)
            let orderPage = try await console.page(client, WebRoutes.order(order), cookie: cookie)
            #expect(orderPage.raw.contains(WebRoutes.casesNew(order: order)), "the order page offers 标为典型案例")
            let agentOrderPage = try await console.page(client, WebRoutes.order(order), cookie: try await session(services, "agent1"))
            #expect(!agentOrderPage.raw.contains(WebRoutes.casesNew(order: order)))
            let formPage = try await console.page(client, WebRoutes.casesNew(order: order), cookie: cookie)
            #expect(formPage.status == .ok && formPage.raw.contains("value=\"社保卡补办\""), "the title starts as the order's")
            let noTags = try await console.form(
                client, WebRoutes.casesNew, form([("order_number", order), ("title", "一次办结"), ("note", "问清挂失情况")], csrf: csrf), cookie: cookie)
            #expect(noTags.status == .unprocessableContent && noTags.raw.contains("标签：至少选择一个"), "\(noTags.raw.prefix(300))")
            #expect(try await CaseAPITests().count(services) == 0)
            let marked = try await console.form(
                client, WebRoutes.casesNew,
                form(
                    [("order_number", order), ("title", "一次办结"), ("tags[]", "exemplary"), ("tags[]", "policy_question"), ("note", "问清挂失情况")],
                    csrf: csrf),
                cookie: cookie)
            #expect(marked.status == .seeOther, "\(marked.raw.prefix(300))")
            let casePage = try await console.page(client, try #require(marked.headers[.location]), cookie: try await session(services, "ed1"))
            #expect(
                casePage.raw.contains("优秀办理") && casePage.raw.contains("政策咨询") && casePage.raw.contains("139****0001") && casePage.raw.contains("王**")
            )
            #expect(
                !casePage.raw.contains("13900000001") && !casePage.raw.contains(WebRoutes.order(order) + "\""), "no link for a reader without scope")
            let forAgent = try await console.page(client, try #require(marked.headers[.location]), cookie: try await session(services, "agent1"))
            #expect(forAgent.raw.contains("href=\"\(WebRoutes.order(order))\""))
            let after = try await console.page(client, WebRoutes.order(order), cookie: cookie)
            #expect(after.raw.contains("典型案例") && !after.raw.contains(WebRoutes.casesNew(order: order)), "marked once")
        }
    }
}

@Suite struct ScriptCaseSnapshotTests {
    @Test func scriptAndCasePagesMatchTheirSnapshots() throws {
        let snapshots = PageSnapshotTests()
        let renderer = try PageRenderer()
        try snapshots.check("scripts", try renderer.html("scripts", ScriptListPage.fixture))
        try snapshots.check("script", try renderer.html("script", ScriptPage.fixture))
        try snapshots.check("script-form", try renderer.html("script-form", ScriptFormPage.fixture))
        try snapshots.check("cases", try renderer.html("cases", CaseListPage.fixture))
        try snapshots.check("case", try renderer.html("case", CasePage.fixture))
        try snapshots.check("case-form", try renderer.html("case-form", CaseFormPage.fixture))
    }
}
