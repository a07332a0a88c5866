import Foundation
import HotlineApp
import HotlineDomain
@testable import HotlineStorage
import HotlineTestSupport
import SQLKit
import Testing

/// The measures' rollups (考评指标汇总) kept in every order write's transaction equal a full recount from the orders'
/// documents, after several tasks drive orders through the loop at once, after the SLA sweeper's batched write, and
/// after the backfill of a database that had orders before the rollups existed.
@Suite(.serialized) struct MeasureRollupTests {
    /// One order walked a random way through the loop by the actors who do each step; a step that the order's state
    /// refuses by the time it runs (another task got there first is not possible here: each task owns its orders) ends the walk.
    static func walk(_ desk: WorkOrderDesk, seed: UInt64, start: Date) async throws {
        var rng = SplitMix(seed: seed)
        let actor = TestCity.actor
        let time = { (minutes: Int) in start.addingTimeInterval(TimeInterval(minutes * 60)) }
        let channel = Channel.allCases[Int(rng.next() % UInt64(Channel.allCases.count))]
        let kind: RequestKind = rng.next() % 2 == 0 ? .complaint : .help
        let category = ["01.01.01", "01.01.02", "02.01.01"][Int(rng.next() % 3)]
        let draft = TestCity.draft(kind: kind, channel: channel, category: category, phone: "1381234\(String(format: "%04d", Int(seed % 10_000)))")
        let n = try await desk.intake(draft, by: actor("agent1"), at: time(0)).order.number
        switch rng.next() % 10 {
        case 0:
            _ = try await desk.apply(.answerDirectly(answer: "按政策可直接办理，已告知。"), to: n, by: actor("disp1"), at: time(1))
            return
        case 1:
            return
        default: break
        }
        let lead = rng.next() % 3 == 0 ? "dist-west" : "dist-east"
        let staff = lead == "dist-west" ? "west1" : "east1"
        _ = try await desk.apply(.dispatch(lead: lead, assisting: [], note: nil), to: n, by: actor("disp1"), at: time(2))
        if rng.next() % 5 == 0 {
            _ = try await desk.apply(.returnOrder(reason: nil, evidence: "不属于本单位职责范围，请改派。"), to: n, by: actor(staff), at: time(3))
            _ = try await desk.apply(.redispatch(lead: "dept-housing", assisting: [], note: nil), to: n, by: actor("disp1"), at: time(4))
            return
        }
        guard rng.next() % 6 != 0 else { return }
        // Sometimes a week late for the one-working-day sign limit.
        _ = try await desk.apply(.sign, to: n, by: actor(staff), at: time(rng.next() % 4 == 0 ? 7 * 1440 : 5))
        guard rng.next() % 6 != 0 else { return }
        _ = try await desk.apply(.reply(text: "已到现场处理完毕，问题已解决。", attachments: []), to: n, by: actor(staff), at: time(7 * 1440 + 60))
        _ = try await desk.apply(.passReview(note: nil), to: n, by: actor("rev1"), at: time(7 * 1440 + 90))
        let satisfaction = Satisfaction.allCases[Int(rng.next() % 3)]
        let resolved = satisfaction != .unsatisfied
        _ = try await desk.apply(.recordCallback(.reached(resolved: resolved, satisfaction: satisfaction, stars: nil, note: "")), to: n,
                                 by: actor("cb1"), at: time(7 * 1440 + 120))
        guard !resolved || satisfaction == .unsatisfied else { return }
        if rng.next() % 2 == 0 {
            _ = try await desk.apply(.redo(reason: "市民不满意，重新办理"), to: n, by: actor("disp1"), at: time(7 * 1440 + 150))
        } else {
            _ = try await desk.apply(.closeUnsatisfied(reason: "诉求超出政策范围，已解释"), to: n, by: actor("disp1"), at: time(7 * 1440 + 150))
        }
    }

