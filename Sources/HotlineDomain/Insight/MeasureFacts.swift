import Foundation

/// One order's contribution to the measures (指标事实): its counts and the keys it is counted under. A pure function of
/// the order as it stands, so the stored facts can always be recomputed from the record and compared.
///
/// Period rule: every measure counts the orders **accepted** (受理, the order's creation) in the period, by China
/// calendar day; an order stays in the day it was taken in whatever happens to it later.
public struct MeasureFacts: Sendable, Equatable {
    /// The China calendar day the order was taken in.
    public var day: CivilDay
    /// The lead unit (主办单位) of the latest dispatch; nil while the centre holds the order or when none was dispatched.
    public var unit: UnitID?
    public var categoryCode: String?
    public var district: String?
    public var channel: Channel
    public var kind: RequestKind
    public var counts: MeasureCounts

    public init(_ order: WorkOrder) {
        day = CivilDay(containing: order.timeline.createdAt)
        unit = order.timeline.dispatchedAt == nil ? nil : order.leadUnit
        categoryCode = order.categoryCode
        district = order.location.district.flatMap { $0.isEmpty ? nil : $0 }
        channel = order.channel
        kind = order.kind
        counts = Self.counts(of: order)
    }

    /// The counts of one order; see ``MeasureDefinition`` for the words.
    public static func counts(of order: WorkOrder) -> MeasureCounts {
        var c = MeasureCounts()
        c.received = 1
        // 不予受理 and 并单 leave the order out of every measure but `received`: a merged order's handling is its survivor's.
        guard order.status != .rejected, order.status != .merged, order.mergedInto == nil else { return c }
        c.accepted = 1
        c.repeated = order.repeatOf == nil ? 0 : 1
        // The verdict on satisfaction: the citizen's own rating where given (a direct answer too), else the callback's.
        if let rating = order.citizenRating {
            c.rated = 1
            c.satisfied = rating.satisfaction == .satisfied ? 1 : 0
            c.basicallySatisfied = rating.satisfaction == .basicallySatisfied ? 1 : 0
        }
        guard let dispatchedAt = order.timeline.dispatchedAt else {
            c.directAnswered = order.directAnswer == nil ? 0 : 1
            return c
        }
        c.dispatched = 1
        if let signed = order.timeline.signedAt, signed >= dispatchedAt, order.deadlines.signBy.map({ signed <= $0 }) ?? true {
            c.signedOnTime = 1
        }
        c.returned = order.returnCount > 0 ? 1 : 0
        c.redone = order.redoCount > 0 ? 1 : 0
        if let callback = order.callback {
            c.reached = 1
            c.resolved = callback.resolved ? 1 : 0
            if order.citizenRating == nil {
                c.rated = 1
                c.satisfied = callback.satisfaction == .satisfied ? 1 : 0
                c.basicallySatisfied = callback.satisfaction == .basicallySatisfied ? 1 : 0
            }
        }
        let replied = order.reply == nil ? nil : order.timeline.repliedAt
        if order.status == .closed || order.status == .archived {
            c.finished = 1
            if let replied, order.deadlines.replyBy.map({ replied <= $0 }) ?? true { c.finishedOnTime = 1 }
        }
        c.unsatisfiedClosed = order.unsatisfiedClosure == nil ? 0 : 1
        if replied != nil, let seconds = order.handlingSeconds {
            c.handled = 1
            c.handlingSeconds = seconds
        }
        return c
    }
}
