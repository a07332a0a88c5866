import Foundation
import HotlineDomain
import HotlineStorage

/// A work order as the API shows it.
struct OrderResponse: Encodable {
    var number: String
    var status: WorkOrderStatus
    var statusName: String
    var channel: Channel
    var kind: RequestKind
    var kindName: String
    var categoryCode: String?
    var title: String
    var content: String
    var caller: Caller
    var location: Location
    var lanes: [Lane]
    var tags: [String]
    var leadUnit: UnitID?
    var assistingUnits: [UnitID]
    var subUnits: [UnitID]
    var deadlines: Deadlines
    var activeDeadline: Date?
    var overdue: Bool
    var timeline: Timeline
    var redoCount: Int
    var returnCount: Int
    var extensionCount: Int
    var escalated: Bool
    /// 督办: urges and cards so far (zero counts before the first).
    var supervision: Supervision
    var finalReply: Bool
    var repeatOf: String?
    var mergedInto: String?
    var mergedOrders: [String]
    var rejection: RejectionView?
    var directAnswer: String?
    var reply: Reply?
    var pendingExtension: ExtensionRequest?
    var callback: CallbackResult?
    var callbackAttempts: Int
    var version: Int

    struct RejectionView: Encodable {
        var reason: RejectionReason
        var reasonName: String
        var note: String
        var redirectNumber: String?
        var answer: String
    }

    /// The order as `viewer` may see it: the caller's phone and ID masked, a confidential caller hidden from units.
    init(_ o: WorkOrder, now: Date, viewer: Actor) {
        number = o.number.description
        status = o.status
        statusName = o.status.chineseName
        channel = o.channel
        kind = o.kind
        kindName = o.kind.chineseName
        categoryCode = o.categoryCode
        title = o.title
        content = o.content
        caller = ContactPrivacy.view(of: o.caller, for: viewer)
        location = o.location
        lanes = o.lanes
        tags = o.tags
        leadUnit = o.leadUnit
        assistingUnits = o.assistingUnits
        subUnits = o.subUnits
        deadlines = o.deadlines
        activeDeadline = o.activeDeadline
        overdue = o.isOverdue(at: now)
        timeline = o.timeline
        redoCount = o.redoCount
        returnCount = o.returnCount
        extensionCount = o.extensionCount
        escalated = o.escalated
        supervision = o.supervision ?? Supervision()
        finalReply = o.finalReply
        repeatOf = o.repeatOf?.description
        mergedInto = o.mergedInto?.description
        mergedOrders = o.mergedOrders.map(\.description)
        rejection = o.rejection.map {
            RejectionView(reason: $0.reason, reasonName: $0.reason.chineseName, note: $0.note, redirectNumber: $0.reason.redirectNumber, answer: $0.reason.answer)
        }
        directAnswer = o.directAnswer
        reply = o.reply
        pendingExtension = o.pendingExtension
        callback = o.callback
        callbackAttempts = o.callbackAttempts
        version = o.version
    }
}

struct EventResponse: Encodable {
    var seq: Int
    var kind: String
    var kindName: String
    var actor: String
    var actorRole: String
    var actorUnit: String?
    var at: Date
    var fromStatus: String?
    var toStatus: String
    var note: String?
    var details: [String: String]
    var hash: String
    var prevHash: String

    init(_ e: StoredEvent) {
        seq = e.seq
        kind = e.kind
        kindName = EventKind(rawValue: e.kind)?.chineseName ?? e.kind
        actor = e.actorID
        actorRole = e.actorRole
        actorUnit = e.actorUnit
        at = e.date
        fromStatus = e.fromStatus
        toStatus = e.toStatus
        note = e.note
        details = e.detailValues
        hash = e.hash
        prevHash = e.prevHash
    }
}

/// GET /api/v1/orders/{number}: the order, its events, and whether its hash chain checks out.
struct OrderDetailResponse: Encodable {
    var order: OrderResponse
    var events: [EventResponse]
    var chainVerified: Bool
}

/// The result of a transition: the new order and the events it added, and for intake anything the agent
/// should know (a restricted caller).
struct TransitionResponse: Encodable {
    var order: OrderResponse
    var events: [String]
    var warnings: [Warning] = []
}

/// Something the agent should see at intake without it stopping the intake.
struct Warning: Encodable {
    var code: String
    var message: String
}

struct OrderListResponse: Encodable {
    struct Item: Encodable {
        var number: String
        var status: WorkOrderStatus
        var statusName: String
        var channel: Channel
        var kind: RequestKind
        var categoryCode: String?
        var leadUnit: UnitID?
        var title: String
        var district: String?
        var callerPhone: String
        var createdAt: Date
        var dueAt: Date?
        var overdue: Bool
        var redoCount: Int
    }
    var items: [Item]
    var total: Int
    /// False when more orders match than were counted (`total` is then a lower bound, shown as "10000+").
    var totalIsExact: Bool
    var page: Int
    var pageSize: Int

    init(_ page: OrderPage, now: Date, viewer: Actor) {
        items = page.items.map {
            Item(number: $0.number.description, status: $0.status, statusName: $0.status.chineseName, channel: $0.channel, kind: $0.kind,
                 categoryCode: $0.categoryCode, leadUnit: $0.leadUnit, title: $0.title, district: $0.district,
                 callerPhone: Self.shownPhone($0, viewer: viewer), createdAt: $0.createdAt, dueAt: $0.dueAt,
                 overdue: $0.dueAt.map { $0 < now } ?? false, redoCount: $0.redoCount)
        }
        total = page.total
        totalIsExact = page.totalIsExact
        self.page = page.page
        pageSize = page.size
    }

    /// Lists always mask; a confidential caller's number is withheld from units altogether.
    static func shownPhone(_ item: OrderSummary, viewer: Actor) -> String {
        item.callerConfidential && viewer.role.isUnitRole ? ContactPrivacy.confidentialPlaceholder : ContactPrivacy.maskPhone(item.callerPhone)
    }
}

