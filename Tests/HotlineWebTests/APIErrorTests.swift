import Foundation
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct APIErrorTests {
    @Test(arguments: TestDatabase.available)
    func malformedJSONIs400(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let reply = try await client.call(.post, APIRoutes.orders, as: "agent1", json: "{\"channel\": \"phone\",")
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "malformed")
        }
    }

    @Test(arguments: TestDatabase.available)
    func unknownOrderAndRouteAre404(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            #expect(try await client.call(.get, APIRoutes.order("20250303000099"), as: "disp1").errorCode == "not_found")
            #expect(try await client.call(.get, APIRoutes.order("not-a-number"), as: "disp1").status == .notFound)
            #expect(try await client.post(APIRoutes.action("20250303000099", "sign"), as: "east1").status == .notFound)
            let unknownRoute = try await client.call(.get, "/api/v1/nothing-here", as: "disp1")
            #expect(unknownRoute.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func illegalTransitionIs409AndChangesNothing(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let before = try await client.call(.get, APIRoutes.order(number), as: "disp1")
            let reply = try await client.post(APIRoutes.action(number, "archive"), as: "disp1")
            #expect(reply.status == .conflict)
            #expect(reply.errorCode == "illegal_transition")
            let after = try await client.call(.get, APIRoutes.order(number), as: "disp1")
            #expect(before.raw == after.raw)
            #expect(!before.raw.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func oversizedBodyIs413(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            var body = Bodies.intake
            body["content"] = String(repeating: "很长的内容", count: 60_000)
            let reply = try await client.post(APIRoutes.orders, as: "agent1", body)
            #expect(reply.status == .contentTooLarge)
            let list = try await client.call(.get, APIRoutes.orders, as: "disp1")
            #expect(list["total"] as? Int == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func invalidFieldsAre422WithTheirName(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            var body = Bodies.intake
            body["kind"] = "gossip"
            let badKind = try await client.post(APIRoutes.orders, as: "agent1", body)
            #expect(badKind.status == .unprocessableContent)
            body = Bodies.intake
            body.removeValue(forKey: "title")
            let missing = try await client.post(APIRoutes.orders, as: "agent1", body)
            #expect(missing.status == .unprocessableContent)
            #expect((missing["error"] as? [String: Any])?["field"] as? String == "title")
            body = Bodies.intake
            body["content"] = String(repeating: "长", count: 10_001)
            let tooLong = try await client.post(APIRoutes.orders, as: "agent1", body)
            #expect(tooLong.status == .unprocessableContent)
            #expect((tooLong["error"] as? [String: Any])?["field"] as? String == "content")
            body = Bodies.intake
            body["category_code"] = "99.99"
            #expect(try await client.post(APIRoutes.orders, as: "agent1", body).errorCode == "unknown_category")
            let badQuery = try await client.call(.get, APIRoutes.orders + "?status=lost", as: "disp1")
            #expect(badQuery.status == .unprocessableContent)
            let list = try await client.call(.get, APIRoutes.orders, as: "disp1")
            #expect(list["total"] as? Int == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func missingOrUnknownUserIs401(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let anonymous = try await client.call(.get, APIRoutes.orders)
            let stranger = try await client.call(.get, APIRoutes.orders, as: "mallory")
            #expect(anonymous.status == .unauthorized)
            #expect(stranger.status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.available)
    func wrongRoleOrUnitIs403(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            #expect(try await client.post(APIRoutes.action(number, "dispatch"), as: "agent1", ["lead_unit": "dist-east"]).status == .forbidden)
            _ = try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            let otherDistrict = try await client.post(APIRoutes.action(number, "sign"), as: "west1")
            #expect(otherDistrict.status == .notFound)
            _ = try await client.post(APIRoutes.action(number, "redispatch"), as: "disp1", ["lead_unit": "st-east-1"])
            let parentUnit = try await client.post(APIRoutes.action(number, "sign"), as: "east1")
            #expect(parentUnit.status == .forbidden)
            #expect(parentUnit.errorCode == "wrong_unit")
        }
    }

    @Test(arguments: TestDatabase.available)
    func calendarEndpointsAnswer(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let days = try await client.call(.get, APIRoutes.calendarWorkdays + "?from=2025-01-25&to=2025-01-28", as: "agent1")
            #expect(days["days"] as? [String] == ["2025-01-26", "2025-01-27"])
            let deadline = try await client.call(.get, APIRoutes.calendarDeadline + "?start=2025-01-27T10:00:00%2B08:00&working_days=3", as: "agent1")
            #expect(deadline["deadline"] as? String == "2025-02-07T23:59:59+08:00")
        }
    }
}
