import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Testing

/// Signed checkpoints (存证) against someone who can write to the database but does not hold the key.
@Suite struct CheckpointAuditTests {
    let monday = TestCity.monday
    let key = CheckpointKey()

    /// Three orders (one only taken in), a checkpoint over them.
    func prepared(_ s: HotlineServices) async throws -> (walked: OrderNumber, dispatched: OrderNumber, taken: OrderNumber, checkpoint: Checkpoint) {
        let walked = try await walk(s, through: .archive)
        let dispatched = try await walk(s, through: .dispatch)
        let taken = try await walk(s, through: .intake)
        let checkpoint = try await s.checkpoints.make(key: key, at: monday)
        return (walked, dispatched, taken, checkpoint)
    }

    @Test(arguments: TestDatabase.available)
    func aCheckpointOfAnUntouchedDatabaseIsClean(db: TestDatabase) async throws {
        try await db.withServices { s in
            let (_, dispatched, _, checkpoint) = try await prepared(s)
            #expect(checkpoint.orderCount == 3)
            #expect(checkpoint.isSigned(by: key.publicKey))
            // Work goes on after the checkpoint: a new event on one order, a new order.
            _ = try await s.desk.apply(.sign, to: dispatched, by: TestCity.actor("east1"), at: monday)
            _ = try await walk(s, through: .intake)
            let report = try await CheckpointAudit(database: s.database).run(against: checkpoint)
            #expect(report.isClean)
            #expect(report.leavesMatchRoot)
            #expect(report.unchanged == 2)
            #expect(report.extended == 1)
            #expect(report.newOrders == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRewrittenEventWithARecomputedChainIsCaught(db: TestDatabase) async throws {
        try await db.withServices { s in
            let (walked, _, _, checkpoint) = try await prepared(s)
            try await dropAppendOnlyGuard(s, db)
            // The administrator changes the reply and recomputes every hash after it, and the order row's head.
            var previous = StoredEvent.genesisHash
            for var event in try await s.orders.events(of: walked) {
                if event.seq == 4 { event.note = "已处理（改写）" }
                event.prevHash = previous
                event.hash = event.computedHash
                previous = event.hash
                try await s.database.execute(
                    "UPDATE work_order_events SET note = \(event.note.map { "'\($0)'" } ?? "NULL"), prev_hash = '\(event.prevHash)', hash = '\(event.hash)' "
                        + "WHERE order_number = \(walked.rawValue) AND seq = \(event.seq)")
            }
            try await s.database.execute("UPDATE work_orders SET last_event_hash = '\(previous)' WHERE number = \(walked.rawValue)")
            #expect(try await EventLogVerifier(database: s.database).verify().isIntact, "the chain alone no longer tells")
            let report = try await CheckpointAudit(database: s.database).run(against: checkpoint)
            #expect(report.rewritten == [walked.rawValue])
            #expect(!report.isClean)
            #expect(report.lines.first?.contains("history rewritten") == true)
        }
    }

    /// The next checkpoint is not signed over a tampered state: the log keeps the last honest root.
    @Test(arguments: TestDatabase.available)
    func theNextCheckpointRefusesToSignOverAnEditedDocumentOrADeletedOrder(db: TestDatabase) async throws {
        try await db.withServices { s in
            let (_, dispatched, taken, first) = try await prepared(s)
            let second = try await s.checkpoints.make(key: key, at: monday.addingTimeInterval(3600))
            #expect(second.sequence == 2 && second.previous == first.hash, "an untouched database is signed again")
            try await s.database.execute("UPDATE work_orders SET doc = REPLACE(doc, '幸福路', '平安路') WHERE number = \(dispatched.rawValue)")
            do {
                _ = try await s.checkpoints.make(key: key, at: monday.addingTimeInterval(7200))
                Issue.record("a checkpoint was signed over an edited document")
            } catch let refused as CheckpointRefused {
                #expect(refused.report.documentEdited == [dispatched.rawValue])
                #expect(refused.description.contains("edited since checkpoint 2"))
            }
            #expect(try await s.checkpoints.latest()?.sequence == 2)
            // Deleting the kept leaves does not get round it either.
            try await s.database.execute("UPDATE work_orders SET doc = REPLACE(doc, '平安路', '幸福路') WHERE number = \(dispatched.rawValue)")
            try await s.database.execute("DELETE FROM checkpoint_leaves")
            await #expect(throws: CheckpointRefused.self) { try await s.checkpoints.make(key: key, at: monday.addingTimeInterval(7200)) }
            #expect(try await s.checkpoints.all().count == 2)
            _ = taken
        }
    }

    @Test(arguments: TestDatabase.available)
    func anEditedDocumentIsCaught(db: TestDatabase) async throws {
        try await db.withServices { s in
            let (_, dispatched, _, checkpoint) = try await prepared(s)
            try await s.database.execute("UPDATE work_orders SET doc = REPLACE(doc, '幸福路', '平安路') WHERE number = \(dispatched.rawValue)")
            let report = try await CheckpointAudit(database: s.database).run(against: checkpoint)
            #expect(report.documentEdited == [dispatched.rawValue])
            #expect(report.rewritten.isEmpty && report.deleted.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDeletedOrderIsCaught(db: TestDatabase) async throws {
        try await db.withServices { s in
            let (_, _, taken, checkpoint) = try await prepared(s)
            try await dropAppendOnlyGuard(s, db)
            for table in ["notices", "work_order_units", "work_order_events"] {
                try await s.database.execute("DELETE FROM \(table) WHERE order_number = \(taken.rawValue)")
            }
            try await s.database.execute("DELETE FROM work_orders WHERE number = \(taken.rawValue)")
            #expect(try await EventLogVerifier(database: s.database).verify().isIntact)
            let report = try await CheckpointAudit(database: s.database).run(against: checkpoint)
            #expect(report.deleted == [taken.rawValue])
        }
    }

    @Test(arguments: TestDatabase.available)
    func leavesAlteredInTheDatabaseNoLongerMatchTheSignedRoot(db: TestDatabase) async throws {
        try await db.withServices { s in
            let (_, dispatched, _, checkpoint) = try await prepared(s)
            // Edit the document and the kept leaf to match: the signed root still tells.
            try await s.database.execute("UPDATE work_orders SET doc = REPLACE(doc, '幸福路', '平安路') WHERE number = \(dispatched.rawValue)")
            try await s.database.execute("UPDATE checkpoint_leaves SET doc_hash = '\(String(repeating: "0", count: 64))' WHERE order_number = \(dispatched.rawValue)")
            let report = try await CheckpointAudit(database: s.database).run(against: checkpoint)
            #expect(!report.leavesMatchRoot)
            #expect(!report.isClean)
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyOrderHasAProofAgainstTheLatestCheckpointAndALaterOneHasNone(db: TestDatabase) async throws {
        try await db.withServices { s in
            let (walked, dispatched, taken, _) = try await prepared(s)
            _ = try await s.desk.apply(.sign, to: dispatched, by: TestCity.actor("east1"), at: monday)
            let second = try await s.checkpoints.make(key: key, at: monday.addingTimeInterval(3600))
            #expect(second.sequence == 2)
            let log = try await s.checkpoints.all()
            #expect(CheckpointLog.problems(in: log, key: key.publicKey).isEmpty)
            for number in [walked, dispatched, taken] {
                let proof = try #require(try await s.checkpoints.proof(for: number.rawValue))
                #expect(proof.checkpoint.sequence == 2)
                #expect(proof.verifies)
            }
            let later = try await walk(s, through: .intake)
            #expect(try await s.checkpoints.proof(for: later.rawValue) == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func proofsHoldAcrossChunks(db: TestDatabase) async throws {
        try await db.withServices { s in
            let context = s.reference.context
            let day = CivilDay(containing: monday)
            let outcomes = try (1...600).map { i in
                try Intake.open(TestCity.draft(), number: OrderNumber(day: day, sequence: i), earlier: nil, by: .system, at: monday, in: context)
            }
            try await s.orders.importOrders(outcomes)
            let checkpoint = try await CheckpointStore(database: s.database, batch: 256).make(key: key, at: monday)
            #expect(checkpoint.orderCount == 600)
            for sequence in [1, 256, 257, 513, 600] {
                let proof = try #require(try await s.checkpoints.proof(for: OrderNumber(day: day, sequence: sequence).rawValue))
                #expect(proof.leafIndex == sequence - 1)
                #expect(proof.verifies)
            }
            #expect(try await CheckpointAudit(database: s.database, batch: 256).run(against: checkpoint).isClean)
        }
    }
}
