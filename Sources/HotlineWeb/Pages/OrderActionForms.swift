import Foundation
import HotlineDomain
import HotlineStorage

/// The action forms of the order page: which actions the viewer may take now (asked of the domain itself by a
/// dry run, so that the page never offers what the state machine would refuse). A submitted form is decoded by
/// ``InputDecoder`` into the same input the API takes.
enum OrderActionForms {
    typealias Field = OrderDetailPage.Field
    typealias Option = OrderDetailPage.Option

    /// Errors that mean "not now, not you": the action is hidden. Input errors of the placeholder do not hide it.
    static func hides(_ error: LifecycleError) -> Bool {
        switch error {
        case .notPermitted, .illegalTransition, .wrongUnit, .returnWindowClosed, .extensionAlreadyPending, .noPendingExtension, .outOfScope,
             .notEscalated, .alreadyConsulted, .alreadyEscalated: true
        default: false
        }
    }

    static func placeholder(_ action: Action, units: [HandlingUnit]) -> Transition? {
        let anyUnit = units.first { $0.kind != .centre }?.id ?? "unit"
        switch action {
        case .create, .merge: return nil
        case .reject: return .reject(reason: .other, note: "x")
        case .answerDirectly: return .answerDirectly(answer: "x")
        case .dispatch: return .dispatch(lead: anyUnit, assisting: [], note: nil)
        case .sign: return .sign
        case .returnOrder: return .returnOrder(reason: nil, evidence: "x")
        case .rejectReturn: return .rejectReturn(reason: "x")
        case .redispatch: return .redispatch(lead: anyUnit, assisting: [], note: nil)
        case .subDispatch: return .subDispatch(unit: anyUnit, note: nil)
        case .requestExtension: return .requestExtension(workingDays: 1, reason: "x")
        case .approveExtension: return .approveExtension(note: nil)
        case .denyExtension: return .denyExtension(reason: "x")
        case .reply: return .reply(text: "x", attachments: [])
        case .passUnitReview: return .passUnitReview(note: nil)
        case .sendBackUnitReview: return .sendBackUnitReview(reason: "x")
        case .passReview: return .passReview(note: nil)
        case .sendBack: return .sendBack(reason: "x")
        case .recordCallback: return .recordCallback(.reached(resolved: true, satisfaction: .satisfied, stars: nil, note: ""))
        case .close: return .close(note: "x")
        case .closeUnsatisfied: return .closeUnsatisfied(reason: "x")
        case .reclassify: return .reclassify(categoryCode: "\u{0}", reason: "x")
        case .redo: return .redo(reason: "x")
        case .archive: return .archive
        case .markFinalReply: return .markFinalReply(note: "x")
        case .urge: return .urge(note: "x")
        case .issueCard: return .issueCard(colour: .yellow, reason: "x")
        case .escalate: return .escalate(reason: "x")
        // Placeholder input that fails the input checks only (no units): the status and escalation checks come first.
        case .consult:
            return .consult(ConsultationInput(units: [], meetingAt: .distantPast, leadUnit: "", assistingUnits: [], dueBy: CivilDay(ordinal: 0),
                                              decision: "x"))
        case .acknowledgeSupervision: return .acknowledgeSupervision(note: "x")
        // Citizens rate on the portal; the staff console never offers it.
        case .citizenRate: return nil
        }
    }

    /// The card colours the domain would accept on this order now.
    static func cardColours(_ order: WorkOrder, actor: Actor, now: Date, context: LifecycleContext) -> [CardColour] {
        CardColour.allCases.filter { colour in
            (try? Lifecycle.apply(.issueCard(colour: colour, reason: "x"), to: order, by: actor, at: now, in: context)) != nil
        }
    }

