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

/// 质检 in the console: every page for every role (200 for the roles the capability names, 403 for the others, the 质检
/// link for the roles that use it); an inspector draws and scores; the agent appeals and a supervisor upholds with a
/// re-score; an admin edits a form; refusals named as the forms label them, with nothing changed.
@Suite struct QualityPageTests {
    let console = ConsoleTests()

    func session(_ services: HotlineServices, _ user: String) async throws -> String {
        try await ScriptCasePageTests().session(services, user)
    }

    func form(_ fields: [(String, String)], csrf: String) -> String { ScriptCasePageTests().form(fields, csrf: csrf) }

    static let marks = [("score_0", "10"), ("score_1", "20"), ("score_2", "15"), ("score_3", "10"), ("score_4", "10")]

    /// A form, calls of agent1, a batch drawn by the inspector through the API: the inspections' ids.
    func setUp(_ client: any TestClientProtocol, calls: Int = 2) async throws -> [String] {
        _ = try await QualityAPITests().formID(client)
        _ = try await QualityAPITests.calls(client, prefix: "p", count: calls)
        return QualityAPITests.inspectionIDs(try await client.post(APIRoutes.qualityBatches, as: "qi1", ["rule": "random", "calls": calls]))
    }

    func status(_ services: HotlineServices, _ id: String) async throws -> QualityStatus? {
        try await QualityStore(database: services.database).inspection(Int64(id)!)?.status
    }

