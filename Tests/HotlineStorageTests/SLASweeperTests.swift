import Foundation
import HotlineApp
import HotlineDomain
@testable import HotlineStorage
import HotlineTestSupport
import SQLKit
import Testing

/// The SLA sweeper (时限监控): warnings at the rule's share of the working time, overdue marks, automatic urges and cards,
/// each exactly once however many passes run, on fixed clocks across the 2025 Spring Festival and its make-up days.
/// Serialized: two instances on one SQLite file wait for each other's write lock in SQLite's busy handler, which holds a thread of
/// the shared pool; two such tests at once could hold every thread while the lock holder waits for one.
@Suite(.serialized) struct SLASweeperTests {
    /// China time on a 2025 day, e.g. `at("2025-01-24", 10, 0)`.
    func at(_ day: String, _ hour: Int, _ minute: Int) -> Date { CivilDay(iso: day)!.at(minutes: hour * 60 + minute) }

    func sweep(_ s: HotlineServices, _ now: Date) async throws -> SLASweeper.Summary {
        try await SLASweeper(services: s).sweepOnce(at: now)
    }

    /// A consultation (3 working days to reply) taken and dispatched to 东区 at `now`.
    func dispatched(_ s: HotlineServices, at now: Date, lead: UnitID = "dist-east") async throws -> OrderNumber {
        let number = try await s.desk.intake(TestCity.draft(kind: .consultation), by: TestCity.actor("agent1"), at: now).order.number
        _ = try await s.desk.apply(.dispatch(lead: lead, assisting: [], note: nil), to: number, by: TestCity.actor("disp1"), at: now)
        return number
    }

    func sweeperEvents(_ s: HotlineServices, _ n: OrderNumber) async throws -> [StoredEvent] {
        try await s.orders.events(of: n).filter { $0.actorRole == Role.system.rawValue }
    }

    func count(_ s: HotlineServices, _ sql: String) async throws -> Int {
        try await s.database.read { db in
            try await db.firstRow(Statement(sql, []))!.decode(column: "n", as: Int.self)
        }
    }

