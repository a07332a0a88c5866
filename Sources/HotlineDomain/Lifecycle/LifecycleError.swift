import Foundation

/// Why a transition was refused. Each case maps to a stable API error code.
public enum LifecycleError: Error, Equatable, Sendable {
    /// The actor's role may not take this action at all.
    case notPermitted(action: Action, role: Role)
    /// The order's status does not allow this action.
    case illegalTransition(action: Action, from: WorkOrderStatus)
    /// The actor's unit is not the one the order is with.
    case wrongUnit(action: Action)
    /// A field is missing or invalid.
    case invalid(field: String, message: String)
    /// The window to return the order has passed (退单时限).
    case returnWindowClosed(until: Date)
    case unknownUnit(UnitID)
    case unknownCategory(String)
    /// Sub-dispatch must go down the unit tree.
    case notSubordinate(UnitID)
    case extensionAlreadyPending
    case noPendingExtension
    case cannotMergeIntoItself
    case mergeTargetNotOpen(OrderNumber)
    /// The order lies outside the actor's data scope; reported as "not found" so its existence does not leak.
    case outOfScope(OrderNumber)
    /// The order does not (yet) call for this card: a yellow card needs an overdue, redone or urged order,
    /// a red card an earlier yellow one.
    case cardNotWarranted(CardColour)
    case alreadyEscalated
    /// 会商 is held on escalated orders only.
    case notEscalated
    /// The order's joint consultation has already been recorded.
    case alreadyConsulted

    public var code: String {
        switch self {
        case .notPermitted: "forbidden"
        case .illegalTransition: "illegal_transition"
        case .wrongUnit: "wrong_unit"
        case .invalid: "invalid_field"
        case .returnWindowClosed: "return_window_closed"
        case .unknownUnit: "unknown_unit"
        case .unknownCategory: "unknown_category"
        case .notSubordinate: "not_subordinate"
        case .extensionAlreadyPending: "extension_pending"
        case .noPendingExtension: "no_pending_extension"
        case .cannotMergeIntoItself: "merge_into_itself"
        case .mergeTargetNotOpen: "merge_target_not_open"
        case .outOfScope: "not_found"
        case .cardNotWarranted: "card_not_warranted"
        case .alreadyEscalated: "already_escalated"
        case .notEscalated: "not_escalated"
        case .alreadyConsulted: "already_consulted"
        }
    }

    /// A message for the person at the screen, in Chinese.
    public var message: String {
        switch self {
        case .notPermitted(let action, let role): "\(role.chineseName)无权执行“\(action.chineseName)”"
        case .illegalTransition(let action, let from): "工单当前状态为“\(from.chineseName)”，不能“\(action.chineseName)”"
        case .wrongUnit(let action): "该工单不在本单位，不能“\(action.chineseName)”"
        case .invalid(let field, let message): "字段 \(field) 无效：\(message)"
        case .returnWindowClosed: "已超过退单时限（派单后1个工作日内）"
        case .unknownUnit(let unit): "单位不存在：\(unit)"
        case .unknownCategory(let code): "事项分类不存在：\(code)"
        case .notSubordinate(let unit): "只能下派给本单位的下级单位：\(unit)"
        case .extensionAlreadyPending: "已有待审批的延期申请"
        case .noPendingExtension: "没有待审批的延期申请"
        case .cannotMergeIntoItself: "不能将工单并入自身"
        case .mergeTargetNotOpen(let n): "目标工单 \(n) 已结束，不能并入"
        case .outOfScope(let n): "工单 \(n) 不存在"
        case .cardNotWarranted(.yellow): "只有已超期、重办过或催办过的在办工单可以亮黄牌"
        case .cardNotWarranted(.red): "红牌须在同一工单的黄牌之后"
        case .alreadyEscalated: "该工单已提级督办"
        case .notEscalated: "只有已提级督办的工单可以会商"
        case .alreadyConsulted: "该工单已会商，按会商决定办理"
        }
    }
}

extension Action {
    public var chineseName: String {
        switch self {
        case .create: "受理"
        case .reject: "不予受理"
        case .answerDirectly: "直接答复"
        case .dispatch: "派单"
        case .sign: "签收"
        case .returnOrder: "退单"
        case .rejectReturn: "驳回退单"
        case .redispatch: "改派"
        case .subDispatch: "下派"
        case .requestExtension: "申请延期"
        case .approveExtension: "同意延期"
        case .denyExtension: "驳回延期"
        case .reply: "答复"
        case .passReview: "审核通过"
        case .sendBack: "审核退回"
        case .passUnitReview: "单位审核通过"
        case .sendBackUnitReview: "单位审核退回"
        case .urge: "催办"
        case .issueCard: "亮牌"
        case .escalate: "提级督办"
        case .acknowledgeSupervision: "已研判"
        case .citizenRate: "市民评价"
        case .recordCallback: "回访"
        case .close: "办结"
        case .closeUnsatisfied: "不满意办结"
        case .reclassify: "改分类"
        case .redo: "重办"
        case .archive: "归档"
        case .merge: "并单"
        case .markFinalReply: "最终答复"
        case .consult: "会商"
        }
    }
}
