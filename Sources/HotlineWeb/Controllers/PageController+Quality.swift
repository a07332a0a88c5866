import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 质检 pages: inspectors draw batches and score; agents see their own inspections and acknowledge or appeal;
/// supervisors (and admins) decide appeals; admins keep the scoring forms; managers, supervisors and inspectors read
/// the trends. Every read and change is a `QualityDesk` use case, the same the JSON API calls.
extension PageController {
    func registerQuality(_ router: PageRouter) {
        router.get(RouterPath(WebRoutes.quality)) { _, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.quality) }
            guard let home = QualityTab.home(for: s.user.role) else { throw APIError.lacks(.inspectQuality, role: s.user.role) }
            return redirect(home)
        }
        router.get(RouterPath(WebRoutes.qualityBatches)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.qualityBatches) }
            try require(.inspectQuality, s)
            return try pages.response("quality-batches", try await qualityBatches(s, request.uri.queryParameters, values: [:]))
        }
        router.post(RouterPath(WebRoutes.qualityBatches)) { request, context in
            guard let (s, form) = try await qualityPost(request, context) else { return redirect(WebRoutes.login) }
            do {
                func number(_ name: String) throws -> Int? {
                    let text = (form[name] ?? "").trimmingCharacters(in: .whitespaces)
                    if text.isEmpty { return nil }
                    guard let n = Int(text) else { throw AppError.invalid(field: name, message: "应为整数") }
                    return n
                }
                let seedText = (form["seed"] ?? "").trimmingCharacters(in: .whitespaces)
                guard seedText.isEmpty || Int64(seedText) != nil else { throw AppError.invalid(field: "seed", message: "应为整数") }
                let input = QualityDesk.DrawInput(
                    rule: form["rule"] ?? "", calls: try number("calls"), orders: try number("orders"), from: form["from"], to: form["to"],
                    seed: Int64(seedText), thresholdSeconds: try number("threshold_seconds"), agent: form["agent"].flatMap { $0.isEmpty ? nil : $0 })
                let batch = try await app.quality.draw(input, by: s.user, client: auth.clients.of(request, context), at: clock())
                return redirect(WebRoutes.qualityBatch(String(batch.id)) + "?done=draw")
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden else { throw e }
                var page = try await qualityBatches(s, request.uri.queryParameters, values: form)
                page.error = Self.qualityMessage(e)
                return try pages.response("quality-batches", page, status: e.status)
            }
        }
        router.get(RouterPath(WebRoutes.qualityBatch(":id"))) { request, context in
            let idText = context.parameters.get("id") ?? ""
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.qualityBatch(idText)) }
            try require(.inspectQuality, s)
            let notice = request.uri.queryParameters.get("done") == "draw" ? "抽检批次已生成，请逐条评分。" : nil
            return try pages.response("quality-batch", try await qualityBatch(s, idText, notice: notice))
        }
        router.get(RouterPath(WebRoutes.qualityInspection(":id"))) { request, context in
            let idText = context.parameters.get("id") ?? ""
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.qualityInspection(idText)) }
            let done = request.uri.queryParameters.get("done").flatMap { Self.qualityDone[$0] }
            return try pages.response("quality-inspection", try await qualityInspection(s, idText, notice: done))
        }
        router.post(RouterPath(WebRoutes.qualityAction(":id", ":action"))) { request, context in
            let idText = context.parameters.get("id") ?? ""
            let action = context.parameters.get("action") ?? ""
            guard let s = context.session else { return redirect(WebRoutes.login) }
            let form = try await decodeFields(request)
            guard SessionCookie.formIsSameSite(request, sessionToken: s.token, formToken: form["_csrf"]) else { throw APIError.csrfFailed }
            guard let id = Int64(idText) else { throw APIError.notFound("质检记录 \(idText) ") }
            let client = auth.clients.of(request, context)
            let now = clock()
            do {
                switch action {
                case "score":
                    _ = try await app.quality.score(
                        id, .init(formId: Int64(form["form_id"] ?? ""), scores: try Self.points(form), comments: Self.comments(form), comment: form["comment"]),
                        by: s.user, client: client, at: now)
                case "acknowledge": _ = try await app.quality.acknowledge(id, by: s.user, client: client, at: now)
                case "appeal": _ = try await app.quality.appeal(id, .init(reason: form["reason"] ?? ""), by: s.user, client: client, at: now)
                case "uphold":
                    _ = try await app.quality.decide(
                        id, .init(decision: "uphold", scores: try Self.points(form), comments: Self.comments(form), comment: form["comment"],
                                  reason: form["reason"]), by: s.user, client: client, at: now)
                case "reject":
                    _ = try await app.quality.decide(id, .init(decision: "reject", reason: form["reason"] ?? ""), by: s.user, client: client, at: now)
                default: throw APIError.notFound("操作 \(action) ")
                }
                return redirect(WebRoutes.qualityInspection(idText) + "?done=" + action)
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden, e.status != .notFound else { throw e }
                var page = try await qualityInspection(s, idText, values: form)
                page.error = Self.qualityMessage(e, reason: action == "appeal" ? "申诉理由" : "理由")
                return try pages.response("quality-inspection", page, status: e.status)
            }
        }
        router.get(RouterPath(WebRoutes.qualityMine)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.qualityMine) }
            try require(.reviewOwnQuality, s)
            let page = max(1, Int(request.uri.queryParameters.get("page") ?? "1") ?? 1)
            let listing = try await app.quality.mine(for: s.user, page: page)
            return try pages.response(
                "quality-list",
                QualityListPage(
                    title: "我的质检", user: pageUser(s), tabs: QualityTab.tabs(for: s.user.role, current: WebRoutes.qualityMine), notice: nil,
                    heading: "我的质检",
                    lead: "质检员对你的通话和工单的评分。评分后\(QualityInspection.appealDays)天内可以确认或申诉；申诉由督办员裁定，结果在此显示。",
                    rows: qualityRows(listing.inspections, names: listing.names), hasRows: !listing.inspections.isEmpty, emptyText: "还没有你的质检记录。", page: page,
                    previous: page > 1 ? WebRoutes.list(WebRoutes.qualityMine, [("page", String(page - 1))]) : nil,
                    next: listing.hasMore ? WebRoutes.list(WebRoutes.qualityMine, [("page", String(page + 1))]) : nil))
        }
        router.get(RouterPath(WebRoutes.qualityAppeals)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.qualityAppeals) }
            try require(.decideQualityAppeals, s)
            let page = max(1, Int(request.uri.queryParameters.get("page") ?? "1") ?? 1)
            let listing = try await app.quality.appeals(for: s.user, page: page)
            return try pages.response(
                "quality-list",
                QualityListPage(
                    title: "申诉裁定", user: pageUser(s), tabs: QualityTab.tabs(for: s.user.role, current: WebRoutes.qualityAppeals), notice: nil,
                    heading: "待裁定的质检申诉", lead: "话务员对质检评分提出的申诉，先提出的在前。申诉成立须重新评分（原评分保留），驳回须说明理由。",
                    rows: qualityRows(listing.inspections, names: listing.names), hasRows: !listing.inspections.isEmpty, emptyText: "没有待裁定的申诉。", page: page,
                    previous: page > 1 ? WebRoutes.list(WebRoutes.qualityAppeals, [("page", String(page - 1))]) : nil,
                    next: listing.hasMore ? WebRoutes.list(WebRoutes.qualityAppeals, [("page", String(page + 1))]) : nil))
        }
        router.get(RouterPath(WebRoutes.qualityForms)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.qualityForms) }
            let forms = try await app.quality.forms(for: s.user)
            let notice = request.uri.queryParameters.get("done") == "create" ? "评分表已新建。" : nil
            return try pages.response(
                "quality-forms",
                QualityFormsPage(
                    user: pageUser(s), tabs: QualityTab.tabs(for: s.user.role, current: WebRoutes.qualityForms), notice: notice,
                    isEditor: Capability.manageQualityForms.isAllowed(for: s.user.role),
                    rows: forms.map { f in
                        QualityFormsPage.Row(
                            href: WebRoutes.qualityForm(String(f.id)), name: f.content.name, version: "第\(f.version)版",
                            items: f.content.items.map { "\($0.name)\($0.weight)分" }.joined(separator: "、"), updated: f.updatedAt.chinaShort)
                    }))
        }
        router.get(RouterPath(WebRoutes.qualityFormsNew)) { _, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.qualityFormsNew) }
            try require(.manageQualityForms, s)
            return try pages.response("quality-form", qualityFormPage(s, id: nil, name: "", items: [], versions: [], names: [:]))
        }
        router.post(RouterPath(WebRoutes.qualityFormsNew)) { request, context in
            guard let (s, form) = try await qualityPost(request, context) else { return redirect(WebRoutes.login) }
            try require(.manageQualityForms, s)
            do {
                let created = try await app.quality.createForm(
                    Self.formInput(form), by: s.user, client: auth.clients.of(request, context), at: clock())
                return redirect(WebRoutes.qualityForm(String(created.id)) + "?done=create")
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden else { throw e }
                var page = qualityFormPage(s, id: nil, name: form["name"] ?? "", items: Self.itemRows(form), versions: [], names: [:])
                page.error = Self.qualityMessage(e)
                return try pages.response("quality-form", page, status: e.status)
            }
        }
        router.get(RouterPath(WebRoutes.qualityForm(":id"))) { request, context in
            let idText = context.parameters.get("id") ?? ""
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.qualityForm(idText)) }
            guard let id = Int64(idText) else { throw APIError.notFound("评分表 \(idText) ") }
            let record = try await app.quality.form(id, for: s.user)
            var page = qualityFormPage(
                s, id: idText, name: record.form.content.name, items: Self.itemRows(record.form.content), versions: record.versions,
                names: record.names)
            page.notice = ["create": "评分表已新建。", "edit": "评分表已保存为新版本，此后的评分使用新版本，已有的质检保留原版本。"][
                request.uri.queryParameters.get("done") ?? ""]
            return try pages.response("quality-form", page)
        }
        router.post(RouterPath(WebRoutes.qualityForm(":id"))) { request, context in
            let idText = context.parameters.get("id") ?? ""
            guard let (s, form) = try await qualityPost(request, context) else { return redirect(WebRoutes.login) }
            try require(.manageQualityForms, s)
            guard let id = Int64(idText) else { throw APIError.notFound("评分表 \(idText) ") }
            do {
                _ = try await app.quality.editForm(id, Self.formInput(form), by: s.user, client: auth.clients.of(request, context), at: clock())
                return redirect(WebRoutes.qualityForm(idText) + "?done=edit")
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden, e.status != .notFound else { throw e }
                let record = try await app.quality.form(id, for: s.user)
                var page = qualityFormPage(
                    s, id: idText, name: form["name"] ?? "", items: Self.itemRows(form), versions: record.versions, names: record.names)
                page.error = Self.qualityMessage(e)
                return try pages.response("quality-form", page, status: e.status)
            }
        }
        router.get(RouterPath(WebRoutes.qualityTrends)) { _, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.qualityTrends) }
            try require(.viewQualityTrends, s)
            return try pages.response("quality-trends", try await qualityTrends(s))
        }
    }

    static let qualityDone = [
        "score": "评分已保存，话务员将在“我的质检”中看到。", "acknowledge": "已确认质检结果。", "appeal": "申诉已提交，等待督办员裁定。",
        "uphold": "申诉成立，已重新评分，原评分保留。", "reject": "申诉已驳回。",
    ]

    /// The quality pages' names for their fields.
    static let qualityLabels = [
        "rule": "抽检方式", "calls": "抽检通话数", "orders": "抽检工单数", "from": "开始日期", "to": "结束日期", "seed": "随机种子",
        "threshold_seconds": "长通话阈值（秒）", "agent": "坐席", "comment": "总评", "decision": "裁定", "form_id": "评分表", "name": "评分表名称",
        "items": "评分项", "scores": "得分", "comments": "评语", "page": "页码",
    ]

    static func qualityMessage(_ e: APIError, reason: String = "理由") -> String {
        guard let field = e.field, let range = e.message.range(of: "无效：") else { return FieldLabels.message(e) }
        let plain = field.replacingOccurrences(of: "\\[[0-9]+\\].*$", with: "", options: .regularExpression)
        let label = plain == "reason" ? reason : qualityLabels[plain] ?? FieldLabels.label(field)
        return label + "：" + e.message[range.upperBound...]
    }

    /// A posted quality form: signed in (nil otherwise) and its CSRF token checked.
    func qualityPost(_ request: Request, _ context: AppRequestContext) async throws -> (Signed, [String: String])? {
        guard let s = context.session else { return nil }
        let form = try await decodeFields(request)
        guard SessionCookie.formIsSameSite(request, sessionToken: s.token, formToken: form["_csrf"]) else { throw APIError.csrfFailed }
        return (s, form)
    }

    /// The points of a scoring form (`score_0`, `score_1`, … up to the first absent one); an empty or non-numeric mark is
    /// refused with the item's field.
    static func points(_ form: [String: String]) throws -> [Int] {
        var points: [Int] = []
        var i = 0
        while let text = form["score_\(i)"] {
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw AppError.invalid(field: "scores[\(i)]", message: "第\(i + 1)项的得分应为整数")
            }
            points.append(n)
            i += 1
        }
        return points
    }

    static func comments(_ form: [String: String]) -> [String] {
        var out: [String] = []
        var i = 0
        while let text = form["item_comment_\(i)"] {
            out.append(text)
            i += 1
        }
        return out
    }

    /// The rows a form page shows: the items, then blank rows to add more (at least three, up to the limit).
    static func itemRows(_ content: QualityFormContent) -> [QualityFormPage.ItemRow] {
        padded(content.items.enumerated().map { i, item in
            QualityFormPage.ItemRow(index: i, number: i + 1, name: item.name, weight: String(item.weight), guide: item.guide, fatal: item.fatal)
        })
    }

    static func itemRows(_ form: [String: String]) -> [QualityFormPage.ItemRow] {
        padded((0..<QualityFormContent.itemLimit).compactMap { i in
            let name = form["item_name_\(i)"] ?? ""
            let weight = form["item_weight_\(i)"] ?? ""
            guard !(name.isEmpty && weight.isEmpty) else { return nil }
            return QualityFormPage.ItemRow(
                index: i, number: i + 1, name: name, weight: weight, guide: form["item_guide_\(i)"] ?? "", fatal: form["item_fatal_\(i)"] != nil)
        })
    }

    static func padded(_ rows: [QualityFormPage.ItemRow]) -> [QualityFormPage.ItemRow] {
        var out = rows.enumerated().map { i, r in
            var row = r
            row.index = i
            row.number = i + 1
            return row
        }
        while out.count < min(rows.count + 3, QualityFormContent.itemLimit) {
            out.append(.init(index: out.count, number: out.count + 1, name: "", weight: "", guide: "", fatal: false))
        }
        return out
    }

    /// The form's fields as the API's input: rows with neither a name nor a weight are left out; a weight that is not a
    /// number is refused with its row's field.
    static func formInput(_ form: [String: String]) throws -> QualityDesk.FormInput {
        var items: [QualityDesk.FormInput.Item] = []
        for i in 0..<QualityFormContent.itemLimit {
            let name = form["item_name_\(i)"] ?? ""
            let weightText = (form["item_weight_\(i)"] ?? "").trimmingCharacters(in: .whitespaces)
            if name.trimmingCharacters(in: .whitespaces).isEmpty && weightText.isEmpty { continue }
            guard let weight = Int(weightText) else {
                throw AppError.invalid(field: "items[\(items.count)].weight", message: "第\(items.count + 1)项的分值应为整数")
            }
            items.append(.init(name: name, weight: weight, guide: form["item_guide_\(i)"], fatal: form["item_fatal_\(i)"] != nil))
        }
        return QualityDesk.FormInput(name: form["name"] ?? "", items: items)
    }

    func qualityFormPage(
        _ s: Signed, id: String?, name: String, items: [QualityFormPage.ItemRow], versions: [QualityFormVersion], names: [String: String]
    ) -> QualityFormPage {
        let editor = Capability.manageQualityForms.isAllowed(for: s.user.role)
        return QualityFormPage(
            title: id == nil ? "新建评分表" : name, user: pageUser(s), tabs: QualityTab.tabs(for: s.user.role, current: WebRoutes.qualityForms),
            notice: nil, error: nil, heading: id == nil ? "新建评分表" : name, isEditor: editor,
            action: editor ? (id.map(WebRoutes.qualityForm) ?? WebRoutes.qualityFormsNew) : nil, name: name,
            items: items.isEmpty ? Self.padded([]) : items,
            versions: versions.reversed().map { v in
                QualityFormPage.VersionRow(
                    version: "第\(v.version)版", at: v.at.chinaShort, who: names[v.actorID] ?? v.actorID,
                    summary: v.content.items.map { "\($0.name)\($0.weight)分\($0.fatal ? "（致命项）" : "")" }.joined(separator: "、"))
            })
    }

    func qualityBatches(_ s: Signed, _ params: Parameters, values: [String: String]) async throws -> QualityBatchesPage {
        let page = max(1, Int(params.get("page") ?? "1") ?? 1)
        let listing = try await app.quality.batches(for: s.user, page: page)
        let names = try await services.directory.displayNames(
            of: Set(listing.batches.map(\.createdBy) + listing.batches.compactMap(\.parameters.agentID)))
        let today = CivilDay(containing: clock())
        let rule = values["rule"] ?? QualitySamplingRule.random.rawValue
        let agents = try await services.directory.users().filter { $0.role == .agent }.sorted { $0.id < $1.id }
        return QualityBatchesPage(
            user: pageUser(s), tabs: QualityTab.tabs(for: s.user.role, current: WebRoutes.qualityBatches), notice: nil, error: nil,
            rules: QualitySamplingRule.allCases.map { PageOption(value: $0.rawValue, label: $0.chineseName, selected: $0.rawValue == rule) },
            calls: values["calls"] ?? "10", orders: values["orders"] ?? "10",
            from: values["from"] ?? today.adding(days: -(QualitySampling.defaultDays - 1)).description, to: values["to"] ?? today.description,
            seed: values["seed"] ?? "", threshold: values["threshold_seconds"] ?? String(QualitySampling.defaultLongCallSeconds),
            agents: [PageOption(value: "", label: "（指定坐席时选择）", selected: (values["agent"] ?? "").isEmpty)]
                + agents.map { PageOption(value: $0.id, label: $0.displayName, selected: $0.id == values["agent"]) },
            rows: listing.batches.map { b in
                QualityBatchesPage.Row(
                    href: WebRoutes.qualityBatch(String(b.id)), label: "第\(b.id)批", created: b.createdAt.chinaShort,
                    rule: Self.ruleText(b, names: names), period: Self.periodText(b), drawn: "\(b.drawn)条", seed: String(b.seed),
                    by: names[b.createdBy] ?? b.createdBy)
            }, page: page,
            previous: page > 1 ? WebRoutes.list(WebRoutes.qualityBatches, [("page", String(page - 1))]) : nil,
            next: listing.hasMore ? WebRoutes.list(WebRoutes.qualityBatches, [("page", String(page + 1))]) : nil)
    }

    static func ruleText(_ b: QualityBatch, names: [String: String]) -> String {
        switch b.rule {
        case .longCalls: "长通话（超过\(b.parameters.thresholdSeconds ?? QualitySampling.defaultLongCallSeconds)秒）"
        case .agent: "指定坐席：\(b.parameters.agentID.map { names[$0] ?? $0 } ?? "—")"
        default: b.rule.chineseName
        }
    }

    static func periodText(_ b: QualityBatch) -> String {
        CivilDay(containing: b.from).description + " 至 " + CivilDay(containing: b.to.addingTimeInterval(-1)).description
    }

    func qualityRows(_ list: [QualityInspection], names: [String: String]) -> [QualityRow] {
        list.map { i in
            QualityRow(
                href: WebRoutes.qualityInspection(String(i.id)), kind: i.target.kind.chineseName,
                target: i.target.kind == .order ? "工单 " + i.target.key : "通话",
                at: i.target.at.chinaShort, agent: names[i.target.agentID] ?? i.target.agentID, inspector: i.inspectorID.map { names[$0] ?? $0 } ?? "—",
                score: i.finalTotal.map { "\($0)分" } ?? "—", grade: i.grade?.chineseName ?? "—", status: i.status.chineseName,
                statusStyle: "quality-" + i.status.rawValue)
        }
    }

    func qualityBatch(_ s: Signed, _ idText: String, notice: String?) async throws -> QualityBatchPage {
        guard let id = Int64(idText) else { throw APIError.notFound("抽检批次 \(idText) ") }
        let record = try await app.quality.batch(id, for: s.user)
        let b = record.batch
        var names = record.names
        names.merge(try await services.directory.displayNames(of: Set(record.inspections.compactMap(\.inspectorID)))) { a, _ in a }
        let scored = record.inspections.filter { $0.status != .pending }.count
        return QualityBatchPage(
            title: "抽检批次", user: pageUser(s), tabs: QualityTab.tabs(for: s.user.role, current: WebRoutes.qualityBatches), notice: notice,
            heading: "第\(b.id)批抽检",
            facts: [
                .init(label: "抽检方式", value: Self.ruleText(b, names: names)), .init(label: "抽检期间", value: Self.periodText(b)),
                .init(label: "抽取", value: "\(b.drawn)条（已评分\(scored)条）"), .init(label: "随机种子", value: String(b.seed)),
                .init(label: "抽取人", value: names[b.createdBy] ?? b.createdBy), .init(label: "抽取时间", value: b.createdAt.chinaShort),
            ], rows: qualityRows(record.inspections, names: names), hasRows: !record.inspections.isEmpty)
    }

    func qualityInspection(_ s: Signed, _ idText: String, notice: String? = nil, values: [String: String] = [:]) async throws
        -> QualityInspectionPage
    {
        guard let id = Int64(idText) else { throw APIError.notFound("质检记录 \(idText) ") }
        let record = try await app.quality.inspection(id, for: s.user, at: clock())
        let i = record.inspection
        func name(_ id: String?) -> String { id.map { record.names[$0] ?? $0 } ?? "—" }
        func seconds(_ n: Int?) -> String { n.map { $0 >= 60 ? "\($0 / 60)分\($0 % 60)秒" : "\($0)秒" } ?? "—" }
        var target: [OrderDetailPage.Fact] = [.init(label: "坐席", value: name(i.target.agentID))]
        var orderHref: String?
        if let call = record.call {
            target += [
                .init(label: "来电号码", value: ContactPrivacy.maskPhone(call.caller)), .init(label: "队列", value: call.queue.isEmpty ? "—" : call.queue),
                .init(label: "来电时间", value: call.offeredAt?.chinaShort ?? "—"), .init(label: "接听时间", value: call.answeredAt?.chinaShort ?? "—"),
                .init(label: "挂机时间", value: call.endedAt?.chinaShort ?? "—"), .init(label: "等待时长", value: seconds(call.waitSeconds)),
                .init(label: "通话时长", value: seconds(call.talkSeconds)), .init(label: "话后处理", value: seconds(call.acwSeconds)),
                .init(label: "转接", value: call.transfers == 0 ? "无" : "\(call.transfers)次\(call.threeWay ? "（三方通话）" : "")"),
            ]
        } else if let order = record.order {
            target += [
                .init(label: "工单编号", value: order.number.description), .init(label: "标题", value: order.title),
                .init(label: "受理时间", value: order.timeline.createdAt.chinaShort), .init(label: "状态", value: order.status.chineseName),
            ]
            if record.orderVisible { orderHref = WebRoutes.order(order.number.description) }
        } else {
            target.append(.init(label: i.target.kind.chineseName, value: "记录已不存在"))
        }
        let content = record.formContent
        let upholding = record.may.decide
        let items = (content?.items ?? []).enumerated().map { n, item in
            let original = i.score.map { n < $0.points.count ? String($0.points[n]) : "—" } ?? "—"
            let input = values["score_\(n)"] ?? (upholding ? (i.score.map { n < $0.points.count ? String($0.points[n]) : "" } ?? "") : "")
            return QualityInspectionPage.Item(
                index: n, number: n + 1, name: item.name, weight: item.weight, guide: item.guide, fatal: item.fatal, score: original,
                rescore: i.rescore.map { n < $0.points.count ? String($0.points[n]) : "—" },
                comment: i.score.map { n < $0.comments.count ? $0.comments[n] : "" } ?? "", input: input,
                commentInput: values["item_comment_\(n)"] ?? "")
        }
        var progress: [OrderDetailPage.Fact] = []
        if let at = i.scoredAt { progress.append(.init(label: "评分", value: "\(name(i.inspectorID))，\(at.chinaShort)")) }
        if let at = i.acknowledgedAt { progress.append(.init(label: "确认", value: "\(name(i.target.agentID))，\(at.chinaShort)")) }
        if let at = i.appealedAt {
            progress.append(.init(label: "申诉", value: "\(name(i.target.agentID))，\(at.chinaShort)：\(i.appealReason ?? "")"))
        }
        if let at = i.decidedAt {
            let verdict = i.status == .upheld ? "申诉成立，重新评分\(i.rescoreTotal ?? 0)分" : "驳回申诉"
            progress.append(.init(label: "裁定", value: "\(name(i.decidedBy))，\(at.chinaShort)：\(verdict)\(i.decisionNote.map { "。" + $0 } ?? "")"))
        }
        let statusStyle = "quality-" + i.status.rawValue
        return QualityInspectionPage(
            title: "质检记录", user: pageUser(s), tabs: QualityTab.tabs(for: s.user.role, current: ""), notice: notice, error: nil,
            heading: "\(i.target.kind.chineseName)质检 · \(i.target.at.chinaShort)", status: i.status.chineseName, statusStyle: statusStyle,
            target: target, orderHref: orderHref, formName: record.form.map { f in "\(content?.name ?? f.content.name)（第\(i.formVersion ?? f.version)版）" },
            items: items, total: i.total.map { "\($0)分" }, grade: i.total.map { QualityGrade(total: $0).chineseName },
            fatalMiss: content.flatMap { c in i.score.map { $0.fatalMiss(on: c) } } ?? false, overall: i.score?.overall.nilIfEmpty,
            rescoreTotal: i.rescoreTotal.map { "\($0)分" }, rescoreGrade: i.rescoreTotal.map { QualityGrade(total: $0).chineseName },
            rescoreOverall: i.rescore?.overall.nilIfEmpty, progress: progress,
            scoreAction: record.may.score && content != nil ? WebRoutes.qualityAction(idText, "score") : nil,
            overallInput: values["comment"] ?? "",
            acknowledgeAction: record.may.acknowledge ? WebRoutes.qualityAction(idText, "acknowledge") : nil,
            appealAction: record.may.appeal ? WebRoutes.qualityAction(idText, "appeal") : nil, appealUntil: i.appealUntil?.chinaShort,
            appealClosed: record.may.acknowledge && !record.may.appeal,
            decideAction: upholding ? WebRoutes.qualityInspection(idText) : nil, noForm: record.may.score && content == nil)
    }

    func qualityTrends(_ s: Signed) async throws -> QualityTrendsPage {
        let record = try await app.quality.trends(for: s.user, at: clock())
        let t = record.trends
        func average(_ f: QualityFigures) -> String { f.averageScore.map { String(format: "%.1f", $0) } ?? "—" }
        func rate(_ f: QualityFigures) -> String { f.passRate.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func row(_ name: String, _ f: QualityFigures, weekly: [String] = []) -> QualityTrendsPage.Row {
            .init(
                name: name, inspections: String(f.inspections), average: average(f), passRate: rate(f), appeals: String(f.appeals),
                upheld: String(f.upheld), weekly: weekly)
        }
        let labels = t.weeks.map { d in String(d.description.dropFirst(5)) }
        let hasData = t.overall.total.inspections > 0
        return QualityTrendsPage(
            user: pageUser(s), tabs: QualityTab.tabs(for: s.user.role, current: WebRoutes.qualityTrends),
            chart: hasData
                ? LineChart(
                    title: "近12周质检平均分与合格率（横轴为每周的周一）", labels: labels,
                    series: [
                        .init(name: "平均分（满分100）", values: t.overall.weeks.map { $0.averageScore.map { $0 / 100 } }, style: "series-1"),
                        .init(name: "合格率", values: t.overall.weeks.map(\.passRate), style: "series-2"),
                    ]).svg : nil,
            weeks: labels,
            overall: zip(t.weeks, t.overall.weeks).reversed().map { row($0.0.description + " 起", $0.1) },
            agents: t.agents.map { a in row(record.names[a.key] ?? a.key, a.total, weekly: a.weeks.map(average)) },
            teams: t.teams.map { row($0.key, $0.total, weekly: $0.weeks.map(average)) }, hasTeams: !t.teams.isEmpty)
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
