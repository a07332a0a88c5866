import Foundation
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// A unit's staff see and act only on orders linked to their unit or below it; to them every other order
/// does not exist.
@Suite struct DataScopeTests {
    @Test(arguments: TestDatabase.available)
    func unitStaffSeeOnlyTheirSubtree(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let east = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let west = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.action(east, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            _ = try await client.post(APIRoutes.action(west, "dispatch"), as: "disp1", ["lead_unit": "dist-west"])

            let ownOrder = try await client.call(.get, APIRoutes.order(east), as: "east1")
            let othersOrder = try await client.call(.get, APIRoutes.order(west), as: "east1")
            let streetBefore = try await client.call(.get, APIRoutes.order(east), as: "street1")
            #expect(ownOrder.status == .ok)
            #expect(othersOrder.status == .notFound)
            #expect(streetBefore.status == .notFound)

            _ = try await client.post(APIRoutes.action(east, "sign"), as: "east1")
            _ = try await client.post(APIRoutes.action(east, "sub-dispatch"), as: "east1", ["unit": "st-east-1"])
            let streetAfter = try await client.call(.get, APIRoutes.order(east), as: "street1")
            #expect(streetAfter.status == .ok)

            let eastList = try await client.call(.get, APIRoutes.orders, as: "east1")
            #expect((eastList["items"] as? [[String: Any]])?.compactMap { $0["number"] as? String } == [east])
            let askedOther = try await client.call(.get, APIRoutes.orders + "?unit=dist-west", as: "east1")
            #expect(askedOther["total"] as? Int == 0)
            let centreList = try await client.call(.get, APIRoutes.orders, as: "sup1")
            #expect(centreList["total"] as? Int == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func guessedOrderNumbersOfAnotherUnitChangeNothing(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let west = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.action(west, "dispatch"), as: "disp1", ["lead_unit": "dist-west"])
            let before = try await client.call(.get, APIRoutes.order(west), as: "sup1")
            for (action, body) in [("sign", [:]), ("return", ["reason": "不是我们的"]), ("reply", ["text": "伪造答复"])] as [(String, [String: Any])] {
                let reply = try await client.post(APIRoutes.action(west, action), as: "east1", body)
                #expect(reply.status == .notFound, "\(action)")
            }
            let after = try await client.call(.get, APIRoutes.order(west), as: "sup1")
            #expect(before.raw == after.raw)
        }
    }
}
