import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 知识库 pages: search and browse for every role that may search knowledge; editors create, edit, submit, review,
/// retire and import. Every read and change is a `KnowledgeDesk` use case, the same the JSON API calls.
extension PageController {
    func registerKnowledge(_ router: PageRouter) {
        router.get(RouterPath(WebRoutes.knowledge)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.knowledge) }
            return try pages.response("knowledge-list", try await knowledgeList(s, request.uri.queryParameters))
        }
        router.get(RouterPath(WebRoutes.knowledgeNew)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.knowledgeNew) }
            let fromOrder = request.uri.queryParameters.get("from_order")
            try require(fromOrder == nil ? .manageKnowledge : .draftKnowledge, s)
            return try pages.response("knowledge-form", try await newEntryForm(s, fromOrder: fromOrder))
        }
        router.post(RouterPath(WebRoutes.knowledgeNew)) { request, context in
            guard let (s, form) = try await knowledgePost(request, context, proposing: true) else { return redirect(WebRoutes.login) }
            let source = try form["source_order"].flatMap { $0.isEmpty ? nil : $0 }.map { text in
                guard let n = OrderNumber(text) else { throw APIError.notFound("工单 \(text) ") }
                return n
            }
            do {
                let created = try await app.knowledge.create(try Self.contentInput(form), from: source, by: s.user, at: clock())
                // Editors go on with their draft; whoever proposed it from an order goes back to the order.
                if let source, !Capability.manageKnowledge.isAllowed(for: s.user.role) {
                    return redirect(WebRoutes.order(source.description) + "?done=knowledge_draft")
                }
                return redirect(WebRoutes.knowledgeEntry(String(created.entry.id)) + "?done=create")
            } catch {
                let e = APIError.from(error)
                guard e.status != .notFound, e.status != .forbidden else { throw e }
                var page = try await entryForm(
                    s, heading: "新建知识条目", action: WebRoutes.knowledgeNew, submit: "保存为草稿", values: form,
                    cancel: WebRoutes.knowledge)
                page.error = KnowledgeLabels.message(e)
                if let source { page = try await withSource(page, source, s) }
                return try pages.response("knowledge-form", page, status: e.status)
            }
        }
        router.get(RouterPath(WebRoutes.knowledgeImport)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.knowledgeImport) }
            try require(.manageKnowledge, s)
            let imported = request.uri.queryParameters.get("imported").flatMap(Int.init)
            return try pages.response("knowledge-import", importPage(s, notice: imported.map { "已导入 \($0) 条知识，全部已提交审核，审核通过后发布。" }))
        }
        router.post(RouterPath(WebRoutes.knowledgeImport)) { request, context in try await importKnowledge(request, context) }
        router.get(RouterPath(WebRoutes.knowledgeEntry(":id"))) { request, context in
            let id = context.parameters.get("id") ?? ""
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.knowledgeEntry(id)) }
            let done = request.uri.queryParameters.get("done").flatMap { KnowledgeLabels.done[$0] }
            return try pages.response("knowledge-entry", try await knowledgeEntry(s, id, notice: done))
        }
        router.get(RouterPath(WebRoutes.knowledgeEdit(":id"))) { request, context in
            let id = context.parameters.get("id") ?? ""
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.knowledgeEdit(id)) }
            try require(.manageKnowledge, s)
            return try pages.response("knowledge-form", try await editForm(s, id, values: nil))
        }
        // The edit form posts to the edit page's own path (a constant segment the router matches before `:action`).
        router.post(RouterPath(WebRoutes.knowledgeEdit(":id"))) { request, context in try await knowledgeStep(request, context, "edit") }
        router.post(RouterPath(WebRoutes.knowledgeAction(":id", ":action"))) { request, context in
            try await knowledgeStep(request, context, context.parameters.get("action") ?? "")
        }
    }

    /// POST /knowledge/{id}/{step}: edit (the entry's fields) or submit, approve, reject, retire (with a note).
    func knowledgeStep(_ request: Request, _ context: AppRequestContext, _ name: String) async throws -> Response {
        let idText = context.parameters.get("id") ?? ""
        guard let (s, form) = try await knowledgePost(request, context) else { return redirect(WebRoutes.login) }
        guard let action = KnowledgeAction(rawValue: name), action != .create, let id = Int64(idText) else { throw APIError.notFound("操作 ") }
        do {
            if action == .edit {
                _ = try await app.knowledge.act(.edit, on: id, content: try Self.contentInput(form), note: nil, by: s.user, at: clock())
            } else {
                _ = try await app.knowledge.act(action, on: id, content: nil, note: .init(note: form["note"]), by: s.user, at: clock())
            }
            return redirect(WebRoutes.knowledgeEntry(idText) + "?done=" + action.rawValue)
        } catch {
            let e = APIError.from(error)
            guard e.status != .notFound, e.status != .forbidden else { throw e }
            if action == .edit {
                var page = try await editForm(s, idText, values: form)
                page.error = KnowledgeLabels.message(e)
                return try pages.response("knowledge-form", page, status: e.status)
            }
            // The note is named as its form labels it (作废理由 for a draft never published).
            let everPublished = try await services.knowledge.store.entry(id)?.entry.publishedVersion != nil
            let label = KnowledgeLabels.form(action, id: idText, everPublished: everPublished).noteLabel
            return try pages.response(
                "knowledge-entry", try await knowledgeEntry(s, idText, error: KnowledgeLabels.message(e, noteLabel: label)), status: e.status)
        }
    }

    /// A posted urlencoded knowledge form: signed in (nil otherwise), its CSRF token, and the editors' capability.
    /// The signed-in user and the posted form, its CSRF token checked; `proposing` lets those who may only draft from
    /// an order (`draftKnowledge`) through, the handler then checking what they post.
    func knowledgePost(_ request: Request, _ context: AppRequestContext, proposing: Bool = false) async throws -> (Signed, [String: String])? {
        guard let s = context.session else { return nil }
        let form = FormFields.dictionary(String(buffer: try await request.body.collect(upTo: APIBody.maximumBytes)))
        guard SessionCookie.formIsSameSite(request, sessionToken: s.token, formToken: form["_csrf"]) else { throw APIError.csrfFailed }
        if !(proposing && Capability.draftKnowledge.isAllowed(for: s.user.role)) { try require(.manageKnowledge, s) }
        return (s, form)
    }

    /// The entry form's fields as the API's input: questions one per line, keywords separated by spaces or commas,
    /// dates as `YYYY-MM-DD`; decoded by the same `InputDecoder` as the API's JSON.
    static func contentInput(_ form: [String: String]) throws -> KnowledgeDesk.ContentInput {
        var json: [String: Any] = ["title": form["title"] ?? "", "answer": form["answer"] ?? ""]
        json["questions"] = (form["questions"] ?? "").split(whereSeparator: \.isNewline).map(String.init)
        json["keywords"] = (form["keywords"] ?? "").split(whereSeparator: { $0.isWhitespace || ",，、;；".contains($0) }).map(String.init)
        for key in ["category_code", "unit_id", "effective_from", "expires_at"] {
            if let v = form[key]?.trimmingCharacters(in: .whitespaces), !v.isEmpty { json[key] = v }
        }
        let data = try JSONSerialization.data(withJSONObject: json)
        return try InputDecoder.decode(KnowledgeDesk.ContentInput.self, body: ByteBuffer(data: data), format: .json)
    }

    /// Categories with their paths ("劳动和社会保障 / 社会保险 / 社保卡"), by code.
    func categoryPaths() -> [String: String] {
        let nodes = services.reference.categories
        let byCode = Dictionary(nodes.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var paths: [String: String] = [:]
        func path(_ n: CategoryNode) -> String {
            if let p = paths[n.code] { return p }
            let p = n.parentCode.flatMap { byCode[$0] }.map { path($0) + " / " + n.name } ?? n.name
            paths[n.code] = p
            return p
        }
        for n in nodes { _ = path(n) }
        return paths
    }

    /// Categories as select options down to `depth` levels (and the chosen one, however deep).
    func categoryOptions(selected: String?, none: String, depth: Int = 3, paths: [String: String]? = nil) -> [PageOption] {
        let paths = paths ?? categoryPaths()
        return [PageOption(value: "", label: none, selected: (selected ?? "").isEmpty)]
            + services.reference.categories.filter { $0.level <= depth || $0.code == selected }
            .map { PageOption(value: $0.code, label: paths[$0.code] ?? $0.name, selected: $0.code == selected) }
    }

    // MARK: - One entry

    func knowledgeEntry(_ s: Signed, _ idText: String, notice: String? = nil, error: String? = nil) async throws -> KnowledgeEntryPage {
        guard let id = Int64(idText) else { throw APIError.notFound("知识条目 \(idText) ") }
        let record = try await app.knowledge.entry(id, for: s.user)
        let now = clock()
        let entry = record.stored.entry
        let c = record.content
        let editor = record.editable
        func name(_ login: String) -> String { record.names[login] ?? login }
        let shown = KnowledgeListPage.status(record.stored, content: c, editor: editor, now: now)
        var facts: [KnowledgeEntryPage.Fact] = [
            .init(label: "状态", value: shown.label),
            .init(label: "事项分类", value: c.categoryCode.map { categoryPaths()[$0] ?? $0 } ?? "未分类"),
            .init(label: "责任单位", value: c.unitID.map { services.reference.unitName($0) ?? $0 } ?? "—"),
            .init(label: "生效日期", value: KnowledgeListPage.day(c.effectiveFrom, none: "即日起")),
            .init(label: "失效日期", value: KnowledgeListPage.day(c.expiresAt, none: "长期有效")),
            .init(label: "使用反馈", value: "采用 \(record.stored.used) 次，标记无用 \(record.stored.notUseful) 次"),
        ]
        if editor {
            facts.append(.init(label: "版本", value: "第\(entry.version)版" + (entry.publishedVersion.map { "（已发布第\($0)版）" } ?? "")))
            facts.append(.init(label: "创建", value: "\(name(entry.createdBy))，\(entry.createdAt.chinaShort)"))
            facts.append(.init(label: "内容最后修改人", value: name(entry.editedBy)))
        }
        if let source = record.stored.sourceOrder {
            let viewable = Capability.viewOrders.isAllowed(for: s.user.role)
            facts.append(.init(label: "来源工单", value: source.description, href: viewable ? WebRoutes.order(source.description) : nil))
        }
        var history: [KnowledgeEntryPage.HistoryRow] = []
        for r in record.history {
            history.append(
                .init(
                    at: r.at.chinaShort, who: name(r.actorID), action: r.action.chineseName, version: "第\(r.version)版", status: r.status.chineseName,
                    note: r.note, isRejection: r.action == .reject))
        }
        // The review comment to act on: the latest rejection, unless the entry was submitted again since.
        var reviewComment: String?
        if editor, entry.status == .draft, let last = record.history.last(where: { $0.action == .reject || $0.action == .submit }),
            last.action == .reject
        {
            reviewComment = "\(last.note ?? "")（\(name(last.actorID))，\(last.at.chinaShort)）"
        }
        var forms: [KnowledgeEntryPage.ActionForm] = []
        var unavailable: [String] = []
        if editor {
            let actor = s.user.actor
            for action in [KnowledgeAction.submit, .approve, .reject, .retire] {
                do {
                    _ = try KnowledgeWorkflow.apply(action, to: entry, by: actor, at: now)
                    forms.append(KnowledgeLabels.form(action, id: idText, everPublished: entry.publishedVersion != nil))
                } catch KnowledgeError.ownWording {
                    unavailable.append("不能由您审核通过：条目的当前内容由您修改，请由其他编辑审核。")
                } catch {
                    // Not a step for this status: not offered.
                }
            }
        }
        var publishedNote: String?
        if editor, entry.status != .published, entry.status != .retired, let v = entry.publishedVersion, entry.published != nil {
            publishedNote = "话务员目前看到的是已发布的第\(v)版，新内容审核通过后替换。"
        }
        return KnowledgeEntryPage(
            title: c.title, user: pageUser(s), notice: notice, error: error, heading: c.title, status: shown.label, statusStyle: shown.style,
            facts: facts,
            questions: c.questions, hasQuestions: !c.questions.isEmpty, answer: c.answer,
            keywords: c.keywords.isEmpty ? nil : c.keywords.joined(separator: "、"), publishedNote: publishedNote,
            publishedAnswer: publishedNote == nil ? nil : entry.published?.answer, reviewComment: reviewComment, isEditor: editor, history: history,
            editHref: editor ? WebRoutes.knowledgeEdit(idText) : nil, actions: forms, unavailable: unavailable, hasUnavailable: !unavailable.isEmpty,
            backHref: WebRoutes.knowledge)
    }

    // MARK: - New, edit, import

    /// The entry form with `values` (field name → text as posted or prefilled).
    func entryForm(_ s: Signed, heading: String, action: String, submit: String, values: [String: String], cancel: String) async throws
        -> KnowledgeFormPage
    {
        let units = try await services.directory.units()
        return KnowledgeFormPage(
            title: heading, user: pageUser(s), heading: heading, error: nil, action: action, submitLabel: submit, titleValue: values["title"] ?? "",
            questions: values["questions"] ?? "", answer: values["answer"] ?? "",
            categories: categoryOptions(selected: values["category_code"], none: "（不指定）"),
            units: Self.unitOptions(units, selected: values["unit_id"], none: "（不指定）"), keywords: values["keywords"] ?? "",
            effectiveFrom: values["effective_from"] ?? "", expiresAt: values["expires_at"] ?? "", sourceOrder: nil, sourceText: nil, sourceHref: nil,
            cancelHref: cancel)
    }

    static func formValues(_ input: KnowledgeDesk.ContentInput) -> [String: String] {
        var values = [
            "title": input.title, "answer": input.answer, "questions": (input.questions ?? []).joined(separator: "\n"),
            "keywords": (input.keywords ?? []).joined(separator: " "),
        ]
        values["category_code"] = input.categoryCode
        values["unit_id"] = input.unitId
        values["effective_from"] = input.effectiveFrom.map { CivilDay(containing: $0).description }
        values["expires_at"] = input.expiresAt.map { CivilDay(containing: $0).description }
        return values
    }

    func newEntryForm(_ s: Signed, fromOrder: String?) async throws -> KnowledgeFormPage {
        guard let fromOrder, !fromOrder.isEmpty else {
            return try await entryForm(
                s, heading: "新建知识条目", action: WebRoutes.knowledgeNew, submit: "保存为草稿", values: [:], cancel: WebRoutes.knowledge)
        }
        guard let number = OrderNumber(fromOrder), let record = try await desk.record(number, for: s.user.actor, narrated: false) else {
            throw APIError.notFound("工单 \(fromOrder) ")
        }
        let input = try app.knowledge.draft(from: record, by: s.user)
        let page = try await entryForm(
            s, heading: "转为知识草稿", action: WebRoutes.knowledgeNew, submit: "保存为草稿", values: Self.formValues(input),
            cancel: WebRoutes.order(fromOrder))
        return try await withSource(page, number, s)
    }

    func withSource(_ page: KnowledgeFormPage, _ number: OrderNumber, _ s: Signed) async throws -> KnowledgeFormPage {
        var page = page
        let title = try await desk.record(number, for: s.user.actor, narrated: false)?.order.title ?? ""
        page.sourceOrder = number.description
        page.sourceText = "来源：工单 \(number) \(title)（解答一个、规范一类：请把内容改写为适用于同类诉求的答案）"
        page.sourceHref = WebRoutes.order(number.description)
        return page
    }

    func editForm(_ s: Signed, _ idText: String, values: [String: String]?) async throws -> KnowledgeFormPage {
        guard let id = Int64(idText) else { throw APIError.notFound("知识条目 \(idText) ") }
        let record = try await app.knowledge.entry(id, for: s.user)
        let c = record.content
        let stored = Self.formValues(
            KnowledgeDesk.ContentInput(
                title: c.title, questions: c.questions, answer: c.answer, categoryCode: c.categoryCode, unitId: c.unitID, keywords: c.keywords,
                effectiveFrom: c.effectiveFrom, expiresAt: c.expiresAt))
        var page = try await entryForm(
            s, heading: "修改知识条目：\(c.title)", action: WebRoutes.knowledgeAction(idText, "edit"), submit: "保存修改", values: values ?? stored,
            cancel: WebRoutes.knowledgeEntry(idText))
        if record.stored.entry.status != .draft {
            page.sourceText = "保存后条目回到草稿，需重新提交审核；" + (record.stored.entry.published != nil ? "审核通过前话务员仍看到已发布的内容。" : "")
        }
        return page
    }

    func importPage(_ s: Signed, notice: String? = nil, error: String? = nil, csv: String = "") -> KnowledgeImportPage {
        KnowledgeImportPage(
            user: pageUser(s), notice: notice, error: error,
            action: WebRoutes.knowledgeImport + "?_csrf=" + SessionCookie.csrfToken(forSession: s.token),
            csv: csv, reviewHref: WebRoutes.knowledgeList(status: .inReview))
    }

    /// POST /knowledge/import: a CSV file or pasted text (multipart, its CSRF token in the URL so that it is checked
    /// before the body is read), every row or none.
    func importKnowledge(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let s = context.session else { return redirect(WebRoutes.login) }
        var csv = ""
        var pasted = ""
        if MultipartForm.boundary(of: request.headers[.contentType]) != nil {
            guard SessionCookie.formIsSameSite(request, sessionToken: s.token, formToken: request.uri.queryParameters.get("_csrf")) else {
                throw APIError.csrfFailed
            }
            try require(.manageKnowledge, s)
            let form: MultipartForm
            do {
                form = try await MultipartForm.read(request)
            } catch {
                let e = APIError.from(error)
                return try pages.response("knowledge-import", importPage(s, error: "导入失败：" + e.message), status: e.status)
            }
            pasted = form.fields["csv"] ?? ""
            if let file = form.files.first(where: { $0.field == "file" && !$0.data.isEmpty }) {
                guard file.data.count <= KnowledgeController.importLimit else {
                    return try pages.response(
                        "knowledge-import", importPage(s, error: "导入失败：CSV文件超过\(KnowledgeController.importLimit / 1024 / 1024)MB"),
                        status: .contentTooLarge)
                }
                guard let text = String(data: file.data, encoding: .utf8) else {
                    return try pages.response(
                        "knowledge-import", importPage(s, error: "导入失败：文件不是UTF-8编码，请在表格软件中另存为「CSV UTF-8」格式后再上传"),
                        status: .unprocessableContent)
                }
                csv = text
            } else {
                csv = pasted
            }
        } else {
            let body = try await request.body.collect(upTo: APIBody.maximumBytes)
            guard SessionCookie.formIsSameSite(request, sessionToken: s.token, formToken: Self.field("_csrf", in: body)) else {
                throw APIError.csrfFailed
            }
            try require(.manageKnowledge, s)
            pasted = Self.field("csv", in: body) ?? ""
            csv = pasted
        }
        guard !csv.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return try pages.response("knowledge-import", importPage(s, error: "导入失败：请选择CSV文件或粘贴CSV内容"), status: .unprocessableContent)
        }
        do {
            let summary = try await app.knowledge.importCSV(csv, by: s.user, at: clock())
            return redirect(WebRoutes.knowledgeImport + "?imported=\(summary.created)")
        } catch {
            let e = APIError.from(error)
            guard e.status != .forbidden else { throw e }
            return try pages.response(
                "knowledge-import", importPage(s, error: "导入失败，没有保存任何条目。" + e.message, csv: pasted), status: e.status)
        }
    }

    // MARK: - On the order page

    /// The knowledge side of the order page: the entry a direct answer was taken from (linked for those who may read
    /// the knowledge base), and 转为知识草稿 for knowledge editors on a finished order with an answer.
    func knowledgeOnOrder(_ record: OrderRecord, _ s: Signed) async throws -> (fact: OrderDetailPage.Fact?, draft: String?) {
        var fact: OrderDetailPage.Fact?
        if let event = record.events.last(where: { $0.kind == EventKind.answeredDirectly.rawValue }), let text = event.detailValues["knowledge"],
            let id = Int64(text)
        {
            let title = try await services.knowledge.store.entry(id)?.entry.content.title ?? "知识条目"
            let readable = Capability.searchKnowledge.isAllowed(for: s.user.role)
            fact = .init(label: "采用知识", value: title, href: readable ? WebRoutes.knowledgeEntry(text) : nil)
        }
        let draft = KnowledgeDesk.mayDraft(from: record, by: s.user) ? WebRoutes.knowledgeDraft(fromOrder: record.order.number.description) : nil
        return (fact, draft)
    }
}
