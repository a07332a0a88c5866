import Foundation
import HotlineDomain
import HotlineStorage
import HotlineText

/// Hot topics and early warnings (热点预警, 未诉先办): the refresh that finds the topics rising in the recent orders and
/// stores them (a system task: the service in `serve` and `hotline topics-refresh`), the reads of the console and the
/// API, and the thresholds managers and admins edit.
public struct TopicDesk: Sendable {
    let services: HotlineServices

    public init(services: HotlineServices) { self.services = services }

    var store: HotTopicStore { services.hotTopics }

    /// Who is told of a newly rising topic.
    public static let alertRoles: [Role] = [.manager, .supervisor]
    /// How many topics a refresh keeps per scope.
    public static let topicsPerScope = 20

    func require(_ capability: Capability, _ user: UserAccount) throws(AppError) {
        guard capability.isAllowed(for: user.role) else { throw .lacks(capability, role: user.role) }
    }

    // MARK: Refresh

    /// Finds the topics of the last `windowDays` days (today included) against the `baselineDays` before them, city-wide
    /// and per district and top-level category, and replaces the stored topics; new ones raise their alerts.
    @discardableResult
    public func refresh(at now: Date) async throws -> HotTopicStore.RefreshResult {
        let settings = try await store.settings()
        let today = CivilDay(containing: now).ordinal
        let window = (today - settings.windowDays + 1)...today
        let since = CivilDay(ordinal: window.lowerBound - settings.baselineDays).start
        let reference = services.reference
        let messages = try await store.orders(since: since).map { o in
            TopicMessage(
                id: String(o.number), text: o.title + " " + o.content, day: CivilDay(containing: o.createdAt).ordinal, district: o.district,
                category: o.categoryCode.flatMap { reference.categoryPath($0) }.map { String($0.split(separator: "/").first ?? "").trimmingCharacters(in: .whitespaces) },
                caller: o.callerPhone.isEmpty ? nil : o.callerPhone)
        }
        let thresholds = TopicThresholds(minSize: settings.minSize, minRatio: settings.minRatio, coverage: settings.coverage, baselineDays: settings.baselineDays)
        let topics = TopicDetector(thresholds: thresholds, limit: Self.topicsPerScope).detect(messages, window: window)
        let stored = topics.map { t in
            (StoredHotTopic(
                scopeKind: t.scope.kind, scopeValue: t.scope.value, label: t.label, terms: t.terms, size: t.size, baseline: t.baseline,
                baselineCount: t.baselineCount, score: t.score, trend: t.trend, places: t.places.map { ($0.name, $0.count) },
                windowFrom: window.lowerBound, windowTo: window.upperBound, firstSeen: now, refreshedAt: now),
             t.ids.compactMap { Int64($0) })
        }
        return try await store.replace(with: stored, alertRoles: Self.alertRoles, at: now)
    }

    // MARK: Reads

    /// The current topics, best first.
    public func current(for user: UserAccount, limit: Int = 50) async throws -> [StoredHotTopic] {
        try require(.viewHotTopics, user)
        return try await store.current(limit: limit)
    }

    /// One topic with its orders (newest first, at most `limit`), as the user's list rows: orders outside the user's
    /// data scope are left out.
    public func topic(_ id: Int64, for user: UserAccount, limit: Int = 200) async throws -> (topic: StoredHotTopic, orders: [Int64]) {
        try require(.viewHotTopics, user)
        guard let topic = try await store.topic(id) else { throw AppError.notFound(what: "热点") }
        return (topic, try await store.orderNumbers(of: id, limit: limit))
    }

    /// The user's unread topic alerts (the bell adds them to its count).
    public func unreadAlerts(for user: UserAccount) async throws -> Int {
        guard Capability.viewHotTopics.isAllowed(for: user.role) else { return 0 }
        return try await store.unreadAlerts(userID: user.id)
    }

    /// The user's latest alerts.
    public func alerts(for user: UserAccount, limit: Int = 20) async throws -> [(alertID: Int64, read: Bool, topic: StoredHotTopic)] {
        guard Capability.viewHotTopics.isAllowed(for: user.role) else { return [] }
        return try await store.alerts(userID: user.id, limit: limit)
    }

    /// Marks the user's alert of a topic read (opening the topic does it).
    @discardableResult
    public func markRead(topic id: Int64, for user: UserAccount, at now: Date) async throws -> Int {
        try await store.markRead(topic: id, userID: user.id, at: now)
    }

    // MARK: Settings

    public func settings(for user: UserAccount) async throws -> TopicSettings {
        try require(.viewHotTopics, user)
        return try await store.settings()
    }

    /// The thresholds as a form or the API sends them (`min_size`, `min_ratio`, `coverage`, `window_days`, `baseline_days`,
    /// `webhook_url`, `webhook_secret`).
    public struct SettingsInput: Decodable, Sendable, Equatable {
        public var minSize: Int
        public var minRatio: Double
        public var coverage: Double
        public var windowDays: Int
        public var baselineDays: Int
        public var webhookUrl: String?
        public var webhookSecret: String?

        public init(minSize: Int, minRatio: Double, coverage: Double, windowDays: Int, baselineDays: Int, webhookUrl: String? = nil,
                    webhookSecret: String? = nil) {
            self.minSize = minSize
            self.minRatio = minRatio
            self.coverage = coverage
            self.windowDays = windowDays
            self.baselineDays = baselineDays
            self.webhookUrl = webhookUrl
            self.webhookSecret = webhookSecret
        }
    }

    /// Stores new thresholds; the next refresh on any instance uses them.
    public func setSettings(_ input: SettingsInput, by user: UserAccount, client: String, at now: Date) async throws -> TopicSettings {
        try require(.manageHotTopics, user)
        let thresholds = TopicThresholds(minSize: input.minSize, minRatio: input.minRatio, coverage: input.coverage, baselineDays: input.baselineDays)
        if let problem = thresholds.problem { throw AppError.invalid(field: problem.field, message: problem.message) }
        guard (1...90).contains(input.windowDays) else { throw AppError.invalid(field: "window_days", message: "应为 1 到 90 之间的整数") }
        let url = (input.webhookUrl ?? "").trimmingCharacters(in: .whitespaces)
        if !url.isEmpty {
            guard url.count <= 500, let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw AppError.invalid(field: "webhook_url", message: "应为 http 或 https 网址")
            }
        }
        let secret = input.webhookSecret.flatMap { $0.isEmpty ? nil : $0 }
        if let secret, secret.count > 200 { throw AppError.invalid(field: "webhook_secret", message: "不能超过 200 个字符") }
        let settings = TopicSettings(minSize: input.minSize, minRatio: input.minRatio, coverage: input.coverage, windowDays: input.windowDays,
                                     baselineDays: input.baselineDays, webhookURL: url, updatedAt: now, updatedBy: user.id)
        try await store.saveSettings(settings, secret: secret, by: user.id, at: now, audit: AuditEntry(
            at: now, actor: user.actor, action: .topicSettingsChanged, target: "topic_settings",
            detail: "min_size=\(settings.minSize) min_ratio=\(settings.minRatio) coverage=\(settings.coverage) window=\(settings.windowDays) baseline=\(settings.baselineDays)",
            client: client))
        return try await store.settings()
    }
}
