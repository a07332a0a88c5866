/// Where a work order stands in the closed loop (工单状态).
public enum WorkOrderStatus: String, Sendable, Codable, CaseIterable {
    /// 待派单: accepted, waiting for the centre to dispatch.
    case pendingDispatch = "pending_dispatch"
    /// 不予受理: outside the hotline's scope.
    case rejected
    /// 已派单: dispatched, waiting for the lead unit to sign.
    case dispatched
    /// 已退单: returned by the unit, waiting for the centre to re-dispatch.
    case returned
    /// 办理中: signed for and being handled.
    case handling
    /// 待单位审核: a unit's staff member replied and the lead unit reviews replies itself (单位领导审核); waiting
    /// for one of the unit's admins to pass the reply on to the centre or send it back. No clock of its own: the reply
    /// deadline was met when the staff member replied.
    case unitReview = "unit_review"
    /// 已答复: the unit replied, waiting for review.
    case replied
    /// 待回访: the reply passed review, waiting for the callback.
    case awaitingCallback = "awaiting_callback"
    /// 回访不满意待研判: the caller was unresolved or unsatisfied; the centre decides between 重办 and closing with a
    /// written reason (不满意办结).
    case callbackDisputed = "callback_disputed"
    /// 已办结: closed.
    case closed
    /// 已归档: archived.
    case archived
    /// 已并单: merged into another order; it waits for that order's answer, which then comes to its own caller.
    case merged

    public var chineseName: String {
        switch self {
        case .pendingDispatch: "待派单"
        case .rejected: "不予受理"
        case .dispatched: "已派单"
        case .returned: "已退单"
        case .handling: "办理中"
        case .unitReview: "待单位审核"
        case .replied: "已答复"
        case .awaitingCallback: "待回访"
        case .callbackDisputed: "回访不满意待研判"
        case .closed: "已办结"
        case .archived: "已归档"
        case .merged: "已并单"
        }
    }

    /// The statuses in which a clock runs (``WorkOrder/activeDeadline``): where an order can be overdue (超期).
    public static let timed: [WorkOrderStatus] = [.pendingDispatch, .returned, .dispatched, .handling, .replied, .awaitingCallback]

    /// The statuses in which the loop is still open.
    public static let open: [WorkOrderStatus] = allCases.filter(\.isOpen)

    /// Whether the loop is still open: someone still owes the citizen something.
    public var isOpen: Bool {
        switch self {
        case .pendingDispatch, .dispatched, .returned, .handling, .unitReview, .replied, .awaitingCallback, .callbackDisputed: true
        case .rejected, .closed, .archived, .merged: false
        }
    }
}
