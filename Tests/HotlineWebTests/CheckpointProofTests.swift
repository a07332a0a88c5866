import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// 存证: an order's inclusion proof against the latest signed checkpoint, through the API, the console and the portal.
@Suite struct CheckpointProofTests {
    func dispatchedOrder(_ client: any TestClientProtocol) async throws -> String {
        let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
        _ = try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
        return number
    }

    @Test(arguments: TestDatabase.available)
    func theAPIGivesAProofThatChecksToTheSignedRoot(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let number = try await dispatchedOrder(client)
            _ = try await dispatchedOrder(client)
            let key = CheckpointKey()
            let checkpoint = try await services.checkpoints.make(key: key, at: TestCity.monday)
            let reply = try await client.call(.get, APIRoutes.checkpointProof(number), as: "east1")
            #expect(reply.status == .ok, "\(reply.raw)")
            let body = reply.json
            let signed = try #require(body["checkpoint"] as? [String: Any])
            #expect(signed["sequence"] as? Int == 1)
            #expect(signed["order_count"] as? Int == 2)
            #expect(signed["root"] as? String == checkpoint.root)
            #expect(signed["public_key"] as? String == key.publicKey.base64)
            let path = try #require(body["proof"] as? [String])
            let leaf = try #require(body["leaf"] as? String)
            let index = try #require(body["leaf_index"] as? Int)
            #expect(path.count == 1)
            #expect(MerkleTree.verify(leaf: MerkleTree.bytes(hex: leaf)!, index: index, size: 2, path: path.compactMap(MerkleTree.bytes(hex:)),
                                      root: MerkleTree.bytes(hex: checkpoint.root)!))
            #expect(key.publicKey.isValid(signature: signed["signature"] as? String ?? "", for: signed["statement"] as? String ?? ""))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aProofIsReadOnlyByThoseWhoMayReadTheOrderAndANewerOrderHasNoneYet(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let number = try await dispatchedOrder(client)
            let before = try await client.call(.get, APIRoutes.checkpointProof(number), as: "disp1")
            #expect(before.status == .notFound && before.errorCode == "not_in_checkpoint")
            _ = try await services.checkpoints.make(key: CheckpointKey(), at: TestCity.monday)
            let otherUnit = try await client.call(.get, APIRoutes.checkpointProof(number), as: "west1")
            #expect(otherUnit.status == .notFound && otherUnit.errorCode == "not_found")
            let later = try await dispatchedOrder(client)
            let notYet = try await client.call(.get, APIRoutes.checkpointProof(later), as: "disp1")
            #expect(notYet.status == .notFound && notYet.errorCode == "not_in_checkpoint")
            #expect(notYet.errorMessage?.contains("下次存证后可查") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theOrderPageAndTheCitizensTrackingPageShowTheCheckpointLine(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withAPI(db, clock: clock) { client, services, clock in
            let portal = PortalTests()
            let browser = try await portal.verified(client, services, phone: "13912340001", now: clock.now)
            let sent = try await portal.submit(client, browser)
            let n = try #require(PortalTests.number(in: sent.raw))
            let console = ConsoleTests()
            let cookie = try await console.logIn(client, "disp1")
            #expect(!(try await console.page(client, WebRoutes.order(n), cookie: cookie).raw.contains("id=\"checkpoint\"")), "no checkpoints yet: nothing said")
            let checkpoint = try await services.checkpoints.make(key: CheckpointKey(), at: TestCity.monday)
            let page = try await console.page(client, WebRoutes.order(n), cookie: cookie).raw
            #expect(page.contains("已纳入第 1 号存证（2025-03-03 10:00）：存证根 \(checkpoint.root.prefix(8))…，验证路径 0 步"), "\(page)")
            #expect(page.contains(APIRoutes.checkpointProof(n)))
            let tracking = try await portal.get(client, PortalRoutes.order(n), browser).raw
            #expect(tracking.contains("已纳入第 1 号存证"))
            #expect(tracking.contains(checkpoint.root))
            let later = try await portal.submit(client, browser, content: "幸福路14号门口井盖松动，车辆经过响声很大，请尽快处理。")
            let m = try #require(PortalTests.number(in: later.raw))
            #expect(try await portal.get(client, PortalRoutes.order(m), browser).raw.contains("尚未纳入存证（下次存证后可查）"))
        }
    }
}
