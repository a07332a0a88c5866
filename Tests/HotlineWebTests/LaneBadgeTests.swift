import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// 绿色通道 and 营商环境 orders are marked in the console's lists and on the order page, in words as well as colour;
/// the order page also lists the order's tags.
@Suite struct LaneBadgeTests {
    let console = ConsoleTests()

    @Test(arguments: TestDatabase.available)
    func anUrgentLivelihoodOrderCarriesItsBadgeInTheListAndOnTheOrderPage(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            var body = Bodies.intake
            body["title"] = "整栋楼停水"
            body["lanes"] = ["urgent_livelihood"]
            body["tags"] = ["夜间", "老旧小区"]
            let urgent = try #require(try await client.post(APIRoutes.orders, as: "agent1", body).order["number"] as? String)
            let plain = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let dispatcher = try await console.logIn(client, "disp1")
            let badge = "<span class=\"badge lane-urgent\">绿色通道</span>"

            let list = try await console.page(client, "/orders?status=pending_dispatch", cookie: dispatcher)
            #expect(list.raw.contains("<td>整栋楼停水 \(badge)</td>"))
            #expect(list.raw.contains("<td>小区路灯不亮</td>"), "an order in no lane has no badge")
            #expect(!list.raw.contains("lane-business"))

            let detail = try await console.page(client, WebRoutes.order(urgent), cookie: dispatcher)
            #expect(detail.raw.contains("<h1>\(urgent) 整栋楼停水 \(badge)</h1>"))
            #expect(detail.raw.contains("<dt>办理通道</dt><dd>绿色通道</dd>"))
            #expect(detail.raw.contains("<dt>标签</dt><dd>夜间、老旧小区</dd>"))
            let other = try await console.page(client, WebRoutes.order(plain), cookie: dispatcher)
            #expect(!other.raw.contains("办理通道") && !other.raw.contains("class=\"badge"))
        }
    }
}
