import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A home tile as the page shows it.
struct ShownTile: Equatable {
    var label: String
    var count: String
    var href: String?
}

/// Reading what the console's home and list pages show.
enum ShownPage {
    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
    }

    static func first(_ pattern: String, in text: some StringProtocol) -> String? {
        let text = String(text)
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), match.numberOfRanges > 1,
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }

    static func tiles(_ html: String) -> [ShownTile] {
        html.components(separatedBy: "<div class=\"queue").dropFirst().compactMap { chunk in
            guard let label = first("data-label=\"([^\"]+)\"", in: chunk), let count = first("<div class=\"count\">([^<]+)</div>", in: chunk) else { return nil }
            return ShownTile(label: unescape(label), count: count, href: first("<a class=\"open\" href=\"([^\"]+)\"", in: chunk).map(unescape))
        }
    }

    static func heading(_ html: String) -> String? { first("<h1>([^<]*)</h1>", in: html).map(unescape) }
    static func total(_ html: String) -> String? { first("共 ([0-9]+\\+?) 件", in: html) }

    /// The order numbers a list's rows link to, in the order shown.
    static func numbers(_ html: String) -> [String] {
        guard let body = html.components(separatedBy: "<tbody>").dropFirst().first?.components(separatedBy: "</tbody>").first,
              let regex = try? NSRegularExpression(pattern: "<a href=\"/orders/([0-9]+)\">") else { return [] }
        return regex.matches(in: body, range: NSRange(body.startIndex..., in: body)).compactMap { Range($0.range(at: 1), in: body).map { String(body[$0]) } }
    }
}

/// Work queues (工作台队列): every tile of every role opens a list headed with the tile's name whose total is the tile's
/// count; the new queues (延期待审批, 审核退回, 重办, 被催办, 被亮牌) hold the orders they name; the supervisor's home, the
/// supervision board and their lists count overdue orders one way.
@Suite struct QueuePageTests {
    let console = ConsoleTests()

    @Test func theFilteredListMatchesItsSnapshot() throws {
        try PageSnapshotTests().check("orders-filtered", try PageRenderer().html("orders", OrderListPage.filteredFixture))
    }

    /// One order in each queue of 东区 (and one in 西区's, one waiting for dispatch), all on Monday.
    @discardableResult
    static func seedQueues(_ services: HotlineServices, at now: Date = TestCity.monday) async throws -> [String: OrderNumber] {
        let desk = services.desk
        func actor(_ id: String) -> Actor { TestCity.actor(id) }
        func order(_ title: String, lead: UnitID? = "dist-east", _ steps: [(Transition, String)] = []) async throws -> OrderNumber {
            let number = try await desk.intake(TestCity.draft(title: title), by: actor("agent1"), at: now).order.number
            if let lead { _ = try await desk.apply(.dispatch(lead: lead, assisting: [], note: nil), to: number, by: actor("disp1"), at: now) }
            for (transition, user) in steps { _ = try await desk.apply(transition, to: number, by: actor(user), at: now) }
            return number
        }
        let reply = Transition.reply(text: "已处理完毕。", attachments: [])
        var orders: [String: OrderNumber] = [:]
        orders["dispatched"] = try await order("待签收的工单")
        orders["extension"] = try await order("申请延期的工单", [(.sign, "east1"), (.requestExtension(workingDays: 3, reason: "需协调供电部门"), "east1")])
        orders["sentBack"] = try await order("被退回的工单", [(.sign, "east1"), (reply, "east1"), (.sendBack(reason: "答复未说明原因"), "rev1")])
        orders["urged"] = try await order("被催办的工单", [(.sign, "east1"), (.urge(note: "请加快"), "sup1"), (.issueCard(colour: .yellow, reason: "催办后仍未办"), "sup1")])
        let redo = try await order("重办的工单", [
            (.sign, "east1"), (reply, "east1"), (.passReview(note: nil), "rev1"),
            (.recordCallback(.reached(resolved: false, satisfaction: .unsatisfied, stars: nil, note: "没修好")), "cb1"),
        ])
        if try await desk.current(redo, for: actor("disp1"))?.status == .callbackDisputed {
            _ = try await desk.apply(.redo(reason: "回访不满意，重新办理"), to: redo, by: actor("disp1"), at: now)
        }
        orders["redo"] = redo
        orders["west"] = try await order("西区的工单", lead: "dist-west", [(.sign, "west1"), (.urge(note: "请加快"), "sup1")])
        orders["pending"] = try await order("待派单的工单", lead: nil)
        return orders
    }

