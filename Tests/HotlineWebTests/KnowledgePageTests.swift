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

/// 知识库 in the console: agents search and browse what is in service; editors write, submit and fix entries, a second
/// editor approves; refusals name the field as labelled and change nothing; CSV import is every row or none; a finished
/// order becomes a draft.
@Suite struct KnowledgePageTests {
    let console = ConsoleTests()

    func csrf(_ page: APIReply) throws -> String {
        try #require(page.raw.range(of: "name=\"_csrf\" value=\"").map { String(page.raw[$0.upperBound...].prefix(64)) })
    }

    /// Form encoding of a value.
    func enc(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")) ?? ""
    }

    func body(_ fields: [(String, String)]) -> String { fields.map { $0 + "=" + enc($1) }.joined(separator: "&") }

    /// The fields of a valid entry form.
    func entryFields(title: String = "社保卡挂失与补办", answer: String = "社保卡丢失请先拨打12333挂失，再携带身份证到市民之家补办。") -> [(String, String)] {
        [("title", title), ("questions", "社保卡丢了怎么办\n社保卡怎么补办"), ("answer", answer), ("category_code", "02.01.01"), ("unit_id", "dept-housing"),
         ("keywords", "社保卡 挂失，补办"), ("effective_from", "2025-03-01"), ("expires_at", "")]
    }

    func entryCount(_ services: HotlineServices) async throws -> Int {
        try await services.knowledge.store.statusCounts().values.reduce(0, +)
    }

    /// Creates an entry through the console as `editor`; returns its id.
    func create(_ client: any TestClientProtocol, _ cookie: String, _ fields: [(String, String)]) async throws -> String {
        let form = try await console.page(client, WebRoutes.knowledgeNew, cookie: cookie)
        let created = try await console.form(client, WebRoutes.knowledgeNew, "_csrf=\(try csrf(form))&" + body(fields), cookie: cookie)
        try #require(created.status == .seeOther, "\(created.raw)")
        let location = try #require(created.headers[.location])
        return String(location.dropFirst(WebRoutes.knowledge.count + 1).prefix { $0 != "?" })
    }

    func step(_ client: any TestClientProtocol, _ cookie: String, _ id: String, _ action: String, note: String? = nil) async throws -> APIReply {
        let page = try await console.page(client, WebRoutes.knowledgeEntry(id), cookie: cookie)
        return try await console.form(client, WebRoutes.knowledgeAction(id, action), "_csrf=\(try csrf(page))" + (note.map { "&note=" + enc($0) } ?? ""),
                                      cookie: cookie)
    }

