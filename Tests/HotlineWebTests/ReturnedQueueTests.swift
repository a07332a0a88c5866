import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The dispatcher's returned queue (退单待改派) shows why each unit returned its order, on the list and on the order page.
@Suite struct ReturnedQueueTests {
    @Test(arguments: TestDatabase.available)
    func returnedOrdersCarryTheUnitsReason(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let console = ConsoleTests()
            let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.action(n, "dispatch"), as: "disp1", ["lead_unit": "dist-west"])
            _ = try await client.post(APIRoutes.action(n, "return"), as: "west1", ["reason": "地址在东区<幸福路>"])
            let other = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.action(other, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])

            let dispatcher = try await console.logIn(client, "disp1")
            let list = try await console.page(client, "/orders?status=returned", cookie: dispatcher)
            #expect(list.raw.contains("<th scope=\"col\">退单理由</th>"))
            #expect(list.raw.contains("<td data-label=\"退单理由\">其他：地址在东区&lt;幸福路&gt;</td>"), "the reason (the old free-text shape, filed under 其他), escaped")
            #expect(!list.raw.contains(other), "only returned orders")
            let all = try await console.page(client, "/orders", cookie: dispatcher)
            #expect(!all.raw.contains("退单理由"), "other lists keep their columns")
            let page = try await console.page(client, WebRoutes.order(n), cookie: dispatcher)
            #expect(page.raw.contains("<dt>退单理由</dt><dd>西区人民政府：其他。依据：地址在东区&lt;幸福路&gt;</dd>"))
        }
    }
}
