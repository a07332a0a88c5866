import Foundation
import HotlineApp
import HotlineDomain
@testable import HotlineStorage
import HotlineTestSupport
import SQLKit
import Testing

/// The queue marks (migration 13): every write keeps them on the order and on each unit link, the queues' lists read
/// them, and the migration fills them for orders stored before it.
@Suite struct QueueMarksTests {
    /// One order with each mark in 东区's hands: an extension request, a sent-back reply, an urge and a card, a redo.
    static func seed(_ s: HotlineServices) async throws -> [String: OrderNumber] {
        let desk = HotlineApp(services: s).desk
        let now = TestCity.monday
        func order(_ steps: [(Transition, String)]) async throws -> OrderNumber {
            let number = try await desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: now).order.number
            _ = try await desk.apply(.dispatch(lead: "dist-east", assisting: ["dist-west"], note: nil), to: number, by: TestCity.actor("disp1"), at: now)
            for (t, user) in [(Transition.sign, "east1")] + steps { _ = try await desk.apply(t, to: number, by: TestCity.actor(user), at: now) }
            return number
        }
        let reply = Transition.reply(text: "已处理。", attachments: [])
        return [
            "extension": try await order([(.requestExtension(workingDays: 2, reason: "需协调"), "east1")]),
            "sentBack": try await order([(reply, "east1"), (.sendBack(reason: "答复不完整"), "rev1")]),
            "carded": try await order([(.urge(note: "请加快"), "sup1"), (.issueCard(colour: .yellow, reason: "仍未办"), "sup1")]),
            "redone": try await order([
                (reply, "east1"), (.passReview(note: nil), "rev1"),
                (.recordCallback(.reached(resolved: false, satisfaction: .unsatisfied, stars: nil, note: "")), "cb1"),
                (.redo(reason: "重新办理"), "disp1"),
            ]),
            "plain": try await order([]),
        ]
    }

    struct Snapshot: Equatable {
        var orders: [String]
        var links: [String]
        var sentBackAt: [OrderNumber: Int64]
    }

    static func snapshot(_ s: HotlineServices) async throws -> Snapshot {
        try await s.database.read { db in
            let orders = try await db.rows(Statement("SELECT number, extension_pending, sent_back, urged, carded FROM work_orders ORDER BY number")).map { row in
                try ["number", "extension_pending", "sent_back", "urged", "carded"].map { String(try row.decode(column: $0, as: Int64.self)) }.joined(separator: " ")
            }
            let links = try await db.rows(Statement(
                "SELECT order_number, unit_id, extension_pending, sent_back, redone, urged, carded FROM work_order_units ORDER BY order_number, unit_id")).map { row in
                [String(try row.decode(column: "order_number", as: Int64.self)), try row.decode(column: "unit_id", as: String.self)]
                    .joined(separator: " ") + " "
                    + (try ["extension_pending", "sent_back", "redone", "urged", "carded"].map { String(try row.decode(column: $0, as: Int.self)) }.joined())
            }
            var sentBackAt: [OrderNumber: Int64] = [:]
            for row in try await db.rows(Statement("SELECT number, doc FROM work_orders")) {
                let order = try WorkOrderRow.decode(try row.decode(column: "doc", as: String.self))
                if let at = order.sentBackAt { sentBackAt[order.number] = at.epochMilliseconds }
            }
            return Snapshot(orders: orders, links: links, sentBackAt: sentBackAt)
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyWriteKeepsTheMarksOnTheOrderAndItsLinks(db: TestDatabase) async throws {
        try await db.withServices { s in
            let orders = try await Self.seed(s)
            let shot = try await Self.snapshot(s)
            func marks(_ key: String) -> String? { shot.orders.first { $0.hasPrefix(orders[key]!.description + " ") }?.split(separator: " ").dropFirst().joined() }
            #expect(marks("extension") == "1000" && marks("sentBack") == "0100" && marks("carded") == "0011" && marks("plain") == "0000")
            #expect(shot.links.contains("\(orders["redone"]!) dist-east 00100") && shot.links.contains("\(orders["redone"]!) dist-west 00100"))
            #expect(shot.links.contains("\(orders["carded"]!) dist-west 00011"), "an assisting unit's link carries the marks too")
            #expect(shot.sentBackAt.keys.sorted() == [orders["sentBack"]!])
            var queue = OrderFilter()
            queue.unit = "dist-east"
            queue.statuses = [.dispatched, .handling]
            for (key, mark) in [("extension", \OrderFilter.extensionPending), ("sentBack", \.sentBack), ("carded", \.urged), ("carded", \.carded), ("redone", \.redone)] {
                for unitScoped in [true, false] {
                    var f = queue
                    if !unitScoped { f.unit = nil }
                    f[keyPath: mark] = true
                    let page = try await s.orders.list(f, page: PageRequest(), now: TestCity.monday)
                    #expect(page.items.map(\.number) == [orders[key]!] && page.total == 1, "\(key) \(unitScoped)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func theMigrationFillsTheMarksOfOrdersStoredBeforeIt(db: TestDatabase) async throws {
        try await db.withServices { s in
            _ = try await Self.seed(s)
            let written = try await Self.snapshot(s)
            #expect(written.orders.contains { $0.hasSuffix(" 1 0 0 0") } && !written.sentBackAt.isEmpty, "something to fill")
            // Rows as migration 13 found them: no mark columns set, no send-back time in the document.
            let stripDoc =
                switch s.database.kind {
                case .sqlite: "UPDATE work_orders SET doc = json_remove(doc, '$.sentBackAt')"
                case .postgres: "UPDATE work_orders SET doc = (doc::jsonb - 'sentBackAt')::text"
                }
            try await s.database.execute(stripDoc)
            try await s.database.execute("UPDATE work_orders SET extension_pending = 0, sent_back = 0, urged = 0, carded = 0")
            try await s.database.execute("UPDATE work_order_units SET extension_pending = 0, sent_back = 0, redone = 0, urged = 0, carded = 0")
            #expect(try await Self.snapshot(s) != written)
            for sql in Migrations.queueMarksFill(s.database.kind) { try await s.database.execute(sql) }
            #expect(try await Self.snapshot(s) == written)
        }
    }
}