    @Test(arguments: TestDatabase.available)
    func everyQualityPageAnswersEveryRoleByItsCapability(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let ids = try await setUp(client)
            _ = try await client.post(APIRoutes.qualityAction(ids[0], "score"), as: "qi1", ["scores": [10, 20, 15, 10, 10]])
            let batch = String(try #require(try await QualityStore(database: services.database).batches(limit: 1, offset: 0).first?.id))
            let formReaders: Set<Role> = [.admin, .qualityInspector, .supervisor]
            let inspectionReaders: Set<Role> = [.admin, .qualityInspector, .supervisor, .manager, .agent]
            let pages: [(String, (Role) -> Bool)] = [
                (WebRoutes.qualityBatches, Capability.inspectQuality.isAllowed), (WebRoutes.qualityBatch(batch), Capability.inspectQuality.isAllowed),
                (WebRoutes.qualityMine, Capability.reviewOwnQuality.isAllowed), (WebRoutes.qualityAppeals, Capability.decideQualityAppeals.isAllowed),
                (WebRoutes.qualityTrends, Capability.viewQualityTrends.isAllowed), (WebRoutes.qualityFormsNew, Capability.manageQualityForms.isAllowed),
                (WebRoutes.qualityForms, formReaders.contains), (WebRoutes.qualityForm("1"), formReaders.contains),
                // agent1's own scored inspection.
                (WebRoutes.qualityInspection(ids[0]), inspectionReaders.contains),
            ]
            for (role, user) in TestCity.userByRole.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where role != .citizen {
                let cookie = try await session(services, user)
                for (path, allowed) in pages {
                    let reply = try await console.page(client, path, cookie: cookie)
                    let expected: HTTPResponse.Status = allowed(role) ? .ok : role == .agent && path.contains("/inspections/") ? .notFound : .forbidden
                    #expect(reply.status == expected, "\(role) \(path): \(reply.status)")
                    // A user id may be a form's option value, never shown text.
                    let shown = reply.raw.replacingOccurrences(of: "value=\"agent1\"", with: "")
                    if reply.status == .ok { #expect(!shown.contains("agent1") && !shown.contains("13812345678"), "\(role) \(path): no ids or numbers: \(shown.components(separatedBy: "agent1").first?.suffix(200) ?? "")") }
                }
                let home = try await console.page(client, WebRoutes.home, cookie: cookie)
                let shown = [Role.qualityInspector, .agent, .supervisor, .manager, .admin].contains(role)
                let hub = try await console.page(client, WebRoutes.callCentre, cookie: cookie)
                #expect((home.raw.contains("href=\"/quality\"") || hub.raw.contains("href=\"/quality\"")) == shown, "\(role) 质检 link")
                let entry = try await console.page(client, WebRoutes.quality, cookie: cookie)
                #expect(shown ? entry.status == .seeOther : entry.status == .forbidden, "\(role) /quality: \(entry.status)")
            }
            // The agent does not see a pending inspection of theirs.
            #expect(try await console.page(client, WebRoutes.qualityInspection(ids[1]), cookie: try await session(services, "agent1")).status == .notFound)
            for (path, _) in pages {
                let bare = try await client.send(.get, path, headers: [:])
                #expect(bare.status == .seeOther && bare.headers[.location]?.hasPrefix(WebRoutes.login) == true, "\(path) signed out")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func anInspectorDrawsAndScoresAndARefusalNamesTheField(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            _ = try await QualityAPITests().formID(client)
            _ = try await QualityAPITests.calls(client, prefix: "w", count: 3)
            let cookie = try await session(services, "qi1")
            let csrf = SessionCookie.csrfToken(forSession: cookie)
            let tooMany = try await console.form(
                client, WebRoutes.qualityBatches, form([("rule", "random"), ("calls", "500"), ("orders", "0")], csrf: csrf), cookie: cookie)
            #expect(tooMany.status == .unprocessableContent && tooMany.raw.contains("抽检通话数：应在0到200之间"), "\(tooMany.raw.prefix(300))")
            #expect(tooMany.raw.contains("value=\"500\""), "what was typed is kept")
            #expect(try await QualityStore(database: services.database).batches(limit: 10, offset: 0).isEmpty)

            let drawn = try await console.form(
                client, WebRoutes.qualityBatches, form([("rule", "random"), ("calls", "2"), ("orders", "0"), ("seed", "42")], csrf: csrf), cookie: cookie)
            #expect(drawn.status == .seeOther)
            let location = try #require(drawn.headers[.location])
            let page = try await console.page(client, location, cookie: cookie)
            #expect(page.raw.contains("抽检批次已生成") && page.raw.contains("随机种子") && page.raw.contains("<dd>42</dd>"), "\(page.raw.prefix(300))")
            let ids = try await QualityStore(database: services.database).inspections(batch: 1).map { String($0.id) }
            #expect(ids.count == 2)

            let form0 = try await console.page(client, WebRoutes.qualityInspection(ids[0]), cookie: cookie)
            #expect(form0.raw.contains("name=\"score_1\"") && form0.raw.contains("答复准确性") && form0.raw.contains("138****5678"))
            var bad = Self.marks
            bad[1] = ("score_1", "31")
            let refused = try await console.form(
                client, WebRoutes.qualityAction(ids[0], "score"), form(bad + [("comment", "语气平和")], csrf: csrf), cookie: cookie)
            #expect(refused.status == .unprocessableContent && refused.raw.contains("得分：「答复准确性」的得分应在0到30之间"), "\(refused.raw.prefix(400))")
            #expect(refused.raw.contains("语气平和"), "the comment typed is kept")
            #expect(try await status(services, ids[0]) == .pending)
            let scored = try await console.form(client, WebRoutes.qualityAction(ids[0], "score"), form(Self.marks, csrf: csrf), cookie: cookie)
            #expect(scored.status == .seeOther)
            let shown = try await console.page(client, WebRoutes.qualityInspection(ids[0]), cookie: cookie)
            #expect(shown.raw.contains("65分") && shown.raw.contains("合格") && !shown.raw.contains("name=\"score_0\""), "scored once, no form again")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAgentAppealsAndASupervisorUpholdsWithAReScore(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let ids = try await setUp(client)
            for id in ids { _ = try await client.post(APIRoutes.qualityAction(id, "score"), as: "qi1", ["scores": [10, 20, 15, 10, 10]]) }
            let agent = try await session(services, "agent1")
            let agentCSRF = SessionCookie.csrfToken(forSession: agent)
            let mine = try await console.page(client, WebRoutes.qualityMine, cookie: agent)
            #expect(mine.raw.contains("65分") && mine.raw.contains("待确认"))
            let page = try await console.page(client, WebRoutes.qualityInspection(ids[0]), cookie: agent)
            #expect(page.raw.contains("确认质检结果") && page.raw.contains("申诉理由"))
            let empty = try await console.form(client, WebRoutes.qualityAction(ids[0], "appeal"), form([("reason", " ")], csrf: agentCSRF), cookie: agent)
            #expect(empty.status == .unprocessableContent && empty.raw.contains("申诉理由：申诉须说明理由"), "\(empty.raw.prefix(300))")
            #expect(try await status(services, ids[0]) == .scored)
            let appealed = try await console.form(
                client, WebRoutes.qualityAction(ids[0], "appeal"), form([("reason", "政策依据已更新")], csrf: agentCSRF), cookie: agent)
            #expect(appealed.status == .seeOther)
            let acked = try await console.form(client, WebRoutes.qualityAction(ids[1], "acknowledge"), form([], csrf: agentCSRF), cookie: agent)
            #expect(acked.status == .seeOther)
            #expect(try await status(services, ids[1]) == .acknowledged)

            let sup = try await session(services, "sup1")
            let supCSRF = SessionCookie.csrfToken(forSession: sup)
            let appeals = try await console.page(client, WebRoutes.qualityAppeals, cookie: sup)
            #expect(appeals.raw.contains("申诉中") && appeals.raw.contains(WebRoutes.qualityInspection(ids[0])))
            let decide = try await console.page(client, WebRoutes.qualityInspection(ids[0]), cookie: sup)
            #expect(decide.raw.contains("申诉成立") && decide.raw.contains("驳回理由") && decide.raw.contains("政策依据已更新"))
            let noReason = try await console.form(
                client, WebRoutes.qualityAction(ids[0], "reject"), form([("reason", "")], csrf: supCSRF), cookie: sup)
            #expect(noReason.status == .unprocessableContent && noReason.raw.contains("理由：驳回申诉须说明理由"))
            var rescore = Self.marks
            rescore[1] = ("score_1", "30")
            rescore[2] = ("score_2", "25")
            let upheld = try await console.form(
                client, WebRoutes.qualityAction(ids[0], "uphold"), form(rescore + [("comment", "核实无误")], csrf: supCSRF), cookie: sup)
            #expect(upheld.status == .seeOther)
            let outcome = try await console.page(client, WebRoutes.qualityInspection(ids[0]), cookie: agent)
            #expect(outcome.raw.contains("申诉成立") && outcome.raw.contains("原评分：<strong>65分</strong>") && outcome.raw.contains("<strong>85分</strong>"))
            // Someone else's inspection and a wrong role are refused.
            #expect(try await console.form(
                client, WebRoutes.qualityAction(ids[1], "uphold"), form(rescore, csrf: SessionCookie.csrfToken(forSession: agent)), cookie: agent).status == .forbidden)
            let trends = try await console.page(client, WebRoutes.qualityTrends, cookie: sup)
            #expect(trends.raw.contains("<svg") && trends.raw.contains("话务员一") && trends.raw.contains("75.0"), "(65 + 85) / 2")
        }
    }

