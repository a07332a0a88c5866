import Foundation

/// A work order (工单): one citizen request followed through the whole closed loop.
///
/// A value: every change is made by ``Lifecycle`` and comes with the events that record it.
public struct WorkOrder: Sendable, Equatable, Codable {
    public var number: OrderNumber
    public var channel: Channel
    public var caller: Caller
    public var kind: RequestKind
    /// A node of the category tree (事项分类), e.g. `03.02.01`.
    public var categoryCode: String?
    public var title: String
    public var content: String
    public var location: Location
    public var lanes: [Lane]
    /// Colour and free tags (标签).
    public var tags: [String]

    public var status: WorkOrderStatus
    /// 主办单位.
    public var leadUnit: UnitID?
    /// 协办单位.
    public var assistingUnits: [UnitID]
    /// Units below the lead unit that it passed the order to (下派).
    public var subUnits: [UnitID]
    public var deadlines: Deadlines
    public var timeline: Timeline

    /// Times the order was sent back for redo after an unsatisfactory result (重办次数).
    public var redoCount: Int
    /// Times a unit returned the order (退单次数).
    public var returnCount: Int
    /// Set when repeated failure escalated the order (提级).
    public var escalated: Bool
    /// 最终答复: the centre's final reply on these facts; the same facts are not accepted again.
    public var finalReply: Bool
    /// An earlier order on the same facts that this one repeats (重复诉求).
    public var repeatOf: OrderNumber?
    /// 并单: the order this one was merged into.
    public var mergedInto: OrderNumber?
    /// Orders merged into this one.
    public var mergedOrders: [OrderNumber]
    /// The callers of the orders merged into this one, each with their own order (nil in orders without merges).
    public var mergedCallersRecord: [MergedCaller]? = nil

    public var rejection: Rejection?
    public var directAnswer: String?
    public var reply: Reply?
    public var pendingExtension: ExtensionRequest?
    public var extensionCount: Int
    public var callback: CallbackResult?
    public var callbackAttempts: Int
    /// Optimistic-concurrency version, bumped by every transition.
    public var version: Int
    /// 督办: urges and cards so far; nil until the first one (and in orders stored before supervision existed).
    public var supervision: Supervision? = nil
    /// The units that returned the order (退单), each once, in the order they did; nil until the first return (and in
    /// orders stored before it was kept).
    public var returningUnits: [UnitID]? = nil
    /// 不满意办结: the centre's written reason for closing despite an unresolved or unsatisfied callback.
    public var unsatisfiedClosure: String? = nil
    /// 审核退回: when review last sent the unit's reply back; nil once the unit replies again or the order leaves it.
    public var sentBackAt: Date? = nil
    /// 会商: the joint consultation's decision on this escalated order; nil until one is held.
    public var consultation: Consultation? = nil
    /// The China calendar days (YYYY-MM-DD) of this callback round's unanswered calls, one entry per call, as the
    /// round's `callback_unreachable` events record them; nil before the first (and for rounds begun before days were kept).
    public var callbackAttemptDays: [String]? = nil
    /// 督办关注: set when a callback rule flagged the order for the supervisors, cleared when one of them acts on it.
    public var supervisionFlag: SupervisionFlag? = nil
    /// Working seconds from the latest dispatch to the unit's latest reply (办理用时), set by the reply; nil before one
    /// (and for replies stored before it was kept). The measures' average handling time reads it.
    public var handlingSeconds: Int? = nil
    /// 市民评价: the citizen's own rating given on the portal after the loop closed; nil until then.
    public var citizenRating: CitizenRating? = nil
    /// Files the citizen sent with the request (诉求附件), as the `created` event records them; nil for none.
    public var intakeAttachments: [AttachmentInfo]? = nil

    /// Every caller besides the order's own whose request was merged into it (并单).
    public var mergedCallers: [MergedCaller] {
        get { mergedCallersRecord ?? [] }
        set { mergedCallersRecord = newValue.isEmpty ? nil : newValue }
    }

    /// The deadline someone is working against right now, or nil when no clock runs: the centre's dispatch, the
    /// unit's reply, the centre's review (审核) and callback (回访). Orders that entered review or callback before
    /// those stages had limits carry none there.
    public var activeDeadline: Date? {
        switch status {
        case .pendingDispatch, .returned: deadlines.dispatchBy
        case .dispatched, .handling: deadlines.replyBy
        case .replied: deadlines.reviewBy
        case .awaitingCallback: deadlines.callbackBy
        // 待单位审核 has no clock of its own: the reply deadline was met when the staff member replied.
        case .unitReview, .rejected, .callbackDisputed, .closed, .archived, .merged: nil
        }
    }

