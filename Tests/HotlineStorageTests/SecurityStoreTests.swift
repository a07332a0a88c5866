import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Testing

/// The audit log and the catalogue history are append-only in the database itself; confidential orders are
/// marked in their row so that lists can hide them from units.
@Suite struct SecurityStoreTests {
    @Test(arguments: TestDatabase.available)
    func auditLogAndCatalogueHistoryRefuseUpdateAndDelete(db: TestDatabase) async throws {
        try await db.withServices { s in
            let admin = TestCity.actor("admin1")
            try await s.audit.record(AuditEntry(at: TestCity.monday, actor: admin, action: .login, target: "user:admin1"))
            _ = try await s.catalogue.apply([("01", nil, "dept-housing")], note: nil, by: admin, at: TestCity.monday, audit: nil)
            for table in ["audit_log", "dispatch_catalogue_history"] {
                await #expect(throws: (any Error).self, "\(table) update") { try await s.database.execute("UPDATE \(table) SET actor_id = 'someone-else'") }
                await #expect(throws: (any Error).self, "\(table) delete") { try await s.database.execute("DELETE FROM \(table)") }
            }
            #expect(try await s.audit.list(AuditFilter(), page: 1, size: 10).map(\.actorID) == ["admin1"])
            #expect(try await s.catalogue.history(categoryCode: nil, limit: 10, offset: 0).map(\.newUnit) == ["dept-housing"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func auditFiltersCombineAndPageNewestFirst(db: TestDatabase) async throws {
        try await db.withServices { s in
            for minute in 0..<5 {
                let at = TestCity.monday.addingTimeInterval(Double(minute) * 60)
                try await s.audit.record(AuditEntry(at: at, actor: TestCity.actor(minute.isMultiple(of: 2) ? "sup1" : "cb1"), action: .reveal, target: "order:\(minute)"))
            }
            var filter = AuditFilter()
            filter.actorID = "sup1"
            filter.from = TestCity.monday.addingTimeInterval(60)
            #expect(try await s.audit.list(filter, page: 1, size: 10).map(\.target) == ["order:4", "order:2"])
            #expect(try await s.audit.list(AuditFilter(), page: 2, size: 2).map(\.target) == ["order:2", "order:1"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func confidentialFlagIsKeptInTheListRow(db: TestDatabase) async throws {
        try await db.withServices { s in
            var draft = TestCity.draft()
            draft.caller.confidential = true
            _ = try await s.desk.intake(draft, by: TestCity.actor("agent1"), at: TestCity.monday)
            _ = try await s.desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: TestCity.monday)
            let page = try await s.orders.list(OrderFilter(), page: PageRequest(sort: .oldest), now: TestCity.monday)
            #expect(page.items.map(\.callerConfidential) == [true, false])
        }
    }

    @Test(arguments: TestDatabase.available)
    func restrictionIsActiveOnlyInItsWindow(db: TestDatabase) async throws {
        try await db.withServices { s in
            let sup = TestCity.actor("sup1")
            let audit = AuditEntry(at: TestCity.monday, actor: sup, action: .callerRestricted)
            let r = try await s.restrictions.restrict(phone: "13812345678", reason: "骚扰", days: 2, by: sup, at: TestCity.monday, audit: audit)
            #expect(try await s.restrictions.active(for: "13812345678", at: TestCity.monday.addingTimeInterval(86_400))?.id == r.id)
            #expect(try await s.restrictions.active(for: "13812345678", at: TestCity.monday.addingTimeInterval(2 * 86_400)) == nil)
            #expect(try await s.restrictions.active(for: "13800000000", at: TestCity.monday) == nil)
            #expect(try await s.audit.list(AuditFilter(), page: 1, size: 5).first?.target == "restriction:\(r.id)")
        }
    }
}
