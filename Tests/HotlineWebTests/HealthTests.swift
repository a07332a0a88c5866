import Foundation
import HTTPTypes
import HotlineDomain
@testable import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// Liveness and readiness for a load balancer, and the request id every response carries: a balancer's id is kept, a
/// malformed one replaced; readiness fails with the reason when the database lacks a migration of this build.
@Suite struct HealthTests {
    @Test(arguments: TestDatabase.available)
    func liveAndReadyAnswerWithoutCredentialsAndReadinessChecksTheSchema(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let live = try await client.send(.get, APIRoutes.healthLive, headers: [:])
            #expect(live.status == .ok && live["status"] as? String == "live")
            let ready = try await client.send(.get, APIRoutes.healthReady, headers: [:])
            #expect(ready.status == .ok && ready["status"] as? String == "ready" && ready["database"] as? String == "ok", "\(ready.raw)")
            // A database one migration behind this build is not ready.
            try await services.database.transaction { db in try await db.run(Statement("DELETE FROM schema_migrations WHERE id = 37")) }
            let behind = try await client.send(.get, APIRoutes.healthReady, headers: [:])
            #expect(behind.status == .serviceUnavailable && behind["database"] as? String == "1 migrations not applied", "\(behind.raw)")
            #expect(try await client.send(.get, APIRoutes.healthLive, headers: [:]).status == .ok, "liveness does not ask the database")
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyResponseCarriesItsRequestID(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let header = HTTPField.Name("X-Request-Id")!
            let kept = try await client.send(.get, APIRoutes.healthLive, headers: [header: "lb-7f3a.01"])
            #expect(kept.headers[header] == "lb-7f3a.01")
            let replaced = try await client.send(.get, APIRoutes.healthLive, headers: [header: "bad id<script>"])
            let fresh = try #require(replaced.headers[header])
            #expect(fresh != "bad id<script>" && !fresh.isEmpty && fresh.allSatisfy(\.isHexDigit))
            let other = try await client.send(.get, APIRoutes.healthLive, headers: [:])
            #expect(other.headers[header] != nil && other.headers[header] != fresh)
            let refused = try await client.send(.get, APIRoutes.orders, headers: [:])
            #expect(refused.status == .unauthorized && refused.headers[header] != nil, "errors carry the id too")
        }
    }
}
