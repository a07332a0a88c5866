import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird
import Metrics
import Prometheus

/// The process's Prometheus registry: swift-metrics is bootstrapped with it once per process, so Hummingbird's
/// `MetricsMiddleware` (requests and their durations per route, method and status), the background services' runs
/// and the gauges set at scrape time all land in one place.
enum HotlineMetrics {
    static let registry = PrometheusCollectorRegistry()

    private static let bootstrapped: Void = {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Prometheus names allow letters, digits, `_` and `:`; swift-metrics labels use dots (`http.server.…`).
        factory.nameAndLabelSanitizer = { name, labels in
            (sanitized(name), labels.map { (sanitized($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
    }()

    static func bootstrap() { _ = bootstrapped }

    static func sanitized(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") ? $0 : "_" })
    }
}

/// `GET /metrics` in Prometheus's text format, for a key with the `metrics:read` scope (or an admin's session): the
/// request metrics, `hotline_background_runs_total{service, outcome}`, and gauges read when scraped —
/// `hotline_orders{status}`, `hotline_intake_queue_depth`, `hotline_database_operations_in_flight{database}`.
struct MetricsController: Sendable {
    let services: HotlineServices
    let desk: WorkOrderDesk
    let actors: ActorResolver

    func register(on router: Router<AppRequestContext>) {
        router.scoped(.metrics, by: actors).get(RouterPath(WebRoutes.metrics)) { _, context in
            _ = try context.require(.viewMetrics)
            let registry = HotlineMetrics.registry
            let counts = try await services.orders.countsByStatus()
            for status in WorkOrderStatus.allCases {
                registry.makeGauge(name: "hotline_orders", labels: [("status", status.rawValue)]).set(Double(counts[status] ?? 0))
            }
            registry.makeGauge(name: "hotline_intake_queue_depth", labels: []).set(Double(desk.intakeQueueDepth))
            registry.makeGauge(name: "hotline_database_operations_in_flight", labels: [("database", services.database.kind == .postgres ? "postgres" : "sqlite")])
                .set(Double(services.database.operationsInFlight))
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
