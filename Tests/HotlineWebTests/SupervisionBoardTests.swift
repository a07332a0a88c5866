import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The supervision board (督办看板) and the supervisor's forms on the order page.
@Suite struct SupervisionBoardTests {
    @Test func boardMatchesItsSnapshot() throws {
        try PageSnapshotTests().check("supervision", try PageRenderer().html("supervision", SupervisionPage.fixture))
    }

    func csrf(_ html: String) throws -> String {
        try #require(html.range(of: "name=\"_csrf\" value=\"").map { String(html[$0.upperBound...].prefix(64)) })
    }

    @Test(arguments: TestDatabase.available)
    func aSupervisorUrgesCardsAndEscalatesAndTheBoardShowsIt(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withAPI(db, clock: clock) { client, _, _ in
            let console = ConsoleTests()
            let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.action(n, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            _ = try await client.post(APIRoutes.action(n, "sign"), as: "east1")
            let sup = try await console.logIn(client, "sup1")

            let empty = try await console.page(client, WebRoutes.supervision, cookie: sup)
            #expect(empty.status == .ok)
            #expect(empty.raw.contains("还没有督办记录"))

            var page = try await console.page(client, WebRoutes.order(n), cookie: sup)
            #expect(page.raw.contains("<summary>催办</summary>") && page.raw.contains("<summary>提级督办</summary>"))
            #expect(!page.raw.contains("<summary>亮牌</summary>"), "an order on time and never urged gets no card")
            let token = try csrf(page.raw)
            #expect(try await console.form(client, WebRoutes.order(n) + "/urge", "_csrf=\(token)&note=%E8%AF%B7%E5%8A%A0%E5%BF%AB", cookie: sup).status == .seeOther)
            page = try await console.page(client, WebRoutes.order(n), cookie: sup)
            #expect(page.raw.contains("<summary>亮牌</summary>"))
            #expect(page.raw.contains("name=\"colour\" value=\"yellow\" checked required> 黄牌") && !page.raw.contains("value=\"red\""),
                    "the one allowed colour is shown as chosen, not as a list of one")
            let refused = try await console.form(client, WebRoutes.order(n) + "/card", "_csrf=\(token)&colour=red&reason=x", cookie: sup)
            #expect(refused.status == .conflict, "red before yellow")
            #expect(refused.raw.contains("红牌须在同一工单的黄牌之后"))
            #expect(try await console.form(client, WebRoutes.order(n) + "/card", "_csrf=\(token)&colour=yellow&reason=%E6%97%A0%E8%BF%9B%E5%B1%95", cookie: sup).status == .seeOther)
            #expect(try await console.form(client, WebRoutes.order(n) + "/card", "_csrf=\(token)&colour=red&reason=%E4%BB%8D%E6%97%A0%E8%BF%9B%E5%B1%95", cookie: sup).status == .seeOther)
            #expect(try await console.form(client, WebRoutes.order(n) + "/escalate", "_csrf=\(token)&reason=%E5%8F%8D%E5%A4%8D%E6%8A%95%E8%AF%89", cookie: sup).status == .seeOther)
            let shown = try await console.page(client, WebRoutes.order(n), cookie: sup)
            #expect(shown.raw.contains("<dt>督办</dt><dd>催办 1 次，黄牌 1 张，红牌 1 张</dd>") && shown.raw.contains("<dt>提级督办</dt><dd>是，待会商（协调督办）</dd>"))
            let detail = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            #expect(detail.order["status"] as? String == "handling")
            let supervision = try #require(detail.order["supervision"] as? [String: Any])
            #expect(supervision["urges"] as? Int == 1 && supervision["yellow_cards"] as? Int == 1 && supervision["red_cards"] as? Int == 1)
            #expect(detail["chain_verified"] as? Bool == true)

            // Overdue: the order shows among the longest overdue and in its unit's row.
            clock.advance(22 * 86_400)  // past the reply deadline, still in March
            let board = try await console.page(client, WebRoutes.supervision, cookie: try await console.logIn(client, "sup1"))
            #expect(board.status == .ok)
            #expect(board.raw.contains("<td>东区人民政府</td><td><a href=\"/orders?status=dispatched,handling&amp;overdue=true&amp;lead_unit=dist-east\">1</a></td><td>1</td><td>1</td><td>1</td>"))
            #expect(board.raw.contains("<span class=\"mark red\">红牌督办</span>"))
            #expect(board.raw.contains("<span class=\"mark yellow\">黄牌警示</span>"))
            #expect(board.raw.contains("<span class=\"mark\">催办</span>"))
            let escalated = try #require(board.raw.range(of: "提级督办中的工单"))
            #expect(board.raw[escalated.upperBound...].contains("<a href=\"/orders/\(n)\">\(n)</a>"))

            // Watching is for supervisors and managers; a dispatcher and a unit are refused, and cannot urge.
            #expect(try await console.page(client, WebRoutes.supervision, cookie: try await console.logIn(client, "mgr1")).status == .ok)
            #expect(try await console.page(client, WebRoutes.supervision, cookie: try await console.logIn(client, "disp1")).status == .forbidden)
            let unit = try await console.logIn(client, "east1")
            #expect(try await console.page(client, WebRoutes.supervision, cookie: unit).status == .forbidden)
            let unitPage = try await console.page(client, WebRoutes.order(n), cookie: unit)
            #expect(!unitPage.raw.contains("<summary>催办</summary>"))
            #expect(try await console.form(client, WebRoutes.order(n) + "/urge", "_csrf=\(try csrf(unitPage.raw))&note=x", cookie: unit).status == .forbidden)
        }
    }
}