    @Test(arguments: TestDatabase.available)
    func everyTileOpensAListWithItsNameAndItsCount(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            try await Self.seedQueues(services)
            for user in ["agent1", "disp1", "east1", "eastadmin", "west1", "rev1", "cb1", "sup1", "mgr1", "qi1", "admin1"] {
                let cookie = try await console.logIn(client, user)
                let tiles = ShownPage.tiles(try await console.page(client, WebRoutes.home, cookie: cookie).raw)
                #expect(!tiles.isEmpty, "\(user) has queues")
                for tile in tiles {
                    guard let href = tile.href else { continue }
                    let list = try await console.page(client, href, cookie: cookie)
                    if href.hasPrefix(WebRoutes.knowledge) {
                        // The knowledge base's queues (知识待审核, 知识草稿) list entries, not orders.
                        #expect(ShownPage.heading(list.raw) == tile.label, "\(user): tile \(tile.label) opens a list headed \(ShownPage.heading(list.raw) ?? "")")
                        #expect(ShownPage.first("共 ([0-9]+) 条", in: list.raw) == tile.count, "\(user): tile \(tile.label) says \(tile.count)")
                        continue
                    }
                    #expect(list.status == .ok, "\(user) \(tile.label)")
                    #expect(ShownPage.heading(list.raw) == tile.label, "\(user): tile \(tile.label) opens a list headed \(ShownPage.heading(list.raw) ?? "")")
                    #expect(ShownPage.total(list.raw) == tile.count, "\(user): tile \(tile.label) says \(tile.count), its list \(ShownPage.total(list.raw) ?? "")")
                    #expect(ShownPage.numbers(list.raw).count == Int(tile.count.trimmingCharacters(in: ["+"])).map { min($0, 20) })
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func theNewQueuesHoldTheOrdersTheyName(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let orders = try await Self.seedQueues(services)
            func tiles(_ user: String) async throws -> (tiles: [String: ShownTile], cookie: String) {
                let cookie = try await console.logIn(client, user)
                let shown = ShownPage.tiles(try await console.page(client, WebRoutes.home, cookie: cookie).raw)
                return (Dictionary(shown.map { ($0.label, $0) }, uniquingKeysWith: { a, _ in a }), cookie)
            }
            func listed(_ tile: ShownTile?, cookie: String) async throws -> [String] {
                guard let href = tile?.href else { return [] }
                return ShownPage.numbers(try await console.page(client, href, cookie: cookie).raw)
            }
            let east = try await tiles("east1")
            let expected: [(String, String)] = [("审核退回", "sentBack"), ("重办", "redo"), ("被催办", "urged"), ("被亮牌", "urged")]
            for (label, key) in expected {
                #expect(east.tiles[label]?.count == "1", "东区 \(label)")
                #expect(try await listed(east.tiles[label], cookie: east.cookie) == [orders[key]!.description], "东区 \(label)")
            }
            #expect(east.tiles["延期待审批"] == nil, "a unit does not approve extensions")
            let west = try await tiles("west1")
            #expect(west.tiles["被催办"]?.count == "1" && west.tiles["审核退回"]?.count == "0")
            for approver in ["disp1", "sup1"] {
                let home = try await tiles(approver)
                #expect(home.tiles["延期待审批"]?.count == "1", "\(approver) approves extensions")
                #expect(try await listed(home.tiles["延期待审批"], cookie: home.cookie) == [orders["extension"]!.description])
                #expect(home.tiles["回访不满意待研判"] != nil)
            }
            for other in ["agent1", "rev1", "cb1", "mgr1", "admin1"] {
                #expect(try await tiles(other).tiles["延期待审批"] == nil, "\(other) does not approve extensions")
            }
            // Approved from the list: the queue empties and the unit sees the decision.
            _ = try await services.desk.apply(.approveExtension(note: "同意"), to: orders["extension"]!, by: TestCity.actor("disp1"), at: TestCity.monday)
            #expect(try await tiles("sup1").tiles["延期待审批"]?.count == "0")
            let replied = try await services.desk.apply(.reply(text: "已重新答复。", attachments: []), to: orders["sentBack"]!, by: TestCity.actor("east1"),
                                                        at: TestCity.monday)
            #expect(replied.order.sentBackAt == nil)
            #expect(try await tiles("east1").tiles["审核退回"]?.count == "0", "a new reply leaves 审核退回")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theSupervisorsHomeTheBoardAndTheirListsCountOverdueOrdersAlike(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock()) { client, services, clock in
            let desk = services.desk
            let disp = TestCity.actor("disp1")
            func intake() async throws -> OrderNumber {
                let taken = try await desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: clock.now)
                return taken.order.number
            }
            _ = try await intake()  // waits for dispatch: overdue at the centre, not at a unit
            for (lead, assisting) in [("dist-east", [String]()), ("dist-east", ["dist-west"]), ("dist-west", [])] {
                _ = try await desk.apply(.dispatch(lead: lead, assisting: assisting, note: nil), to: try await intake(), by: disp, at: clock.now)
            }
            clock.advance(40 * 86_400)
            let cookie = try await console.logIn(client, "sup1")
            let home = ShownPage.tiles(try await console.page(client, WebRoutes.home, cookie: cookie).raw)
            let homeTile = try #require(home.first { $0.label == "超期在办" })
            let board = try await console.page(client, WebRoutes.supervision, cookie: cookie).raw
            let boardTile = try #require(ShownPage.tiles(board).first { $0.label == "超期在办" })
            let list = try await console.page(client, try #require(homeTile.href), cookie: cookie).raw
            let api = try await client.call(.get, APIRoutes.orders + "?status=dispatched,handling&overdue=true", as: "sup1")
            #expect(homeTile.count == "3")
            #expect(boardTile.count == homeTile.count && boardTile.href == homeTile.href)
            #expect(ShownPage.total(list) == homeTile.count && ShownPage.heading(list) == "超期在办")
            #expect(api["total"] as? Int == 3)
            // Each unit's row on the board opens the list of exactly the orders it counts.
            let rows = board.components(separatedBy: "<td><a href=\"").dropFirst().compactMap { chunk -> (String, String)? in
                guard let href = chunk.components(separatedBy: "\"").first, href.contains("lead_unit="),
                      let count = ShownPage.first(">([0-9]+)</a>", in: chunk) else { return nil }
                return (ShownPage.unescape(href), count)
            }
            #expect(rows.map(\.1).sorted() == ["1", "2"], "东区 leads two, 西区 one: \(rows)")
            for (href, count) in rows {
                let unitList = try await console.page(client, href, cookie: cookie).raw
                #expect(ShownPage.total(unitList) == count, "\(href)")
                #expect(ShownPage.heading(unitList)?.hasPrefix("超期在办 · 主办单位：") == true)
            }
            // The admin's 超期工单 counts every open order past its limit, the one waiting for dispatch too: another name.
            let admin = ShownPage.tiles(try await console.page(client, WebRoutes.home, cookie: try await console.logIn(client, "admin1")).raw)
            #expect(admin.first { $0.label == "超期工单" }?.count == "4")
        }
    }
}
