import Foundation
import HotlineDomain
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
            #expect((current["items"] as? [Any])?.count == TimeLimitPolicy.defaults.rules.count, "the defaults, review and callback included")
        }
    }

    /// A local holiday added through the API moves deadlines at once; removing it restores them; bad ranges, other
    /// roles and unknown ids are refused and change nothing.
    @Test(arguments: TestDatabase.available)
    func calendarOverridesThroughTheAPI(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let deadline = APIRoutes.calendarDeadline + "?start=2025-03-03T10:00:00%2B08:00&working_days=1"
            let before = try await client.call(.get, deadline, as: "disp1")
            #expect(before.status == .ok, "\(before.raw)")
            let holiday = #"{"start": "2025-03-04", "end": "2025-03-04", "kind": "holiday", "name": "台风停工"}"#
            #expect(try await client.call(.post, APIRoutes.calendarOverrides, as: "disp1", json: holiday).status == .forbidden)
            for bad in [#"{"start": "2025-03-05", "end": "2025-03-04", "kind": "holiday"}"#, #"{"start": "2025-03-04", "end": "2025-05-04", "kind": "holiday"}"#,
                        #"{"start": "2025-02-30", "end": "2025-03-04", "kind": "holiday"}"#, #"{"start": "2025-03-04", "end": "2025-03-04", "kind": "party"}"#] {
                let refused = try await client.call(.post, APIRoutes.calendarOverrides, as: "admin1", json: bad)
                #expect(refused.status == .unprocessableContent, "\(bad)")
            }
            #expect((try await client.call(.get, APIRoutes.calendarOverrides, as: "disp1")["items"] as? [Any])?.isEmpty == true)

            let added = try await client.call(.post, APIRoutes.calendarOverrides, as: "admin1", json: holiday)
            #expect(added.status == .created, "\(added.raw)")
            let item = try #require((added["items"] as? [[String: Any]])?.first)
            #expect(item["start"] as? String == "2025-03-04" && item["kind"] as? String == "holiday" && item["name"] as? String == "台风停工")
            let after = try await client.call(.get, deadline, as: "disp1")
            #expect(after.raw != before.raw, "the holiday moved the deadline")
            let days = try await client.call(.get, APIRoutes.calendarWorkdays + "?from=2025-03-03&to=2025-03-05", as: "disp1")
            #expect(days["days"] as? [String] == ["2025-03-03", "2025-03-05"])

            let id = try #require(item["id"] as? Int)
            #expect(try await client.call(.delete, APIRoutes.calendarOverride("999999"), as: "admin1").status == .notFound)
            #expect(try await client.call(.delete, APIRoutes.calendarOverride(String(id)), as: "disp1").status == .forbidden)
            #expect(try await client.call(.delete, APIRoutes.calendarOverride(String(id)), as: "admin1").status == .ok)
            #expect(try await client.call(.get, deadline, as: "disp1").raw == before.raw)
            let audit = try await client.call(.get, APIRoutes.audit + "?action=calendar_changed", as: "admin1")
            #expect((audit["items"] as? [Any])?.count == 2)
        }
    }
}
