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

    init(_ o: WorkOrder, now: Date) {
        number = o.number.description
        status = o.status
        statusName = o.status.chineseName
        channel = o.channel
        kind = o.kind
        kindName = o.kind.chineseName
        categoryCode = o.categoryCode
        title = o.title
        content = o.content
        caller = o.caller
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

/// The result of a transition: the new order and the events it added.
struct TransitionResponse: Encodable {
    var order: OrderResponse
    var events: [String]
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

    init(_ page: OrderPage, now: Date) {
        items = page.items.map {
            Item(number: $0.number.description, status: $0.status, statusName: $0.status.chineseName, channel: $0.channel, kind: $0.kind,
                 categoryCode: $0.categoryCode, leadUnit: $0.leadUnit, title: $0.title, district: $0.district,
                 callerPhone: PhoneMask.mask($0.callerPhone), createdAt: $0.createdAt, dueAt: $0.dueAt,
                 overdue: $0.dueAt.map { $0 < now } ?? false, redoCount: $0.redoCount)
        }
        total = page.total
        totalIsExact = page.totalIsExact
        self.page = page.page
        pageSize = page.size
    }
}

/// Masks a phone number for lists: 13812345678 → 138****5678.
enum PhoneMask {
    static func mask(_ phone: String) -> String {
        let chars = Array(phone)
        guard chars.count >= 7 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(3)) + "****" + String(chars.suffix(4))
    }
}
