import Foundation
import HotlineApp
import HotlineDomain
@testable import HotlineStorage
import HotlineTestSupport
import Logging
import Synchronization
import Testing

/// Several instances on one PostgreSQL (多实例): what one instance commits reaches the others' change feeds and
/// in-memory indexes within two seconds, a rolled-back write tells nobody, and each background service is led by
/// exactly one instance, another taking over when the leader's connection dies.
@Suite(.serialized, .enabled(if: TestDatabase.postgresURL != nil)) struct ScaleOutTests {
    struct Boom: Error {}

    /// Whether `condition` holds within `seconds`, looking every 20 ms.
    func within(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < end {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    /// The changes `services` hears from the other instances.
    final class Heard: Sendable {
        let changes = Mutex<[Change]>([])
        init(_ services: HotlineServices) {
            services.database.changes.observe { [weak self] batch in
                if !batch.local { self?.changes.withLock { $0 += batch.changes } }
            }
        }
        func contains(_ change: Change) -> Bool { changes.withLock { $0.contains(change) } }
    }

    /// Runs `body` while both instances coordinate (listen and lead) and `b` follows the others' writes.
    func coordinating(_ a: HotlineServices, _ b: HotlineServices, _ body: () async throws -> Void) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let tasks = [
            Task { await a.database.coordinate() }, Task { await b.database.coordinate() },
            Task { [logger] in await b.followOtherInstances(logger: logger) },
        ]
        defer { tasks.forEach { $0.cancel() } }
        // Both listen once a notification from each reaches the other.
        let heardByA = Heard(a), heardByB = Heard(b)
        #expect(try await within(10) {
            try await a.database.announce([.notices])
            try await b.database.announce([.notices])
            return heardByA.contains(.notices) && heardByB.contains(.notices)
        }, "both instances listen")
        try await body()
    }

    @Test func anOrderAndAKnowledgeEntryFromOneInstanceReachTheOthersIndexesWithinTwoSeconds() async throws {
        try await TestDatabase.postgres.withTwoInstances { a, b in
            let heard = Heard(b)
            try await coordinating(a, b) {
                let draft = TestCity.draft(title: "幸福路井盖缺失", content: "东区幸福路88号门口井盖缺失，夜间行人容易跌落。")
                let number = try await a.desk.intake(draft, by: TestCity.actor("agent1"), at: TestCity.monday).order.number
                #expect(try await within(2) { b.similar.contains(number.rawValue) }, "b's similar-order index holds a's order")
                #expect(heard.contains(.order(number.rawValue)))
                #expect(b.similar.search("幸福路 井盖 缺失", limit: 3).map(\.id).contains(number.rawValue))

                // A published answer edited on one instance is what agents on the other find.
                let knowledge = HotlineApp(services: a).knowledge
                let editor = try #require(TestCity.users.first { $0.id == "ed1" }), admin = try #require(TestCity.users.first { $0.id == "admin1" })
                let entry = try await knowledge.create(
                    .init(title: "井盖缺失向谁反映", answer: "道路上的井盖缺失由权属单位负责补装，可拨打12345登记，工作人员转交处理。", categoryCode: nil),
                    by: editor, at: TestCity.monday)
                _ = try await knowledge.act(.submit, on: entry.entry.id, content: nil, note: nil, by: editor, at: TestCity.monday)
                _ = try await knowledge.act(.approve, on: entry.entry.id, content: nil, note: nil, by: admin, at: TestCity.monday)
                #expect(try await within(2) {
                    b.knowledge.search("井盖缺失 找谁", limit: 5, now: TestCity.monday).contains { $0.id == entry.entry.id }
                }, "b's knowledge index serves the entry published on a")
            }
        }
    }

    @Test func aRolledBackTransactionTellsNobodyAndACommittedOneTellsEveryone() async throws {
        try await TestDatabase.postgres.withTwoInstances { a, b in
            let heardByB = Heard(b)
            let local = Mutex<[Change]>([])
            a.database.changes.observe { batch in if batch.local { local.withLock { $0 += batch.changes } } }
            try await coordinating(a, b) {
                await #expect(throws: Boom.self) {
                    try await a.database.transaction { _ in
                        ChangeFeed.announce([.order(987_654)])
                        throw Boom()
                    }
                }
                try await a.database.transaction { _ in ChangeFeed.announce([.order(987_655)]) }
                #expect(try await within(2) { heardByB.contains(.order(987_655)) })
                #expect(!heardByB.contains(.order(987_654)) && !local.withLock { $0.contains(.order(987_654)) })
                #expect(local.withLock { $0.contains(.order(987_655)) }, "this instance's own pages hear it too")
            }
        }
    }

    @Test func exactlyOneInstanceLeadsAServiceAndAnotherTakesOverWhenItDies() async throws {
        try await TestDatabase.postgres.withTwoInstances { a, b in
            let ta = Task { await a.database.coordinate() }
            let tb = Task { await b.database.coordinate() }
            defer { ta.cancel(); tb.cancel() }
            for services in [a, b] { services.database.leadership.want("sla_sweeper") }
            func leaders() -> Int { [a, b].filter { $0.database.leadership.isLeader("sla_sweeper") }.count }
            #expect(try await within(5) { leaders() == 1 })
            // Over several rounds of the leadership loop, still exactly one.
            for _ in 0..<5 {
                try await Task.sleep(for: .milliseconds(300))
                #expect(leaders() == 1)
            }
            let (leader, leaderTask, other) = a.database.leadership.isLeader("sla_sweeper") ? (a, ta, b) : (b, tb, a)
            leaderTask.cancel()
            await leaderTask.value
            #expect(!leader.database.leadership.isLeader("sla_sweeper"), "a lost connection gives up leadership at once")
            #expect(try await within(5) { other.database.leadership.isLeader("sla_sweeper") }, "the other instance takes over")
        }
    }
}