    @Test(arguments: TestDatabase.available)
    func anAdminEditsAFormAndEverySaveIsAVersion(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let cookie = try await session(services, "admin1")
            let csrf = SessionCookie.csrfToken(forSession: cookie)
            let items = QualityFormContent.standard.items.enumerated().flatMap { n, item in
                [("item_name_\(n)", item.name), ("item_weight_\(n)", String(item.weight)), ("item_guide_\(n)", item.guide)]
                    + (item.fatal ? [("item_fatal_\(n)", "1")] : [])
            }
            var short = items
            short[1] = ("item_weight_0", "5")
            let refused = try await console.form(client, WebRoutes.qualityFormsNew, form([("name", "通话评分表")] + short, csrf: csrf), cookie: cookie)
            #expect(refused.status == .unprocessableContent && refused.raw.contains("评分项：各项分值之和应为100分，现为95分"), "\(refused.raw.prefix(400))")
            #expect(refused.raw.contains("value=\"通话评分表\""))
            #expect(try await QualityStore(database: services.database).forms().isEmpty)
            let created = try await console.form(client, WebRoutes.qualityFormsNew, form([("name", "通话评分表")] + items, csrf: csrf), cookie: cookie)
            #expect(created.status == .seeOther)
            let id = try #require(try await QualityStore(database: services.database).forms().first?.id)
            let edited = try await console.form(
                client, WebRoutes.qualityForm(String(id)), form([("name", "通话评分表（修订）")] + items, csrf: csrf), cookie: cookie)
            #expect(edited.status == .seeOther)
            let page = try await console.page(client, WebRoutes.qualityForm(String(id)), cookie: cookie)
            #expect(page.raw.contains("第2版") && page.raw.contains("第1版") && page.raw.contains("通话评分表（修订）"))
            let inspector = try await session(services, "qi1")
            let readOnly = try await console.page(client, WebRoutes.qualityForm(String(id)), cookie: inspector)
            #expect(readOnly.status == .ok && !readOnly.raw.contains("name=\"item_name_0\""), "inspectors read the form, do not edit it")
            let foreign = try await console.form(
                client, WebRoutes.qualityForm(String(id)), form([("name", "x")] + items, csrf: SessionCookie.csrfToken(forSession: inspector)), cookie: inspector)
            #expect(foreign.status == .forbidden)
            #expect(try await QualityStore(database: services.database).formVersions(id).count == 2)
        }
    }

    @Test func qualityPagesMatchTheirSnapshots() throws {
        let snapshots = PageSnapshotTests()
        let renderer = try PageRenderer()
        try snapshots.check("quality-batches", try renderer.html("quality-batches", QualityBatchesPage.fixture))
        try snapshots.check("quality-batch", try renderer.html("quality-batch", QualityBatchPage.fixture))
        try snapshots.check("quality-inspection-scoring", try renderer.html("quality-inspection", QualityInspectionPage.scoringFixture))
        try snapshots.check("quality-inspection-appealed", try renderer.html("quality-inspection", QualityInspectionPage.appealedFixture))
        try snapshots.check("quality-inspection-upheld", try renderer.html("quality-inspection", QualityInspectionPage.upheldFixture))
        try snapshots.check("quality-mine", try renderer.html("quality-list", QualityListPage.fixture))
        try snapshots.check("quality-form", try renderer.html("quality-form", QualityFormPage.fixture))
        try snapshots.check("quality-trends", try renderer.html("quality-trends", QualityTrendsPage.fixture))
    }
}
