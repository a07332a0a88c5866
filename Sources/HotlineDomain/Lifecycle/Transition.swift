import Foundation

/// A change requested of a work order, with its input.
public enum Transition: Sendable, Equatable {
    case reject(reason: RejectionReason, note: String)
    case answerDirectly(answer: String)
    case dispatch(lead: UnitID, assisting: [UnitID], note: String?)
    case sign
    /// 退单: `reason` is a code of the return-reason list; nil for the old free-text return, filed under 其他.
    case returnOrder(reason: String?, evidence: String)
    /// 驳回退单: the centre sends a returned order back to the unit that returned it.
    case rejectReturn(reason: String)
    case redispatch(lead: UnitID, assisting: [UnitID], note: String?)
    case subDispatch(unit: UnitID, note: String?)
    case requestExtension(workingDays: Int, reason: String)
    case approveExtension(note: String?)
    case denyExtension(reason: String)
    case reply(text: String, attachments: [AttachmentInfo])
    /// 单位审核通过: the unit admin passes the staff member's reply on to the centre.
    case passUnitReview(note: String?)
    /// 单位审核退回: the unit admin sends the staff member's reply back to handling.
    case sendBackUnitReview(reason: String)
    case passReview(note: String?)
    case sendBack(reason: String)
    case recordCallback(CallbackOutcome)
    case close(note: String)
    /// 不满意办结: closes a disputed callback with the centre's written reason.
    case closeUnsatisfied(reason: String)
    /// 改分类: a new category with the reason for the correction.
    case reclassify(categoryCode: String, reason: String)
    case redo(reason: String)
    case archive
    case markFinalReply(note: String)
    case urge(note: String)
    case issueCard(colour: CardColour, reason: String)
    case escalate(reason: String)
    /// 会商: the joint consultation's decision on an escalated order, which dispatches it accordingly.
    case consult(ConsultationInput)
    /// 已研判: a supervisor takes a flagged order (督办关注) off the board with their conclusion.
    case acknowledgeSupervision(note: String)
    /// 市民评价: the citizen rates the answer on the portal once the loop is closed.
    case rateByCitizen(satisfaction: Satisfaction, stars: Int?, comment: String)

    public var action: Action {
        switch self {
        case .reject: .reject
        case .answerDirectly: .answerDirectly
        case .dispatch: .dispatch
        case .sign: .sign
        case .returnOrder: .returnOrder
        case .rejectReturn: .rejectReturn
        case .redispatch: .redispatch
        case .subDispatch: .subDispatch
        case .requestExtension: .requestExtension
        case .approveExtension: .approveExtension
        case .denyExtension: .denyExtension
        case .reply: .reply
        case .passUnitReview: .passUnitReview
        case .sendBackUnitReview: .sendBackUnitReview
        case .passReview: .passReview
        case .sendBack: .sendBack
        case .recordCallback: .recordCallback
        case .close: .close
        case .closeUnsatisfied: .closeUnsatisfied
        case .reclassify: .reclassify
        case .redo: .redo
        case .archive: .archive
        case .markFinalReply: .markFinalReply
        case .urge: .urge
        case .issueCard: .issueCard
        case .escalate: .escalate
        case .consult: .consult
        case .acknowledgeSupervision: .acknowledgeSupervision
        case .rateByCitizen: .citizenRate
        }
    }
}

/// What the lifecycle needs to know about the world beyond the order itself.
public struct LifecycleContext: Sendable {
    public var calendar: WorkingCalendar
    public var limits: TimeLimitPolicy
    public var units: UnitHierarchy
    /// Known category codes (retired ones too).
    public var categories: Set<String>
    /// The category tree: parents and retired categories.
    public var categoryTree: CategoryHierarchy
    /// Which callbacks redo the order by themselves.
    public var callbackRule: CallbackRule
    /// The reasons a unit may give for a return (退单原因).
    public var returnReasons: ReturnReasonList
    /// The reply review rules (答复审核规则) in force.
    public var replyRules: ReplyReviewRules
    /// When orders are escalated by themselves (提级规则).
    public var escalationRule: EscalationRule
    /// The units whose staff's replies wait for one of the unit's admins before they reach the centre (单位领导审核).
    public var leaderReviewUnits: Set<UnitID>

    /// `categoryTree` defaults to the tree the dotted codes of `categories` spell, with nothing retired.
    public init(
        calendar: WorkingCalendar, limits: TimeLimitPolicy = .defaults, units: UnitHierarchy, categories: Set<String>,
        categoryTree: CategoryHierarchy? = nil, callbackRule: CallbackRule = .default,
        returnReasons: ReturnReasonList = .default,
        replyRules: ReplyReviewRules = .default, escalationRule: EscalationRule = .default, leaderReviewUnits: Set<UnitID> = []
    ) {
        self.calendar = calendar
        self.limits = limits
        self.units = units
        self.categories = categories
        self.categoryTree = categoryTree ?? CategoryHierarchy(codes: categories)
        self.callbackRule = callbackRule
        self.returnReasons = returnReasons
        self.replyRules = replyRules
        self.escalationRule = escalationRule
        self.leaderReviewUnits = leaderReviewUnits
    }

    func deadline(_ stage: TimeLimitStage, for order: WorkOrder, from start: Date) -> Date {
        limits.limit(for: stage, kind: order.kind, categoryCode: order.categoryCode, lanes: order.lanes, categories: categoryTree)
            .deadline(from: start, calendar: calendar)
    }

    /// Refuses a category that is unknown or retired (退用) for a new order or a reclassification.
    func requireOffered(category code: String) throws(LifecycleError) {
        guard categories.contains(code) else { throw .unknownCategory(code) }
        guard !categoryTree.isRetired(code) else { throw .invalid(field: "category_code", message: "该事项分类已停用，请改选其他分类") }
    }
}

/// Limits on free text, shared by intake and transitions.
public enum TextLimits {
    public static let title = 200
    public static let content = 10_000
    public static let note = 2_000
    public static let reply = 10_000
    public static let name = 100
    public static let address = 300
    public static let attachments = 20
    public static let tags = 10
    public static let tag = 32
}
