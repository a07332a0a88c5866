import Foundation

/// 督办: the supervisor's overlays. None changes the order's status; each is an event in the order's log.
extension Step {
    /// 催办: reminds the unit holding the order.
    mutating func urge(note: String) throws(LifecycleError) {
        try require(.dispatched, .handling)
        let clean = try Self.requiredText(note, field: "note")
        var record = order.supervision ?? Supervision()
        record.urges += 1
        record.lastAt = now
        order.supervision = record
        move(to: order.status, .urged, note: clean, details: ["unit": order.leadUnit ?? "", "urges": String(record.urges)])
    }

    /// 黄牌/红牌. A yellow card is for an order that is overdue, was redone or was already urged; a red card
    /// only follows an earlier yellow card on the same order.
    mutating func issueCard(_ colour: CardColour, reason: String) throws(LifecycleError) {
        try require(.dispatched, .handling)
        var record = order.supervision ?? Supervision()
        switch colour {
        case .yellow:
            guard order.isOverdue(at: now) || order.redoCount > 0 || record.urges > 0 else { throw .cardNotWarranted(.yellow) }
        case .red:
            guard record.yellowCards > 0 else { throw .cardNotWarranted(.red) }
        }
        let clean = try Self.requiredText(reason, field: "reason")
        if colour == .yellow { record.yellowCards += 1 } else { record.redCards += 1 }
        record.lastAt = now
        order.supervision = record
        move(to: order.status, colour == .yellow ? .yellowCard : .redCard, note: clean, details: ["unit": order.leadUnit ?? ""])
    }

    /// 提级督办 by hand, for an order still open anywhere in the loop.
    mutating func escalate(reason: String) throws(LifecycleError) {
        try require(.pendingDispatch, .returned, .dispatched, .handling, .unitReview, .replied, .awaitingCallback)
        guard !order.escalated else { throw .alreadyEscalated }
        let clean = try Self.requiredText(reason, field: "reason")
        order.escalated = true
        move(to: order.status, .escalated, note: clean, details: order.leadUnit.map { ["unit": $0] } ?? [:])
    }
}
