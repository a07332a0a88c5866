import Foundation

extension Step {
    /// 回访: a reached caller who is resolved and satisfied closes the loop; one who is not sends the order to the
    /// centre's decision (回访不满意待研判), or straight back to the unit where the callback rule says so; a low score or
    /// an unsatisfied complaint also puts the order under the supervisors' attention (督办关注). An unanswered call is
    /// counted with its day, and closes the order as unreachable once the rule's tries on its different days are reached.
    mutating func recordCallback(_ outcome: CallbackOutcome) throws(LifecycleError) {
        try require(.awaitingCallback)
        let cleanNote = try Self.optionalText(outcome.note, field: "note") ?? ""
        let rule = ctx.callbackRule
        switch outcome {
        case .unreachable:
            let (attempts, days) = countUnansweredCall()
            var details = ["attempts": String(attempts), "days": String(days)]
            if let today = order.callbackAttemptDays?.last { details["day"] = today }
            if rule.closesUnreachable(attempts: attempts, days: days) {
                order.timeline.closedAt = now
                move(to: .closed, .callbackUnreachable, note: cleanNote.isEmpty ? "多次回访未接通" : cleanNote, details: details)
            } else {
                move(to: .awaitingCallback, .callbackUnreachable, note: cleanNote.isEmpty ? nil : cleanNote, details: details)
            }
        case .reached(let resolved, let satisfaction, let stars, _):
            if let stars, !(1...5).contains(stars) { throw .invalid(field: "stars", message: "评分应为1到5星") }
            order.callbackAttempts += 1
            order.callback = CallbackResult(resolved: resolved, satisfaction: satisfaction, stars: stars, note: cleanNote, at: now)
            var details = ["resolved": resolved ? "true" : "false", "satisfaction": satisfaction.rawValue]
            if let stars { details["stars"] = String(stars) }
            let shortfalls = outcome.shortfalls
            let triggers = rule.supervisionTriggers(outcome, kind: order.kind)
            guard !shortfalls.isEmpty else {
                order.timeline.closedAt = now
                move(to: .closed, .callbackRecorded, note: cleanNote.isEmpty ? nil : cleanNote, details: details)
                flagForSupervision(triggers, stars: stars)
                return
            }
            move(to: .callbackDisputed, .callbackRecorded, note: cleanNote.isEmpty ? nil : cleanNote, details: details)
            flagForSupervision(triggers, stars: stars)
            if rule.redoesAutomatically(outcome) {
                let why = shortfalls.sorted().map(\.chineseName).joined(separator: "、")
                try startRedo(reason: "回访\(why)，按规则自动重办")
            }
        }
    }

    /// 不满意办结: the centre closes a disputed callback instead of a redo, and says why; counted apart from other closings.
    mutating func closeUnsatisfied(reason: String) throws(LifecycleError) {
        try require(.callbackDisputed)
        let clean = try Self.requiredText(reason, field: "reason")
        order.unsatisfiedClosure = clean
        order.timeline.closedAt = now
        move(to: .closed, .closedUnsatisfied, note: clean)
    }

    /// 办结 without a callback, e.g. when the caller declined one.
    mutating func close(note: String) throws(LifecycleError) {
        try require(.awaitingCallback)
        let clean = try Self.requiredText(note, field: "note")
        order.timeline.closedAt = now
        move(to: .closed, .closed, note: clean)
    }

    /// 重办: an unresolved or unsatisfactory result goes back to the same lead unit with fresh time limits.
    mutating func redo(reason: String) throws(LifecycleError) {
        try require(.callbackDisputed, .closed, .awaitingCallback)
        // A disputed callback is the centre's decision (dispatcher or supervisor), not the callback agent's.
        if order.status == .callbackDisputed, actor.role == .callbackAgent { throw .notPermitted(action: .redo, role: actor.role) }
        if order.status == .closed, let result = order.callback, result.resolved, result.satisfaction != .unsatisfied {
            throw .invalid(field: "reason", message: "回访结果为已解决且满意，不能重办")
        }
        try startRedo(reason: try Self.requiredText(reason, field: "reason"))
    }

    private mutating func startRedo(reason clean: String) throws(LifecycleError) {
        guard let lead = order.leadUnit else { throw .illegalTransition(action: .redo, from: order.status) }
        order.redoCount += 1
        order.unsatisfiedClosure = nil
        order.reply = nil
        order.sentBackAt = nil
        order.callback = nil
        order.callbackAttempts = 0
        order.timeline.closedAt = nil
        order.timeline.dispatchedAt = now
        order.timeline.signedAt = nil
        order.subUnits = []
        order.deadlines.signBy = ctx.deadline(.sign, for: order, from: now)
        order.deadlines.replyBy = ctx.deadline(.handling, for: order, from: now)
        order.deadlines.returnAllowedUntil = nil
        move(to: .dispatched, .redone, note: clean, details: ["redo_count": String(order.redoCount), "lead_unit": lead])
        // 提级督办 by the escalation rule (提级规则); at most once, like every escalation.
        let rule = ctx.escalationRule
        if rule.escalatesAfter(redos: order.redoCount) && !order.escalated {
            order.escalated = true
            move(to: .dispatched, .escalated, note: "重办\(order.redoCount)次，按提级规则自动提级督办",
                 details: ["unit": lead, "rule": rule.redoRuleName, "redo_count": String(order.redoCount)])
        }
    }

    mutating func archive() throws(LifecycleError) {
        try require(.closed, .rejected)
        order.timeline.archivedAt = now
        move(to: .archived, .archived)
    }

    /// 最终答复: marks a finished order's reply as final, so the same facts are not accepted again.
    mutating func markFinalReply(note: String) throws(LifecycleError) {
        try require(.closed, .archived)
        guard !order.finalReply else { throw .illegalTransition(action: .markFinalReply, from: order.status) }
        let clean = try Self.requiredText(note, field: "note")
        order.finalReply = true
        move(to: order.status, .finalReplyMarked, note: clean)
    }
}
