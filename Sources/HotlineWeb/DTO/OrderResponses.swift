import Foundation
import HotlineApp
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
    /// 待协调督办: escalated, open, and no joint consultation has decided it yet.
    var awaitsCoordination: Bool
    /// 会商: the joint consultation's decision, once held.
    var consultation: Consultation?
    /// 督办: urges and cards so far (zero counts before the first).
    var supervision: Supervision
    var finalReply: Bool
    var repeatOf: String?
    var mergedInto: String?
    var mergedOrders: [String]
    /// 并单: the callers of the orders merged into this one, each with their own order (masked like the caller).
    var mergedCallers: [MergedCallerView]
    var rejection: RejectionView?
    var directAnswer: String?
    var reply: Reply?
    var pendingExtension: ExtensionRequest?
    var callback: CallbackResult?
    var callbackAttempts: Int
    /// 不满意办结: the centre's reason for closing despite the callback.
    var unsatisfiedClosure: String?
    var version: Int

    struct MergedCallerView: Encodable {
        var order: String
        var caller: Caller
        var mergedAt: Date
    }

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
        awaitsCoordination = o.awaitsCoordination
        consultation = o.consultation
        supervision = o.supervision ?? Supervision()
        finalReply = o.finalReply
        repeatOf = o.repeatOf?.description
        mergedInto = o.mergedInto?.description
        mergedOrders = o.mergedOrders.map(\.description)
        mergedCallers = o.mergedCallers.map {
            MergedCallerView(order: $0.order.description, caller: ContactPrivacy.view(of: $0.caller, for: viewer), mergedAt: $0.mergedAt)
        }
        rejection = o.rejection.map {
            RejectionView(reason: $0.reason, reasonName: $0.reason.chineseName, note: $0.note, redirectNumber: $0.reason.redirectNumber, answer: $0.reason.answer)
        }
        directAnswer = o.directAnswer
        reply = o.reply
        pendingExtension = o.pendingExtension
        callback = o.callback
        callbackAttempts = o.callbackAttempts
        unsatisfiedClosure = o.unsatisfiedClosure
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

/// GET /api/v1/orders/{number}: the order, its events, every reply round, and whether its hash chain checks out
/// against the event count and last hash the order's row records.
struct OrderDetailResponse: Encodable {
    var order: OrderResponse
    var events: [EventResponse]
    var replyRounds: [ReplyRoundView]
    var chainVerified: Bool

    init(_ record: OrderRecord, now: Date, viewer: Actor) {
        order = OrderResponse(record.order, now: now, viewer: viewer)
        events = record.events.map(EventResponse.init)
        replyRounds = record.replyRounds.map(ReplyRoundView.init)
        chainVerified = record.chainIntact
    }
}

/// One reply round (答复) as the API shows it: the text and files, and the review's verdict.
struct ReplyRoundView: Encodable {
    struct File: Encodable {
        var name: String
        var sha256: String
    }
    var round: Int
    var redoRound: Int
    var unit: String?
    var text: String
    var attachments: [File]
    var repliedAt: Date
    var carriedFrom: String?
    /// `passed`, `sent_back` or nil while under review.
    var review: String?
    var reviewNote: String?

    init(_ r: ReplyRound) {
        round = r.number
        redoRound = r.redoRound
        unit = r.unit
        text = r.text
        attachments = r.files.map { File(name: $0.name, sha256: $0.sha256) }
        repliedAt = r.at
        carriedFrom = r.carriedFrom
        switch r.review {
        case .passed(let note)?: (review, reviewNote) = ("passed", note)
        case .sentBack(let reason)?: (review, reviewNote) = ("sent_back", reason)
        case .unitSentBack(let reason)?: (review, reviewNote) = ("unit_sent_back", reason)
        case nil: (review, reviewNote) = (nil, nil)
        }
    }
}

/// The result of a transition: the new order and the events it added, and for intake anything the agent
/// should know (a restricted caller).
struct TransitionResponse: Encodable {
    var order: OrderResponse
    var events: [String]
    var warnings: [WorkOrderDesk.Warning] = []
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