    @Test(arguments: TestDatabase.available)
    func warningsAndOverdueCountWorkingTimeAcrossTheSpringFestivalAndItsSundayMakeUpDay(db: TestDatabase) async throws {
        try await db.withServices { s in
            // Friday 24 January 2025, 10:00. Signing: 1 working day, which is Sunday 26 January (春节调休上班).
            // Reply: 3 working days — Sunday 26th, Monday 27th, then (28 Jan – 4 Feb off) Wednesday 5 February.
            // The unit has a webhook on (消息推送): the sweeper's notices to it go to the outbox too.
            try await s.database.transaction { db in
                try await db.run(Statement(
                    "INSERT INTO unit_webhooks (unit_id, url, secret, enabled, updated_ms, updated_by) VALUES ('dist-east', 'http://127.0.0.1:9/hook', 'sixteen-characters', 1, 0, 'admin1')",
                    []))
            }
            let n = try await dispatched(s, at: at("2025-01-24", 10, 0))
            let order = try #require(try await s.orders.order(n))
            #expect(order.deadlines.signBy == at("2025-01-27", 0, 0).addingTimeInterval(-1))
            #expect(order.deadlines.replyBy == at("2025-02-06", 0, 0).addingTimeInterval(-1))

            // Sign clock: 15 working hours (7 on Friday, 8 on the make-up Sunday); 80% used at Sunday 15:00.
            #expect(try await sweep(s, at("2025-01-25", 12, 0)).warnings == 0, "Saturday is a rest day")
            #expect(try await sweep(s, at("2025-01-26", 14, 59)).warnings == 0)
            let signWarning = try await sweep(s, at("2025-01-26", 15, 1))
            #expect(signWarning.warnings == 1 && signWarning.overdue == 0)
            var marks = try await sweeperEvents(s, n)
            #expect(marks.map(\.kind) == ["sla_warning"])
            #expect(marks.first?.detailValues["stage"] == "sign" && marks.first?.detailValues["rule"] == "warn_80")
            #expect(marks.first?.detailValues["unit"] == "dist-east")

            // Monday: the sign deadline has passed — overdue and urged, no card (cards are for the reply).
            let signOverdue = try await sweep(s, at("2025-01-27", 9, 0))
            #expect(signOverdue.overdue == 1 && signOverdue.urges == 1 && signOverdue.yellowCards == 0 && signOverdue.warnings == 0)
            _ = try await s.desk.apply(.sign, to: n, by: TestCity.actor("east1"), at: at("2025-01-27", 9, 30))

            // Reply clock: 31 working hours (7 + 8 + 8 + 8); 80% = 24.8 h, reached on Wednesday 5 February at 10:48.
            // Measured in clock time it would have fired during the holiday.
            #expect(try await sweep(s, at("2025-02-03", 12, 0)) == SLASweeper.Summary().with(looked: 1))
            #expect(try await sweep(s, at("2025-02-04", 18, 0)).warnings == 0, "the last day of the Spring Festival holiday")
            #expect(try await sweep(s, at("2025-02-05", 10, 47)).warnings == 0)
            #expect(try await sweep(s, at("2025-02-05", 10, 49)).warnings == 1)
            #expect(try await sweep(s, at("2025-02-05", 23, 59)).warnings == 0, "each warning once")

            // Thursday 6 February: overdue, urged, yellow card; a second pass adds nothing.
            let overdue = try await sweep(s, at("2025-02-06", 9, 0))
            #expect(overdue.overdue == 1 && overdue.urges == 1 && overdue.yellowCards == 1 && overdue.redCards == 0)
            let again = try await sweep(s, at("2025-02-06", 9, 0))
            #expect(again.warnings + again.overdue + again.urges + again.yellowCards + again.redCards == 0)
            #expect(try await sweep(s, at("2025-02-07", 9, 0)).looked == 0, "nothing left to look at: the pass reads nothing")

            marks = try await sweeperEvents(s, n)
            #expect(marks.map(\.kind) == ["sla_warning", "overdue_marked", "urged", "sla_warning", "overdue_marked", "urged", "yellow_card"])
            #expect(marks.allSatisfy { $0.actorID == "system" && $0.detailValues["rule"] != nil })
            #expect(marks.last?.detailValues["rule"] == "yellow_on_overdue" && marks.last?.detailValues["stage"] == "handling")
            let supervision = try #require(try await s.orders.order(n)?.supervision)
            #expect(supervision.urges == 2 && supervision.yellowCards == 1 && supervision.redCards == 0)

            // The timeline reads in Chinese; the unit hears of the warnings, urges and card like of a supervisor's.
            let record = try #require(try await HotlineApp(services: s).desk.record(n, for: TestCity.actor("sup1")))
            let sentences = record.timeline.map(\.sentence)
            #expect(sentences.contains("签收时限已用80%，时限预警，责任单位：东区人民政府，期限 2025-01-26 23:59"))
            #expect(sentences.contains("办理已超期（期限 2025-02-05 23:59），责任单位：东区人民政府"))
            #expect(sentences.contains("向东区人民政府亮黄牌"))
            #expect(record.timeline.filter { $0.sentence.hasPrefix("催办") }.allSatisfy { $0.who == "系统" })
            let kinds = try await HotlineApp(services: s).notices.page(for: TestCity.actor("east1"), size: 100).notices.map(\.kindName)
            #expect(kinds.filter { $0 == "时限预警" }.count == 2 && kinds.filter { $0 == "催办" }.count == 2 && kinds.contains("黄牌警示"))
            #expect(try await HotlineApp(services: s).notices.page(for: TestCity.actor("west1"), size: 100).notices.isEmpty)
            // Written in the sweeper's batch: the outbox row of every notice to the unit, and the marks on its link (its
            // 被催办 and 被亮牌 queues).
            #expect(try await count(s, "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE unit_id = 'dist-east' AND kind IN ('sla_warning', 'urged', 'yellow_card')") == 5)
            #expect(try await count(s, "SELECT COUNT(*) AS n FROM work_order_units WHERE unit_id = 'dist-east' AND order_number = \(n.rawValue) AND urged = 1 AND carded = 1") == 1)
            let queue = try await HotlineApp(services: s).desk.list({ var f = OrderFilter(); f.carded = true; return f }(), page: PageRequest(), for: TestCity.actor("east1"), now: at("2025-02-06", 10, 0))
            #expect(queue.items.map(\.number) == [n])
        }
    }

