import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// A citizen's lookup takes the same steps whether the order number exists or not, so that its timing does not
/// tell which numbers are real.
@Suite struct PublicTrackTests {
    /// The steps one lookup takes: each load and each comparison with the sizes of what it compared.
    func steps(_ number: OrderNumber, phone: String, stored: WorkOrder?) async throws -> (steps: [String], found: WorkOrder?) {
        var steps: [String] = []
        let found = try await PublicController.track(
            number, phone: phone,
            load: { _ in
                steps.append("load")
                return stored
            },
            compare: { stored, given in
                steps.append("compare \(stored.count) \(given.count)")
                return PublicController.constantTimeEqual(stored, given)
            })
        return (steps, found)
    }

    @Test(arguments: TestDatabase.available)
    func knownAndUnknownNumbersTakeTheSameSteps(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let text = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let number = try #require(OrderNumber(text))
            let order = try #require(try await services.orders.order(number))
            let right = try await steps(number, phone: "13812345678", stored: order)
            let wrong = try await steps(number, phone: "13800000000", stored: order)
            let unknown = try await steps(number, phone: "13812345678", stored: nil)
            #expect(right.steps == ["load", "compare 32 32"])
            #expect(wrong.steps == right.steps && unknown.steps == right.steps)
            #expect(right.found?.number == number)
            #expect(wrong.found == nil && unknown.found == nil)
            let absent = try await steps(number, phone: PublicController.absentPhone, stored: nil)
            #expect(absent.found == nil, "the stand-in phone matches no order")
        }
    }
}
