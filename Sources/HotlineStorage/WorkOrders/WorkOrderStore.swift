import Foundation
import HotlineDomain

/// Holds work orders and their event log. Every write is one transaction that stores the changed
/// order together with its hash-chained events, or nothing.
public protocol WorkOrderStore: Sendable {
    /// Allocates the next order number of `day`, lets `make` build the order (given the earlier order it
    /// repeats, if any), and stores it.
    func insert(
        day: CivilDay, repeatOf: OrderNumber?, _ make: @escaping @Sendable (OrderNumber, WorkOrder?) throws -> Outcome
    ) async throws -> Outcome

    /// Stores many new orders in one transaction (group commit): numbers are allocated in request order
    /// without gaps; a request whose `make` throws gets its error and takes no number, and so does one whose channel
    /// message was already received (``DuplicateMessage``, naming the order the first delivery made).
    func insertBatch(_ requests: [NewOrderRequest]) async throws -> [Result<Outcome, any Error>]

    /// Loads the order under a write lock, applies `change`, and stores the result.
    func update(_ number: OrderNumber, _ change: @escaping @Sendable (WorkOrder) throws -> Outcome) async throws -> Outcome

    /// As `update`, and stores `files` for the order in the same transaction: a reply and its evidence land
    /// together or not at all.
    func update(
        _ number: OrderNumber, attaching files: [AttachmentUpload], _ change: @escaping @Sendable (WorkOrder) throws -> Outcome
    ) async throws -> Outcome

    /// Loads both orders under a write lock, applies `change`, and stores both results.
    func update(
        _ first: OrderNumber, _ second: OrderNumber,
        _ change: @escaping @Sendable (WorkOrder, WorkOrder) throws -> (Outcome, Outcome)
    ) async throws -> (Outcome, Outcome)

    /// Loads the order and then the orders `following` names (in number order), all under a write lock, applies
    /// `change`, and stores every outcome that has events — one transaction for a change that reaches other orders
    /// (the answer of a surviving order carried to the orders merged into it).
    func update(
        _ number: OrderNumber, following: @escaping @Sendable (WorkOrder) -> [OrderNumber],
        _ change: @escaping @Sendable (WorkOrder, [WorkOrder]) throws -> (Outcome, [Outcome])
    ) async throws -> (Outcome, [Outcome])

    func order(_ number: OrderNumber) async throws -> WorkOrder?
    /// The order, its events and the chain head its row records, read together.
    func record(_ number: OrderNumber) async throws -> StoredOrder?
    func events(of number: OrderNumber) async throws -> [StoredEvent]
    func list(_ filter: OrderFilter, page: PageRequest, now: Date) async throws -> OrderPage
    /// The stored orders among `numbers` (unknown numbers left out), newest first: a feed that shows each order's own
    /// fields (Open311) reads them whole in one statement per few hundred numbers.
    func orders(numbered numbers: [OrderNumber]) async throws -> [WorkOrder]
    /// The newest orders matching `filter` by creation time, at most `limit` of them, whole: one statement with a LIMIT.
    func orders(matching filter: OrderFilter, limit: Int, now: Date) async throws -> [WorkOrder]
    /// Orders past their active deadline per responsible unit (超期工单数): ``OrderFilter/overdueAtUnits`` by lead unit.
    func overdueCountsByUnit(now: Date) async throws -> [UnitCount]
    /// How many orders match `filter` per lead unit (主办单位), most first: the same orders as the list with the filter
    /// and `leadUnit` set to each unit.
    func countsByLeadUnit(_ filter: OrderFilter, now: Date) async throws -> [UnitCount]
    /// Each order's latest note of an event kind (e.g. the reason of its last return).
    func latestNotes(_ kind: EventKind, of numbers: [OrderNumber]) async throws -> [OrderNumber: String]
    /// Stores orders that already carry numbers (imports, demo data, benchmarks) in bulk.
    func importOrders(_ outcomes: [Outcome]) async throws
}

/// An order as stored: the order, its event log, and the event count and last hash its row records, against which
/// the log is checked (so that a deleted last event shows).
public struct StoredOrder: Sendable {
    public var order: WorkOrder
    public var events: [StoredEvent]
    public var eventCount: Int
    public var lastHash: String

    /// Whether the log is whole: every hash links, and the log ends where the order's row says it does.
    public var chainIntact: Bool { chainBreak == nil }

    /// The first thing wrong with the log, if anything.
    public var chainBreak: ChainBreak? { EventLogVerifier.check(events, order: order.number.rawValue, count: eventCount, head: lastHash) }
}

/// One new order waiting to be numbered and stored.
public struct NewOrderRequest: Sendable {
    public var day: CivilDay
    public var repeatOf: OrderNumber?
    /// The channel message the order is made from, when it came through a gateway: the order is made only if no
    /// earlier delivery of the message made one; otherwise the request fails with ``DuplicateMessage`` and takes no number.
    public var message: ChannelMessageKey?
    public var make: @Sendable (OrderNumber, WorkOrder?) throws -> Outcome
    /// Files the citizen sent with the request (photos from the portal), stored with the order or not at all.
    public var attachments: [AttachmentUpload]

    public init(
        day: CivilDay, repeatOf: OrderNumber?, attachments: [AttachmentUpload] = [], message: ChannelMessageKey? = nil,
        make: @escaping @Sendable (OrderNumber, WorkOrder?) throws -> Outcome
    ) {
        self.day = day
        self.repeatOf = repeatOf
        self.attachments = attachments
        self.message = message
        self.make = make
    }
}

