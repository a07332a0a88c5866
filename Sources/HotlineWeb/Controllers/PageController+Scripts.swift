import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 话术库 pages: the library for every role that reads scripts; editors create, reword, retire and restore. Every read
/// and change is a `ScriptDesk` use case, the same the JSON API calls.
extension PageController {
    func registerScripts(_ router: PageRouter) {
        router.get(RouterPath(WebRoutes.scripts)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.scripts) }
            return try pages.response("scripts", try await scriptList(s, request.uri.queryParameters))
        }
        router.get(RouterPath(WebRoutes.scriptsNew)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.scriptsNew) }
            try require(.manageScripts, s)
            return try pages.response("script-form", scriptForm(s, id: nil, values: [:]))
        }
        router.post(RouterPath(WebRoutes.scriptsNew)) { request, context in
            guard let (s, form) = try await scriptPost(request, context) else { return redirect(WebRoutes.login) }
            do {
                let script = try await app.scripts.create(Self.scriptInput(form), by: s.user, at: clock())
                return redirect(WebRoutes.script(String(script.id)) + "?done=create")
            } catch {
                var page = scriptForm(s, id: nil, values: form)
                let e = APIError.from(error)
                guard e.status != .forbidden else { throw e }
                page.error = Self.scriptMessage(e)
                return try pages.response("script-form", page, status: e.status)
            }
        }
        router.get(RouterPath(WebRoutes.script(":id"))) { request, context in
            let id = context.parameters.get("id") ?? ""
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.script(id)) }
            let done = request.uri.queryParameters.get("done").flatMap { Self.scriptDone[$0] }
            return try pages.response("script", try await scriptPage(s, id, notice: done))
        }
        router.get(RouterPath(WebRoutes.scriptEdit(":id"))) { request, context in
            let idText = context.parameters.get("id") ?? ""
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.scriptEdit(idText)) }
            try require(.manageScripts, s)
            guard let id = Int64(idText) else { throw APIError.notFound("话术 \(idText) ") }
            let script = try await app.scripts.script(id, for: s.user).script
            let values = [
                "title": script.content.title, "category_code": script.content.categoryCode ?? "", "situation": script.content.situation.rawValue,
                "text": script.content.text, "tags": script.content.tags.joined(separator: " "),
            ]
            return try pages.response("script-form", scriptForm(s, id: idText, values: values))
        }
        router.post(RouterPath(WebRoutes.scriptEdit(":id"))) { request, context in
            let idText = context.parameters.get("id") ?? ""
            guard let (s, form) = try await scriptPost(request, context) else { return redirect(WebRoutes.login) }
            guard let id = Int64(idText) else { throw APIError.notFound("话术 \(idText) ") }
            do {
                _ = try await app.scripts.edit(id, Self.scriptInput(form), by: s.user, at: clock())
                return redirect(WebRoutes.script(idText) + "?done=edit")
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden, e.status != .notFound else { throw e }
                var page = scriptForm(s, id: idText, values: form)
                page.error = Self.scriptMessage(e)
                return try pages.response("script-form", page, status: e.status)
            }
        }
        router.post(RouterPath(WebRoutes.scriptAction(":id", ":action"))) { request, context in
            let idText = context.parameters.get("id") ?? ""
            let name = context.parameters.get("action") ?? ""
            guard let (s, form) = try await scriptPost(request, context) else { return redirect(WebRoutes.login) }
            guard name == "retire" || name == "restore", let id = Int64(idText) else { throw APIError.notFound("操作 \(name) ") }
            do {
                _ = try await app.scripts.setActive(name == "restore", id, .init(reason: form["reason"]), by: s.user, at: clock())
                return redirect(WebRoutes.script(idText) + "?done=" + name)
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden, e.status != .notFound else { throw e }
                return try pages.response("script", try await scriptPage(s, idText, error: Self.scriptMessage(e)), status: e.status)
            }
        }
    }

    static let scriptDone = ["create": "话术已保存，话务员受理时即可看到。", "edit": "话术已修改。", "retire": "话术已停用。", "restore": "话术已恢复启用。"]

    /// The script pages' names for their fields (the order forms' names are different: `text` is a reply there).
    static let scriptLabels = ["title": "标题", "text": "话术内容", "situation": "场景", "category_code": "适用事项", "tags": "标签", "reason": "停用理由"]

    static func scriptMessage(_ e: APIError) -> String {
        guard let field = e.field, let label = scriptLabels[field], let range = e.message.range(of: "无效：") else { return FieldLabels.message(e) }
        return label + "：" + e.message[range.upperBound...]
    }

    /// A posted script form: signed in (nil otherwise), its CSRF token, and the editors' capability.
    func scriptPost(_ request: Request, _ context: AppRequestContext) async throws -> (Signed, [String: String])? {
        guard let s = context.session else { return nil }
        let form = FormFields.dictionary(String(buffer: try await request.body.collect(upTo: APIBody.maximumBytes)))
        guard SessionCookie.formIsSameSite(request, sessionToken: s.token, formToken: form["_csrf"]) else { throw APIError.csrfFailed }
        try require(.manageScripts, s)
        return (s, form)
    }

    /// The form's fields as the API's input: tags separated by spaces or commas.
    static func scriptInput(_ form: [String: String]) -> ScriptDesk.Input {
        ScriptDesk.Input(
            title: form["title"] ?? "", categoryCode: form["category_code"].flatMap { $0.isEmpty ? nil : $0 }, situation: form["situation"] ?? "",
            text: form["text"] ?? "", tags: (form["tags"] ?? "").split(whereSeparator: { $0.isWhitespace || ",，、;；".contains($0) }).map(String.init))
    }

    func scriptForm(_ s: Signed, id: String?, values: [String: String]) -> ScriptFormPage {
        let situation = values["situation"]
        return ScriptFormPage(
            title: id == nil ? "新建话术" : "修改话术", user: pageUser(s), heading: id == nil ? "新建话术" : "修改话术", error: nil,
            action: id.map(WebRoutes.scriptEdit) ?? WebRoutes.scriptsNew, submitLabel: "保存", titleValue: values["title"] ?? "",
            categories: categoryOptions(selected: values["category_code"], none: "通用（所有事项）"),
            situations: [PageOption(value: "", label: "（请选择）", selected: (situation ?? "").isEmpty)]
                + ScriptSituation.allCases.map { PageOption(value: $0.rawValue, label: $0.chineseName, selected: $0.rawValue == situation) },
            text: values["text"] ?? "", tags: values["tags"] ?? "", cancelHref: id.map(WebRoutes.script) ?? WebRoutes.scripts)
    }

    func scriptList(_ s: Signed, _ params: Parameters) async throws -> ScriptListPage {
        let editor = Capability.manageScripts.isAllowed(for: s.user.role)
        let query = (params.get("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let category = params.get("category").flatMap { $0.isEmpty ? nil : $0 }
        let situation = params.get("situation").flatMap { $0.isEmpty ? nil : $0 }
        let state = params.get("state").flatMap { $0.isEmpty ? nil : $0 }
        guard let page = Int(params.get("page") ?? "1"), page >= 1 else {
            throw APIError(.unprocessableContent, code: "invalid_field", message: "页码：应为正整数")
        }
        let listing: ScriptDesk.Listing
        do {
            listing = try await app.scripts.browse(
                .init(query: query, categoryCode: category, situation: situation, state: state, page: page), for: s.user)
        } catch {
            let e = APIError.from(error)
            throw e.field == nil ? e : APIError(e.status, code: e.code, message: Self.scriptMessage(e))
        }
        let paths = categoryPaths()
        let rows = listing.scripts.map { script in
            ScriptListPage.Row(
                title: script.content.title, href: WebRoutes.script(String(script.id)), situation: script.content.situation.chineseName,
                category: ScriptPage.matter(script.content.categoryCode, paths: paths), text: script.content.text,
                tags: script.content.tags.joined(separator: "、"), retired: !script.active)
        }
        func link(page: Int) -> String {
            WebRoutes.list(
                WebRoutes.scripts,
                [("q", query), ("category", category), ("situation", situation), ("state", state), ("page", page > 1 ? String(page) : nil)])
        }
        var categories = categoryOptions(selected: category, none: "全部事项", depth: 2, paths: paths)
        categories.insert(
            PageOption(value: ScriptDesk.generalCategory, label: "通用（开场、结束语等）", selected: category == ScriptDesk.generalCategory), at: 1)
        return ScriptListPage(
            user: pageUser(s), notice: nil, query: query, categories: categories,
            situations: [PageOption(value: "", label: "全部场景", selected: situation == nil)]
                + ScriptSituation.allCases.map { PageOption(value: $0.rawValue, label: $0.chineseName, selected: $0.rawValue == situation) },
            isEditor: editor,
            states: [("", "在用"), ("retired", "已停用"), ("all", "全部")].map {
                PageOption(value: $0.0, label: $0.1, selected: ($0.0.isEmpty ? nil : $0.0) == state)
            },
            rows: rows, emptyText: query.isEmpty ? "没有符合条件的话术。" : "没有找到包含「\(query)」的话术。", page: page,
            previous: page > 1 ? link(page: page - 1) : nil, next: listing.hasMore ? link(page: page + 1) : nil)
    }

    func scriptPage(_ s: Signed, _ idText: String, notice: String? = nil, error: String? = nil) async throws -> ScriptPage {
        guard let id = Int64(idText) else { throw APIError.notFound("话术 \(idText) ") }
        let record = try await app.scripts.script(id, for: s.user)
        let script = record.script
        func name(_ login: String) -> String { record.names[login] ?? login }
        var facts: [OrderDetailPage.Fact] = [
            .init(label: "场景", value: script.content.situation.chineseName),
            .init(label: "适用事项", value: ScriptPage.matter(script.content.categoryCode, paths: categoryPaths())),
            .init(label: "标签", value: script.content.tags.isEmpty ? "—" : script.content.tags.joined(separator: "、")),
            .init(label: "状态", value: script.active ? "在用" : "已停用"),
        ]
        if record.editable {
            facts.append(.init(label: "版本", value: "第\(script.version)版"))
            facts.append(.init(label: "创建", value: "\(name(script.createdBy))，\(script.createdAt.chinaShort)"))
            facts.append(.init(label: "最后修改", value: "\(name(script.updatedBy))，\(script.updatedAt.chinaShort)"))
        }
        let history = record.history.map { r in
            ScriptPage.HistoryRow(
                at: r.at.chinaShort, who: name(r.actorID), action: r.action.chineseName, version: "第\(r.version)版", text: r.content.text, note: r.note
            )
        }
        return ScriptPage(
            title: script.content.title, user: pageUser(s), notice: notice, error: error, heading: script.content.title, retired: !script.active,
            facts: facts,
            text: script.content.text, isEditor: record.editable, editHref: record.editable ? WebRoutes.scriptEdit(idText) : nil,
            retireAction: record.editable && script.active ? WebRoutes.scriptAction(idText, "retire") : nil,
            restoreAction: record.editable && !script.active ? WebRoutes.scriptAction(idText, "restore") : nil, history: history)
    }
}
