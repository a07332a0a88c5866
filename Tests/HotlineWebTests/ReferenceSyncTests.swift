import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Logging
import ServiceLifecycle
import Testing

/// Several instances on one database: a change to the reference data on one reaches the others by itself.
@Suite struct ReferenceSyncTests {
    @Test(arguments: TestDatabase.available)
    func aUnitMovedOnOneInstanceChangesDataScopeOnTheOther(db: TestDatabase) async throws {
        try await db.withTwoInstances { a, b in
            let now = TestCity.monday
            let deskA = HotlineApp(services: a).desk, deskB = HotlineApp(services: b).desk
            let number = try await deskA.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: now).order.number
            _ = try await deskA.apply(.dispatch(lead: "dist-east", assisting: [], note: nil), to: number, by: TestCity.actor("disp1"), at: now)
            _ = try await deskA.apply(.sign, to: number, by: TestCity.actor("east1"), at: now)
            _ = try await deskA.apply(.subDispatch(unit: "st-east-1", note: nil), to: number, by: TestCity.actor("east1"), at: now)
            let west = TestCity.actor("west1")
            #expect(try await deskB.order(number, for: west) == nil, "another district's order")

            // Instance B runs its sync service, as `hotline serve` does.
            var logger = Logger(label: "sync-test")
            logger.logLevel = .warning
            let sync = Task { try await ReferenceSyncService(services: b, interval: .milliseconds(200), logger: logger).run() }
            defer { sync.cancel() }

            // An admin on instance A moves the street under the west district.
            var street = try #require(try await a.directory.units().first { $0.id == "st-east-1" })
            street.parentID = "dist-west"
            try await a.directory.updateUnit(street, audit: AuditEntry(at: now, actor: TestCity.actor("admin1"), action: .unitUpdated, target: "unit:st-east-1"))
            try await a.reference.reload()

            // The service checks every 200 ms; the bound is generous because a loaded test machine may stall any task
            // for seconds (the 2-second propagation is a measured figure, not a timed assertion).
            let start = ContinuousClock.now
            while try await deskB.order(number, for: west) == nil, ContinuousClock.now - start < .seconds(30) {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await deskB.order(number, for: west) != nil, "B sees the new tree by itself")
            #expect(b.reference.context.units.isWithin("st-east-1", "dist-west"))
            #expect(b.reference.version == a.reference.version)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCheckWithoutChangeReadsOneRowAndKeepsTheSnapshot(db: TestDatabase) async throws {
        try await db.withTwoInstances { a, b in
            let before = b.reference.version
            #expect(try await b.reference.reloadIfChanged() == false)
            try await a.directory.replaceTimeLimits(.defaults)
            #expect(try await b.reference.reloadIfChanged() == true)
            #expect(b.reference.version > before)
            #expect(try await b.reference.reloadIfChanged() == false)
        }
    }
}
