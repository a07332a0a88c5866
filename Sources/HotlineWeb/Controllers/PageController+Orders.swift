import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The order pages: lists, and the order page with its actions and advice.
extension PageController {
    func orderList(_ s: Signed, _ parameters: Parameters) async throws -> OrderListPage {
        guard Capability.viewOrders.isAllowed(for: s.user.role) else { throw APIError.lacks(.viewOrders, role: s.user.role) }
        let query = try Self.listQuery(parameters)
        let now = clock()
        let calendar = services.reference.context.calendar
        let result = try await desk.list(query.resolved(now: now, calendar: calendar), page: query.page, for: s.user.actor, now: now)
        // Returned orders wait for re-dispatch: the dispatcher needs each unit's reason beside it.
        let showsReasons = query.filter.statuses == [.returned]
        let reasons = showsReasons ? try await desk.latestNotes(.returned, of: result.items.map(\.number), for: s.user.actor) : [:]
        let rows = result.items.map { item in
            let due = OrderListPage.timeLeft(item.dueAt, now: now, calendar: calendar)
            return OrderListPage.Row(
                number: item.number.description, href: WebRoutes.order(item.number.description), title: item.title, status: item.status.chineseName,
                kind: item.kind.chineseName, unit: item.leadUnit.flatMap(services.reference.unitName) ?? "—",
                phone: OrderListResponse.shownPhone(item, viewer: s.user.actor), created: item.createdAt.chinaShort, due: due.text,
                overdue: due.overdue, reason: reasons[item.number], lanes: LaneBadge.badges(item.lanes))
        }
        let f = query.filter
        let ref = services.reference
        let heading = OrderListHeading(unitName: ref.unitName, categoryName: ref.categoryName)
            .heading(f, dueSoon: query.dueSoon, queues: HomeQueues.queues(for: s.user))
        let sorts: [(OrderSort, String)] = [(.newest, "最新受理"), (.oldest, "最早受理"), (.due, "时限最近"), (.urgent, "紧急优先")]
        let page = query.page.page
        let more = result.totalIsExact ? page * query.page.size < result.total : true
        return OrderListPage(
            title: heading, user: pageUser(s), heading: heading, totalText: "共 \(result.total)\(result.totalIsExact ? "" : "+") 件",
            sorts: sorts.map { OrderListPage.SortLink(label: $1, href: WebRoutes.orders(f, dueSoon: query.dueSoon, sort: $0), current: $0 == query.page.sort) },
            rows: rows, page: page,
            previous: page > 1 ? WebRoutes.orders(f, dueSoon: query.dueSoon, sort: query.page.sort, page: page - 1) : nil,
            next: more && result.items.count == query.page.size ? WebRoutes.orders(f, dueSoon: query.dueSoon, sort: query.page.sort, page: page + 1) : nil,
            showsReasons: showsReasons, filters: filterForm(query, for: s.user),
            exportHref: Capability.exportOrders.isAllowed(for: s.user.role)
                ? WebRoutes.orders(f, dueSoon: query.dueSoon, sort: query.page.sort == .newest ? nil : query.page.sort, base: WebRoutes.ordersExport)
                : nil)
    }