public enum StoreError: Error, Equatable, Sendable {
    case notFound(OrderNumber)
    case sequenceExhausted(CivilDay)
}

/// The filters of the order list; nil means "any".
public struct OrderFilter: Sendable, Equatable {
    public var statuses: [WorkOrderStatus] = []
    /// Orders the unit leads, assists or was passed down to.
    public var unit: UnitID?
    /// Orders linked to any of these units (a unit user's data scope); nil means unrestricted.
    public var unitScope: [UnitID]?
    /// A category node; matches the node and its subtree.
    public var categoryCode: String?
    /// The subtree of `categoryCode` by parent links, when it differs from the codes its dotted prefix spells (a
    /// category was moved into or out of it); set by the application core, nil otherwise.
    public var categorySubtree: [String]?
    public var kind: RequestKind?
    public var channel: Channel?
    public var overdue: Bool?
    /// Not yet overdue, but due by this time (即将超期).
    public var dueBefore: Date?
    public var createdFrom: Date?
    public var createdTo: Date?
    /// Words the title or content contains.
    public var text: String?
    public var callerPhone: String?
    /// Orders this unit leads (主办), unlike `unit`, which also takes assisting and sub-dispatched units.
    public var leadUnit: UnitID?
    /// 办理通道: orders in this lane (绿色通道, 营商环境).
    public var lane: Lane?
    /// 延期待审批: a unit's extension request waits for the centre's decision.
    public var extensionPending = false
    /// 审核退回: review sent the reply back and the unit has not replied again.
    public var sentBack = false
    /// 重办: orders redone at least once.
    public var redone = false
    /// 催办: orders urged at least once.
    public var urged = false
    /// 黄牌/红牌: orders given a card.
    public var carded = false
    /// 待协调督办: escalated orders still open that no joint consultation (会商) has decided yet.
    public var awaitsCoordination = false
    /// 督办关注: orders a callback rule flagged for the supervisors that none of them has acted on yet.
    public var supervisionFlagged = false

    public init() {}

    /// Whether any of the marks (extension pending, sent back, redone, urged, carded) is asked for.
    public var hasMarks: Bool { extensionPending || sentBack || redone || urged || carded || awaitsCoordination }

    /// 超期在办: orders in a unit's hands (待签收, 办理中) past their deadline — the one definition the supervisor's home,
    /// the supervision board and their lists share.
    /// 协调督办: the centre's coordination queue — the one definition the supervisor's and dispatcher's homes, the
    /// supervision board and their lists share.
    public static var coordination: OrderFilter {
        var f = OrderFilter()
        f.awaitsCoordination = true
        return f
    }

    public static var overdueAtUnits: OrderFilter {
        var f = OrderFilter()
        f.statuses = [.dispatched, .handling]
        f.overdue = true
        return f
    }
}

public enum OrderSort: String, Sendable, CaseIterable {
    /// `urgent` (紧急优先): 绿色通道 orders first, then the earliest deadline (the overdue ones) first.
    case newest, oldest, due, urgent
}

public struct PageRequest: Sendable, Equatable {
    public static let maximumSize = 100
    public var page: Int
    public var size: Int
    public var sort: OrderSort
    /// False when the caller only walks the pages (exports) and needs no total.
    public var countsTotal: Bool
    /// True when the caller wants only the total (a queue's tile): no rows are read.
    public var countsOnly: Bool

    public init(page: Int = 1, size: Int = 20, sort: OrderSort = .newest, countsTotal: Bool = true, countsOnly: Bool = false) {
        self.page = max(1, page)
        self.size = min(max(1, size), PageRequest.maximumSize)
        self.sort = sort
        self.countsTotal = countsTotal || countsOnly
        self.countsOnly = countsOnly
    }

    /// Only the total of a filter, as a home tile shows it.
    public static let totalOnly = PageRequest(size: 1, countsOnly: true)
}

/// One row of the order list.
public struct OrderSummary: Sendable, Equatable, Codable {
    public var number: OrderNumber
    public var status: WorkOrderStatus
    public var channel: Channel
    public var kind: RequestKind
    public var categoryCode: String?
    public var leadUnit: UnitID?
    public var title: String
    public var district: String?
    public var callerPhone: String
    /// 保密: the caller's identity is withheld from handling units.
    public var callerConfidential: Bool
    public var createdAt: Date
    public var dueAt: Date?
    public var redoCount: Int
    /// 绿色通道, 营商环境: the order's lanes.
    public var lanes: [Lane]
}

public struct OrderPage: Sendable, Equatable {
    public var items: [OrderSummary]
    /// The number of matching orders, or a lower bound when `totalIsExact` is false.
    public var total: Int
    public var totalIsExact: Bool
    public var page: Int
    public var size: Int

    public init(items: [OrderSummary], total: Int, totalIsExact: Bool, page: Int, size: Int) {
        self.items = items
        self.total = total
        self.totalIsExact = totalIsExact
        self.page = page
        self.size = size
    }
}

public struct UnitCount: Sendable, Equatable, Codable {
    public var unit: UnitID
    public var count: Int

    public init(unit: UnitID, count: Int) {
        self.unit = unit
        self.count = count
    }
}