    @Test(arguments: TestDatabase.available)
    func rollupsEqualAFullRecountAfterConcurrentWrites(db: TestDatabase) async throws {
        try await db.withServices { s in
            let desk = s.desk
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<4 {
                    group.addTask {
                        for i in 0..<15 {
                            let seed = UInt64(task * 1_000 + i + 1)
                            try await Self.walk(desk, seed: seed, start: TestCity.monday.addingTimeInterval(TimeInterval((i % 3) * 86_400)))
                        }
                    }
                }
                try await group.waitForAll()
            }
            // The sweeper's batched write (urges, cards on the overdue orders) goes through the rollups too.
            _ = try await SLASweeper(services: s).sweepOnce(at: TestCity.monday.addingTimeInterval(30 * 86_400))
            let stored = try await s.measures.storedRollups()
            let recount = try await s.measures.fullRecount()
            #expect(stored == recount)
            // The test must be able to fail: the walks left a varied record.
            let all = try await s.measures.sums(.all, from: CivilDay(iso: "2025-03-01")!, to: CivilDay(iso: "2025-03-31")!)
                .reduce(MeasureCounts()) { $0 + $1.counts }
            #expect(all.received == 60)
            #expect(all.dispatched > 0 && all.reached > 0 && all.directAnswered > 0 && all.returned > 0)
        }
    }

    /// Merges write two orders in one transaction: their facts are recorded in one call, so concurrent merges of
    /// orders from different days, crosswise, neither deadlock on the rollup rows nor drift from a recount.
    @Test(arguments: TestDatabase.available)
    func crosswiseConcurrentMergesKeepTheRollupsEqualToARecount(db: TestDatabase) async throws {
        try await db.withServices { s in
            let desk = s.desk
            let actor = TestCity.actor
            // Orders on two days; each task merges a day-one order into a day-two one or the other way round, so the
            // transactions touch the two days' rollup rows from both sides.
            var dayOne: [OrderNumber] = []
            var dayTwo: [OrderNumber] = []
            for i in 0..<8 {
                let phone = "1390000\(String(format: "%04d", i))"
                dayOne.append(try await desk.intake(TestCity.draft(phone: phone), by: actor("agent1"), at: TestCity.monday).order.number)
                dayTwo.append(try await desk.intake(TestCity.draft(phone: phone), by: actor("agent1"),
                                                    at: TestCity.monday.addingTimeInterval(86_400)).order.number)
            }
            let (one, two) = (dayOne, dayTwo)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<8 {
                    group.addTask {
                        let (source, target) = i % 2 == 0 ? (one[i], two[i]) : (two[i], one[i])
                        _ = try await desk.merge(source, into: target, by: actor("disp1"),
                                                 at: TestCity.monday.addingTimeInterval(2 * 86_400), note: "同一诉求重复来电")
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await s.measures.storedRollups() == (try await s.measures.fullRecount()))
            let all = try await s.measures.sums(.all, from: CivilDay(containing: TestCity.monday), to: CivilDay(containing: TestCity.monday).adding(days: 1))
                .reduce(MeasureCounts()) { $0 + $1.counts }
            // 16 received, of which the 8 merged ones count only as received.
            #expect(all.received == 16)
            #expect(all.accepted == 8)
        }
    }

    @Test(arguments: TestDatabase.available)
    func backfillCountsOrdersStoredBeforeTheRollups(db: TestDatabase) async throws {
        try await db.withServices { s in
            let desk = s.desk
            for i in 0..<12 { try await Self.walk(desk, seed: UInt64(500 + i), start: TestCity.monday) }
            let expected = try await s.measures.storedRollups()
            // As a database migrated to 23 with orders already stored: no facts, no rollups, the backfill pending.
            try await s.database.transaction { db in
                try await db.run(Statement("DELETE FROM measure_facts", []))
                try await db.run(Statement("DELETE FROM measure_rollups", []))
                try await db.run(Statement("INSERT INTO platform_settings (name, value) VALUES ('measure_backfill', 'pending')", []))
            }
            #expect(try await s.measures.storedRollups().isEmpty)
            #expect(try await s.measures.backfillIfPending(batch: 5) == 12)
            #expect(try await s.measures.storedRollups() == expected)
            #expect(try await s.measures.backfillIfPending() == 0, "done once")
        }
    }
}

/// A small deterministic generator (SplitMix64), so each walk is the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
