import Foundation

/// What happened to a work order (工单事件). Every transition yields at least one; the storage layer
/// numbers them and chains their hashes.
public struct WorkOrderEvent: Sendable, Equatable, Codable {
    public var kind: EventKind
    public var actor: Actor
    public var at: Date
    public var fromStatus: WorkOrderStatus?
    public var toStatus: WorkOrderStatus
    /// The reason or note the actor gave.
    public var note: String?
    /// Facts of the event, e.g. `lead_unit`, `deadline`.
    public var details: [String: String]

    public init(kind: EventKind, actor: Actor, at: Date, fromStatus: WorkOrderStatus?, toStatus: WorkOrderStatus, note: String? = nil, details: [String: String] = [:]) {
        self.kind = kind
        self.actor = actor
        self.at = at
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.note = note
        self.details = details
    }
}

public enum EventKind: String, Sendable, Codable, CaseIterable {
    case created, rejected, answeredDirectly = "answered_directly", dispatched, signed, returned, redispatched
    case subDispatched = "sub_dispatched", extensionRequested = "extension_requested"
    case extensionApproved = "extension_approved", extensionDenied = "extension_denied"
    case replied, reviewPassed = "review_passed", sentBack = "sent_back"
    case callbackRecorded = "callback_recorded", callbackUnreachable = "callback_unreachable"
    case closed, redone, escalated, archived, merged, absorbed, finalReplyMarked = "final_reply_marked"
    case urged, yellowCard = "yellow_card", redCard = "red_card"
    case closedUnsatisfied = "closed_unsatisfied", extensionWithdrawn = "extension_withdrawn", reclassified
    case mergedAnswer = "merged_answer"
    case returnRejected = "return_rejected"
    case consulted
    /// 单位领导审核: a unit admin passed a staff member's reply on to the centre, or sent it back to handling.
    case unitReviewPassed = "unit_review_passed", unitReviewSentBack = "unit_review_sent_back"
    /// The sweeper's marks (时限监控): a stage's time mostly used (预警), its deadline passed (超期).
    case slaWarning = "sla_warning", overdueMarked = "overdue_marked"
    /// 督办关注: a callback rule put the order under the supervisors' attention; 已研判: a supervisor took it off.
    case supervisionFlagged = "supervision_flagged", supervisionAcknowledged = "supervision_acknowledged"
    /// 市民评价: the citizen rated the answer on the portal.
    case citizenRated = "citizen_rated"

    public var chineseName: String {
        switch self {
        case .created: "受理"
        case .rejected: "不予受理"
        case .answeredDirectly: "直接答复"
        case .dispatched: "派单"
        case .signed: "签收"
        case .returned: "退单"
        case .redispatched: "改派"
        case .subDispatched: "下派"
        case .extensionRequested: "申请延期"
        case .extensionApproved: "同意延期"
        case .extensionDenied: "驳回延期"
        case .replied: "答复"
        case .reviewPassed: "审核通过"
        case .sentBack: "审核退回"
        case .callbackRecorded: "回访"
        case .callbackUnreachable: "回访未接通"
        case .closed: "办结"
        case .redone: "重办"
        case .escalated: "提级"
        case .archived: "归档"
        case .merged: "并单"
        case .absorbed: "并入工单"
        case .finalReplyMarked: "最终答复"
        case .urged: "催办"
        case .yellowCard: "黄牌警示"
        case .redCard: "红牌督办"
        case .closedUnsatisfied: "不满意办结"
        case .extensionWithdrawn: "撤回延期申请"
        case .reclassified: "改分类"
        case .mergedAnswer: "随主单答复"
        case .returnRejected: "驳回退单"
        case .consulted: "会商"
        case .unitReviewPassed: "单位审核通过"
        case .unitReviewSentBack: "单位审核退回"
        case .slaWarning: "时限预警"
        case .overdueMarked: "超期"
        case .supervisionFlagged: "督办关注"
        case .supervisionAcknowledged: "已研判"
        case .citizenRated: "市民评价"
        }
    }
}

/// A transition's result: the new order and the events that record the change.
public struct Outcome: Sendable, Equatable {
    public var order: WorkOrder
    public var events: [WorkOrderEvent]

    public init(order: WorkOrder, events: [WorkOrderEvent]) {
        self.order = order
        self.events = events
    }
}
