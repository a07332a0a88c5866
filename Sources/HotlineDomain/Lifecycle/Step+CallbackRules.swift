import Foundation

/// The callback rule's consequences (回访规则): unanswered calls counted by day, and the supervisors' attention (督办关注).
extension Step {
    /// Counts one more unanswered call in this callback round, on today's China calendar day; returns the round's
    /// unanswered calls and the different days they fell on. Calls of a round begun before days were kept count as
    /// one day of their own.
    mutating func countUnansweredCall() -> (attempts: Int, days: Int) {
        var known = order.callbackAttemptDays ?? []
        let undated = max(0, order.callbackAttempts - known.count)
        known.append(CivilDay(containing: now).description)
        order.callbackAttemptDays = known
        order.callbackAttempts += 1
        return (order.callbackAttempts, Set(known).count + (undated > 0 ? 1 : 0))
    }

    /// A new callback round (the reply passed review, or a merged order took its surviving order's answer) counts its
    /// unanswered calls afresh.
    mutating func startCallbackRound() {
        order.callbackAttempts = 0
        order.callbackAttemptDays = nil
    }

    /// 督办关注: the system flags the order for the supervisors when a callback rule fired; the event names the rules.
    mutating func flagForSupervision(_ triggers: [SupervisionTrigger], stars: Int?) {
        guard !triggers.isEmpty else { return }
        order.supervisionFlag = SupervisionFlag(rules: triggers, at: now)
        var details = ["rule": triggers.map(\.rawValue).joined(separator: ",")]
        if let stars { details["stars"] = String(stars) }
        if let lead = order.leadUnit { details["unit"] = lead }
        let note = "回访结果触发督办规则"
        events.append(WorkOrderEvent(kind: .supervisionFlagged, actor: .system, at: now, fromStatus: order.status, toStatus: order.status,
                                     note: note, details: details))
    }

    /// 已研判: a supervisor has looked at a flagged order and takes it off the board, saying what they concluded.
    mutating func acknowledgeSupervision(note: String) throws(LifecycleError) {
        // Only a flagged order can be acknowledged; the console then offers no form at all.
        guard order.supervisionFlag != nil else { throw .illegalTransition(action: .acknowledgeSupervision, from: order.status) }
        let clean = try Self.requiredText(note, field: "note")
        order.supervisionFlag = nil
        move(to: order.status, .supervisionAcknowledged, note: clean)
    }
}
