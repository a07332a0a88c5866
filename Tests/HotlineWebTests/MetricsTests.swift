import Foundation
import HTTPTypes
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /metrics`: Prometheus's text format for an admin or a `metrics:read` key, nobody else; requests per route,
/// orders by state, the intake queue and the database's operations in flight.
@Suite struct MetricsTests {
    @Test(arguments: TestDatabase.available)
    func prometheusTextForTheMetricsKeyOnly(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            _ = try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake)
            let scraped = try await client.call(.get, WebRoutes.metrics, as: "admin1")
            #expect(scraped.status == .ok && scraped.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = scraped.raw
            #expect(text.contains("hotline_orders{status=\"pending_dispatch\"}"), "\(text.prefix(400))")
            #expect(text.contains("hotline_intake_queue_depth") && text.contains("hotline_database_operations_in_flight{database="))
            #expect(text.contains("hb_requests") && text.contains("http_route=\"/api/v1/orders\""), "requests per route")
            #expect(!text.contains("13812345678") && !text.contains("张先生"), "no personal data")
            for user in ["mgr1", "sup1", "agent1"] {
                #expect(try await client.call(.get, WebRoutes.metrics, as: user).status == .forbidden, "\(user)")
            }
            // A key carrying only metrics:read scrapes, and opens nothing else.
            let key = try await services.accounts.issueToken(
                for: "admin1", kind: AccountStore.apiKeyKind, scopes: ["metrics:read"], now: TestCity.monday, lifetime: 86_400).token
            #expect(try await client.call(.get, WebRoutes.metrics, token: key).status == .ok)
            #expect(try await client.call(.get, APIRoutes.orders, token: key).status == .forbidden)
            let manager = try await client.post(APIRoutes.apiKeys, as: "admin1", ["user_id": "mgr1", "label": "监控", "scopes": ["metrics:read"], "days": 30])
            #expect(manager.status == .unprocessableContent, "a manager may not hold the metrics scope")
        }
    }
}
