/// Who a notice (消息提醒) is for: every user of a handling unit, or every user of a role at the centre.
public enum NoticeAddressee: Sendable, Hashable {
    /// The unit's staff and unit admins (承办单位).
    case unit(UnitID)
    /// The unit's admins only: a staff member's reply waits for them (单位领导审核).
    case unitAdmins(UnitID)
    /// The centre's users of this role, e.g. the dispatchers for a return (退单).
    case role(Role)
}

/// Which events tell whom (消息提醒): urges, cards and escalations tell the unit holding the order; a review's send-back
/// and a redo tell the unit that must work on it again; a return tells the centre's dispatchers, and its refusal (驳回退单) the unit that returned it; an extension decision
/// tells the unit that asked, and a request for one the centre's roles that decide it; a dispatch, re-dispatch, sub-dispatch or joint consultation's decision (会商) tells each unit given the order; the sweeper's
/// warning (时限预警) tells the unit whose clock runs; a staff member's reply waiting for the unit's own review (单位领导审核)
/// tells the lead unit's admins, and their send-back the unit. The person who
/// acted is never told of their own action; storage leaves them out when it writes each user's notice.
public enum NoticeRule {
    /// The event kinds that notify someone.
    public static let kinds: Set<EventKind> = [
        .urged, .yellowCard, .redCard, .escalated, .sentBack, .redone, .returned, .extensionRequested, .extensionApproved, .extensionDenied,
        .dispatched, .redispatched, .subDispatched, .returnRejected, .slaWarning, .consulted,
        .dispatched, .redispatched, .subDispatched, .returnRejected, .slaWarning, .supervisionFlagged,
        .replied, .unitReviewSentBack,
    ]

    /// The addressees of `event`, given the order as the change left it; each at most once, in a stable order.
    public static func addressees(of event: WorkOrderEvent, order: WorkOrder) -> [NoticeAddressee] {
        func units(_ ids: [UnitID?]) -> [NoticeAddressee] {
            var seen: Set<UnitID> = []
            return ids.compactMap { id in
                guard let id, !id.isEmpty, seen.insert(id).inserted else { return nil }
                return .unit(id)
            }
        }
        let d = event.details
        switch event.kind {
        case .urged, .yellowCard, .redCard, .escalated, .subDispatched: return units([d["unit"]])
        // A warning tells the unit whose clock it is (signing, handling); the centre's own stages show on its lists.
        case .slaWarning: return units([d["unit"]])
        // 会商 tells the lead unit it decided on and the units that assist it.
        case .dispatched, .redispatched, .consulted:
            return units([d["lead_unit"]] + (d["assisting_units"] ?? "").split(separator: ",").map { String($0) })
        case .redone: return units([d["lead_unit"] ?? order.leadUnit])
        // The lead unit answers for the order; a unit below it that wrote the reply is told as well.
        case .sentBack, .unitReviewSentBack: return units([order.leadUnit, order.reply?.unit])
        // A staff member's reply waiting for the unit's review (待单位审核) tells the lead unit's admins; any other reply
        // goes to the centre's review list and tells no one.
        case .replied:
            guard event.toStatus == .unitReview, let lead = order.leadUnit, !lead.isEmpty else { return [] }
            return [.unitAdmins(lead)]
        // Only the lead unit may ask for an extension (it holds `pendingExtension.unit`), and it still leads.
        case .extensionApproved, .extensionDenied: return units([order.leadUnit])
        case .returned: return [.role(.dispatcher)]
        // A callback rule's flag (督办关注) waits on the supervisors' board.
        case .supervisionFlagged: return [.role(.supervisor)]
        // A refused return goes back to the unit that returned it.
        case .returnRejected: return units([d["unit"] ?? order.leadUnit])
        // An extension request waits in 延期待审批 for the centre's roles that decide it.
        case .extensionRequested:
            return Role.allCases.filter { Action.approveExtension.allowedRoles.contains($0) && !$0.isUnitRole && $0 != .system }.map { .role($0) }
        case .created, .rejected, .answeredDirectly, .signed, .extensionWithdrawn, .reviewPassed, .unitReviewPassed,
             .callbackRecorded, .callbackUnreachable, .closed, .archived, .merged, .absorbed, .finalReplyMarked, .closedUnsatisfied,
             .reclassified, .mergedAnswer, .overdueMarked, .supervisionAcknowledged, .citizenRated:
            return []
        }
    }
}
