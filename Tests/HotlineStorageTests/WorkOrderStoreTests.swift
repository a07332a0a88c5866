import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Testing

@Suite struct WorkOrderStoreTests {
    let monday = TestCity.monday

    @Test(arguments: TestDatabase.available)
    func intakeNumbersOrdersByDayInSequence(db: TestDatabase) async throws {
        try await db.withServices { s in
            let first = try await s.desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: monday)
            let second = try await s.desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: monday.addingTimeInterval(60))
            let nextDay = try await s.desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: monday.addingTimeInterval(86_400))
            #expect(first.order.number.description == "20250303000001")
            #expect(second.order.number.description == "20250303000002")
            #expect(nextDay.order.number.description == "20250304000001")
            #expect(try await s.orders.order(first.order.number) == first.order)
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentIntakesGetDistinctNumbers(db: TestDatabase) async throws {
        try await db.withServices { s in
            // One desk, as a server has: concurrent intakes share its group commit.
            let desk = s.desk
            let numbers = try await withThrowingTaskGroup(of: OrderNumber.self) { group in
                for i in 0..<40 {
                    group.addTask { try await desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: monday.addingTimeInterval(Double(i))).order.number }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(numbers).count == 40)
            #expect(numbers.map(\.sequence).max() == 40)
        }
    }

    @Test(arguments: TestDatabase.available)
    func batchGivesGaplessNumbersAndReportsEachFailure(db: TestDatabase) async throws {
        try await db.withServices { s in
            let context = s.reference.context
            let day = CivilDay(containing: monday)
            var bad = TestCity.draft()
            bad.title = ""
            let requests = [TestCity.draft(), bad, TestCity.draft()].map { draft in
                NewOrderRequest(day: day, repeatOf: nil) { number, earlier in
                    try Intake.open(draft, number: number, earlier: earlier, by: TestCity.actor("agent1"), at: monday, in: context)
                }
            }
            let results = try await s.orders.insertBatch(requests)
            #expect(try results[0].get().order.number.sequence == 1)
            #expect(throws: LifecycleError.invalid(field: "title", message: "不能为空")) { try results[1].get() }
            #expect(try results[2].get().order.number.sequence == 2)
            let next = try await s.desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: monday)
            #expect(next.order.number.sequence == 3)
        }
    }

    @Test(arguments: TestDatabase.available)
    func walkedOrderHasAnIntactChainOfEvents(db: TestDatabase) async throws {
        try await db.withServices { s in
            let number = try await walk(s, through: .archive)
            let events = try await s.orders.events(of: number)
            #expect(events.map(\.kind) == ["created", "dispatched", "signed", "replied", "review_passed", "callback_recorded", "archived"])
            #expect(events.first?.prevHash == StoredEvent.genesisHash)
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.hash == $1.prevHash })
            let report = try await EventLogVerifier(database: s.database).verify()
            #expect(report.isIntact)
            #expect(report.eventsChecked == 7)
        }
    }

    @Test(arguments: TestDatabase.available)
    func verifierNamesTheFirstTamperedEvent(db: TestDatabase) async throws {
        try await db.withServices { s in
            let number = try await walk(s, through: .archive)
            _ = try await walk(s, through: .archive)
            try await dropAppendOnlyGuard(s, db)
            try await s.database.execute("UPDATE work_order_events SET note = '篡改' WHERE order_number = \(number.rawValue) AND seq = 3")
            let report = try await EventLogVerifier(database: s.database).verify()
            #expect(report.firstBreak?.orderNumber == number.rawValue)
            #expect(report.firstBreak?.seq == 3)
        }
    }

    @Test(arguments: TestDatabase.available)
    func verifierNoticesADeletedEvent(db: TestDatabase) async throws {
        try await db.withServices { s in
            let number = try await walk(s, through: .archive)
            try await dropAppendOnlyGuard(s, db)
            try await s.database.execute("DELETE FROM work_order_events WHERE order_number = \(number.rawValue) AND seq = 7")
            let report = try await EventLogVerifier(database: s.database).verify()
            #expect(report.firstBreak?.orderNumber == number.rawValue)
            #expect(report.firstBreak?.seq == 7)
        }
    }

    @Test(arguments: TestDatabase.available)
    func eventLogRefusesUpdatesAndDeletes(db: TestDatabase) async throws {
        try await db.withServices { s in
            let number = try await walk(s, through: .dispatch)
            await #expect(throws: (any Error).self) {
                try await s.database.execute("UPDATE work_order_events SET note = 'x' WHERE order_number = \(number.rawValue)")
            }
            await #expect(throws: (any Error).self) {
                try await s.database.execute("DELETE FROM work_order_events WHERE order_number = \(number.rawValue)")
            }
            #expect(try await s.orders.events(of: number).count == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func refusedTransitionLeavesOrderAndLogAsTheyWere(db: TestDatabase) async throws {
        try await db.withServices { s in
            let number = try await walk(s, through: .dispatch)
            let before = try await s.orders.order(number)
            let eventsBefore = try await s.orders.events(of: number)
            await #expect(throws: LifecycleError.outOfScope(number)) {
                try await s.desk.apply(.sign, to: number, by: TestCity.actor("west1"), at: monday)
            }
            await #expect(throws: LifecycleError.notPermitted(action: .sign, role: .reviewer)) {
                try await s.desk.apply(.sign, to: number, by: TestCity.actor("rev1"), at: monday)
            }
            await #expect(throws: LifecycleError.illegalTransition(action: .archive, from: .dispatched)) {
                try await s.desk.apply(.archive, to: number, by: TestCity.actor("disp1"), at: monday)
            }
            #expect(try await s.orders.order(number) == before)
            #expect(try await s.orders.events(of: number) == eventsBefore)
        }
    }

    @Test(arguments: TestDatabase.available)
    func unknownOrderIsNotFound(db: TestDatabase) async throws {
        try await db.withServices { s in
            let missing = OrderNumber(day: CivilDay(iso: "2025-03-03")!, sequence: 99)
            await #expect(throws: StoreError.notFound(missing)) {
                try await s.desk.apply(.sign, to: missing, by: TestCity.actor("east1"), at: monday)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func mergeStoresBothOrdersInOneTransaction(db: TestDatabase) async throws {
        try await db.withServices { s in
            let target = try await walk(s, through: .dispatch)
            let duplicate = try await s.desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: monday).order.number
            _ = try await s.desk.merge(duplicate, into: target, by: TestCity.actor("disp1"), at: monday, note: "同一事项")
            #expect(try await s.orders.order(duplicate)?.status == .merged)
            #expect(try await s.orders.order(target)?.mergedOrders == [duplicate])
            #expect(try await s.orders.events(of: target).last?.kind == "absorbed")
        }
    }

    @Test(arguments: TestDatabase.available)
    func importedOrdersKeepTheSequenceAhead(db: TestDatabase) async throws {
        try await db.withServices { s in
            let context = s.reference.context
            let day = CivilDay(containing: monday)
            let outcomes = try (1...5).map { i in
                try Intake.open(TestCity.draft(), number: OrderNumber(day: day, sequence: i * 10), earlier: nil, by: .system, at: monday, in: context)
            }
            try await s.orders.importOrders(outcomes)
            let next = try await s.desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: monday)
            #expect(next.order.number.sequence == 51)
            #expect(try await EventLogVerifier(database: s.database).verify().ordersChecked == 6)
        }
    }

    @Test(arguments: TestDatabase.available)
    func migrationsRunOnce(db: TestDatabase) async throws {
        try await db.withServices { s in
            let applied = try await Migrator(database: s.database).migrate()
            #expect(applied.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func timeLimitsAreStoredAndApplied(db: TestDatabase) async throws {
        try await db.withServices { s in
            var policy = TimeLimitPolicy.defaults
            policy.rules.append(TimeLimitRule(stage: .handling, categoryCode: "01.01", limit: .workingDays(2)))
            try await s.directory.replaceTimeLimits(policy)
            try await s.reference.reload()
            #expect(try await s.directory.timeLimits() == policy)
            let number = try await walk(s, through: .dispatch)
            #expect(try await s.orders.order(number)?.deadlines.replyBy?.chinaISO8601 == "2025-03-05T23:59:59+08:00")
        }
    }
}

enum WalkStop { case intake, dispatch, sign, reply, review, callback, archive }

/// Walks one new order through the loop up to `stop`, as the test city's users.
func walk(_ s: HotlineServices, through stop: WalkStop, draft: IntakeDraft = TestCity.draft(), at now: Date = TestCity.monday) async throws -> OrderNumber {
    let number = try await s.desk.intake(draft, by: TestCity.actor("agent1"), at: now).order.number
    let steps: [(WalkStop, Transition, String)] = [
        (.dispatch, .dispatch(lead: "dist-east", assisting: [], note: nil), "disp1"),
        (.sign, .sign, "east1"),
        (.reply, .reply(text: "已修复路灯。", attachments: []), "east1"),
        (.review, .passReview(note: nil), "rev1"),
        (.callback, .recordCallback(.reached(resolved: true, satisfaction: .satisfied, stars: nil, note: "")), "cb1"),
        (.archive, .archive, "disp1"),
    ]
    guard stop != .intake else { return number }
    for (name, transition, user) in steps {
        _ = try await s.desk.apply(transition, to: number, by: TestCity.actor(user), at: now)
        if name == stop { break }
    }
    return number
}