    /// The forms for every action the actor may take on the order now.
    static func forms(
        for order: WorkOrder, actor: Actor, now: Date, context: LifecycleContext, units: [HandlingUnit], returnedBy: [UnitID] = [],
        categories: [IntakePage.Option] = []
    ) -> [OrderDetailPage.ActionForm] {
        let colours = Action.issueCard.isAllowed(for: actor.role) ? cardColours(order, actor: actor, now: now, context: context) : []
        return Action.allCases.compactMap { action -> OrderDetailPage.ActionForm? in
            guard action.isAllowed(for: actor.role) else { return nil }
            if action == .merge {
                guard [.pendingDispatch, .returned, .dispatched].contains(order.status) else { return nil }
            } else if action == .issueCard {
                guard !colours.isEmpty else { return nil }
            } else {
                guard let trial = placeholder(action, units: units) else { return nil }
                do { _ = try Lifecycle.apply(trial, to: order, by: actor, at: now, in: context) } catch {
                    if let e = error as? LifecycleError, hides(e) { return nil }
                }
            }
            let slug = action.rawValue.replacingOccurrences(of: "_", with: "-")
            let name = action == .redispatch && order.status == .returned ? "同意退单并改派" : action.chineseName
            return OrderDetailPage.ActionForm(name: name, action: WebRoutes.order(order.number.description) + "/" + slug,
                                              fields: fields(action, order: order, actor: actor, units: units, context: context, cardColours: colours,
                                                             categories: categories, returnedBy: returnedBy),
                                              multipart: action == .reply, hint: hint(action, order: order, context: context))
        }
    }

    /// What the person should know before taking `action`: the callback round's unanswered calls so far and the rule
    /// that closes the order as unreachable; why the order is under the supervisors' attention.
    static func hint(_ action: Action, order: WorkOrder, context: LifecycleContext) -> String? {
        switch action {
        case .recordCallback:
            let rule = context.callbackRule
            let days = Set(order.callbackAttemptDays ?? []).count
            let undated = order.callbackAttempts > (order.callbackAttemptDays?.count ?? 0)
            let sofar = order.callbackAttempts == 0 ? "本轮尚未回访未接通" : "本轮已回访未接通\(order.callbackAttempts)次（\(days + (undated ? 1 : 0))天）"
            let closes = rule.unreachableDays <= 1 ? "累计\(rule.unreachableAttempts)次未接通即按未接通办结"
                : "累计\(rule.unreachableAttempts)次且分布在至少\(rule.unreachableDays)个不同日期时按未接通办结"
            return sofar + "；" + closes + "。"
        case .acknowledgeSupervision:
            guard let flag = order.supervisionFlag else { return nil }
            return "因" + flag.rules.map(\.chineseName).joined(separator: "、") + "列入督办关注（\(flag.at.chinaShort)）；催办、亮牌、提级督办或填写研判意见后移出。"
        default: return nil
        }
    }

