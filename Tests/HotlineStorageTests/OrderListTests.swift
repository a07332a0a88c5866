import Foundation
import HotlineDomain
@testable import HotlineStorage
import HotlineTestSupport
import Testing

@Suite struct OrderListTests {
    let monday = TestCity.monday

    /// Five orders: two dispatched to the east (one overdue later), one to the west, one consultation on the web,
    /// one still waiting for dispatch.
    func makeOrders(_ s: HotlineServices) async throws -> [OrderNumber] {
        let a = try await walk(s, through: .dispatch)
        let b = try await walk(s, through: .sign, draft: TestCity.draft(title: "道路坑洼", content: "建设路有大坑 100%危险", category: "01.01.02"))
        let c = try await s.desk.intake(TestCity.draft(title: "西区噪音", content: "夜间施工噪音扰民"), by: TestCity.actor("agent1"), at: monday).order.number
        _ = try await s.desk.apply(.dispatch(lead: "dist-west", assisting: ["dist-east"], note: nil), to: c, by: TestCity.actor("disp1"), at: monday)
        let d = try await s.desk.intake(TestCity.draft(title: "社保卡补办", content: "社保卡丢了怎么补办", kind: .consultation, channel: .web, category: "02.01.01", phone: "13900000000"),
                                        by: TestCity.actor("agent1"), at: monday.addingTimeInterval(86_400 * 2)).order.number
        let e = try await s.desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: monday).order.number
        return [a, b, c, d, e]
    }

    @Test(arguments: TestDatabase.available)
    func filtersNarrowTheList(db: TestDatabase) async throws {
        try await db.withServices { s in
            let n = try await makeOrders(s)
            func numbers(_ configure: (inout OrderFilter) -> Void) async throws -> Set<OrderNumber> {
                var f = OrderFilter()
                configure(&f)
                return Set(try await s.orders.list(f, page: PageRequest(size: 100), now: monday).items.map(\.number))
            }
            #expect(try await numbers { $0.statuses = [.handling] } == [n[1]])
            #expect(try await numbers { $0.statuses = [.dispatched, .pendingDispatch] } == [n[0], n[2], n[3], n[4]])
            #expect(try await numbers { $0.unit = "dist-east" } == [n[0], n[1], n[2]])
            #expect(try await numbers { $0.unit = "dist-west" } == [n[2]])
            #expect(try await numbers { $0.unit = "dist-east"; $0.statuses = [.handling] } == [n[1]])
            #expect(try await numbers { $0.unit = "dist-east"; $0.statuses = [.dispatched] } == [n[0], n[2]])
            #expect(try await numbers { $0.unit = "dist-east"; $0.text = "坑洼" } == [n[1]])
            #expect(try await numbers { $0.unit = "dist-west"; $0.text = "坑洼" } == [])
            #expect(try await numbers { $0.unit = "dist-east"; $0.categoryCode = "01.01.02" } == [n[1]])
            #expect(try await numbers { $0.categoryCode = "01.01" } == [n[0], n[1], n[2], n[4]])
            #expect(try await numbers { $0.categoryCode = "02" } == [n[3]])
            #expect(try await numbers { $0.kind = .consultation } == [n[3]])
            #expect(try await numbers { $0.channel = .web } == [n[3]])
            #expect(try await numbers { $0.text = "噪音" } == [n[2]])
            #expect(try await numbers { $0.text = "100%" } == [n[1]])
            #expect(try await numbers { $0.callerPhone = "13900000000" } == [n[3]])
            #expect(try await numbers { $0.createdFrom = monday.addingTimeInterval(86_400) } == [n[3]])
            #expect(try await numbers { $0.createdTo = monday.addingTimeInterval(86_400) } == [n[0], n[1], n[2], n[4]])
        }
    }

    @Test(arguments: TestDatabase.available)
    func overdueFollowsDeadlinesAndCountsPerUnit(db: TestDatabase) async throws {
        try await db.withServices { s in
            let n = try await makeOrders(s)
            let later = monday.addingTimeInterval(86_400 * 30)
            var f = OrderFilter()
            f.overdue = true
            let overdue = Set(try await s.orders.list(f, page: PageRequest(size: 100), now: later).items.map(\.number))
            #expect(overdue == Set(n))
            f.unit = "dist-east"
            #expect(try await s.orders.list(f, page: PageRequest(), now: monday).total == 0)
            let eastOverdue = try await s.orders.list(f, page: PageRequest(sort: .due), now: later)
            #expect(Set(eastOverdue.items.map(\.number)) == [n[0], n[1], n[2]])
            #expect(eastOverdue.totalIsExact)
            let counts = try await s.orders.overdueCountsByUnit(now: later)
            #expect(counts == [UnitCount(unit: "dist-east", count: 2), UnitCount(unit: "dist-west", count: 1)])
            _ = try await s.desk.apply(.reply(text: "已处理", attachments: []), to: n[1], by: TestCity.actor("east1"), at: monday)
            #expect(Set(try await s.orders.list(f, page: PageRequest(), now: later).items.map(\.number)) == [n[0], n[2]])
        }
    }

    /// Overdue lists sorted by deadline over several statuses merge each status's earliest deadlines; the pages
    /// must come out exactly as one sort of every matching order would give them.
    @Test(arguments: TestDatabase.available)
    func deadlineOrderAcrossStatusesMatchesOneSort(db: TestDatabase) async throws {
        try await db.withServices { s in
            for i in 0..<12 {
                let at = monday.addingTimeInterval(Double(i) * 3_600 * 7)
                let n = try await s.desk.intake(TestCity.draft(title: "路灯\(i)"), by: TestCity.actor("agent1"), at: at).order.number
                guard i % 3 != 0 else { continue }
                _ = try await s.desk.apply(.dispatch(lead: i % 2 == 0 ? "dist-east" : "dist-west", assisting: [], note: nil), to: n, by: TestCity.actor("disp1"), at: at)
                if i % 3 == 2 { _ = try await s.desk.apply(.sign, to: n, by: TestCity.actor(i % 2 == 0 ? "east1" : "west1"), at: at) }
            }
            let later = monday.addingTimeInterval(86_400 * 60)
            var f = OrderFilter()
            f.overdue = true
            f.statuses = [.handling, .pendingDispatch, .dispatched]
            let all = try await s.orders.list(f, page: PageRequest(size: 100), now: later).items
            #expect(all.count == 12)
            let expected = all.sorted { ($0.dueAt!, $0.number) < ($1.dueAt!, $1.number) }.map(\.number)
            var paged: [OrderNumber] = []
            for page in 1...4 {
                paged += try await s.orders.list(f, page: PageRequest(page: page, size: 4, sort: .due, countsTotal: false), now: later).items.map(\.number)
            }
            #expect(paged == expected)
            // One status, and a unit's links, in deadline order too.
            f.statuses = [.dispatched]
            let dispatched = try await s.orders.list(f, page: PageRequest(size: 100, sort: .due), now: later).items
            #expect(dispatched.map(\.number) == dispatched.sorted { ($0.dueAt!, $0.number) < ($1.dueAt!, $1.number) }.map(\.number))
            f.statuses = [.dispatched, .handling]
            f.unit = "dist-east"
            let east = try await s.orders.list(f, page: PageRequest(size: 100, sort: .due), now: later).items
            #expect(!east.isEmpty)
            #expect(east.map(\.number) == east.sorted { ($0.dueAt!, $0.number) < ($1.dueAt!, $1.number) }.map(\.number))
        }
    }

    @Test(arguments: TestDatabase.available)
    func pagesAreOrderedAndCounted(db: TestDatabase) async throws {
        try await db.withServices { s in
            let n = try await makeOrders(s).sorted()
            let first = try await s.orders.list(OrderFilter(), page: PageRequest(page: 1, size: 2), now: monday)
            let third = try await s.orders.list(OrderFilter(), page: PageRequest(page: 3, size: 2), now: monday)
            #expect(first.total == 5)
            #expect(first.items.map(\.number) == [n[4], n[3]])
            #expect(third.items.map(\.number) == [n[0]])
            let oldest = try await s.orders.list(OrderFilter(), page: PageRequest(page: 1, size: 1, sort: .oldest), now: monday)
            #expect(oldest.items.map(\.number) == [n[0]])
        }
    }

    @Test(arguments: TestDatabase.available)
    func injectionStringsAreJustText(db: TestDatabase) async throws {
        try await db.withServices { s in
            _ = try await makeOrders(s)
            for attack in ["' OR 1=1 --", "%' OR '1'='1", "\"; DROP TABLE work_orders; --", "_", "\\"] {
                var f = OrderFilter()
                f.text = attack
                f.unit = attack
                f.categoryCode = attack
                f.callerPhone = attack
                #expect(try await s.orders.list(f, page: PageRequest(), now: monday).total == 0)
            }
            #expect(try await s.orders.list(OrderFilter(), page: PageRequest(), now: monday).total == 5)
        }
    }

    @Test(arguments: TestDatabase.available)
    func listsCarryEachOrdersLanesAlsoForOrdersStoredBeforeTheColumn(db: TestDatabase) async throws {
        try await db.withServices { s in
            var urgent = TestCity.draft(title: "停水")
            urgent.lanes = [.urgentLivelihood]
            var both = TestCity.draft(title: "企业停电")
            both.lanes = [.urgentLivelihood, .businessEnvironment]
            let u = try await s.desk.intake(urgent, by: TestCity.actor("agent1"), at: monday).order.number
            let b = try await s.desk.intake(both, by: TestCity.actor("agent1"), at: monday).order.number
            let plain = try await s.desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: monday).order.number
            _ = try await s.desk.apply(.dispatch(lead: "dist-east", assisting: [], note: nil), to: u, by: TestCity.actor("disp1"), at: monday)
            let expected: [OrderNumber: [Lane]] = [u: [.urgentLivelihood], b: [.businessEnvironment, .urgentLivelihood], plain: []]
            #expect(try await lanesByOrder(s) == expected, "written on intake and kept on every update")

            // Rows written before migration 11 get their lanes from the stored order.
            try await s.database.execute("UPDATE work_orders SET lanes = ''")
            for sql in try #require(Migrations.all.first { $0.id == 11 }).statements(s.database.kind).dropFirst() {
                try await s.database.execute(sql)
            }
            #expect(try await lanesByOrder(s) == expected)
        }
    }

    func lanesByOrder(_ s: HotlineServices) async throws -> [OrderNumber: [Lane]] {
        let items = try await s.orders.list(OrderFilter(), page: PageRequest(size: 100), now: monday).items
        return Dictionary(uniqueKeysWithValues: items.map { ($0.number, $0.lanes) })
    }
}
