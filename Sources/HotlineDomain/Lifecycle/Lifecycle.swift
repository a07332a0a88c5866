import Foundation

/// The closed loop as a state machine (工单流转): each transition checks the actor, the order's
/// state and the input, and returns the new order plus the events that happened. Nothing here
/// reads a clock or touches storage.
public enum Lifecycle {
    public static func apply(
        _ transition: Transition, to order: WorkOrder, by actor: Actor, at now: Date, in context: LifecycleContext
    ) throws(LifecycleError) -> Outcome {
        let action = transition.action
        guard action.isAllowed(for: actor.role) else { throw .notPermitted(action: action, role: actor.role) }
        var step = Step(order: order, actor: actor, now: now, action: action, context: context)
        switch transition {
        case .reject(let reason, let note): try step.reject(reason: reason, note: note)
        case .answerDirectly(let answer): try step.answerDirectly(answer)
        case .dispatch(let lead, let assisting, let note):
            try step.require(.pendingDispatch)
            try step.dispatch(lead: lead, assisting: assisting, note: note, kind: .dispatched)
        case .sign: try step.sign()
        case .returnOrder(let reason, let evidence): try step.returnOrder(reason: reason, evidence: evidence)
        case .rejectReturn(let reason): try step.rejectReturn(reason: reason)
        case .redispatch(let lead, let assisting, let note):
            try step.require(.returned, .dispatched)
            try step.dispatch(lead: lead, assisting: assisting, note: note, kind: .redispatched)
        case .subDispatch(let unit, let note): try step.subDispatch(to: unit, note: note)
        case .requestExtension(let days, let reason): try step.requestExtension(days: days, reason: reason)
        case .approveExtension(let note): try step.approveExtension(note: note)
        case .denyExtension(let reason): try step.denyExtension(reason: reason)
        case .reply(let text, let attachments): try step.reply(text: text, attachments: attachments)
        case .passUnitReview(let note): try step.passUnitReview(note: note)
        case .sendBackUnitReview(let reason): try step.sendBackUnitReview(reason: reason)
        case .passReview(let note): try step.passReview(note: note)
        case .sendBack(let reason): try step.sendBack(reason: reason)
        case .recordCallback(let outcome): try step.recordCallback(outcome)
        case .close(let note): try step.close(note: note)
        case .closeUnsatisfied(let reason): try step.closeUnsatisfied(reason: reason)
        case .reclassify(let code, let reason): try step.reclassify(to: code, reason: reason)
        case .redo(let reason): try step.redo(reason: reason)
        case .archive: try step.archive()
        case .markFinalReply(let note): try step.markFinalReply(note: note)
        case .urge(let note): try step.urge(note: note)
        case .issueCard(let colour, let reason): try step.issueCard(colour, reason: reason)
        case .escalate(let reason): try step.escalate(reason: reason)
        case .consult(let input): try step.consult(input)
        case .acknowledgeSupervision(let note): try step.acknowledgeSupervision(note: note)
        case .rateByCitizen(let satisfaction, let stars, let comment): try step.rateByCitizen(satisfaction: satisfaction, stars: stars, comment: comment)
        }
        // 督办关注 ends when a supervisor acts on the order.
        if [.urge, .issueCard, .escalate].contains(action) { step.order.supervisionFlag = nil }
        return step.outcome
    }

    /// 并单: merges `source` into `target`. Both orders change; each gets its own event.
    public static func merge(
        _ source: WorkOrder, into target: WorkOrder, by actor: Actor, at now: Date, note: String?
    ) throws(LifecycleError) -> (source: Outcome, target: Outcome) {
        guard Action.merge.isAllowed(for: actor.role) else { throw .notPermitted(action: .merge, role: actor.role) }
        guard source.number != target.number else { throw .cannotMergeIntoItself }
        guard [.pendingDispatch, .returned, .dispatched].contains(source.status) else {
            throw .illegalTransition(action: .merge, from: source.status)
        }
        guard target.status.isOpen else { throw .mergeTargetNotOpen(target.number) }
        let cleanNote = try Step.optionalText(note, field: "note")
        // The merged order is not finished: it waits for the surviving order's answer, which reaches its own caller.
        var s = Step(order: source, actor: actor, now: now, action: .merge, context: nil)
        s.order.mergedInto = target.number
        s.order.pendingExtension = nil
        s.move(to: .merged, .merged, note: cleanNote, details: ["into": target.number.description])
        var t = Step(order: target, actor: actor, now: now, action: .merge, context: nil)
        // Orders merged into the source before now wait on the target too.
        t.order.mergedOrders += [source.number] + source.mergedOrders
        // Every caller stays on the surviving order, including those of orders merged into the source before.
        t.order.mergedCallers += [MergedCaller(order: source.number, caller: source.caller, mergedAt: now)] + source.mergedCallers
        t.move(to: target.status, .absorbed, note: cleanNote, details: ["from": source.number.description])
        return (s.outcome, t.outcome)
    }