    static func fields(
        _ action: Action, order: WorkOrder, actor: Actor, units: [HandlingUnit], context: LifecycleContext, cardColours: [CardColour],
        categories: [IntakePage.Option] = [], returnedBy: [UnitID] = []
    ) -> [Field] {
        let id = action.rawValue
        func text(_ name: String, _ label: String, required: Bool = true) -> Field { Field(id: "\(id)-\(name)", name: name, label: label, kind: .text, required: required) }
        func area(_ name: String, _ label: String, required: Bool = true) -> Field { Field(id: "\(id)-\(name)", name: name, label: label, kind: .textarea, required: required) }
        func select(_ name: String, _ label: String, _ options: [Option], required: Bool = true) -> Field {
            Field(id: "\(id)-\(name)", name: name, label: label, kind: .select, required: required, options: options)
        }
        /// Radio buttons with none chosen beforehand: the person must give the answer themselves.
        func choice(_ name: String, _ label: String, _ options: [Option], required: Bool = true) -> Field {
            Field(id: "\(id)-\(name)", name: name, label: label, kind: .radio, required: required, options: options)
        }
        let handling = units.filter { $0.kind != .centre }.map { Option(value: $0.id, label: $0.name) }
        switch action {
        case .create: return []
        case .reject: return [select("reason", "不予受理原因", RejectionReason.allCases.map { Option(value: $0.rawValue, label: $0.chineseName) }), text("note", "说明", required: false)]
        case .answerDirectly: return [area("answer", "答复内容")]
        case .dispatch, .redispatch:
            // Accepting a return re-dispatches to another unit: the units that returned the order are not offered to lead it.
            let leads = action == .redispatch && order.status == .returned ? handling.filter { !returnedBy.contains($0.value) } : handling
            return [select("lead_unit", "主办单位", leads),
                    Field(id: "\(id)-assisting_units", name: "assisting_units[]", label: "协办单位（可多选）", kind: .multiSelect, required: false, options: handling),
                    text("note", "派单说明", required: false)]
        case .sign, .archive: return []
        case .returnOrder:
            return [choice("reason", "退单原因", context.returnReasons.offered.map { Option(value: $0.code, label: $0.name) }),
                    area("evidence", "退单依据（选择“其他”时不少于\(ReturnReasonList.otherMinimumEvidence)字）")]
        case .rejectReturn: return [area("reason", "驳回理由")]
        case .subDispatch:
            let below = units.filter { u in actor.unit.map { context.units.isDescendant(u.id, of: $0) } ?? false }.map { Option(value: $0.id, label: $0.name) }
            return [select("unit", "下派单位", below), text("note", "说明", required: false)]
        case .requestExtension: return [Field(id: "\(id)-working_days", name: "working_days", label: "延期工作日", kind: .number, required: true), area("reason", "延期理由")]
        case .approveExtension, .passReview, .passUnitReview: return [text("note", "意见", required: false)]
        case .sendBackUnitReview: return [area("reason", "理由")]
        case .denyExtension, .sendBack, .redo: return [area("reason", "理由")]
        case .reply:
            return [area("text", "办理结果"),
                    Field(id: "\(id)-files", name: "files", label: "附件（图片或文档，每个不超过\(AttachmentPolicy.maxFileBytes / 1024 / 1024)MB）",
                          kind: .files, required: false)]
        case .recordCallback:
            // Nothing is chosen beforehand; whether the matter is resolved and how satisfied the caller is are asked
            // only of a reached caller, which the server checks.
            return [choice("reached", "是否接通", [Option(value: "true", label: "已接通"), Option(value: "false", label: "未接通")]),
                    choice("resolved", "问题是否解决（接通时必填）", [Option(value: "true", label: "已解决"), Option(value: "false", label: "未解决")], required: false),
                    choice("satisfaction", "满意度（接通时必填）", Satisfaction.allCases.map { Option(value: $0.rawValue, label: $0.chineseName) }, required: false),
                    select("stars", "评分（可选）", [Option(value: "", label: "不评分")] + (1...5).reversed().map { Option(value: String($0), label: "\($0)星") },
                           required: false),
                    area("note", "回访记录", required: false)]
        case .closeUnsatisfied: return [area("reason", "不满意办结理由")]
        case .reclassify:
            let options = categories.filter { $0.value != order.categoryCode }.map { Option(value: $0.value, label: $0.label) }
            return [select("category_code", "新分类", options), area("reason", "改分类理由")]
        case .close, .markFinalReply: return [area("note", "说明")]
        case .merge: return [text("target", "并入工单编号"), text("note", "说明", required: false)]
        case .urge: return [area("note", "催办意见")]
        case .issueCard:
            // Only the colours the rules allow now are offered; one allowed colour is a choice already made.
            let colours = cardColours.map { Option(value: $0.rawValue, label: $0.chineseName) }
            return [colours.count == 1 ? Field(id: "\(id)-colour", name: "colour", label: "牌色", kind: .radio, required: true, options: colours, chosen: colours[0].value)
                        : choice("colour", "牌色", colours),
                    area("reason", "亮牌理由")]
        case .escalate: return [area("reason", "提级理由")]
        case .consult:
            return [Field(id: "\(id)-units", name: "units[]", label: "参会单位（至少2个，可多选）", kind: .multiSelect, required: true, options: handling),
                    Field(id: "\(id)-meeting_at", name: "meeting_at", label: "会商时间", kind: .dateTime, required: true),
                    select("lead_unit", "主办单位（须为参会单位）", handling),
                    Field(id: "\(id)-assisting_units", name: "assisting_units[]", label: "协办单位（可多选，须为参会单位）", kind: .multiSelect, required: false,
                          options: handling),
                    Field(id: "\(id)-due_by", name: "due_by", label: "办理期限（须为工作日，当日内答复）", kind: .date, required: true),
                    area("decision", "会商决定")]
        case .acknowledgeSupervision: return [area("note", "说明（研判意见）")]
        case .citizenRate: return []
        }
    }
}
