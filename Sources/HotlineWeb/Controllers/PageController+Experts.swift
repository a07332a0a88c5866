import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 专家坐席 pages: the seats and the user's consultations (`/experts`), the question form (`/experts/ask`, opened from
/// the intake desk with the call being handled), one consultation with the specialist's answer form, and the seats'
/// settings for managers. Every read and change is an `ExpertDesk` use case, the same the JSON API calls.
extension PageController {
    func registerExperts(_ router: PageRouter) {
        router.get(RouterPath(WebRoutes.experts)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.experts) }
            let p = request.uri.queryParameters
            let notice = p.get("done").flatMap { ["seat": "专家坐席已保存。"][$0] }
            return try pages.response("experts", try await expertsPage(s, status: p.get("status"), notice: notice))
        }
        router.get(RouterPath(WebRoutes.expertsAsk)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.expertsAsk) }
            try require(.consultExperts, s)
            let p = request.uri.queryParameters
            let values = ["seat_id": p.get("seat") ?? "", "category_code": p.get("category") ?? "", "call_id": p.get("call") ?? "",
                          "order_number": p.get("order") ?? "", "question": ""]
            return try pages.response("expert-ask", try await askPage(s, values: values))
        }
        router.post(RouterPath(WebRoutes.expertsAsk)) { request, context in
            guard let (s, form) = try await postedForm(request, context, requiring: .consultExperts) else { return redirect(WebRoutes.login) }
            let input = ExpertDesk.AskInput(
                seatId: Int64(form["seat_id"] ?? "") ?? 0, question: form["question"] ?? "", categoryCode: form["category_code"], callId: form["call_id"],
                orderNumber: form["order_number"], threeWay: form["three_way"] == "true")
            do {
                let c = try await app.experts.ask(input, by: s.user, at: clock(), client: auth.clients.of(request, context))
                return redirect(WebRoutes.expertConsultation(String(c.id)) + "?done=asked")
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden else { throw e }
                var page = try await askPage(s, values: form)
                page.error = Self.expertMessage(e)
                return try pages.response("expert-ask", page, status: e.status)
            }
        }
        router.get(RouterPath(WebRoutes.expertConsultation(":id"))) { request, context in
            let id = context.parameters.get("id") ?? ""
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.expertConsultation(id)) }
            let notice = request.uri.queryParameters.get("done").flatMap {
                ["asked": "已转专家坐席，政策专员解答后在这里可以看到。", "answered": "解答已保存，提问的话务员可以看到。",
                 "drafted": "已转为知识草稿，等待知识库编辑审核后发布。"][$0]
            }
            return try pages.response("expert-consultation", try await consultationPage(s, id, notice: notice))
        }
        router.post(RouterPath(WebRoutes.answerConsultation(":id"))) { request, context in
            let id = context.parameters.get("id") ?? ""
            guard let (s, form) = try await postedForm(request, context, requiring: .answerAsExpert) else { return redirect(WebRoutes.login) }
            do {
                _ = try await app.experts.answer(
                    try Self.consultationID(id), .init(answer: form["answer"] ?? "", toKnowledge: form["to_knowledge"] == "true"), by: s.user, at: clock(),
                    client: auth.clients.of(request, context))
                return redirect(WebRoutes.expertConsultation(id) + "?done=answered")
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden, e.status != .notFound else { throw e }
                return try pages.response(
                    "expert-consultation", try await consultationPage(s, id, error: Self.expertMessage(e), answer: form["answer"] ?? ""), status: e.status)
            }
        }
        router.post(RouterPath(WebRoutes.consultationDraft(":id"))) { request, context in
            let id = context.parameters.get("id") ?? ""
            guard let (s, _) = try await postedForm(request, context, requiring: nil) else { return redirect(WebRoutes.login) }
            do {
                _ = try await app.experts.draftKnowledge(try Self.consultationID(id), by: s.user, at: clock())
                return redirect(WebRoutes.expertConsultation(id) + "?done=drafted")
            } catch {
                let e = APIError.from(error)
                guard e.status == .conflict else { throw e }
                return try pages.response("expert-consultation", try await consultationPage(s, id, error: Self.expertMessage(e)), status: e.status)
            }
        }
        adminGet(router, WebRoutes.expertSeatNew, .manageExpertSeats) { s, _, _ in
            try pages.response("expert-seat-form", try await seatForm(s, id: nil, values: ["hours": "09:00-12:00 14:00-17:30"], active: true))
        }
        adminGet(router, WebRoutes.expertSeat(":id"), .manageExpertSeats) { s, _, id in
            guard let seatID = Int64(id), let seat = try await app.experts.seats(for: s.user, includingRetired: true, at: clock())
                .first(where: { $0.seat.id == seatID })?.seat
            else { throw APIError.notFound("专家坐席 ") }
            let c = seat.content
            let values = ["name": c.name, "unit_id": c.unitID, "matters[]": c.matters.joined(separator: ","), "hours": c.hours.map(\.text).joined(separator: " "),
                          "specialists[]": c.specialists.joined(separator: ","), "note": c.note]
            return try pages.response("expert-seat-form", try await seatForm(s, id: id, values: values, active: seat.active))
        }
        for path in [WebRoutes.expertSeatNew, WebRoutes.expertSeat(":id")] {
            adminPost(
                router, path, .manageExpertSeats,
                act: { p in
                    let input = Self.seatInput(p.form)
                    if p.id.isEmpty {
                        _ = try await app.experts.addSeat(input, by: p.signed.user, at: clock(), client: p.client)
                    } else {
                        guard let id = Int64(p.id) else { throw APIError.notFound("专家坐席 ") }
                        _ = try await app.experts.editSeat(id, input, by: p.signed.user, at: clock(), client: p.client)
                    }
                    return WebRoutes.experts + "?done=seat"
                },
                failed: { p, e in
                    var page = try await seatForm(p.signed, id: p.id.isEmpty ? nil : p.id, values: p.form, active: p.form["active"] == "true" || p.id.isEmpty)
                    page.error = Self.expertMessage(e)
                    return try pages.response("expert-seat-form", page, status: e.status)
                })
        }
    }

    static func seatInput(_ form: [String: String]) -> ExpertDesk.SeatInput {
        func list(_ key: String) -> [String] { (form[key] ?? "").split(separator: ",").map(String.init) }
        return ExpertDesk.SeatInput(
            name: form["name"] ?? "", unitId: form["unit_id"] ?? "", matters: list("matters[]"), hours: form["hours"] ?? "",
            specialists: list("specialists[]"), note: form["note"], active: form["active"] == "true")
    }

    static func consultationID(_ text: String) throws -> Int64 {
        guard let id = Int64(text) else { throw APIError.notFound("专家会商 \(text) ") }
        return id
    }

    /// The desk's messages name their field already; a form shows them without the API's field prefix.
    static func expertMessage(_ e: APIError) -> String {
        guard let range = e.message.range(of: "无效：") else { return e.message }
        return String(e.message[range.upperBound...])
    }

    func userNames() async throws -> [String: String] {
        Dictionary(try await services.directory.users().map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
    }

    static func how(_ c: ExpertConsultation) -> String { c.callID == nil ? "留言会商" : (c.threeWay ? "三方通话" : "来电转接") }

    func expertsPage(_ s: Signed, status: String?, notice: String?) async throws -> ExpertsPage {
        let user = s.user
        let now = clock()
        let manager = Capability.manageExpertSeats.isAllowed(for: user.role)
        let asker = Capability.consultExperts.isAllowed(for: user.role)
        let seats = try await app.experts.seats(for: user, includingRetired: manager, at: now)
        let state = status.flatMap(ConsultationStatus.init(rawValue:))
        let list = try await app.experts.consultations(for: user, status: state)
        let names = try await userNames()
        let seatNames = try await app.experts.seatNames(for: user)
        let specialist = Capability.answerAsExpert.isAllowed(for: user.role)
        let heading = asker ? "我提出的会商" : specialist ? "我所在坐席的会商" : "全部会商"
        let lead: String
        if asker {
            lead = "遇到自己答不准的政策问题，可以把来电转给对应事项的专家坐席（值守时间内），或留言请政策专员解答。"
        } else if specialist {
            lead = "话务员转来的问题在这里解答；勾选“同时转为知识草稿”，解答经编辑审核后进入知识库，下次话务员可以直接答复。"
        } else {
            lead = "驻场部门的政策专员在专家坐席解答话务员转来的问题。"
        }
        return ExpertsPage(
            user: pageUser(s), notice: notice, lead: lead,
            seats: seats.map { v in
                let c = v.seat.content
                return ExpertsPage.Seat(
                    name: c.name, unit: v.unitName, matters: v.matterNames.joined(separator: "、"),
                    hours: "工作日 " + c.hours.map(\.text).joined(separator: "、"), specialists: v.specialistNames.joined(separator: "、"), note: c.note,
                    staffed: v.staffed, retired: !v.seat.active, waiting: v.waiting > 0 ? "\(v.waiting) 个待解答" : nil,
                    askHref: asker && v.seat.active ? WebRoutes.expertsAsk + "?seat=\(v.seat.id)" : nil,
                    editHref: manager ? WebRoutes.expertSeat(String(v.seat.id)) : nil)
            },
            newSeatHref: manager ? WebRoutes.expertSeatNew : nil, listHeading: heading,
            rows: list.map { c in
                ExpertsPage.Row(
                    href: WebRoutes.expertConsultation(String(c.id)), question: String(c.question.prefix(60)) + (c.question.count > 60 ? "…" : ""),
                    seat: seatNames[c.seatID] ?? "", asker: names[c.askedBy] ?? c.askedBy, asked: c.askedAt.chinaShort, how: Self.how(c),
                    status: c.status.chineseName, waiting: c.status == .waiting)
            },
            emptyText: state == nil ? "还没有会商记录。" : "没有\(state?.chineseName ?? "")的会商。",
            states: [PageOption(value: "", label: "全部", selected: state == nil)]
                + ConsultationStatus.allCases.map { PageOption(value: $0.rawValue, label: $0.chineseName, selected: $0 == state) })
    }

    func askPage(_ s: Signed, values: [String: String]) async throws -> ExpertAskPage {
        let category = values["category_code"].flatMap { $0.isEmpty ? nil : $0 }
        let seats = try await app.experts.seats(for: s.user, category: category, at: clock())
        let chosen = values["seat_id"].flatMap(Int64.init)
        let tree = services.reference.context.categoryTree
        let options = seats.enumerated().map { i, v in
            let serves = category.map { v.seat.serves($0, in: tree) } ?? false
            let label = v.seat.content.name + "（" + v.unitName + "，" + (v.staffed ? "值守中" : "不在值守时间") + (serves ? "，对口本事项" : "") + "）"
            return PageOption(value: String(v.seat.id), label: label, selected: chosen.map { $0 == v.seat.id } ?? (i == 0 && serves))
        }
        let call = values["call_id"] ?? ""
        return ExpertAskPage(
            user: pageUser(s), error: nil, seats: options, categories: categoryOptions(selected: category, none: "（不指定）", depth: 3),
            question: values["question"] ?? "", orderNumber: values["order_number"] ?? "", callID: call, hasCall: !call.isEmpty,
            threeWay: values["three_way"] == "true",
            lead: call.isEmpty
                ? "写明市民的问题，政策专员在值守时间解答；解答会出现在“我提出的会商”中。"
                : "当前来电将转给专家坐席（记入话务记录）。请简要写明市民的问题，便于政策专员接听时了解情况。")
    }

    func consultationPage(_ s: Signed, _ idText: String, notice: String? = nil, error: String? = nil, answer: String = "") async throws
        -> ExpertConsultationPage
    {
        let (c, seat) = try await app.experts.consultation(try Self.consultationID(idText), for: s.user)
        let names = try await userNames()
        var facts: [OrderDetailPage.Fact] = [
            .init(label: "专家坐席", value: seat.content.name),
            .init(label: "驻场部门", value: services.reference.unitName(seat.content.unitID) ?? seat.content.unitID),
            .init(label: "方式", value: Self.how(c)),
            .init(label: "提问人", value: names[c.askedBy] ?? c.askedBy),
            .init(label: "提问时间", value: c.askedAt.chinaShort),
            .init(label: "事项分类", value: c.categoryCode.map { categoryPaths()[$0] ?? $0 } ?? "未指定"),
        ]
        if let number = c.orderNumber { facts.append(.init(label: "关联工单", value: number.description, href: WebRoutes.order(number.description))) }
        let answers = app.experts.answers(seat, s.user)
        let editor = Capability.manageKnowledge.isAllowed(for: s.user.role)
        let drafting = c.status == .answered && c.knowledgeEntryID == nil && (answers || editor)
        let draftHref = c.knowledgeEntryID.flatMap { id in
            Capability.searchKnowledge.isAllowed(for: s.user.role) || editor ? WebRoutes.knowledgeEntry(String(id)) : nil
        }
        return ExpertConsultationPage(
            user: pageUser(s), notice: notice, error: error, heading: String(c.question.prefix(40)) + (c.question.count > 40 ? "…" : ""),
            status: c.status.chineseName, waiting: c.status == .waiting, question: c.question, facts: facts, answer: c.answer,
            answeredBy: c.answeredBy.map { (names[$0] ?? $0) + "，" + (c.answeredAt?.chinaShort ?? "") }
                .map { $0 + (c.knowledgeEntryID != nil ? "，已转为知识草稿" : "") },
            draftHref: draftHref, answerAction: c.status == .waiting && answers ? WebRoutes.answerConsultation(idText) : nil, answerText: answer,
            draftAction: drafting ? WebRoutes.consultationDraft(idText) : nil)
    }

    func seatForm(_ s: Signed, id: String?, values: [String: String], active: Bool) async throws -> ExpertSeatFormPage {
        let units = try await services.directory.units()
        let matters = Set((values["matters[]"] ?? "").split(separator: ",").map(String.init))
        let specialists = Set((values["specialists[]"] ?? "").split(separator: ",").map(String.init))
        let paths = categoryPaths()
        let people = try await services.directory.users().filter { $0.role == .unitStaff || $0.role == .unitAdmin }
        return ExpertSeatFormPage(
            title: id == nil ? "新增专家坐席" : "修改专家坐席", user: pageUser(s), error: nil, heading: id == nil ? "新增专家坐席" : "修改专家坐席",
            action: id.map(WebRoutes.expertSeat) ?? WebRoutes.expertSeatNew, name: values["name"] ?? "",
            units: Self.unitOptions(units, selected: values["unit_id"], none: "（请选择）"),
            matters: services.reference.categories.filter { $0.level <= 2 }.map {
                .init(value: $0.code, label: paths[$0.code] ?? $0.name, checked: matters.contains($0.code))
            },
            hours: values["hours"] ?? "",
            specialists: people.map { u in
                .init(value: u.id, label: u.displayName + (u.unitID.flatMap(services.reference.unitName).map { "（\($0)）" } ?? ""),
                      checked: specialists.contains(u.id))
            },
            note: values["note"] ?? "", editing: id != nil, active: active)
    }
}
