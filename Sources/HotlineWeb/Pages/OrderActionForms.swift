import Foundation
import HotlineDomain
import HotlineStorage

/// The action forms of the order page: which actions the viewer may take now (asked of the domain itself by a
/// dry run, so that the page never offers what the state machine would refuse) and how a submitted form
/// becomes a transition.
enum OrderActionForms {
    typealias Field = OrderDetailPage.Field
    typealias Option = OrderDetailPage.Option

    /// Errors that mean "not now, not you": the action is hidden. Input errors of the placeholder do not hide it.
    static func hides(_ error: LifecycleError) -> Bool {
        switch error {
        case .notPermitted, .illegalTransition, .wrongUnit, .returnWindowClosed, .extensionAlreadyPending, .noPendingExtension, .outOfScope: true
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
        case .returnOrder: return .returnOrder(reason: "x")
        case .redispatch: return .redispatch(lead: anyUnit, assisting: [], note: nil)
        case .subDispatch: return .subDispatch(unit: anyUnit, note: nil)
        case .requestExtension: return .requestExtension(workingDays: 1, reason: "x")
        case .approveExtension: return .approveExtension(note: nil)
        case .denyExtension: return .denyExtension(reason: "x")
        case .reply: return .reply(text: "x", attachments: [])
        case .passReview: return .passReview(note: nil)
        case .sendBack: return .sendBack(reason: "x")
        case .recordCallback: return .recordCallback(reached: true, resolved: true, satisfaction: .satisfied, note: "")
        case .close: return .close(note: "x")
        case .redo: return .redo(reason: "x")
        case .archive: return .archive
        case .markFinalReply: return .markFinalReply(note: "x")
        case .urge: return .urge(note: "x")
        case .issueCard: return .issueCard(colour: .yellow, reason: "x")
        case .escalate: return .escalate(reason: "x")
        }
    }

    /// The card colours the domain would accept on this order now.
    static func cardColours(_ order: WorkOrder, actor: Actor, now: Date, context: LifecycleContext) -> [CardColour] {
        CardColour.allCases.filter { colour in
            (try? Lifecycle.apply(.issueCard(colour: colour, reason: "x"), to: order, by: actor, at: now, in: context)) != nil
        }
    }

