import Foundation
import HotlineDomain
import HotlineStorage

/// The SLA sweeper (时限监控), one pass: every order whose clock needs a look gets its warning (预警) once the rule's
/// share of the stage's working time is used, its overdue mark (超期) at the deadline, and — for a unit's overdue reply —
/// the automatic urge (催办) and yellow card (黄牌), with a red card (红牌) for the unit's every third yellow card of the
/// month. Each mark is an event by the system actor naming the rule that fired, made exactly once however many passes
/// run, one after another or at the same time on several instances (see ``SLAStore``).
public struct SLASweeper: Sendable {
    let store: SLAStore
    let reference: ReferenceData
    let directory: DirectoryStore
    /// Orders swept per transaction.
    let batch: Int

    public init(services: HotlineServices, batch: Int = 500) {
        store = SLAStore(database: services.database)
        reference = services.reference
        directory = services.directory
        self.batch = batch
    }

    /// What one pass did.
    public struct Summary: Sendable, Equatable {
        /// Orders looked at (changed since the last pass, or with a warning or deadline now reached).
        public var looked = 0
        public var warnings = 0
        public var overdue = 0
        public var urges = 0
        public var yellowCards = 0
        public var redCards = 0

        public init() {}

        /// The summary as the command line prints it.
        public var chineseText: String {
            "检查工单 \(looked) 件：时限预警 \(warnings)，超期 \(overdue)，自动催办 \(urges)，黄牌 \(yellowCards)，红牌 \(redCards)"
        }
    }

    /// One pass at `now`.
    public func sweepOnce(at now: Date) async throws -> Summary {
        let rule = try await directory.slaRule()
        let calendar = reference.context.calendar
        var summary = Summary()
        var seen: Set<OrderNumber> = []
        while true {
            // One transaction per batch; orders another sweeper holds are skipped, and a swept order's next look is
            // after `now`, so a short batch (or one with nothing new) ends the pass.
            let swept = try await store.sweepBatch(
                at: now, limit: batch, rule: rule,
                plan: { order, entered, done in
                    let clocks = SLASweep.clocks(of: order, enteredStatusAt: entered)
                    return SLAStore.Plan(
                        due: SLASweep.due(clocks, at: now, rule: rule, calendar: calendar, done: done),
                        nextCheck: SLASweep.nextCheck(clocks, after: now, rule: rule, calendar: calendar))
                },
                record: { order, due, yellows in
                    try SLASweep.record(due, on: order, at: now, rule: rule, calendar: calendar, yellowsThisMonth: yellows)
                })
            var fresh = 0
            for order in swept {
                if seen.insert(order.number).inserted { fresh += 1 }
                summary.looked += 1
                for mark in order.marks {
                    switch mark {
                    case .warning: summary.warnings += 1
                    case .overdue: summary.overdue += 1
                    case .urge: summary.urges += 1
                    case .yellowCard: summary.yellowCards += 1
                    case .redCard: summary.redCards += 1
                    }
                }
            }
            if swept.count < batch || fresh == 0 { break }
        }
        return summary
    }
}
