import Foundation
import HotlineDomain
import SQLKit

/// The stored thresholds of hot-topic detection (热点阈值) and how the platform applies them.
public struct TopicSettings: Sendable, Equatable {
    /// Fewest orders in the window that make a topic.
    public var minSize: Int
    /// How many times its baseline expectation a topic must reach (1.0…1000).
    public var minRatio: Double
    /// Share of a topic's term weight an order must hold to belong to it (0.1…1).
    public var coverage: Double
    /// The window: the last `windowDays` days up to now.
    public var windowDays: Int
    /// The baseline: the `baselineDays` days before the window.
    public var baselineDays: Int
    /// Where a newly rising topic is posted (empty: nowhere).
    public var webhookURL: String
    public var updatedAt: Date?
    public var updatedBy: String

    public init(minSize: Int = 5, minRatio: Double = 3, coverage: Double = 0.4, windowDays: Int = 7, baselineDays: Int = 56,
                webhookURL: String = "", updatedAt: Date? = nil, updatedBy: String = "") {
        self.minSize = minSize
        self.minRatio = minRatio
        self.coverage = coverage
        self.windowDays = windowDays
        self.baselineDays = baselineDays
        self.webhookURL = webhookURL
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// A recent order as topic detection reads it.
public struct TopicSourceOrder: Sendable, Equatable {
    public var number: Int64
    public var title: String
    public var content: String
    public var district: String?
    public var categoryCode: String?
    public var createdAt: Date
    /// The caller's phone: one caller's orders count once in a topic.
    public var callerPhone: String
}

/// A topic as stored by a refresh.
public struct StoredHotTopic: Sendable, Equatable {
    public var id: Int64
    public var scopeKind: String
    public var scopeValue: String
    public var label: String
    public var terms: [String]
    public var size: Int
    /// The window's count its baseline share predicts.
    public var baseline: Double
    public var baselineCount: Int
    public var score: Double
    /// Orders per day over the window.
    public var trend: [Int]
    public var places: [(name: String, count: Int)]
    /// The window's first and last day (days since 1970-01-01).
    public var windowFrom: Int
    public var windowTo: Int
    public var firstSeen: Date
    public var refreshedAt: Date
    public var active: Bool

    public static func == (a: StoredHotTopic, b: StoredHotTopic) -> Bool {
        a.id == b.id && a.label == b.label && a.size == b.size && a.refreshedAt == b.refreshedAt && a.active == b.active
    }

    public init(id: Int64 = 0, scopeKind: String, scopeValue: String, label: String, terms: [String], size: Int, baseline: Double, baselineCount: Int,
                score: Double, trend: [Int], places: [(name: String, count: Int)], windowFrom: Int, windowTo: Int, firstSeen: Date, refreshedAt: Date,
                active: Bool = true) {
        self.id = id
        self.scopeKind = scopeKind
        self.scopeValue = scopeValue
        self.label = label
        self.terms = terms
        self.size = size
        self.baseline = baseline
        self.baselineCount = baselineCount
        self.score = score
        self.trend = trend
        self.places = places
        self.windowFrom = windowFrom
        self.windowTo = windowTo
        self.firstSeen = firstSeen
        self.refreshedAt = refreshedAt
        self.active = active
    }
}

/// Hot topics as a read model (热点预警): the stored thresholds, the current topics with their orders, and the alerts a
/// newly rising topic raises. A refresh replaces the current topics in one transaction, which also writes each new
/// topic's alerts and webhook outbox row, so an alert is written once however many instances refresh.
public struct HotTopicStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    // MARK: Settings

    public func settings() async throws -> TopicSettings {
        try await database.read { db in
            guard let row = try await db.firstRow(Statement("SELECT * FROM topic_settings WHERE id = 1")) else { return TopicSettings() }
            let ms = try row.decode(column: "updated_ms", as: Int64.self)
            return TopicSettings(
                minSize: try row.decode(column: "min_size", as: Int.self), minRatio: Double(try row.decode(column: "min_ratio_pct", as: Int.self)) / 100,
                coverage: Double(try row.decode(column: "coverage_pct", as: Int.self)) / 100, windowDays: try row.decode(column: "window_days", as: Int.self),
                baselineDays: try row.decode(column: "baseline_days", as: Int.self), webhookURL: try row.decode(column: "webhook_url", as: String.self),
                updatedAt: ms == 0 ? nil : Date(timeIntervalSince1970: TimeInterval(ms) / 1000), updatedBy: try row.decode(column: "updated_by", as: String.self))
        }
    }

    /// Stores the thresholds with their audit line; a nil `secret` keeps the stored one.
    public func saveSettings(_ s: TopicSettings, secret: String?, by user: String, at now: Date, audit entry: AuditEntry) async throws {
        try await database.transaction { db in
            try await db.run(Statement(
                "UPDATE topic_settings SET min_size = ?, min_ratio_pct = ?, coverage_pct = ?, window_days = ?, baseline_days = ?, webhook_url = ?, "
                    + (secret == nil ? "" : "webhook_secret = ?, ") + "updated_ms = ?, updated_by = ? WHERE id = 1",
                [s.minSize, Int((s.minRatio * 100).rounded()), Int((s.coverage * 100).rounded()), s.windowDays, s.baselineDays, s.webhookURL]
                    + (secret.map { [$0] } ?? []) + [now.epochMilliseconds, user]))
            try await AuditLog.append(entry, in: db)
        }
    }

    // MARK: Source

    /// The orders created at or after `since`, oldest first: what a refresh reads (one range of the created-at index).
    public func orders(since: Date) async throws -> [TopicSourceOrder] {
        try await database.read { db in
            try await db.rows(Statement(
                "SELECT number, title, content, district, category_code, created_at, caller_phone FROM work_orders WHERE created_at >= ? ORDER BY created_at, number",
                [since.epochSeconds])).map { row in
                TopicSourceOrder(
                    number: try row.decode(column: "number", as: Int64.self), title: try row.decode(column: "title", as: String.self),
                    content: try row.decode(column: "content", as: String.self), district: try row.decode(column: "district", as: String?.self),
                    categoryCode: try row.decode(column: "category_code", as: String?.self),
                    createdAt: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "created_at", as: Int64.self))),
                    callerPhone: try row.decode(column: "caller_phone", as: String.self))
            }
        }
    }

    // MARK: Refresh

    /// What a refresh changed.
    public struct RefreshResult: Sendable, Equatable {
        /// Topics seen for the first time (each raised its alerts).
        public var risen: [Int64]
        /// Topics carried on from the previous refresh.
        public var continued: Int
        /// Topics of the previous refresh no longer rising.
        public var ended: Int
    }

    /// Replaces the current topics with `topics` (each with its order numbers). A topic of the same scope sharing at
    /// least half of the smaller's orders with a current one continues it (its row is updated, no new alert); any other
    /// is new: stored, and in the same transaction each active user of `alertRoles` gets an alert and the centre's
    /// receiver (if set) an outbox row. The settings row is locked first, so concurrent refreshes run one after another.
    public func replace(with topics: [(topic: StoredHotTopic, orders: [Int64])], alertRoles: [Role], at now: Date) async throws -> RefreshResult {
        let postgres = database.kind == .postgres
        return try await database.transaction { db in
            ChangeFeed.announce([.notices])  // alerts move the bell's count
            let url = try await db.firstRow(Statement("SELECT webhook_url FROM topic_settings WHERE id = 1" + (postgres ? " FOR UPDATE" : "")))?
                .decode(column: "webhook_url", as: String.self) ?? ""
            var current: [(id: Int64, kind: String, value: String, orders: Set<Int64>)] = []
            for row in try await db.rows(Statement("SELECT id, scope_kind, scope_value FROM hot_topics WHERE active = 1")) {
                let id = try row.decode(column: "id", as: Int64.self)
                let orders = try await db.rows(Statement("SELECT order_number FROM hot_topic_orders WHERE topic_id = ?", [id]))
                    .map { try $0.decode(column: "order_number", as: Int64.self) }
                current.append((id, try row.decode(column: "scope_kind", as: String.self), try row.decode(column: "scope_value", as: String.self), Set(orders)))
            }
            var continuedIDs: Set<Int64> = [], risen: [Int64] = []
            for (topic, orders) in topics {
                let match = current.first { c in
                    !continuedIDs.contains(c.id) && c.kind == topic.scopeKind && c.value == topic.scopeValue
                        && orders.lazy.filter { c.orders.contains($0) }.count * 2 >= min(orders.count, c.orders.count)
                }
                let id: Int64
                if let match {
                    id = match.id
                    continuedIDs.insert(id)
                    try await db.run(Statement(
                        """
                        UPDATE hot_topics SET label = ?, terms = ?, size = ?, baseline_milli = ?, baseline_count = ?, score_milli = ?, trend = ?, places = ?,
                        window_from = ?, window_to = ?, refreshed_ms = ? WHERE id = ?
                        """, Array(Self.values(topic).dropFirst(2)) + [now.epochMilliseconds, id]))
                    try await db.run(Statement("DELETE FROM hot_topic_orders WHERE topic_id = ?", [id]))
                } else {
                    id = try await db.firstRow(Statement(
                        """
                        INSERT INTO hot_topics (scope_kind, scope_value, label, terms, size, baseline_milli, baseline_count, score_milli, trend, places,
                        window_from, window_to, first_seen_ms, refreshed_ms, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id
                        """, Self.values(topic) + [now.epochMilliseconds, now.epochMilliseconds]))!.decode(column: "id", as: Int64.self)
                    risen.append(id)
                    try await db.run(Statement(
                        "INSERT INTO topic_alerts (topic_id, user_id, at_ms) SELECT ?, id, ? FROM users WHERE active = 1 AND role IN ("
                            + alertRoles.map { _ in "?" }.joined(separator: ", ") + ") ON CONFLICT DO NOTHING",
                        [id, now.epochMilliseconds] + alertRoles.map { $0.rawValue as any Encodable & Sendable }))
                    if !url.isEmpty {
                        try await db.run(Statement(
                            "INSERT INTO topic_webhook_deliveries (topic_id, url, state, tries, next_at, created_ms) VALUES (?, ?, 'pending', 0, ?, ?)",
                            [id, url, now.epochMilliseconds, now.epochMilliseconds]))
                    }
                }
                for start in stride(from: 0, to: orders.count, by: 500) {
                    let chunk = orders[start..<min(start + 500, orders.count)]
                    try await db.run(Statement(
                        "INSERT INTO hot_topic_orders (topic_id, order_number) VALUES " + chunk.map { _ in "(?, ?)" }.joined(separator: ", ")
                            + " ON CONFLICT DO NOTHING",
                        chunk.flatMap { [id, $0] as [any Encodable & Sendable] }))
                }
            }
            let ended = current.filter { !continuedIDs.contains($0.id) }.map(\.id)
            for id in ended { try await db.run(Statement("UPDATE hot_topics SET active = 0 WHERE id = ?", [id])) }
            return RefreshResult(risen: risen, continued: continuedIDs.count, ended: ended.count)
        }
    }

    static func values(_ t: StoredHotTopic) -> [any Encodable & Sendable] {
        [t.scopeKind, t.scopeValue, t.label, t.terms.joined(separator: "\t"), t.size, Int64((t.baseline * 1000).rounded()), t.baselineCount,
         Int64((t.score * 1000).rounded()), t.trend.map(String.init).joined(separator: ","),
         t.places.map { "\($0.name)\t\($0.count)" }.joined(separator: "\n"), t.windowFrom, t.windowTo]
    }

    // MARK: Reads

    static func topic(_ row: any SQLRow) throws -> StoredHotTopic {
        let terms = try row.decode(column: "terms", as: String.self)
        let trend = try row.decode(column: "trend", as: String.self)
        let places = try row.decode(column: "places", as: String.self)
        return StoredHotTopic(
            id: try row.decode(column: "id", as: Int64.self), scopeKind: try row.decode(column: "scope_kind", as: String.self),
            scopeValue: try row.decode(column: "scope_value", as: String.self), label: try row.decode(column: "label", as: String.self),
            terms: terms.isEmpty ? [] : terms.components(separatedBy: "\t"), size: try row.decode(column: "size", as: Int.self),
            baseline: Double(try row.decode(column: "baseline_milli", as: Int64.self)) / 1000, baselineCount: try row.decode(column: "baseline_count", as: Int.self),
            score: Double(try row.decode(column: "score_milli", as: Int64.self)) / 1000,
            trend: trend.isEmpty ? [] : trend.split(separator: ",").compactMap { Int($0) },
            places: places.isEmpty ? [] : places.split(separator: "\n").compactMap { line in
                let parts = line.split(separator: "\t")
                return parts.count == 2 ? (String(parts[0]), Int(parts[1]) ?? 0) : nil
            },
            windowFrom: try row.decode(column: "window_from", as: Int.self), windowTo: try row.decode(column: "window_to", as: Int.self),
            firstSeen: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "first_seen_ms", as: Int64.self)) / 1000),
            refreshedAt: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "refreshed_ms", as: Int64.self)) / 1000),
            active: try row.decode(column: "active", as: Int.self) != 0)
    }

    /// The current topics, best first, at most `limit`.
    public func current(limit: Int) async throws -> [StoredHotTopic] {
        try await database.read { db in
            try await db.rows(Statement("SELECT * FROM hot_topics WHERE active = 1 ORDER BY score_milli DESC, id LIMIT ?", [limit])).map(Self.topic)
        }
    }

    /// One topic (current or ended), nil when there is none.
    public func topic(_ id: Int64) async throws -> StoredHotTopic? {
        try await database.read { db in try await db.firstRow(Statement("SELECT * FROM hot_topics WHERE id = ?", [id])).map(Self.topic) }
    }

    /// A topic's orders as list rows, newest first, at most `limit`.
    public func orderNumbers(of id: Int64, limit: Int) async throws -> [Int64] {
        try await database.read { db in
            try await db.rows(Statement("SELECT order_number FROM hot_topic_orders WHERE topic_id = ? ORDER BY order_number DESC LIMIT ?", [id, limit]))
                .map { try $0.decode(column: "order_number", as: Int64.self) }
        }
    }

    // MARK: Alerts

    /// The user's unread topic alerts, counted up to `cap`.
    public func unreadAlerts(userID: String, cap: Int = 100) async throws -> Int {
        try await database.read { db in
            try await db.firstRow(Statement(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM topic_alerts WHERE user_id = ? AND read_at IS NULL LIMIT ?) AS unread", [userID, cap]))?
                .decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// The user's latest alerts with their topics, newest first.
    public func alerts(userID: String, limit: Int) async throws -> [(alertID: Int64, read: Bool, topic: StoredHotTopic)] {
        try await database.read { db in
            try await db.rows(Statement(
                "SELECT a.id AS alert_id, a.read_at AS alert_read_at, t.* FROM topic_alerts a JOIN hot_topics t ON t.id = a.topic_id WHERE a.user_id = ? ORDER BY a.id DESC LIMIT ?",
                [userID, limit])).map { row in
                (try row.decode(column: "alert_id", as: Int64.self), try row.decode(column: "alert_read_at", as: Int64?.self) != nil, try Self.topic(row))
            }
        }
    }

    /// Marks the user's alerts of topic `id` read; returns how many were unread.
    public func markRead(topic id: Int64, userID: String, at now: Date) async throws -> Int {
        try await database.transaction { db in
            try await db.rows(Statement(
                "UPDATE topic_alerts SET read_at = ? WHERE user_id = ? AND topic_id = ? AND read_at IS NULL RETURNING id",
                [now.epochMilliseconds, userID, id])).count
        }
    }

    /// The outbox rows of topic alerts, as (topic, state, tries).
    public func webhookDeliveries() async throws -> [(topic: Int64, state: String, tries: Int)] {
        try await database.read { db in
            try await db.rows(Statement("SELECT topic_id, state, tries FROM topic_webhook_deliveries ORDER BY topic_id")).map {
                (try $0.decode(column: "topic_id", as: Int64.self), try $0.decode(column: "state", as: String.self), try $0.decode(column: "tries", as: Int.self))
            }
        }
    }
}

extension HotTopicStore {
    /// A topic alert claimed for one try at the centre's receiver.
    public struct ClaimedDelivery: Sendable {
        public var topic: StoredHotTopic
        public var url: String
        public var secret: String
        public var tries: Int
    }

    /// Claims up to `limit` due topic alerts for one try each (counts the try, moves the row's next look `leaseMillis`
    /// ahead), as the unit webhooks' outbox does: `FOR UPDATE SKIP LOCKED` on PostgreSQL, and the update checks again
    /// that each row is still due.
    public func claimDeliveries(at now: Date, limit: Int, leaseMillis: Int64) async throws -> [ClaimedDelivery] {
        let postgres = database.kind == .postgres
        return try await database.transaction { db in
            let ids = try await db.rows(Statement(
                "SELECT topic_id FROM topic_webhook_deliveries WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, topic_id LIMIT ?"
                    + (postgres ? " FOR UPDATE SKIP LOCKED" : ""), [now.epochMilliseconds, limit])).map { try $0.decode(column: "topic_id", as: Int64.self) }
            guard !ids.isEmpty else { return [] }
            let claimed = try await db.rows(Statement(
                "UPDATE topic_webhook_deliveries SET tries = tries + 1, next_at = ? WHERE state = 'pending' AND next_at <= ? AND topic_id IN ("
                    + ids.map { _ in "?" }.joined(separator: ", ") + ") RETURNING topic_id, tries, url",
                [now.epochMilliseconds + leaseMillis, now.epochMilliseconds] + ids.map { $0 as any Encodable & Sendable }))
            let secret = try await db.firstRow(Statement("SELECT webhook_secret FROM topic_settings WHERE id = 1"))?.decode(column: "webhook_secret", as: String.self) ?? ""
            var out: [ClaimedDelivery] = []
            for row in claimed {
                let id = try row.decode(column: "topic_id", as: Int64.self)
                guard let topic = try await db.firstRow(Statement("SELECT * FROM hot_topics WHERE id = ?", [id])).map(Self.topic) else { continue }
                out.append(ClaimedDelivery(topic: topic, url: try row.decode(column: "url", as: String.self), secret: secret,
                                           tries: try row.decode(column: "tries", as: Int.self)))
            }
            return out
        }
    }

    /// Records a try's outcome, only if the row still carries the try claimed: delivered, due again at `retryAt`, or dead.
    public func recordDelivery(topic id: Int64, tries: Int, delivered: Bool, retryAt: Date?, error: String?) async throws {
        let state = delivered ? "delivered" : retryAt == nil ? "dead" : "pending"
        try await database.transaction { db in
            try await db.run(Statement(
                "UPDATE topic_webhook_deliveries SET state = ?, next_at = ?, last_error = ? WHERE topic_id = ? AND tries = ? AND state = 'pending'",
                [state, delivered ? nil : retryAt?.epochMilliseconds, error, id, tries] as [any Encodable & Sendable]))
        }
    }
}

extension HotlineServices {
    /// Hot topics (热点预警).
    public var hotTopics: HotTopicStore { HotTopicStore(database: database) }
}