    /// The deadline the units holding the order work against: the reply's while they hold it, nil while the centre
    /// does (dispatch, review, callback). The unit links carry this one, so a unit's overdue list is its own.
    public var unitDeadline: Date? {
        status == .dispatched || status == .handling ? deadlines.replyBy : nil
    }

    /// The unit currently responsible for the order.
    public var responsibleUnit: UnitID? { status == .pendingDispatch || status == .returned ? nil : leadUnit }

    /// 待协调督办: escalated, still open, and no joint consultation has decided it yet — the centre's coordination queue.
    public var awaitsCoordination: Bool { escalated && consultation == nil && status.isOpen }

    public func isOverdue(at now: Date) -> Bool { activeDeadline.map { $0 < now } ?? false }
}

/// The deadlines of an order; nil where the stage has not started.
public struct Deadlines: Sendable, Equatable, Codable {
    public var dispatchBy: Date?
    public var signBy: Date?
    public var replyBy: Date?
    public var returnAllowedUntil: Date?
    /// 审核时限: set when a reply arrives for review.
    public var reviewBy: Date?
    /// 回访时限: set when the reply passes review (or a merged order takes its surviving order's answer).
    public var callbackBy: Date?

    public init(
        dispatchBy: Date? = nil, signBy: Date? = nil, replyBy: Date? = nil, returnAllowedUntil: Date? = nil, reviewBy: Date? = nil,
        callbackBy: Date? = nil
    ) {
        self.dispatchBy = dispatchBy
        self.signBy = signBy
        self.replyBy = replyBy
        self.returnAllowedUntil = returnAllowedUntil
        self.reviewBy = reviewBy
        self.callbackBy = callbackBy
    }
}

/// When the order passed each milestone.
public struct Timeline: Sendable, Equatable, Codable {
    public var createdAt: Date
    public var updatedAt: Date
    public var dispatchedAt: Date?
    public var signedAt: Date?
    public var repliedAt: Date?
    public var closedAt: Date?
    public var archivedAt: Date?

    public init(createdAt: Date) {
        self.createdAt = createdAt
        updatedAt = createdAt
    }
}

public struct Rejection: Sendable, Equatable, Codable {
    public var reason: RejectionReason
    public var note: String
}

public struct Reply: Sendable, Equatable, Codable {
    public var unit: UnitID
    public var text: String
    public var attachments: [AttachmentInfo]
    public var at: Date
}

public struct ExtensionRequest: Sendable, Equatable, Codable {
    public var unit: UnitID
    public var workingDays: Int
    public var reason: String
    public var requestedAt: Date
}

/// What the citizen said on the callback (回访结果).
public struct CallbackResult: Sendable, Equatable, Codable {
    public var resolved: Bool
    public var satisfaction: Satisfaction
    /// The caller's rating from 1 to 5 stars, when asked.
    public var stars: Int?
    public var note: String
    public var at: Date
}

/// A caller whose own order was merged into this one (并单): they are owed the same answer and their own callback.
public struct MergedCaller: Sendable, Equatable, Codable {
    public var order: OrderNumber
    public var caller: Caller
    public var mergedAt: Date

    public init(order: OrderNumber, caller: Caller, mergedAt: Date) {
        self.order = order
        self.caller = caller
        self.mergedAt = mergedAt
    }
}

/// 满意度.
public enum Satisfaction: String, Sendable, Codable, CaseIterable {
    case satisfied, basicallySatisfied = "basically_satisfied", unsatisfied

    public var chineseName: String {
        switch self {
        case .satisfied: "满意"
        case .basicallySatisfied: "基本满意"
        case .unsatisfied: "不满意"
        }
    }
}

/// The supervision overlay of an order (督办): not a state, a record of pressure applied to the unit.
public struct Supervision: Sendable, Equatable, Codable {
    public var urges: Int = 0
    public var yellowCards: Int = 0
    public var redCards: Int = 0
    public var lastAt: Date?

    public init(urges: Int = 0, yellowCards: Int = 0, redCards: Int = 0, lastAt: Date? = nil) {
        self.urges = urges
        self.yellowCards = yellowCards
        self.redCards = redCards
        self.lastAt = lastAt
    }
}

/// 黄牌 warns a unit about an overdue or failed order; 红牌 follows a yellow card that did not help.
public enum CardColour: String, Sendable, Codable, CaseIterable {
    case yellow, red

    public var chineseName: String {
        switch self {
        case .yellow: "黄牌"
        case .red: "红牌"
        }
    }
}
