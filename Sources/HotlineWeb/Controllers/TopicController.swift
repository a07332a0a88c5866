import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 热点预警 over the API: the current topics (`GET /api/v1/topics`), one topic with its order numbers
/// (`GET /api/v1/topics/{id}`), a refresh now (`POST /api/v1/topics/refresh`) and the thresholds
/// (`GET/PUT /api/v1/topic-settings`). Reading needs `viewHotTopics`, changing `manageHotTopics`; the same `TopicDesk`
/// as the console.
struct TopicController: Sendable {
    let app: HotlineApp
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    struct TopicView: Encodable {
        var id: Int64
        var label: String
        var terms: [String]
        var size: Int
        var baseline: Double
        var baselineCount: Int
        var score: Double
        var scope: String
        var scopeValue: String
        var trend: [Int]
        var places: [PlaceView]
        var windowFrom: String
        var windowTo: String
        var firstSeen: Date
        var active: Bool

        init(_ t: StoredHotTopic) {
            id = t.id
            label = t.label
            terms = t.terms
            size = t.size
            baseline = (t.baseline * 100).rounded() / 100
            baselineCount = t.baselineCount
            score = (t.score * 10).rounded() / 10
            scope = t.scopeKind
            scopeValue = t.scopeValue
            trend = t.trend
            places = t.places.map { PlaceView(name: $0.name, count: $0.count) }
            windowFrom = CivilDay(ordinal: t.windowFrom).description
            windowTo = CivilDay(ordinal: t.windowTo).description
            firstSeen = t.firstSeen
            active = t.active
        }
    }

    struct PlaceView: Encodable {
        var name: String
        var count: Int
    }

    struct ListView: Encodable { var topics: [TopicView] }

    struct DetailView: Encodable {
        var topic: TopicView
        /// The topic's order numbers, newest first (at most 1,000).
        var orders: [String]
    }

    struct RefreshView: Encodable {
        var risen: [Int64]
        var continued: Int
        var ended: Int
    }

    struct SettingsView: Encodable {
        var minSize: Int
        var minRatio: Double
        var coverage: Double
        var windowDays: Int
        var baselineDays: Int
        var webhookUrl: String
        var updatedAt: Date?
        var updatedBy: String?

        init(_ s: TopicSettings) {
            minSize = s.minSize
            minRatio = s.minRatio
            coverage = s.coverage
            windowDays = s.windowDays
            baselineDays = s.baselineDays
            webhookUrl = s.webhookURL
            updatedAt = s.updatedAt
            updatedBy = s.updatedBy.isEmpty ? nil : s.updatedBy
        }
    }

    func register(on router: Router<AppRequestContext>) {
        let routes = router.scoped(.ordersRead, by: actors)
        routes.get(RouterPath(APIRoutes.topics)) { _, context in
            let user = try context.require(.viewHotTopics)
            return try APIJSON.response(ListView(topics: try await app.topics.current(for: user).map(TopicView.init)))
        }
        routes.get(RouterPath(APIRoutes.topic(":id"))) { _, context in
            let user = try context.require(.viewHotTopics)
            let raw = context.parameters.get("id") ?? ""
            guard let id = Int64(raw), id > 0 else { throw APIError.notFound("热点") }
            let (topic, orders) = try await app.topics.topic(id, for: user, limit: 1_000)
            return try APIJSON.response(DetailView(topic: TopicView(topic), orders: orders.map { OrderNumber(rawValue: $0).description }))
        }
        let adminRoutes = router.scoped(.admin, by: actors)
        adminRoutes.post(RouterPath(APIRoutes.topicsRefresh)) { _, context in
            _ = try context.require(.manageHotTopics)
            let r = try await app.topics.refresh(at: clock())
            return try APIJSON.response(RefreshView(risen: r.risen, continued: r.continued, ended: r.ended))
        }
        adminRoutes.get(RouterPath(APIRoutes.topicSettings)) { _, context in
            let user = try context.require(.manageHotTopics)
            return try APIJSON.response(SettingsView(try await app.topics.settings(for: user)))
        }
        adminRoutes.put(RouterPath(APIRoutes.topicSettings)) { request, context in
            let user = try context.require(.manageHotTopics)
            let input = try await request.decode(as: TopicDesk.SettingsInput.self, context: context)
            return try APIJSON.response(SettingsView(try await app.topics.setSettings(input, by: user, client: clients.of(request, context), at: clock())))
        }
    }
}
