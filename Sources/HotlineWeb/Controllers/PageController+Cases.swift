import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 典型案例库 pages: the library and one case for the centre's staff who read cases; marking a finished order from its
/// page and retiring a case for supervisors, managers and quality inspectors. Every read and change is a `CaseDesk` use
/// case, the same the JSON API calls.
extension PageController {
    func registerCases(_ router: PageRouter) {
        router.get(RouterPath(WebRoutes.cases)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.cases) }
            return try pages.response("cases", try await caseList(s, request.uri.queryParameters))
        }
        router.get(RouterPath(WebRoutes.casesNew)) { request, context in
            let text = request.uri.queryParameters.get("order") ?? ""
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.casesNew(order: text)) }
            try require(.markTypicalCases, s)
            guard let number = OrderNumber(text) else { throw APIError.notFound("工单 \(text) ") }
            let record = try await app.cases.markable(number, by: s.user)
            return try pages.response("case-form", caseForm(s, record.order, values: ["title": record.order.title], tags: []))
        }
        router.post(RouterPath(WebRoutes.casesNew)) { request, context in
            guard let (s, form) = try await postedForm(request, context, requiring: .markTypicalCases, upTo: APIBody.maximumBytes) else { return redirect(WebRoutes.login) }
            let tags = (form["tags[]"] ?? "").split(separator: ",").map(String.init)
            let input = CaseDesk.Input(orderNumber: form["order_number"] ?? "", title: form["title"] ?? "", tags: tags, note: form["note"] ?? "")
            do {
                let stored = try await app.cases.mark(input, by: s.user, client: auth.clients.of(request, context), at: clock())
                return redirect(WebRoutes.typicalCase(String(stored.typicalCase.id)) + "?done=create")
            } catch {
                let e = APIError.from(error)
                // An order the marker cannot see, or no order at all, answers as a missing page; the rest is said on the form.
                guard e.status != .forbidden, e.status != .notFound, let number = OrderNumber(input.orderNumber),
                    let order = try await desk.current(number, for: s.user.actor)
                else { throw e }
                var page = caseForm(s, order, values: form, tags: tags)
                page.error = Self.caseMessage(e)
                return try pages.response("case-form", page, status: e.status)
            }
        }
        router.get(RouterPath(WebRoutes.typicalCase(":id"))) { request, context in
            let id = context.parameters.get("id") ?? ""
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.typicalCase(id)) }
            let done = request.uri.queryParameters.get("done").flatMap { ["create": "已标为典型案例，案例库中可以查到。", "retire": "典型案例已撤销。"][$0] }
            return try pages.response("case", try await casePage(s, id, notice: done))
        }
        router.post(RouterPath(WebRoutes.retireCase(":id"))) { request, context in
            let idText = context.parameters.get("id") ?? ""
            guard let (s, form) = try await postedForm(request, context, requiring: .markTypicalCases, upTo: APIBody.maximumBytes) else { return redirect(WebRoutes.login) }
            guard let id = Int64(idText) else { throw APIError.notFound("典型案例 \(idText) ") }
            do {
                _ = try await app.cases.retire(
                    id, .init(reason: form["reason"] ?? ""), by: s.user, client: auth.clients.of(request, context), at: clock())
                return redirect(WebRoutes.typicalCase(idText) + "?done=retire")
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden, e.status != .notFound else { throw e }
                return try pages.response("case", try await casePage(s, idText, error: Self.caseMessage(e)), status: e.status)
            }
        }
    }

    /// The case pages' names for their fields.
    static let caseLabels = ["title": "案例标题", "tags": "标签", "note": "教学要点", "reason": "撤销理由", "order_number": "工单编号", "tag": "标签"]

    static func caseMessage(_ e: APIError) -> String {
        guard let field = e.field, let label = caseLabels[field] else { return FieldLabels.message(e) }
        guard let range = e.message.range(of: "无效：") else { return e.message.hasPrefix(label) ? e.message : label + "：" + e.message }
        return label + "：" + e.message[range.upperBound...]
    }

    func caseForm(_ s: Signed, _ order: WorkOrder, values: [String: String], tags: [String]) -> CaseFormPage {
        let number = order.number.description
        let category = order.categoryCode.map { categoryPaths()[$0] ?? $0 } ?? "未分类"
        return CaseFormPage(
            user: pageUser(s), error: nil, orderNumber: number, orderHref: WebRoutes.order(number), orderTitle: order.title,
            orderSummary: "\(order.kind.chineseName)，\(category)，\(order.status.chineseName)", titleValue: values["title"] ?? "",
            tags: TypicalCaseTag.allCases.map { .init(value: $0.rawValue, label: $0.chineseName, checked: tags.contains($0.rawValue)) },
            note: values["note"] ?? "")
    }

    func caseList(_ s: Signed, _ params: Parameters) async throws -> CaseListPage {
        let marker = Capability.markTypicalCases.isAllowed(for: s.user.role)
        func value(_ name: String) -> String? { params.get(name).flatMap { $0.isEmpty ? nil : $0 } }
        let query = (params.get("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let (tag, category, from, to, state) = (value("tag"), value("category"), value("from"), value("to"), value("state"))
        guard let page = Int(params.get("page") ?? "1"), page >= 1 else {
            throw APIError(.unprocessableContent, code: "invalid_field", message: "页码：应为正整数")
        }
        let listing: CaseDesk.Listing
        do {
            listing = try await app.cases.browse(
                .init(query: query, tags: tag.map { [$0] } ?? [], categoryCode: category, from: from, to: to, state: state, page: page), for: s.user)
        } catch {
            let e = APIError.from(error)
            throw e.field == nil ? e : APIError(e.status, code: e.code, message: Self.caseMessage(e))
        }
        let paths = categoryPaths()
        let rows = listing.cases.map { stored in
            let c = stored.typicalCase
            return CaseListPage.Row(
                title: c.title, href: WebRoutes.typicalCase(String(c.id)), tags: c.tags.map(\.chineseName),
                category: c.categoryCode.map { paths[$0] ?? $0 } ?? "未分类",
                orderTitle: stored.orderTitle, note: String(c.note.prefix(80)) + (c.note.count > 80 ? "…" : ""), marked: c.createdAt.chinaShort,
                retired: !c.active)
        }
        func link(page: Int) -> String {
            WebRoutes.list(
                WebRoutes.cases,
                [
                    ("q", query), ("tag", tag), ("category", category), ("from", from), ("to", to), ("state", state),
                    ("page", page > 1 ? String(page) : nil),
                ])
        }
        let filtered = !query.isEmpty || tag != nil || category != nil || from != nil || to != nil
        return CaseListPage(
            user: pageUser(s), notice: nil, query: query,
            tags: [PageOption(value: "", label: "全部标签", selected: tag == nil)]
                + TypicalCaseTag.allCases.map { PageOption(value: $0.rawValue, label: $0.chineseName, selected: $0.rawValue == tag) },
            categories: categoryOptions(selected: category, none: "全部分类", depth: 2, paths: paths), from: from ?? "", to: to ?? "", isMarker: marker,
            states: [("", "在用"), ("retired", "已撤销"), ("all", "全部")].map {
                PageOption(value: $0.0, label: $0.1, selected: ($0.0.isEmpty ? nil : $0.0) == state)
            },
            lead: "最新标记的案例在前。" + (marker ? "在已办结或已归档工单的页面上点“标为典型案例”即可加入案例库。" : "案例来自已办结的工单，供培训和日常学习使用。"),
            rows: rows, emptyText: filtered ? "没有符合条件的典型案例。" : "案例库中还没有典型案例。", page: page,
            previous: page > 1 ? link(page: page - 1) : nil, next: listing.hasMore ? link(page: page + 1) : nil)
    }

    func casePage(_ s: Signed, _ idText: String, notice: String? = nil, error: String? = nil) async throws -> CasePage {
        guard let id = Int64(idText) else { throw APIError.notFound("典型案例 \(idText) ") }
        let record = try await app.cases.record(id, for: s.user)
        let c = record.stored.typicalCase
        let order = record.order
        let number = order.number.description
        func name(_ login: String) -> String { record.names[login] ?? login }
        var facts: [OrderDetailPage.Fact] = [
            .init(label: "工单编号", value: number, href: record.orderVisible ? WebRoutes.order(number) : nil),
            .init(label: "诉求类型", value: order.kind.chineseName),
            .init(label: "事项分类", value: order.categoryCode.map { categoryPaths()[$0] ?? $0 } ?? "未分类"),
            .init(label: "受理时间", value: order.timeline.createdAt.chinaShort),
            .init(label: "主办单位", value: order.leadUnit.flatMap(services.reference.unitName) ?? "—"),
            .init(label: "工单状态", value: order.status.chineseName),
            .init(label: "来电人", value: "\(record.caller.name) \(record.caller.phone)"),
        ]
        if let callback = order.callback {
            facts.append(.init(label: "回访结果", value: (callback.resolved ? "已解决" : "未解决") + "，" + callback.satisfaction.chineseName))
        }
        facts.append(.init(label: "标记", value: "\(name(c.createdBy))，\(c.createdAt.chinaShort)"))
        let retired = c.retiredAt.map { at in "该案例已于 \(at.chinaShort) 由\(name(c.retiredBy ?? ""))撤销：\(c.retireReason ?? "")" }
        return CasePage(
            title: c.title, user: pageUser(s), notice: notice, error: error, heading: c.title, retired: retired, tags: c.tags.map(\.chineseName),
            note: c.note,
            facts: facts, orderTitle: order.title, orderContent: order.content, answer: record.answer,
            retireAction: record.retirable ? WebRoutes.retireCase(idText) : nil)
    }
}
