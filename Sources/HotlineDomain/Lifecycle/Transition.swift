import Foundation

/// A change requested of a work order, with its input.
public enum Transition: Sendable, Equatable {
    case reject(reason: RejectionReason, note: String)
    case answerDirectly(answer: String)
    case dispatch(lead: UnitID, assisting: [UnitID], note: String?)
    case sign
    case returnOrder(reason: String)
    case redispatch(lead: UnitID, assisting: [UnitID], note: String?)
    case subDispatch(unit: UnitID, note: String?)
    case requestExtension(workingDays: Int, reason: String)
    case approveExtension(note: String?)
    case denyExtension(reason: String)
    case reply(text: String, attachments: [AttachmentInfo])
    case passReview(note: String?)
    case sendBack(reason: String)
    /// `reached == false` records an unanswered callback attempt.
    case recordCallback(reached: Bool, resolved: Bool, satisfaction: Satisfaction, note: String)
    case close(note: String)
    case redo(reason: String)
    case archive
    case markFinalReply(note: String)
    case urge(note: String)
    case issueCard(colour: CardColour, reason: String)
    case escalate(reason: String)

    public var action: Action {
        switch self {
        case .reject: .reject
        case .answerDirectly: .answerDirectly
        case .dispatch: .dispatch
        case .sign: .sign
        case .returnOrder: .returnOrder
        case .redispatch: .redispatch
        case .subDispatch: .subDispatch
        case .requestExtension: .requestExtension
        case .approveExtension: .approveExtension
        case .denyExtension: .denyExtension
        case .reply: .reply
        case .passReview: .passReview
        case .sendBack: .sendBack
        case .recordCallback: .recordCallback
        case .close: .close
        case .redo: .redo
        case .archive: .archive
        case .markFinalReply: .markFinalReply
        case .urge: .urge
        case .issueCard: .issueCard
        case .escalate: .escalate
        }
    }
}

/// What the lifecycle needs to know about the world beyond the order itself.
public struct LifecycleContext: Sendable {
    public var calendar: WorkingCalendar
    public var limits: TimeLimitPolicy
    public var units: UnitHierarchy
    /// Known category codes.
    public var categories: Set<String>

    public init(calendar: WorkingCalendar, limits: TimeLimitPolicy = .defaults, units: UnitHierarchy, categories: Set<String>) {
        self.calendar = calendar
        self.limits = limits
        self.units = units
        self.categories = categories
    }

    func deadline(_ stage: TimeLimitStage, for order: WorkOrder, from start: Date) -> Date {
        limits.limit(for: stage, kind: order.kind, categoryCode: order.categoryCode, lanes: order.lanes)
            .deadline(from: start, calendar: calendar)
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
