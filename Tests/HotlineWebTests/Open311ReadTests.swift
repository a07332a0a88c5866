import Foundation
import HTTPTypes
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// Reading orders through Open311: only what the citizen portal's timeline shows, the filters, the period and the cap.
@Suite struct Open311ReadTests {
    /// An order taken by an agent for 张先生 (13812345678) at 幸福路12号 in 东区, dispatched to 东区人民政府.
    func dispatchedOrder(_ client: any TestClientProtocol, title: String = "小区路灯不亮") async throws -> String {
        var body = Bodies.intake
        body["title"] = title
        body["location"] = ["address": "幸福路12号", "district": "东区", "street": "幸福街道", "latitude": 30.5928374, "longitude": 114.3055123]
        let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", body).order["number"] as? String)
        _ = try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
        return number
    }

    @Test(arguments: TestDatabase.available)
    func aRequestShowsOnlyItsPublicPart(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let number = try await dispatchedOrder(client, title: "张先生（13812345678）反映小区路灯不亮")
            let reply = try await client.open311(Open311Routes.request(number, .json))
            #expect(reply.status == .ok)
            let request = try #require(reply.list.first)
            #expect(reply.list.count == 1)
            let orderNumber = try #require(OrderNumber(number))
            let order = try #require(try await services.orders.order(orderNumber))
            #expect(request["service_request_id"] as? String == number && request["status"] as? String == "open")
            #expect(request["status_notes"] as? String == "办理中")
            #expect(request["service_code"] as? String == "01.01.01" && request["service_name"] as? String == "路灯")
            #expect(request["agency_responsible"] as? String == "东区人民政府")
            #expect(request["expected_datetime"] as? String == order.deadlines.replyBy?.chinaISO8601)
            #expect(request["requested_datetime"] as? String == TestCity.monday.chinaISO8601)
            #expect(request["requested_datetime"] as? String == "2025-03-03T10:00:00+08:00")
            #expect(request["address"] as? String == "东区 幸福街道")
            #expect(request["lat"] as? Double == 30.593 && request["long"] as? Double == 114.306)
            #expect(request["description"] as? String == "***（***）反映小区路灯不亮")
            for secret in ["13812345678", "张先生", "幸福路12号", "disp1", "派单员"] { #expect(!reply.raw.contains(secret), "\(secret)") }
            let xml = try await client.open311(Open311Routes.request(number, .xml))
            #expect(xml.raw.contains("<service_requests><request><service_request_id>\(number)</service_request_id><status>open</status>"))
            #expect(xml.raw.contains("<service_notice/>") && xml.raw.contains("<lat>30.593</lat><long>114.306</long><media_url/>"))
            #expect(try await client.open311(Open311Routes.request("20250303999999", .json)).status == .notFound)
            #expect(try await client.open311(Open311Routes.request("not-a-number", .xml)).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aClosedRequestShowsItsAnswerWithoutTheCallersName(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try await dispatchedOrder(client)
            let steps: [(String, String, [String: Any])] = [
                ("sign", "east1", [:]), ("reply", "east1", ["text": "张先生您好，幸福路12号小区的路灯已于3月4日更换灯泡，恢复照明。"]),
                ("pass-review", "rev1", ["note": "答复规范，内部意见"]), ("callback", "cb1", ["resolved": true, "satisfaction": "satisfied", "note": "市民满意"]),
            ]
            for (action, user, body) in steps {
                let reply = try await client.post(APIRoutes.action(number, action), as: user, body)
                try #require(reply.status == .ok, "\(action): \(reply.raw)")
            }
            let request = try #require(try await client.open311(Open311Routes.request(number, .json)).list.first)
            #expect(request["status"] as? String == "closed")
            #expect(request["status_notes"] as? String == "已办结。答复：***您好，幸福路12号小区的路灯已于3月4日更换灯泡，恢复照明。")
            #expect(request["expected_datetime"] is NSNull)
            let raw = try await client.open311(Open311Routes.request(number, .json)).raw
            for secret in ["内部意见", "市民满意", "东区承办员"] { #expect(!raw.contains(secret), "\(secret)") }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aConfidentialCallersRequestShowsNeitherTitleNorPlace(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            var body = Bodies.intake
            body["caller"] = ["name": "李女士", "phone": "13700000000", "confidential": true]
            body["location"] = ["address": "幸福路12号", "district": "东区", "latitude": 30.59, "longitude": 114.3]
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", body).order["number"] as? String)
            let request = try #require(try await client.open311(Open311Routes.request(number, .json)).list.first)
            #expect(request["description"] is NSNull && request["address"] is NSNull && request["lat"] is NSNull)
            #expect(request["status_notes"] as? String == "已受理，正在分派")
        }
    }

    @Test func everyStatusIsOpenOrClosed() {
        let closed = WorkOrderStatus.allCases.filter { Open311Status($0) == .closed }
        #expect(Set(closed) == [.closed, .archived, .rejected])
        #expect(Set(Open311Status.open.statuses + Open311Status.closed.statuses) == Set(WorkOrderStatus.allCases))
        #expect(Open311Status.open.statuses.contains(.merged), "a merged order waits for its surviving order's answer")
    }

    @Test(arguments: TestDatabase.available)
    func requestIdsOverrideTheOtherFilters(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let first = try await dispatchedOrder(client)
            let second = try await dispatchedOrder(client)
            let ids = try await client.open311(
                Open311Routes.requests(.json) + "?service_request_id=\(first),\(second),nonsense&status=closed&service_code=02")
            #expect(Set(ids.ids) == [first, second])
            #expect(try await client.open311(Open311Routes.requests(.json) + "?status=closed").ids.isEmpty)
            #expect(Set(try await client.open311(Open311Routes.requests(.json) + "?status=open,closed").ids) == [first, second])
            #expect(Set(try await client.open311(Open311Routes.requests(.json) + "?status=open&status=closed").ids) == [first, second])
            #expect(
                try await client.open311(Open311Routes.requests(.json) + "?service_code=01").ids == [second, first],
                "a code takes its subtree, newest first")
            #expect(try await client.open311(Open311Routes.requests(.json) + "?service_code=02.01.01,01.01.02").ids.isEmpty)
            #expect(try await client.open311(Open311Routes.requests(.json) + "?service_code=02.01.01,01.01.01").ids.count == 2)
            let bad = try await client.open311(Open311Routes.requests(.xml) + "?status=pending")
            #expect(bad.status == .badRequest && bad.raw.contains("<code>400</code>"))
            #expect(try await client.open311(Open311Routes.requests(.json) + "?start_date=yesterday").errorCode == 400)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theListCoversTheLast90DaysByDefaultAndAtMost90Days(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withAPI(db, clock: clock) { client, _, clock in
            let key = try await client.open311Key()
            let old = try await client.open311Post(key: key, phone: "13900000001")
            clock.advance(91 * 86_400)
            let new = try await client.open311Post(key: key, phone: "13900000002")
            #expect(try await client.open311(Open311Routes.requests(.json)).ids == [new])
            let then = "start_date=2025-03-03T00:00:00%2B08:00&end_date=2025-03-04T00:00:00Z"
            #expect(try await client.open311(Open311Routes.requests(.json) + "?" + then).ids == [old])
            #expect(try await client.open311(Open311Routes.requests(.json) + "?start_date=2025-03-01").ids == [old], "90 days from the start")
            #expect(try await client.open311(Open311Routes.requests(.json) + "?end_date=2025-05-30").ids == [old], "90 days up to the end")
            let tooLong = try await client.open311(Open311Routes.requests(.json) + "?start_date=2025-01-01&end_date=2025-06-01")
            #expect(tooLong.status == .badRequest && tooLong.errorCode == 400)
            let backwards = try await client.open311(Open311Routes.requests(.json) + "?start_date=2025-03-02&end_date=2025-03-01")
            #expect(backwards.status == .badRequest)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theListHoldsAtMostAThousandOrdersNewestFirst(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let context = services.reference.context
            let day = CivilDay(containing: TestCity.monday)
            var outcomes: [Outcome] = []
            for sequence in 1...1_001 {
                outcomes.append(
                    try Intake.open(
                        TestCity.draft(), number: OrderNumber(day: day, sequence: sequence), earlier: nil, by: TestCity.actor("agent1"),
                        at: TestCity.monday.addingTimeInterval(Double(sequence - 1_002)), in: context))
            }
            try await services.orders.importOrders(outcomes)
            let ids = try await client.open311(Open311Routes.requests(.json)).ids
            #expect(ids.count == 1_000)
            #expect(ids.first == OrderNumber(day: day, sequence: 1_001).description && !ids.contains(OrderNumber(day: day, sequence: 1).description))
            let xml = try await client.open311(Open311Routes.requests(.xml)).raw
            #expect(xml.components(separatedBy: "<request>").count - 1 == 1_000)
        }
    }
}
