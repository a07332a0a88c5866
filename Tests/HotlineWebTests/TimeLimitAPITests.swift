import Foundation
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct TimeLimitAPITests {
    @Test(arguments: TestDatabase.available)
    func adminChangesTimeLimitsAndDispatchUsesThem(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let rules: [[String: Any]] = [
                ["stage": "dispatch", "limit": "2h"], ["stage": "sign", "limit": "1d"], ["stage": "return_window", "limit": "1d"],
                ["stage": "handling", "limit": "5d"], ["stage": "handling", "category_code": "01.01", "limit": "2d"],
            ]
            let body = try JSONSerialization.data(withJSONObject: ["items": rules])
            let saved = try await client.call(.put, APIRoutes.timeLimits, as: "admin1", json: String(decoding: body, as: UTF8.self))
            #expect(saved.status == .ok)
            #expect((saved["items"] as? [Any])?.count == 5)
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let dispatched = try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            #expect((dispatched.order["deadlines"] as? [String: Any])?["reply_by"] as? String == "2025-03-05T23:59:59+08:00")
        }
    }

    @Test(arguments: TestDatabase.available)
    func onlyAdminsChangeTimeLimitsAndBadRulesAreRefused(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let good = #"{"items": [{"stage": "handling", "limit": "5d"}]}"#
            let byDispatcher = try await client.call(.put, APIRoutes.timeLimits, as: "disp1", json: good)
            #expect(byDispatcher.status == .forbidden)
            let badLimit = try await client.call(.put, APIRoutes.timeLimits, as: "admin1", json: #"{"items": [{"stage": "handling", "limit": "soon"}]}"#)
            #expect(badLimit.status == .unprocessableContent)
            let badCategory = try await client.call(.put, APIRoutes.timeLimits, as: "admin1",
                                                    json: #"{"items": [{"stage": "handling", "category_code": "77", "limit": "5d"}]}"#)
            #expect(badCategory.status == .unprocessableContent)
            let current = try await client.call(.get, APIRoutes.timeLimits, as: "disp1")
            #expect((current["items"] as? [Any])?.count == 13)
        }
    }
}
