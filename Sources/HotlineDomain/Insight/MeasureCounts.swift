import Foundation

/// The additive counts behind every measure (考评指标): one order contributes its ``MeasureFacts``, and a period's or a
/// unit's figures are the sum of its orders' counts. Every field is a count of orders except `handlingSeconds`.
public struct MeasureCounts: Sendable, Equatable, Codable {
    /// Orders taken in (来电、来信), whatever became of them.
    public var received = 0
    /// 受理: taken in and neither refused (不予受理) nor merged into another order (并单).
    public var accepted = 0
    /// 直接答复: accepted and answered on the call, never dispatched.
    public var directAnswered = 0
    /// 派单: accepted and dispatched to a lead unit (the latest dispatch, re-dispatch or redo counts).
    public var dispatched = 0
    /// Dispatched and signed for (签收) by the sign deadline of the latest dispatch.
    public var signedOnTime = 0
    /// Dispatched and reached on the callback (回访接通).
    public var reached = 0
    /// Reached and 已解决.
    public var resolved = 0
    /// Rated and 满意: the citizen's own rating (市民评价) where given, otherwise the callback's verdict.
    public var satisfied = 0
    /// Rated and 基本满意, by the same rule as `satisfied`.
    public var basicallySatisfied = 0
    /// 办结: dispatched and closed (已办结 or 已归档).
    public var finished = 0
    /// Finished with the unit's reply at or before its reply deadline (延期 included).
    public var finishedOnTime = 0
    /// 重复诉求: accepted orders that repeat an earlier order on the same facts.
    public var repeated = 0
    /// 退单: dispatched orders that a unit returned at least once.
    public var returned = 0
    /// 重办: dispatched orders sent back for redo at least once.
    public var redone = 0
    /// 不满意办结: orders the centre closed despite an unresolved or unsatisfied callback.
    public var unsatisfiedClosed = 0
    /// Dispatched orders with the unit's reply and its handling time.
    public var handled = 0
    /// Working seconds from the latest dispatch to the unit's reply, summed over `handled`.
    public var handlingSeconds = 0
    /// 有满意度评价: accepted orders with a verdict on satisfaction — reached on the callback, or rated by the citizen on
    /// the portal (市民评价).
    public var rated = 0

    public init() {}

    /// The stored columns, in ``values`` order.
    public static let columns = [
        "received", "accepted", "direct_answered", "dispatched", "signed_on_time", "reached", "resolved", "satisfied",
        "basically_satisfied", "finished", "finished_on_time", "repeated", "returned", "redone", "unsatisfied_closed", "handled",
        "handling_seconds", "rated",
    ]

    /// The columns migration 23 created; later columns were added by their own migrations.
    public static let columnsOfMigration23 = Array(columns.prefix(17))

    /// The counts in ``columns`` order.
    public var values: [Int] {
        [received, accepted, directAnswered, dispatched, signedOnTime, reached, resolved, satisfied, basicallySatisfied, finished,
         finishedOnTime, repeated, returned, redone, unsatisfiedClosed, handled, handlingSeconds, rated]
    }

    /// Counts from values in ``columns`` order.
    public init(values v: [Int]) {
        precondition(v.count == Self.columns.count)
        (received, accepted, directAnswered, dispatched, signedOnTime, reached, resolved, satisfied) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7])
        (basicallySatisfied, finished, finishedOnTime, repeated, returned, redone) = (v[8], v[9], v[10], v[11], v[12], v[13])
        (unsatisfiedClosed, handled, handlingSeconds, rated) = (v[14], v[15], v[16], v[17])
    }

    public var isZero: Bool { values.allSatisfy { $0 == 0 } }

    public static func + (a: MeasureCounts, b: MeasureCounts) -> MeasureCounts {
        MeasureCounts(values: zip(a.values, b.values).map { $0 + $1 })
    }

    public static func - (a: MeasureCounts, b: MeasureCounts) -> MeasureCounts {
        MeasureCounts(values: zip(a.values, b.values).map { $0 - $1 })
    }

    public static func += (a: inout MeasureCounts, b: MeasureCounts) { a = a + b }
}
