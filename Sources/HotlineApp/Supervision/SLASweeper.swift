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

    /// Sweepers side by side in a pass.
    let workers: Int

    /// `workers` nil: two on PostgreSQL, one on SQLite (which takes one writer at a time).
    public init(services: HotlineServices, batch: Int = 1_000, workers: Int? = nil, profile: PhaseProfile? = nil) {
        store = SLAStore(database: services.database, profile: profile)
        reference = services.reference
        directory = services.directory
        self.workers = max(1, workers ?? (services.database.kind == .postgres ? 2 : 1))
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

        mutating func add(_ other: Summary) {
            looked += other.looked
            warnings += other.warnings
            overdue += other.overdue
            urges += other.urges
            yellowCards += other.yellowCards
            redCards += other.redCards
        }

        /// The summary as the command line prints it.
        public var chineseText: String {
            "检查工单 \(looked) 件：时限预警 \(warnings)，超期 \(overdue)，自动催办 \(urges)，黄牌 \(yellowCards)，红牌 \(redCards)"
        }
    }

    /// One pass at `now`. On PostgreSQL two workers sweep side by side (their batches are disjoint, taken with
    /// `SKIP LOCKED`), so one batch's statements run on the server while the other's documents are decoded and encoded
    /// here; SQLite takes one writer at a time, so one worker sweeps there.
    public func sweepOnce(at now: Date) async throws -> Summary {
        let rule = try await directory.slaRule()
        return try await withThrowingTaskGroup(of: Summary.self) { group in
            for _ in 0..<workers { group.addTask { try await sweepBatches(at: now, rule: rule) } }
            var total = Summary()
            for try await part in group { total.add(part) }
            return total
        }
    }

    /// One worker's share of a pass: batches until a short one (or one with nothing new) ends it.
    func sweepBatches(at now: Date, rule: SLARule) async throws -> Summary {
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