    @Test(arguments: TestDatabase.available)
    func theThirdYellowCardOfAUnitInACalendarMonthMakesARedCard(db: TestDatabase) async throws {
        try await db.withServices { s in
            // Two orders overdue in February (one yellow each), then three in March: the third yellow in March is red, and
            // February's two do not count towards it.
            let february = [try await dispatched(s, at: at("2025-02-10", 10, 0)), try await dispatched(s, at: at("2025-02-10", 10, 0))]
            let feb = try await sweep(s, at("2025-02-14", 9, 0))
            #expect(feb.yellowCards == 2 && feb.redCards == 0)
            let march = [try await dispatched(s, at: at("2025-03-03", 10, 0)), try await dispatched(s, at: at("2025-03-03", 11, 0))]
            let first = try await sweep(s, at("2025-03-07", 9, 0))
            #expect(first.yellowCards == 2 && first.redCards == 0, "two in March so far")
            let third = try await dispatched(s, at: at("2025-03-04", 10, 0))
            let red = try await sweep(s, at("2025-03-10", 9, 0))
            #expect(red.yellowCards == 1 && red.redCards == 1)
            #expect(try await sweep(s, at("2025-03-10", 9, 0)).redCards == 0)
            let carded = try #require(try await s.orders.order(third)?.supervision)
            #expect(carded.yellowCards == 1 && carded.redCards == 1)
            let redEvent = try #require(try await sweeperEvents(s, third).last)
            #expect(redEvent.kind == "red_card" && redEvent.detailValues["rule"] == "red_after_3_yellow")
            #expect(redEvent.detailValues["yellow_cards_this_month"] == "3")
            for n in february + march { #expect(try await s.orders.order(n)?.supervision?.redCards == 0) }
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentSweepersOnTwoInstancesMakeEachMarkExactlyOnce(db: TestDatabase) async throws {
        try await db.withTwoInstances { a, b in
            var orders: [OrderNumber] = []
            for i in 0..<9 { orders.append(try await dispatched(a, at: at("2025-03-03", 10, i))) }
            let now = at("2025-03-07", 9, 0)
            let summaries = try await withThrowingTaskGroup(of: SLASweeper.Summary.self) { group in
                for services in [a, b, a, b] { group.addTask { try await SLASweeper(services: services).sweepOnce(at: now) } }
                var all: [SLASweeper.Summary] = []
                for try await s in group { all.append(s) }
                return all
            }
            // Each order: signing and reply overdue, each urged; the reply's yellow card.
            #expect(summaries.map(\.overdue).reduce(0, +) == 18)
            #expect(summaries.map(\.urges).reduce(0, +) == 18)
            #expect(summaries.map(\.yellowCards).reduce(0, +) == 9)
            #expect(summaries.map(\.redCards).reduce(0, +) == 3, "the 3rd, 6th and 9th yellow card of 东区 in March")
            #expect(try await count(a, "SELECT COUNT(*) AS n FROM work_order_events WHERE kind = 'urged'") == 18)
            #expect(try await count(a, "SELECT COUNT(*) AS n FROM work_order_events WHERE kind = 'yellow_card'") == 9)
            #expect(try await count(a, "SELECT COUNT(*) AS n FROM work_order_events WHERE kind = 'red_card'") == 3)
            #expect(try await count(a, "SELECT COUNT(*) AS n FROM work_order_events WHERE kind = 'overdue_marked'") == 18)
            #expect(try await count(a, "SELECT COUNT(*) AS n FROM notices WHERE user_id = 'east1'") == 9 + 18 + 9 + 3, "dispatches, urges, yellow and red cards")
            for n in orders {
                let stored = try #require(try await a.orders.record(n))
                #expect(EventLogVerifier.check(stored.events, order: n.rawValue, count: stored.eventCount, head: stored.lastHash) == nil,
                        "each order's chain stays whole")
            }
            let again = try await SLASweeper(services: b).sweepOnce(at: now)
            #expect(again.overdue + again.urges + again.yellowCards + again.redCards == 0)
        }
    }

    /// Batches smaller than the work: each sweeper commits several batches while the others take theirs, the red-card
    /// count of 东区 runs across batches and sweepers, and one pass alone still reaches every due order.
    @Test(arguments: TestDatabase.available)
    func sweepersTakingSmallBatchesMakeEachMarkExactlyOnceAndReachEveryOrder(db: TestDatabase) async throws {
        try await db.withTwoInstances { a, b in
            var orders: [OrderNumber] = []
            for i in 0..<9 { orders.append(try await dispatched(a, at: at("2025-03-03", 10, i))) }
            let now = at("2025-03-07", 9, 0)
            let summaries = try await withThrowingTaskGroup(of: SLASweeper.Summary.self) { group in
                for services in [a, b, a] { group.addTask { try await SLASweeper(services: services, batch: 2).sweepOnce(at: now) } }
                var all: [SLASweeper.Summary] = []
                for try await s in group { all.append(s) }
                return all
            }
            #expect(summaries.map(\.looked).reduce(0, +) == 9, "each order looked at by one sweeper")
            #expect(summaries.map(\.overdue).reduce(0, +) == 18 && summaries.map(\.urges).reduce(0, +) == 18)
            #expect(summaries.map(\.yellowCards).reduce(0, +) == 9 && summaries.map(\.redCards).reduce(0, +) == 3)
            #expect(try await count(a, "SELECT COUNT(*) AS n FROM work_order_events WHERE kind = 'red_card'") == 3)
            #expect(try await count(a, "SELECT COUNT(*) AS n FROM sla_red_cards") == 3)
            var reds: [String] = []
            for n in orders { reds += try await sweeperEvents(a, n).filter { $0.kind == "red_card" }.compactMap { $0.detailValues["yellow_cards_this_month"] } }
            #expect(reds.sorted() == ["3", "6", "9"], "the 3rd, 6th and 9th yellow card, counted across batches and sweepers")
            for n in orders {
                let stored = try #require(try await a.orders.record(n))
                #expect(EventLogVerifier.check(stored.events, order: n.rawValue, count: stored.eventCount, head: stored.lastHash) == nil)
            }

            // Another pass at the same time, in batches of 4: nothing is due any more.
            let again = try await SLASweeper(services: b, batch: 4).sweepOnce(at: now)
            #expect(again == SLASweeper.Summary())
        }
    }

    @Test(arguments: TestDatabase.available)
    func theRuleIsStoredAuditedAndUsedByTheNextPass(db: TestDatabase) async throws {
        try await db.withServices { s in
            let app = HotlineApp(services: s)
            let admin = try #require(try await s.directory.user("admin1"))
            let sup = try #require(try await s.directory.user("sup1"))
            await #expect(throws: AppError.self) {
                try await app.admin.setSLARule(SLARule(warnPercent: 50), by: sup, client: "test", at: TestCity.monday)
            }
            await #expect(throws: LifecycleError.invalid(field: "warn_percent", message: "预警比例应为1到99之间的整数")) {
                try await app.admin.setSLARule(SLARule(warnPercent: 100), by: admin, client: "test", at: TestCity.monday)
            }
            #expect(try await app.admin.slaRule() == .default, "a refused change leaves the rule as it was")
            let rule = SLARule(warnPercent: 50, urgeWhenOverdue: false, yellowCardWhenOverdue: false, yellowCardsForRed: 0)
            #expect(try await app.admin.setSLARule(rule, by: admin, client: "test", at: TestCity.monday) == rule)
            #expect(try await app.admin.slaRule() == rule)
            #expect(try await count(s, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'sla_rule_changed'") == 1)

            // 3 working days from Monday 10:00 (to Thursday's end) = 31 working hours; half is used on Wednesday at 09:30.
            let n = try await dispatched(s, at: TestCity.monday)
            // Signing (1 working day, Tuesday) is overdue by then, first seen late: overdue without a warning.
            let early = try await sweep(s, at("2025-03-05", 9, 29))
            #expect(early.warnings == 0 && early.overdue == 1 && early.urges == 0)
            #expect(try await sweep(s, at("2025-03-05", 9, 31)).warnings == 1)
            let late = try await sweep(s, at("2025-03-10", 9, 0))
            #expect(late.overdue == 1 && late.urges == 0 && late.yellowCards == 0, "urges and cards turned off")
            #expect(try await sweeperEvents(s, n).first { $0.kind == "sla_warning" }?.detailValues["rule"] == "warn_50")
        }
    }
}

extension SLASweeper.Summary {
    func with(looked: Int) -> Self {
        var copy = self
        copy.looked = looked
        return copy
    }
}