    func orderDetail(_ s: Signed, _ text: String, notice: String? = nil, error: String? = nil) async throws -> OrderDetailPage {
        guard Capability.viewOrders.isAllowed(for: s.user.role) else { throw APIError.lacks(.viewOrders, role: s.user.role) }
        guard let number = OrderNumber(text), let record = try await desk.record(number, for: s.user.actor) else {
            throw APIError.notFound("工单 \(text) ")
        }
        let (order, events) = (record.order, record.events)
        let now = clock()
        let ref = services.reference
        let ctx = ref.context
        let caller = ContactPrivacy.view(of: order.caller, for: s.user.actor)
        func unit(_ id: UnitID) -> String { ref.unitName(id) ?? id }
        var facts: [OrderDetailPage.Fact] = [
            .init(label: "状态", value: order.status.chineseName), .init(label: "诉求类型", value: order.kind.chineseName),
            .init(label: "来源渠道", value: order.channel.chineseName),
            .init(label: "事项分类", value: order.categoryCode.map { ref.categoryPath($0) ?? $0 } ?? "未分类"),
            .init(label: "来电人", value: "\(caller.name) \(caller.phone)"),
            .init(label: "诉求地点", value: [order.location.district, order.location.address].compactMap { $0 }.joined(separator: " ")),
            .init(label: "受理时间", value: order.timeline.createdAt.chinaShort),
        ]
        if !order.lanes.isEmpty { facts.append(.init(label: "办理通道", value: order.lanes.map(\.chineseName).joined(separator: "、"))) }
        if !order.tags.isEmpty { facts.append(.init(label: "标签", value: order.tags.joined(separator: "、"))) }
        if let lead = order.leadUnit { facts.append(.init(label: "主办单位", value: unit(lead))) }
        if !order.assistingUnits.isEmpty { facts.append(.init(label: "协办单位", value: order.assistingUnits.map(unit).joined(separator: "、"))) }
        if !order.subUnits.isEmpty { facts.append(.init(label: "下派单位", value: order.subUnits.map(unit).joined(separator: "、"))) }
        if let due = order.activeDeadline {
            // Named for the stage whose clock runs: 派单、办理、审核 or 回访时限.
            let stage = [WorkOrderStatus.replied: "审核时限", .awaitingCallback: "回访时限", .pendingDispatch: "派单时限", .returned: "派单时限"]
            facts.append(.init(label: stage[order.status] ?? "办理时限", value: due.chinaShort + "（" + OrderListPage.timeLeft(due, now: now, calendar: ctx.calendar).text + "）"))
        }
        if order.status == .returned, let last = events.last(where: { $0.kind == EventKind.returned.rawValue }) {
            // The reason from the list, then the unit's evidence; an old free-text return has only the text.
            let reason = last.detailValues["reason_name"].map { "\($0)。依据：" } ?? ""
            facts.append(.init(label: "退单理由", value: "\(unit(last.actorUnit ?? ""))：\(reason)\(last.note ?? "")"))
        }
        if order.redoCount > 0 { facts.append(.init(label: "重办次数", value: String(order.redoCount))) }
        if order.escalated { facts.append(.init(label: "提级督办", value: order.awaitsCoordination ? "是，待会商（协调督办）" : "是")) }
        if let c = order.consultation {
            var text = "\(c.meetingAt.chinaShort)，参会单位：\(c.units.map(unit).joined(separator: "、"))；决定由\(unit(c.leadUnit))主办"
            if !c.assistingUnits.isEmpty { text += "，\(c.assistingUnits.map(unit).joined(separator: "、"))协办" }
            text += "，\(c.dueBy.description)前答复。\(c.decision)"
            facts.append(.init(label: "会商决定", value: text))
        }
        if let sv = order.supervision {
            let parts = [(sv.urges, "催办 \(sv.urges) 次"), (sv.yellowCards, "黄牌 \(sv.yellowCards) 张"), (sv.redCards, "红牌 \(sv.redCards) 张")]
                .filter { $0.0 > 0 }.map(\.1)
            if !parts.isEmpty { facts.append(.init(label: "督办", value: parts.joined(separator: "，"))) }
        }
        if let r = order.repeatOf { facts.append(.init(label: "重复诉求", value: r.description)) }
        if let m = order.mergedInto {
            facts.append(.init(label: "已并入", value: order.status == .merged ? "\(m)（随该工单一并办理，答复后回访本来电人）" : m.description,
                               href: WebRoutes.order(m.description)))
        }
        if let pending = order.pendingExtension {
            facts.append(.init(label: "延期申请", value: "待审批：\(unit(pending.unit))申请延期\(pending.workingDays)个工作日（\(pending.requestedAt.chinaShort)），理由：\(pending.reason)"))
        }
        if let rejection = order.rejection {
            facts.append(.init(label: "不予受理", value: rejection.reason.chineseName + "。告知市民：" + rejection.reason.answer
                               + (rejection.note.isEmpty ? "" : "（\(rejection.note)）")))
        }
        if let reason = order.unsatisfiedClosure { facts.append(.init(label: "不满意办结理由", value: reason)) }
        let knowledge = try await knowledgeOnOrder(record, s)
        if let used = knowledge.fact { facts.append(used) }
        let typical = try await app.cases.inForce(for: number, user: s.user)
        if let typical { facts.append(.init(label: "典型案例", value: typical.typicalCase.title, href: WebRoutes.typicalCase(String(typical.typicalCase.id)))) }
        if let result = order.callback {
            let stars = result.stars.map { "，\($0)星" } ?? ""
            facts.append(.init(label: "回访结果", value: "\(result.resolved ? "已解决" : "未解决")，\(result.satisfaction.chineseName)\(stars)"))
        }
        var units = try await services.directory.units()
        var advice: OrderDetailPage.Advice?
        if Capability.assistIntake.isAllowed(for: s.user.role), [.pendingDispatch, .returned].contains(order.status) {
            // The same request /intake/assist builds for this order; the units that returned it are left out.
            let a = try await services.assistant.assist(IntakeAssistant.Request(order: order, events: events), now: now)
            // The recommended units come first in the dispatch form.
            let ranked = a.units.map(\.unitID)
            units.sort { (ranked.firstIndex(of: $0.id) ?? Int.max, $0.id) < (ranked.firstIndex(of: $1.id) ?? Int.max, $1.id) }
            // Only orders still open can take this one in (并单); finished ones are not offered.
            let similar = a.similar.filter(\.open).map {
                OrderDetailPage.Fact(label: $0.number, value: "\($0.title)（\($0.statusName)\($0.sameCaller ? "，同一来电人" : "")）", href: WebRoutes.order($0.number))
            }
            advice = .init(units: a.units.map { OrderDetailPage.Fact(label: "\($0.name) \(Int(($0.score * 100).rounded()))%", value: $0.reasons.joined(separator: "；")) },
                           excluded: a.exclusionNote, similar: similar, hasSimilar: !similar.isEmpty)
        }
        // The rules run again for the centre's review, on the current reply, with the rules now in force.
        let checks = desk.currentReplyReview(of: order, at: now).map(OrderDetailPage.RuleCheck.init)
        let rounds = record.replyRounds.reversed().map { round in
            OrderDetailPage.Round(
                heading: "第\(round.number)次答复" + (round.redoRound > 0 ? "（重办第\(round.redoRound)轮）" : "")
                    + (round.carriedFrom.map { "（随主单 \($0) 答复）" } ?? ""),
                byline: [round.unit.map(unit), round.at.chinaShort].compactMap { $0 }.joined(separator: " · "), text: round.text,
                files: round.files.map { f in
                    OrderDetailPage.Attachment(name: f.name, href: WebRoutes.attachment(number.description, f.sha256), size: OrderDetailPage.size(f.size),
                                               isImage: f.isImage)
                },
                review: round.review.map { review in
                    switch review {
                    case .passed(let note): "审核通过" + (note.map { "：\($0)" } ?? "")
                    case .sentBack(let reason): "审核退回：" + (reason ?? "")
                    case .unitSentBack(let reason): "单位审核退回：" + (reason ?? "")
                    }
                } ?? (round.number == record.replyRounds.count ? [.replied: "待审核", .unitReview: "待单位审核"][order.status] : nil),
                sentBack: {
                    switch round.review { case .sentBack?, .unitSentBack?: true; default: false }
                }(),
                checks: round.number == record.replyRounds.count && round.carriedFrom == nil ? checks : [])
        }
        let callers = order.mergedCallers.map { m -> OrderDetailPage.Fact in
            let c = ContactPrivacy.view(of: m.caller, for: s.user.actor)
            return OrderDetailPage.Fact(label: m.order.description, value: "\(c.name) \(c.phone)（\(m.mergedAt.chinaShort) 并入）",
                                        href: WebRoutes.order(m.order.description))
        }
        var page = OrderDetailPage(
            title: "工单 \(number)", user: pageUser(s), order: .init(number: number.description, title: order.title, content: order.content),
            lanes: LaneBadge.badges(order.lanes),
            notice: order.status == .rejected && notice == "已受理" ? "已记录为不予受理，请告知市民正确途径" : notice, error: error, facts: facts, reply: order.directAnswer, rounds: rounds, mergedCallers: callers, hasMergedCallers: !callers.isEmpty,
            actions: OrderActionForms.forms(for: order, actor: s.user.actor, now: now, context: ctx, units: units,
                                            returnedBy: IntakeAssistant.returningUnits(in: events),
                                            categories: IntakePage.categories(ref.categories)),
            verified: record.chainIntact,
            chainText: record.chainText,
            events: record.timeline.map { OrderDetailPage.Event(at: $0.at.chinaShort, actor: $0.who, sentence: $0.sentence, note: $0.note) },
            advice: advice, reveal: Self.revealForm(order, for: s.user.actor), knowledgeDraft: knowledge.draft,
            typicalCase: typical == nil && CaseDesk.mayMark(order, by: s.user) ? WebRoutes.casesNew(order: number.description) : nil,
            callerProfile: try await callerProfile(s, phone: order.caller.phone, now: now))
        page.intakeFiles = (order.intakeAttachments ?? []).compactMap { a in
            a.sha256.map {
                OrderDetailPage.Attachment(name: a.name, href: WebRoutes.attachment(number.description, $0), size: OrderDetailPage.size(a.size),
                                           isImage: a.contentType.hasPrefix("image/"))
            }
        }
        page.hasIntakeFiles = !page.intakeFiles.isEmpty
        page.checkpoint = try await app.checkpoints.standing(of: number, for: s.user.actor)
            .flatMap { CheckpointPanel($0, apiHref: APIRoutes.checkpointProof(number.description)) }
        return page
    }
}
