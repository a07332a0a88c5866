/// Everything an actor can do to a work order.
public enum Action: String, Sendable, Codable, CaseIterable {
    case create
    case reject
    case answerDirectly = "answer_directly"
    case dispatch
    case sign
    case returnOrder = "return"
    /// 驳回退单: the centre refuses a unit's return and sends the order back to it.
    case rejectReturn = "reject_return"
    case redispatch
    case subDispatch = "sub_dispatch"
    case requestExtension = "request_extension"
    case approveExtension = "approve_extension"
    case denyExtension = "deny_extension"
    case reply
    /// 单位审核通过: a unit admin passes a staff member's reply on to the centre (单位领导审核).
    case passUnitReview = "pass_unit_review"
    /// 单位审核退回: a unit admin sends a staff member's reply back to handling with a reason.
    case sendBackUnitReview = "send_back_unit_review"
    case passReview = "pass_review"
    case sendBack = "send_back"
    case recordCallback = "callback"
    case close
    /// 不满意办结: the centre closes a disputed callback with a written reason instead of a redo.
    case closeUnsatisfied = "close_unsatisfied"
    /// 改分类: corrects the order's category, with a reason.
    case reclassify
    case redo
    case archive
    case merge
    case markFinalReply = "final_reply"
    /// 催办: urges the unit holding the order.
    case urge
    /// 黄牌/红牌: a supervision card against the unit holding the order.
    case issueCard = "card"
    /// 提级督办: raises the order to the supervisors' own attention.
    case escalate
    /// 会商: records a joint consultation on an escalated order and dispatches it as decided.
    case consult
    /// 已研判: takes an order flagged by a callback rule (督办关注) off the supervisors' board.
    case acknowledgeSupervision = "acknowledge_supervision"
    /// 市民评价: the citizen rates the answer on the portal.
    case citizenRate = "citizen_rate"

    /// The roles allowed to take this action. The system role may take every action.
    public var allowedRoles: Set<Role> {
        switch self {
        case .create: [.agent, .dispatcher, .citizen]
        case .reject, .answerDirectly: [.agent, .dispatcher]
        case .dispatch, .redispatch, .merge: [.dispatcher]
        case .sign, .returnOrder, .subDispatch, .requestExtension, .reply: [.unitStaff, .unitAdmin]
        case .approveExtension, .denyExtension: [.dispatcher, .supervisor]
        case .passUnitReview, .sendBackUnitReview: [.unitAdmin]
        case .passReview, .sendBack: [.reviewer]
        case .recordCallback, .close: [.callbackAgent]
        case .closeUnsatisfied, .rejectReturn: [.dispatcher, .supervisor]
        case .reclassify: [.agent, .dispatcher]
        case .redo: [.dispatcher, .supervisor, .callbackAgent]
        case .archive: [.dispatcher, .admin]
        case .markFinalReply: [.supervisor, .reviewer]
        case .urge, .issueCard, .escalate, .acknowledgeSupervision: [.supervisor]
        case .consult: [.supervisor, .dispatcher]
        case .citizenRate: [.citizen]
        }
    }

    public func isAllowed(for role: Role) -> Bool { role == .system || allowedRoles.contains(role) }
}
