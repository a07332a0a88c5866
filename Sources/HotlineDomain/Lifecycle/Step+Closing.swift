import Foundation

extension Step {
    /// Attempts after which an unreachable caller no longer holds the order open.
    static let callbackAttemptLimit = 3
    /// Redos after which the order is escalated (提级).
    static let redoEscalationThreshold = 2

    /// 回访: a reached caller closes the loop with their verdict; an unanswered call is counted, and the
    /// third unanswered call closes the order as unreachable.
    mutating func recordCallback(reached: Bool, resolved: Bool, satisfaction: Satisfaction, note: String) throws(LifecycleError) {
        try require(.awaitingCallback)
        let cleanNote = try Self.optionalText(note, field: "note") ?? ""
        order.callbackAttempts += 1
        guard reached else {
            let attempts = String(order.callbackAttempts)
            if order.callbackAttempts >= Self.callbackAttemptLimit {
                order.timeline.closedAt = now
                move(to: .closed, .callbackUnreachable, note: cleanNote.isEmpty ? "多次回访未接通" : cleanNote, details: ["attempts": attempts])
            } else {
                move(to: .awaitingCallback, .callbackUnreachable, note: cleanNote.isEmpty ? nil : cleanNote, details: ["attempts": attempts])
            }
            return
        }
        order.callback = CallbackResult(resolved: resolved, satisfaction: satisfaction, note: cleanNote, at: now)
        order.timeline.closedAt = now
        move(to: .closed, .callbackRecorded, note: cleanNote.isEmpty ? nil : cleanNote,
             details: ["resolved": resolved ? "true" : "false", "satisfaction": satisfaction.rawValue])
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
        try require(.closed, .awaitingCallback)
        guard let lead = order.leadUnit else { throw .illegalTransition(action: .redo, from: order.status) }
        if order.status == .closed, let result = order.callback, result.resolved, result.satisfaction != .unsatisfied {
            throw .invalid(field: "reason", message: "回访结果为已解决且满意，不能重办")
        }
        let clean = try Self.requiredText(reason, field: "reason")
        order.redoCount += 1
        order.reply = nil
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
        if order.redoCount >= Self.redoEscalationThreshold && !order.escalated {
            order.escalated = true
            move(to: .dispatched, .escalated, note: "重办\(order.redoCount)次，自动提级督办", details: ["unit": lead])
        }
    }

    mutating func archive() throws(LifecycleError) {
        try require(.closed, .rejected, .merged)
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
