import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 热点预警 in the console: the current topics, one topic with its orders, refreshing now and the thresholds form. Every
/// read and change is `TopicDesk`'s, the same the API calls.
extension PageController {
    /// How many of a topic's orders its page lists.
    static let topicOrdersShown = 50

    func registerTopics(_ router: PageRouter) {
        adminGet(router, WebRoutes.insightTopics, .viewHotTopics) { s, request, _ in
            let done = request.uri.queryParameters.get("done")
            return try pages.response("topics", try await topicsPage(
                s, done: done == "refreshed" ? "热点已更新。" : done == "settings" ? "预警阈值已保存，下次更新时生效。" : nil))
        }
        adminGet(router, WebRoutes.insightTopic(":id"), .viewHotTopics) { s, _, id in
            guard let number = Int64(id), number > 0 else { throw APIError.notFound("热点") }
            let (topic, numbers) = try await app.topics.topic(number, for: s.user, limit: Self.topicOrdersShown)
            try await app.topics.markRead(topic: number, for: s.user, at: clock())
            var rows: [TopicDetailPage.OrderRow] = []
            for n in numbers {
                guard let o = try await desk.current(OrderNumber(rawValue: n), for: s.user.actor) else { continue }
                rows.append(TopicDetailPage.OrderRow(
                    number: o.number.description, href: WebRoutes.order(o.number.description), title: o.title, status: o.status.chineseName,
                    district: o.location.district ?? "", when: o.timeline.createdAt.chinaShort))
            }
            var user = pageUser(s)
            user.bell(unread: try await app.notices.unreadCount(for: s.user.actor) + (try await app.topics.unreadAlerts(for: s.user)))
            return try pages.response("topic", TopicDetailPage(user: user, topic: topic, orders: rows, total: topic.size, now: clock()))
        }
        adminPost(router, WebRoutes.insightTopicsRefresh, .manageHotTopics) { _ in
            try await app.topics.refresh(at: clock())
            return WebRoutes.insightTopics + "?done=refreshed"
        } failed: { p, e in
            try pages.response("topics", try await topicsPage(p.signed, error: Self.adminMessage(e)), status: e.status)
        }
        adminPost(router, WebRoutes.insightTopicsSettings, .manageHotTopics) { p in
            _ = try await app.topics.setSettings(try Self.topicSettingsInput(p.form), by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.insightTopics + "?done=settings"
        } failed: { p, e in
            try pages.response("topics", try await topicsPage(p.signed, error: Self.adminMessage(e), draft: p.form), status: e.status)
        }
    }

    func topicsPage(_ s: Signed, done: String? = nil, error: String? = nil, draft: [String: String]? = nil) async throws -> TopicsPage {
        TopicsPage(
            user: pageUser(s), topics: try await app.topics.current(for: s.user), settings: try await app.topics.settings(for: s.user),
            canManage: Capability.manageHotTopics.isAllowed(for: s.user.role), now: clock(), done: done, error: error, draft: draft)
    }

    /// The 热点 panel a manager's home may include (`{{> topics-panel}}` with this model as `topicsPanel`).
    func topicsPanel(_ s: Signed) async throws -> TopicsPanel? {
        guard Capability.viewHotTopics.isAllowed(for: s.user.role) else { return nil }
        return TopicsPanel(topics: try await app.topics.current(for: s.user, limit: 5), now: clock())
    }

    /// The form's fields as the API's input; a number that is not one is refused naming its field.
    static func topicSettingsInput(_ form: [String: String]) throws -> TopicDesk.SettingsInput {
        func text(_ field: String) -> String { (form[field] ?? "").trimmingCharacters(in: .whitespaces) }
        func integer(_ field: String, _ message: String) throws -> Int {
            guard let n = Int(text(field)) else { throw APIError.invalid(field, message) }
            return n
        }
        func decimal(_ field: String, _ message: String) throws -> Double {
            guard let n = Double(text(field)), n.isFinite else { throw APIError.invalid(field, message) }
            return n
        }
        return TopicDesk.SettingsInput(
            minSize: try integer("min_size", "应为 2 到 10000 之间的整数"), minRatio: try decimal("min_ratio", "应为 1 到 1000 之间的数"),
            coverage: try decimal("coverage", "应为 0.1 到 1 之间的数"), windowDays: try integer("window_days", "应为 1 到 90 之间的整数"),
            baselineDays: try integer("baseline_days", "应为 1 到 3650 之间的整数"), webhookUrl: text("webhook_url"), webhookSecret: form["webhook_secret"])
    }
}