    @Test(arguments: TestDatabase.available)
    func agentsSearchAndBrowseOnlyWhatIsInService(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let published = try await KnowledgeAPITests().publish(client, KnowledgeAPITests.socialSecurityCard)
            var draftBody = KnowledgeAPITests.socialSecurityCard
            draftBody["title"] = "社保卡草稿未审核"
            let draft = try KnowledgeAPITests().id(try await client.post(APIRoutes.knowledge, as: "ed1", draftBody))
            let agent = try await console.logIn(client, "agent1")

            let home = try await console.page(client, WebRoutes.home, cookie: agent)
            #expect(home.raw.contains("<a href=\"/knowledge\">知识库</a>"), "知识库 is in the agent's navigation")
            let found = try await console.page(client, WebRoutes.knowledgeList(query: "社保卡丢了怎么补"), cookie: agent)
            #expect(found.status == .ok)
            #expect(found.raw.contains("<h1>知识检索</h1>"))
            #expect(found.raw.contains("<a href=\"/knowledge/\(published)\">社保卡挂失与补办</a>"))
            #expect(found.raw.contains("<mark>社保卡"), "the matching words are marked")
            #expect(!found.raw.contains("社保卡草稿未审核"), "a draft is not served")

            let browse = try await console.page(client, WebRoutes.knowledge, cookie: agent)
            #expect(browse.raw.contains("社保卡挂失与补办") && !browse.raw.contains("社保卡草稿未审核"))
            #expect(browse.raw.contains("生效：即日起") && browse.raw.contains("失效：长期有效"))
            #expect(!browse.raw.contains("knowledge-status"), "agents have no status filter")
            let inCategory = try await console.page(client, WebRoutes.knowledgeList(category: "02"), cookie: agent)
            #expect(inCategory.raw.contains("社保卡挂失与补办"), "the category's subtree holds 02.01.01")
            let otherCategory = try await console.page(client, WebRoutes.knowledgeList(category: "01"), cookie: agent)
            #expect(!otherCategory.raw.contains("社保卡挂失与补办") && otherCategory.raw.contains("没有符合条件的知识条目"))

            let entry = try await console.page(client, WebRoutes.knowledgeEntry(published), cookie: agent)
            #expect(entry.status == .ok)
            #expect(entry.raw.contains("12333挂失"))
            #expect(entry.raw.contains("<dt>使用反馈</dt><dd>采用 0 次，标记无用 0 次</dd>"))
            #expect(!entry.raw.contains("版本与审核记录") && !entry.raw.contains("修改内容"), "no history or steps for agents")

            #expect(try await console.page(client, WebRoutes.knowledgeEntry(draft), cookie: agent).status == .notFound)
            let unknown = try await console.page(client, WebRoutes.knowledgeEntry("999999"), cookie: agent)
            #expect(unknown.status == .notFound && unknown.raw.contains("找不到页面"))
            #expect(try await console.page(client, WebRoutes.knowledgeList(status: .draft), cookie: agent).status == .forbidden)
            #expect(try await console.page(client, WebRoutes.knowledgeNew, cookie: agent).status == .forbidden)
            let badCategory = try await console.page(client, WebRoutes.knowledgeList(category: "99"), cookie: agent)
            #expect(badCategory.status == .unprocessableContent && badCategory.raw.contains("事项分类：事项分类不存在"))

            let unit = try await console.logIn(client, "east1")
            let refused = try await console.page(client, WebRoutes.knowledge, cookie: unit)
            #expect(refused.status == .forbidden && refused.raw.contains("没有权限"))
            #expect(!(try await console.page(client, WebRoutes.home, cookie: unit)).raw.contains("知识库</a>"))
            let signedOut = try await client.send(.get, WebRoutes.knowledge, headers: [:])
            #expect(signedOut.status == .seeOther && signedOut.headers[.location] == "/login?next=/knowledge")
        }
    }

    /// Codes are identities: a category moved under another parent takes its entries along, in the ranked search
    /// and in browsing alike.
    @Test(arguments: TestDatabase.available)
    func browsingByCategoryFollowsAMovedCategory(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let published = try await KnowledgeAPITests().publish(client, KnowledgeAPITests.socialSecurityCard)
            let admin = try #require(TestCity.users.first { $0.id == "admin1" })
            _ = try await HotlineApp(services: services).admin.changeCategory("02.01", AdminInput.CategoryChange(parentCode: .some("01")), by: admin,
                                                                             client: "test", at: TestCity.monday)
            let agent = try await console.logIn(client, "agent1")
            for path in [WebRoutes.knowledgeList(category: "01"), WebRoutes.knowledgeList(query: "社保卡丢了怎么补", category: "01")] {
                let moved = try await console.page(client, path, cookie: agent)
                #expect(moved.raw.contains("<a href=\"/knowledge/\(published)\">社保卡挂失与补办</a>"), "\(path): 02.01 now lies under 01")
            }
            let old = try await console.page(client, WebRoutes.knowledgeList(category: "02"), cookie: agent)
            #expect(!old.raw.contains("社保卡挂失与补办"), "02.01 left 02")
        }
    }

    @Test(arguments: TestDatabase.available)
    func anEditorWritesAndSubmitsASecondEditorSendsItBackThenPublishesIt(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let editor = try await console.logIn(client, "ed1")
            let id = try await create(client, editor, entryFields())
            let created = try await console.page(client, WebRoutes.knowledgeEntry(id) + "?done=create", cookie: editor)
            #expect(created.raw.contains("已保存为草稿"))
            #expect(created.raw.contains("<li>社保卡丢了怎么办</li><li>社保卡怎么补办</li>"))
            #expect(created.raw.contains("<dt>生效日期</dt><dd>2025-03-01</dd>"))
            #expect(created.raw.contains("<h3>关键词</h3><p>社保卡、挂失、补办</p>"))

            #expect(try await step(client, editor, id, "submit").status == .seeOther)
            let submitted = try await console.page(client, WebRoutes.knowledgeEntry(id), cookie: editor)
            #expect(!submitted.raw.contains("<summary>审核通过并发布</summary>"), "the editor is not offered their own approval")
            #expect(submitted.raw.contains("不能由您审核通过"))
            let forged = try await step(client, editor, id, "approve")
            #expect(forged.status == .conflict)
            #expect(forged.raw.contains("<p class=\"error\" role=\"alert\">不能审核自己修改的内容，请由其他编辑审核</p>"))
            #expect(try await services.knowledge.store.entry(Int64(id)!)?.entry.status == .inReview, "nothing changed")

            let admin = try await console.logIn(client, "admin1")
            let historyBefore = try await services.knowledge.store.history(Int64(id)!).count
            let noReason = try await step(client, admin, id, "reject", note: "  ")
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.raw.contains("<p class=\"error\" role=\"alert\">退回理由：不能为空</p>"))
            #expect(try await services.knowledge.store.history(Int64(id)!).count == historyBefore, "a refused step leaves no history line")
            #expect(try await services.knowledge.store.entry(Int64(id)!)?.entry.status == .inReview)
            #expect(try await step(client, admin, id, "reject", note: "请补充办理地点").status == .seeOther)

            let sentBack = try await console.page(client, WebRoutes.knowledgeEntry(id), cookie: editor)
            #expect(sentBack.raw.contains("<strong>审核退回：</strong>请补充办理地点（管理员，2025-03-03 10:00）"), "the editor sees the review comment")
            #expect(sentBack.raw.contains("<tr class=\"rejection\">"))
            let editPage = try await console.page(client, WebRoutes.knowledgeEdit(id), cookie: editor)
            #expect(editPage.status == .ok && editPage.raw.contains("社保卡丢了怎么办\n社保卡怎么补办</textarea>"))
            let edited = try await console.form(
                client, WebRoutes.knowledgeEdit(id),
                "_csrf=\(try csrf(editPage))&" + body(entryFields(answer: "社保卡丢失请先拨打12333挂失，再到市民之家（江州大道1号）补办。")), cookie: editor)
            #expect(edited.status == .seeOther && edited.headers[.location] == WebRoutes.knowledgeEntry(id) + "?done=edit")
            #expect(try await step(client, editor, id, "submit").status == .seeOther)
            let resubmitted = try await console.page(client, WebRoutes.knowledgeEntry(id), cookie: editor)
            #expect(!resubmitted.raw.contains("review-comment"), "a comment answered by a new submission is no longer shown")
            #expect(try await step(client, admin, id, "approve", note: "准确").status == .seeOther)

            let published = try await console.page(client, WebRoutes.knowledgeEntry(id) + "?done=approve", cookie: admin)
            #expect(published.raw.contains("已审核通过并发布"))
            for line in ["<td>知识库编辑一</td><td>新建</td>", "<td>管理员</td><td>退回修改</td>", "<td>知识库编辑一</td><td>修改</td>",
                         "<td>管理员</td><td>审核通过并发布</td>"] {
                #expect(published.raw.contains(line), "history lacks \(line)")
            }
            let agent = try await console.logIn(client, "agent1")
            let found = try await console.page(client, WebRoutes.knowledgeList(query: "社保卡丢了"), cookie: agent)
            #expect(found.raw.contains("<a href=\"/knowledge/\(id)\">社保卡挂失与补办</a>"))
            let shown = try await console.page(client, WebRoutes.knowledgeEntry(id), cookie: agent)
            #expect(shown.raw.contains("江州大道1号"))

            let noRetireReason = try await step(client, admin, id, "retire")
            #expect(noRetireReason.raw.contains("<p class=\"error\" role=\"alert\">下线理由：不能为空</p>"))
            #expect(try await console.page(client, WebRoutes.knowledgeEntry(id), cookie: agent).status == .ok, "still in service")
            #expect(try await step(client, admin, id, "retire", note: "政策调整").status == .seeOther)
            #expect(try await console.page(client, WebRoutes.knowledgeEntry(id), cookie: agent).status == .notFound, "retired: gone for agents")
        }
    }

    @Test(arguments: TestDatabase.available)
    func invalidInputShowsTheFormAgainNamingTheFieldAndStoresNothing(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let editor = try await console.logIn(client, "ed1")
            let form = try await console.page(client, WebRoutes.knowledgeNew, cookie: editor)
            #expect(form.raw.contains("<label for=\"k-title\">标题 *</label>"))
            let token = try csrf(form)
            func post(_ fields: [(String, String)]) async throws -> APIReply {
                try await console.form(client, WebRoutes.knowledgeNew, "_csrf=\(token)&" + body(fields), cookie: editor)
            }
            var fields = entryFields(title: " ")
            let noTitle = try await post(fields)
            #expect(noTitle.status == .unprocessableContent)
            #expect(noTitle.raw.contains("<p class=\"error\" role=\"alert\">标题：不能为空且不能超过100字</p>"))
            #expect(noTitle.raw.contains("12333挂失"), "what was typed is kept")
            fields = entryFields()
            fields[6] = ("effective_from", "2025-04-01")
            fields[7] = ("expires_at", "2025-03-01")
            #expect(try await post(fields).raw.contains("失效日期：失效时间应晚于生效时间"))
            fields = entryFields()
            fields[6] = ("effective_from", "2025-13-45")
            #expect(try await post(fields).raw.contains("生效日期：取值无效"))
            fields = entryFields()
            fields[3] = ("category_code", "99.99")
            #expect(try await post(fields).raw.contains("事项分类：事项分类不存在"))
            fields = entryFields()
            fields[4] = ("unit_id", "no-such-unit")
            #expect(try await post(fields).raw.contains("责任单位：单位不存在"))
            fields = entryFields()
            fields[1] = ("questions", String(repeating: "问", count: 201))
            #expect(try await post(fields).raw.contains("常见问法："))
            #expect(try await entryCount(services) == 0, "nothing stored")

            let agent = try await console.logIn(client, "agent1")
            let agentForm = try await console.page(client, WebRoutes.knowledge, cookie: agent)
            let forbidden = try await console.form(client, WebRoutes.knowledgeNew, "_csrf=\(try csrf(agentForm))&" + body(entryFields()), cookie: agent)
            #expect(forbidden.status == .forbidden && forbidden.raw.contains("没有权限"))
            let noToken = try await console.form(client, WebRoutes.knowledgeNew, body(entryFields()), cookie: editor)
            #expect(noToken.status == .forbidden && noToken.raw.contains("CSRF令牌"))
            #expect(try await entryCount(services) == 0)

            let id = try await create(client, editor, entryFields())
            #expect(try await step(client, editor, id, "approve").status == .conflict, "approve is illegal for a draft")
            #expect(try await step(client, editor, id, "dance").status == .notFound)
            #expect(try await step(client, editor, "424242", "submit").status == .notFound)
            #expect(try await console.page(client, WebRoutes.knowledgeEdit("424242"), cookie: editor).status == .notFound)
            let retire = try await step(client, editor, id, "retire")
            #expect(retire.status == .unprocessableContent)
            #expect(retire.raw.contains("<p class=\"error\" role=\"alert\">作废理由：不能为空</p>"), "a draft never published is discarded (作废)")
            #expect(try await services.knowledge.store.entry(Int64(id)!)?.entry.status == .draft)
            let editPage = try await console.page(client, WebRoutes.knowledgeEdit(id), cookie: editor)
            let badEdit = try await console.form(client, WebRoutes.knowledgeEdit(id), "_csrf=\(try csrf(editPage))&" + body(entryFields(answer: "")),
                                                 cookie: editor)
            #expect(badEdit.status == .unprocessableContent && badEdit.raw.contains("答案：不能为空"))
            #expect(try await services.knowledge.store.entry(Int64(id)!)?.entry.version == 1, "the refused edit changed nothing")
        }
    }

    @Test(arguments: TestDatabase.available)
    func csvImportTakesEveryRowOrNone(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let editor = try await console.logIn(client, "ed1")
            let page = try await console.page(client, WebRoutes.knowledgeImport, cookie: editor)
            #expect(page.status == .ok && page.raw.contains("enctype=\"multipart/form-data\""))
            let token = try csrf(page)
            let header = "title,questions,answer,category,unit,keywords,effective_from,expires_at\n"
            let bad = header + "公积金提取,公积金怎么取,携带身份证到公积金中心办理。,02.01.01,dept-housing,公积金,2025-01-01,\n"
                + ",没有标题,答案,,,,,\n"
            let refused = try await console.form(client, WebRoutes.knowledgeImport, "_csrf=\(token)&csv=" + enc(bad), cookie: editor)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.raw.contains("导入失败，没有保存任何条目。第3行：title 列：不能为空且不能超过100字"))
            #expect(refused.raw.contains("公积金怎么取"), "the pasted text is kept to fix")
            #expect(try await entryCount(services) == 0, "no row of a refused file is stored")

            let good = header + "公积金提取,公积金怎么取|公积金提取要什么材料,携带身份证到公积金中心办理。,02.01.01,dept-housing,公积金 提取,2025-01-01,\n"
                + "\"路灯报修\",路灯不亮找谁,\"路灯故障请拨打12345，由城管部门安排维修。\",,,路灯,,\n"
            let imported = try await console.form(client, WebRoutes.knowledgeImport, "_csrf=\(token)&csv=" + enc(good), cookie: editor)
            #expect(imported.status == .seeOther && imported.headers[.location] == WebRoutes.knowledgeImport + "?imported=2")
            let summary = try await console.page(client, WebRoutes.knowledgeImport + "?imported=2", cookie: editor)
            #expect(summary.raw.contains("已导入 2 条知识，全部已提交审核"))
            #expect(try await services.knowledge.store.count(status: .inReview) == 2)

            // The same as a file upload, with a byte-order mark; the CSRF token in the URL is checked before the body is read.
            let upload = MultipartBody(fields: [("csv", "")], files: [("file", "知识.csv", Data("\u{FEFF}".utf8) + Data((header + "医保转移,医保怎么转,携带身份证到医保窗口办理。,,,,,\n").utf8))])
            let cookie: HTTPFields = [.cookie: "hotline_session=" + editor]
            let uploaded = try await client.upload(WebRoutes.knowledgeImport + "?_csrf=" + token, headers: cookie, upload)
            #expect(uploaded.status == .seeOther, "\(uploaded.raw)")
            #expect(try await services.knowledge.store.count(status: .inReview) == 3)
            let gbk = MultipartBody(fields: [], files: [("file", "旧.csv", Data([0x74, 0x69, 0x74, 0x6C, 0x65, 0x0A, 0xC9, 0xE7, 0xB1, 0xA3]))])
            let notUTF8 = try await client.upload(WebRoutes.knowledgeImport + "?_csrf=" + token, headers: cookie, gbk)
            #expect(notUTF8.status == .unprocessableContent && notUTF8.raw.contains("文件不是UTF-8编码"))
            #expect(try await client.upload(WebRoutes.knowledgeImport + "?_csrf=wrong", headers: cookie, upload).status == .forbidden)
            let agent = try await console.logIn(client, "agent1")
            let agentUpload = try await client.upload(WebRoutes.knowledgeImport + "?_csrf=" + SessionCookie.csrfToken(forSession: agent),
                                                      headers: [.cookie: "hotline_session=" + agent], upload)
            #expect(agentUpload.status == .forbidden)
            #expect(try await entryCount(services) == 3)
            let queue = try await console.page(client, WebRoutes.knowledgeList(status: .inReview), cookie: editor)
            #expect(queue.raw.contains("<h1>知识待审核</h1>") && queue.raw.contains("公积金提取") && queue.raw.contains("医保转移"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aFinishedOrderBecomesADraftThatRemembersIt(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            try await AssistAPITests().walkToClosed(
                client, title: "社保卡补办", content: "社保卡丢了，想问怎么补办社保卡", category: "02.01.01", unit: "dist-west", staff: "west1")
            let number = try #require(try await client.call(.get, APIRoutes.orders + "?status=closed", as: "sup1").items.first?["number"] as? String)
            let open = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let admin = try await console.logIn(client, "admin1")
            let orderPage = try await console.page(client, WebRoutes.order(number), cookie: admin)
            #expect(orderPage.raw.contains("<a class=\"button\" href=\"/knowledge/new?from_order=\(number)\">转为知识草稿</a>"))
            #expect(!(try await console.page(client, WebRoutes.order(open), cookie: admin)).raw.contains("转为知识草稿"), "an open order is not offered")
            let unit = try await console.logIn(client, "west1")
            #expect(!(try await console.page(client, WebRoutes.order(number), cookie: unit)).raw.contains("转为知识草稿"), "units do not propose knowledge")

            let form = try await console.page(client, WebRoutes.knowledgeDraft(fromOrder: number), cookie: admin)
            #expect(form.status == .ok)
            #expect(form.raw.contains("<h1>转为知识草稿</h1>"))
            #expect(form.raw.contains("value=\"社保卡补办\""))
            #expect(form.raw.contains(">社保卡丢了，想问怎么补办社保卡</textarea>"))
            #expect(form.raw.contains(">已处理</textarea>"), "the reply that passed review is the answer")
            #expect(form.raw.contains("<option value=\"02.01.01\" selected>") && form.raw.contains("<option value=\"dist-west\" selected>"))
            #expect(form.raw.contains("<input type=\"hidden\" name=\"source_order\" value=\"\(number)\">"))
            #expect(try await console.page(client, WebRoutes.knowledgeDraft(fromOrder: open), cookie: admin).status == .conflict)
            #expect(try await console.page(client, WebRoutes.knowledgeDraft(fromOrder: "20250303999999"), cookie: admin).status == .notFound)

            // Knowledge editors see no orders: the order cannot be named as a source, and nothing is stored.
            let editor = try await console.logIn(client, "ed1")
            #expect(try await console.page(client, WebRoutes.knowledgeDraft(fromOrder: number), cookie: editor).status == .forbidden)
            let editorForm = try await console.page(client, WebRoutes.knowledgeNew, cookie: editor)
            let forged = try await console.form(
                client, WebRoutes.knowledgeNew, "_csrf=\(try csrf(editorForm))&source_order=\(number)&" + body(entryFields()), cookie: editor)
            #expect(forged.status == .forbidden)
            // Units neither read the whole order's answer as knowledge nor write drafts.
            let unitForm = try await console.form(
                client, WebRoutes.knowledgeNew, "_csrf=\(SessionCookie.csrfToken(forSession: unit))&source_order=\(number)&" + body(entryFields()), cookie: unit)
            #expect(unitForm.status == .forbidden)
            let openSource = try await console.form(
                client, WebRoutes.knowledgeNew, "_csrf=\(try csrf(form))&source_order=\(open)&" + body(entryFields()), cookie: admin)
            #expect(openSource.status == .conflict && openSource.raw.contains("办结后才能转为知识草稿"))
            #expect(try await entryCount(services) == 0)

            let created = try await console.form(
                client, WebRoutes.knowledgeNew,
                "_csrf=\(try csrf(form))&source_order=\(number)&" + body(entryFields(title: "社保卡补办（来自工单）", answer: "社保卡丢失后先挂失，再补办。")), cookie: admin)
            #expect(created.status == .seeOther)
            let id = String(try #require(created.headers[.location]).dropFirst(WebRoutes.knowledge.count + 1).prefix { $0 != "?" })
            let entry = try await console.page(client, WebRoutes.knowledgeEntry(id), cookie: admin)
            #expect(entry.raw.contains("<dt>来源工单</dt><dd><a href=\"/orders/\(number)\">\(number)</a></dd>"))
            #expect(entry.raw.contains("由工单 \(number) 转为知识草稿"))
            #expect(try await services.knowledge.store.entry(Int64(id)!)?.sourceOrder?.description == number)

            // Those who read orders propose (解答一个、规范一类): the agent's draft goes to the editors' 知识草稿, and the
            // agent goes back to the order, which says so.
            let agent = try await console.logIn(client, "agent1")
            let agentOrder = try await console.page(client, WebRoutes.order(number), cookie: agent)
            #expect(agentOrder.raw.contains("href=\"/knowledge/new?from_order=\(number)\">转为知识草稿</a>"))
            let agentForm = try await console.page(client, WebRoutes.knowledgeDraft(fromOrder: number), cookie: agent)
            #expect(agentForm.status == .ok)
            #expect(try await console.page(client, WebRoutes.knowledgeNew, cookie: agent).status == .forbidden, "a blank draft is for editors")
            let proposed = try await console.form(
                client, WebRoutes.knowledgeNew,
                "_csrf=\(try csrf(agentForm))&source_order=\(number)&" + body(entryFields(title: "社保卡怎么补办", answer: "先挂失，再到市民之家补办。")), cookie: agent)
            #expect(proposed.headers[.location] == WebRoutes.order(number) + "?done=knowledge_draft")
            let back = try await console.page(client, try #require(proposed.headers[.location]), cookie: agent)
            #expect(back.raw.contains("已转为知识草稿，由知识库编辑完善后提交审核发布。"))
            let drafts = try await console.page(client, WebRoutes.knowledgeList(status: .draft), cookie: editor)
            #expect(drafts.raw.contains("社保卡怎么补办"))

            // The API: as drafted, or in the caller's own words; refused for roles that do not propose.
            let asIs = try await client.call(.post, APIRoutes.knowledgeDraft(number), as: "rev1")
            #expect(asIs.status == .created)
            #expect((asIs["content"] as? [String: Any])?["answer"] as? String == "已处理")
            #expect(try await client.call(.post, APIRoutes.knowledgeDraft(number), as: "east1").status == .forbidden)
            #expect(try await client.call(.post, APIRoutes.knowledgeDraft(open), as: "rev1").status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theOrderPageNamesTheEntryADirectAnswerCameFrom(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let id = try await KnowledgeAPITests().publish(client, KnowledgeAPITests.socialSecurityCard)
            var body = Bodies.intake
            body["kind"] = "consultation"
            body["decision"] = ["type": "answer_directly", "answer": "社保卡丢失请先拨打12333挂失。", "knowledge_id": Int(id)!] as [String: Any]
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", body).order["number"] as? String)
            let agent = try await console.logIn(client, "agent1")
            let page = try await console.page(client, WebRoutes.order(number), cookie: agent)
            #expect(page.raw.contains("<dt>采用知识</dt><dd><a href=\"/knowledge/\(id)\">社保卡挂失与补办</a></dd>"))
            #expect(page.raw.contains("<h3>直接答复</h3><p class=\"content\">社保卡丢失请先拨打12333挂失。</p>"))
            let entry = try await console.page(client, WebRoutes.knowledgeEntry(id), cookie: agent)
            #expect(entry.raw.contains("采用 1 次"))
            _ = services
        }
    }

    @Test(arguments: TestDatabase.available)
    func editorsHomeTilesOpenListsHeadedWithTheTilesNames(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let editor = try await console.logIn(client, "ed1")
            _ = try await create(client, editor, entryFields())
            let home = try await console.page(client, WebRoutes.home, cookie: editor)
            #expect(home.raw.contains("<a class=\"open\" href=\"/knowledge?status=in_review\">查看知识待审核</a>"))
            #expect(home.raw.contains("<a class=\"open\" href=\"/knowledge?status=draft\">查看知识草稿</a>"))
            #expect(home.raw.contains("<div class=\"count\">1</div>\n    <div class=\"label\">知识草稿</div>"))
            let drafts = try await console.page(client, "/knowledge?status=draft", cookie: editor)
            #expect(drafts.raw.contains("<h1>知识草稿</h1>") && drafts.raw.contains("社保卡挂失与补办"))
            #expect(drafts.raw.contains("<strong aria-current=\"page\">草稿 1</strong>"))
            let review = try await console.page(client, "/knowledge?status=in_review", cookie: editor)
            #expect(review.raw.contains("<h1>知识待审核</h1>") && !review.raw.contains("社保卡挂失与补办"))
            let mine = try await console.page(client, WebRoutes.knowledgeList(status: .draft, mine: true), cookie: editor)
            #expect(mine.raw.contains("<h1>我的知识草稿</h1>") && mine.raw.contains("社保卡挂失与补办"))
            let admin = try await console.logIn(client, "admin1")
            let others = try await console.page(client, WebRoutes.knowledgeList(status: .draft, mine: true), cookie: admin)
            #expect(!others.raw.contains("社保卡挂失与补办"), "another editor's draft is not the admin's own")
            let text = try await console.page(client, WebRoutes.knowledgeList(query: "12333", status: .draft), cookie: admin)
            #expect(text.raw.contains("社保卡挂失与补办"), "editors find drafts by their words")
        }
    }
}

/// The knowledge pages' models rendered with their fixtures match the reviewed snapshots.
@Suite struct KnowledgePageSnapshotTests {
    @Test func knowledgePagesMatchTheirSnapshots() throws {
        let snapshots = PageSnapshotTests()
        try snapshots.check("knowledge-list", try PageRenderer().html("knowledge-list", KnowledgeListPage.fixture))
        try snapshots.check("knowledge-entry", try PageRenderer().html("knowledge-entry", KnowledgeEntryPage.fixture))
        try snapshots.check("knowledge-form", try PageRenderer().html("knowledge-form", KnowledgeFormPage.fixture))
        try snapshots.check("knowledge-import", try PageRenderer().html("knowledge-import", KnowledgeImportPage.fixture))
    }

    @Test func snippetsKeepTheirMarksButTitlesAreEscaped() throws {
        var page = KnowledgeListPage.fixture
        page.rows[0].title = "<script>x</script>"
        let html = try PageRenderer().html("knowledge-list", page)
        #expect(html.contains("&lt;script&gt;x&lt;/script&gt;") && html.contains("<mark>社保卡</mark>"))
    }
}