    /// 随主单答复: when the surviving order's reply passes review, each order merged into it that still waits takes
    /// that reply as its own answer and goes to its own callback; when the surviving order is answered directly on the
    /// call, so is each merged order. Orders no longer waiting are left as they are. With a context, each order going
    /// to its callback gets its callback deadline (回访时限).
    public static func carryAnswer(
        of target: Outcome, to merged: [WorkOrder], by actor: Actor, at now: Date, in context: LifecycleContext? = nil
    ) -> [Outcome] {
        let kinds = Set(target.events.map(\.kind))
        let reply = kinds.contains(.reviewPassed) ? target.order.reply : nil
        let direct = kinds.contains(.answeredDirectly) ? target.order.directAnswer : nil
        guard reply != nil || direct != nil else { return [] }
        return merged.compactMap { order in
            guard order.status == .merged else { return nil }
            var s = Step(order: order, actor: actor, now: now, action: .merge, context: nil)
            if let reply {
                s.order.reply = reply
                s.order.timeline.repliedAt = reply.at
                s.order.deadlines.callbackBy = context?.deadline(.callback, for: s.order, from: now)
                s.move(to: .awaitingCallback, .mergedAnswer, note: reply.text, details: ReplyRecord.details(of: reply, from: target.order.number))
            } else if let direct {
                s.order.directAnswer = direct
                s.order.timeline.closedAt = now
                s.move(to: .closed, .mergedAnswer, note: direct, details: ["from": target.order.number.description])
            }
            return s.outcome
        }
    }
}

/// One transition in progress: the order being changed and the events recorded so far.
struct Step {
    var order: WorkOrder
    let actor: Actor
    let now: Date
    let action: Action
    let context: LifecycleContext?
    var events: [WorkOrderEvent] = []

    var outcome: Outcome { Outcome(order: order, events: events) }

    init(order: WorkOrder, actor: Actor, now: Date, action: Action, context: LifecycleContext?) {
        self.order = order
        self.actor = actor
        self.now = now
        self.action = action
        self.context = context
    }

    func require(_ statuses: WorkOrderStatus...) throws(LifecycleError) {
        guard statuses.contains(order.status) else { throw .illegalTransition(action: action, from: order.status) }
    }

    /// Unit roles may act only on orders that sit with their own unit.
    func requireOwnUnit(allowSubUnits: Bool = false) throws(LifecycleError) {
        guard actor.role.isUnitRole else { return }
        guard let unit = actor.unit else { throw .wrongUnit(action: action) }
        if unit == order.leadUnit { return }
        if allowSubUnits, order.subUnits.contains(unit) { return }
        throw .wrongUnit(action: action)
    }

    mutating func move(to status: WorkOrderStatus, _ kind: EventKind, note: String? = nil, details: [String: String] = [:]) {
        let from = order.status
        order.status = status
        order.timeline.updatedAt = now
        if events.isEmpty { order.version += 1 }
        events.append(WorkOrderEvent(kind: kind, actor: actor, at: now, fromStatus: from, toStatus: status, note: note, details: details))
    }

    var ctx: LifecycleContext {
        // Every transition except merge is built with a context.
        context!
    }

    static func requiredText(_ text: String, field: String, limit: Int = TextLimits.note) throws(LifecycleError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalid(field: field, message: "不能为空") }
        guard trimmed.count <= limit else { throw .invalid(field: field, message: "不能超过\(limit)字") }
        return trimmed
    }

    static func optionalText(_ text: String?, field: String, limit: Int = TextLimits.note) throws(LifecycleError) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return try requiredText(text, field: field, limit: limit)
    }
}