    /// The forms for every action the actor may take on the order now.
    static func forms(for order: WorkOrder, actor: Actor, now: Date, context: LifecycleContext, units: [HandlingUnit]) -> [OrderDetailPage.ActionForm] {
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
            return OrderDetailPage.ActionForm(name: action.chineseName, action: WebRoutes.order(order.number.description) + "/" + slug,
                                              fields: fields(action, order: order, actor: actor, units: units, context: context, cardColours: colours),
                                              multipart: action == .reply)
        }
    }

    static func fields(
        _ action: Action, order: WorkOrder, actor: Actor, units: [HandlingUnit], context: LifecycleContext, cardColours: [CardColour]
    ) -> [Field] {
        let id = action.rawValue
        func text(_ name: String, _ label: String, required: Bool = true) -> Field { Field(id: "\(id)-\(name)", name: name, label: label, kind: .text, required: required) }
        func area(_ name: String, _ label: String, required: Bool = true) -> Field { Field(id: "\(id)-\(name)", name: name, label: label, kind: .textarea, required: required) }
        func select(_ name: String, _ label: String, _ options: [Option], required: Bool = true) -> Field {
            Field(id: "\(id)-\(name)", name: name, label: label, kind: .select, required: required, options: options)
        }
        let handling = units.filter { $0.kind != .centre }.map { Option(value: $0.id, label: $0.name) }
        switch action {
        case .create: return []
        case .reject: return [select("reason", "不予受理原因", RejectionReason.allCases.map { Option(value: $0.rawValue, label: $0.chineseName) }), text("note", "说明", required: false)]
        case .answerDirectly: return [area("answer", "答复内容")]
        case .dispatch, .redispatch:
            return [select("lead_unit", "主办单位", handling),
                    Field(id: "\(id)-assisting_units", name: "assisting_units", label: "协办单位（可多选）", kind: .multiSelect, required: false, options: handling),
                    text("note", "派单说明", required: false)]
        case .sign, .archive: return []
        case .returnOrder: return [area("reason", "退单理由")]
        case .subDispatch:
            let below = units.filter { u in actor.unit.map { context.units.isDescendant(u.id, of: $0) } ?? false }.map { Option(value: $0.id, label: $0.name) }
            return [select("unit", "下派单位", below), text("note", "说明", required: false)]
        case .requestExtension: return [Field(id: "\(id)-working_days", name: "working_days", label: "延期工作日", kind: .number, required: true), area("reason", "延期理由")]
        case .approveExtension, .passReview: return [text("note", "意见", required: false)]
        case .denyExtension, .sendBack, .redo: return [area("reason", "理由")]
        case .reply:
            return [area("text", "办理结果"),
                    Field(id: "\(id)-files", name: "files", label: "附件（图片或文档，每个不超过\(AttachmentPolicy.maxFileBytes / 1024 / 1024)MB）",
                          kind: .files, required: false)]
        case .recordCallback:
            return [select("reached", "是否接通", [Option(value: "true", label: "已接通"), Option(value: "false", label: "未接通")]),
                    select("resolved", "问题是否解决", [Option(value: "true", label: "已解决"), Option(value: "false", label: "未解决")]),
                    select("satisfaction", "满意度", Satisfaction.allCases.map { Option(value: $0.rawValue, label: $0.chineseName) }),
                    text("note", "回访记录", required: false)]
        case .close, .markFinalReply: return [area("note", "说明")]
        case .merge: return [text("target", "并入工单编号"), text("note", "说明", required: false)]
        case .urge: return [area("note", "催办意见")]
        case .issueCard:
            return [select("colour", "牌色", cardColours.map { Option(value: $0.rawValue, label: $0.chineseName) }), area("reason", "亮牌理由")]
        case .escalate: return [area("reason", "提级理由")]
        }
    }

    /// The assisting units chosen (a repeated field arrives comma-joined), without the lead unit.
    static func assisting(_ f: [String: String]) -> [UnitID] {
        let lead = f["lead_unit"] ?? ""
        return (f["assisting_units"] ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty && $0 != lead }
    }

    /// The transition a submitted form asks for; input problems answer 422 with the field.
    static func transition(_ action: Action, _ f: [String: String]) throws -> Transition {
        func value(_ k: String) -> String { f[k]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
        func optional(_ k: String) -> String? { value(k).isEmpty ? nil : value(k) }
        switch action {
        case .create, .merge: throw APIError.notFound("操作 \(action.rawValue) ")
        case .reject:
            guard let reason = RejectionReason(rawValue: value("reason")) else { throw APIError.invalid("reason", "请选择不予受理原因") }
            return .reject(reason: reason, note: value("note"))
        case .answerDirectly: return .answerDirectly(answer: value("answer"))
        case .dispatch: return .dispatch(lead: value("lead_unit"), assisting: assisting(f), note: optional("note"))
        case .redispatch: return .redispatch(lead: value("lead_unit"), assisting: assisting(f), note: optional("note"))
        case .sign: return .sign
        case .returnOrder: return .returnOrder(reason: value("reason"))
        case .subDispatch: return .subDispatch(unit: value("unit"), note: optional("note"))
        case .requestExtension:
            guard let days = Int(value("working_days")) else { throw APIError.invalid("working_days", "应为整数") }
            return .requestExtension(workingDays: days, reason: value("reason"))
        case .approveExtension: return .approveExtension(note: optional("note"))
        case .denyExtension: return .denyExtension(reason: value("reason"))
        case .reply: return .reply(text: value("text"), attachments: [])
        case .passReview: return .passReview(note: optional("note"))
        case .sendBack: return .sendBack(reason: value("reason"))
        case .recordCallback:
            let reached = value("reached") != "false"
            guard let satisfaction = Satisfaction(rawValue: value("satisfaction")) else { throw APIError.invalid("satisfaction", "请选择满意度") }
            return .recordCallback(reached: reached, resolved: reached && value("resolved") == "true", satisfaction: reached ? satisfaction : .unsatisfied,
                                   note: value("note"))
        case .close: return .close(note: value("note"))
        case .redo: return .redo(reason: value("reason"))
        case .archive: return .archive
        case .markFinalReply: return .markFinalReply(note: value("note"))
        case .urge: return .urge(note: value("note"))
        case .issueCard:
            guard let colour = CardColour(rawValue: value("colour")) else { throw APIError.invalid("colour", "请选择黄牌或红牌") }
            return .issueCard(colour: colour, reason: value("reason"))
        case .escalate: return .escalate(reason: value("reason"))
        }
    }
}
