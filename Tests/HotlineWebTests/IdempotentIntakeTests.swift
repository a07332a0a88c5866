import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

/// `Idempotency-Key` on `POST /api/v1/orders`: a request repeated after a lost answer — or re-sent by a load balancer
/// to another instance — makes its order once, whether the repeats come one after another or at the same time; a key
/// belongs to its user; a malformed key is refused and stores nothing.
@Suite struct IdempotentIntakeTests {
    static var body: String {
        String(decoding: try! JSONSerialization.data(withJSONObject: Bodies.intake), as: UTF8.self)
    }

    func orderCount(_ services: HotlineServices) async throws -> Int {
        try await services.database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM work_orders").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRepeatedKeyGivesTheFirstOrderOnceEvenWhenTheRepeatsRace(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let before = try await orderCount(services)
            let key: HTTPFields = [.idempotencyKey: "intake-7f3a9c"]
            let first = try await client.call(.post, APIRoutes.orders, as: "agent1", json: Self.body, headers: key)
            #expect(first.status == .created)
            let number = try #require(first.order["number"] as? String)
            let again = try await client.call(.post, APIRoutes.orders, as: "agent1", json: Self.body, headers: key)
            #expect(again.status == .ok && again.order["number"] as? String == number)
            #expect(again.headers[.idempotentReplayed] == "true")

            // Eight at once with a new key: one order, and every answer names it.
            let raced = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let reply = try await client.call(.post, APIRoutes.orders, as: "agent1", json: Self.body, headers: [.idempotencyKey: "intake-race"])
                        return (reply.status, reply.order["number"] as? String)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(raced.filter { $0.0 == .created }.count == 1)
            #expect(Set(raced.compactMap(\.1)).count == 1 && raced.allSatisfy { $0.0 == .created || $0.0 == .ok })
            #expect(try await orderCount(services) == before + 2)

            // Another user's same key is their own request.
            let other = try await client.call(.post, APIRoutes.orders, as: "disp1", json: Self.body, headers: key)
            #expect(other.status == .created && other.order["number"] as? String != number)
            // Without a key, every request is a new order.
            #expect(try await client.call(.post, APIRoutes.orders, as: "agent1", json: Self.body).status == .created)
            #expect(try await orderCount(services) == before + 4)

            // A malformed key: 400, nothing stored.
            for bad in [String(repeating: "k", count: 201), "有中文"] {
                var headers = HTTPFields()
                headers[.idempotencyKey] = bad
                let refused = try await client.call(.post, APIRoutes.orders, as: "agent1", json: Self.body, headers: headers)
                #expect(refused.status == .badRequest || refused.status == .unprocessableContent)
                #expect(refused.raw.contains("Idempotency-Key"))
            }
            #expect(try await orderCount(services) == before + 4)
        }
    }
}
