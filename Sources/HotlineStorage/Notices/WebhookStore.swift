import Foundation
import HotlineDomain
import SQLKit

/// A unit's webhook (消息推送) as stored: where its notices go and whether that is on. The secret is never read back
/// out of storage except by the sender, which signs with it.
public struct UnitWebhook: Sendable, Equatable {
    public var unit: UnitID
    public var url: String
    public var enabled: Bool
    public var hasSecret: Bool
    public var updatedAt: Date
    public var updatedBy: String

    public init(unit: UnitID, url: String, enabled: Bool, hasSecret: Bool, updatedAt: Date, updatedBy: String) {
        self.unit = unit
        self.url = url
        self.enabled = enabled
        self.hasSecret = hasSecret
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// One row of the webhook outbox: a notice event to be sent to one unit's receiver.
public struct WebhookDelivery: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        /// Waiting for its first try or its next one.
        case pending
        /// The receiver answered 2xx.
        case delivered
        /// Every try failed (死信); an admin may requeue it.
        case dead

        public var chineseName: String {
            switch self {
            case .pending: "待投递"
            case .delivered: "已投递"
            case .dead: "死信"
            }
        }
    }

    public var id: Int64
    /// The idempotency key the receiver sees (`Idempotency-Key`): the same for every try of this row.
    public var key: String
    public var unit: UnitID
    public var order: OrderNumber
    public var eventSeq: Int
    public var kind: String
    public var state: State
    /// Tries made so far.
    public var tries: Int
    /// When a pending row is next due.
    public var nextAt: Date?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
}

/// The webhook outbox (消息推送) and each unit's receiver. Rows are written by the order store in the transaction of the
/// event that causes the notice (``WebhookStore/enqueue(_:in:)``), so they exist exactly when the event does.
///
/// Sending is at least once, never twice at the same time: ``claim(at:limit:lease:)`` takes due rows in a short
/// transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several senders split the rows instead of sharing them; on
/// SQLite one writer at a time), counts the try and moves the row's `next_at` past the try's time limit, then the
/// sender posts outside any transaction and records the outcome only if the row still carries the try it claimed.
/// A sender that dies mid-try leaves the row to be claimed again once the lease runs out; the receiver drops the
/// repeat by its idempotency key.
public struct WebhookStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// The idempotency key of an event's delivery to a unit: stable, and the same on every instance.
    static func key(order: Int64, seq: Int, unit: UnitID) -> String { "\(order)-\(seq)-\(unit)" }

    /// Writes the delivery of each notice event to its unit when the unit has an enabled webhook, in the event's
    /// transaction; a few statements for many (event, unit) pairs.
    static func enqueue(_ pairs: [(StoredEvent, UnitID)], in db: any SQLDatabase) async throws {
        for start in stride(from: 0, to: pairs.count, by: 1_000) {
            let chunk = pairs[start..<min(start + 1_000, pairs.count)]
            var binds: [any Encodable & Sendable] = []
            for (event, unit) in chunk {
                binds += [key(order: event.orderNumber, seq: event.seq, unit: unit), unit, event.orderNumber, event.seq, event.kind, event.atMillis]
                    as [any Encodable & Sendable]
            }
            try await db.run(Statement(
                "WITH v (delivery_key, unit_id, order_number, event_seq, kind, at_ms) AS (VALUES "
                    + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ") + """
                    )
                    INSERT INTO webhook_deliveries (delivery_key, unit_id, order_number, event_seq, kind, state, tries, next_at, created_ms, updated_ms)
                    SELECT v.delivery_key, w.unit_id, v.order_number, v.event_seq, v.kind, 'pending', 0, v.at_ms, v.at_ms, v.at_ms
                    FROM v JOIN unit_webhooks w ON w.unit_id = v.unit_id AND w.enabled = 1
                    WHERE 1 = 1 ON CONFLICT DO NOTHING
                    """,
                binds))
        }
    }


    // MARK: Settings

    /// Every unit's webhook, by unit.
    public func webhooks() async throws -> [UnitWebhook] {
        try await database.read { db in
            try await db.rows(Statement("SELECT * FROM unit_webhooks ORDER BY unit_id")).map(Self.webhook)
        }
    }

    /// One unit's webhook, nil when it has none.
    public func webhook(of unit: UnitID) async throws -> UnitWebhook? {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT * FROM unit_webhooks WHERE unit_id = ?", [unit])).map(Self.webhook)
        }
    }

    static func webhook(_ row: any SQLRow) throws -> UnitWebhook {
        UnitWebhook(
            unit: try row.decode(column: "unit_id", as: String.self), url: try row.decode(column: "url", as: String.self),
            enabled: try row.decode(column: "enabled", as: Int.self) != 0,
            hasSecret: !(try row.decode(column: "secret", as: String.self)).isEmpty,
            updatedAt: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "updated_ms", as: Int64.self)) / 1000),
            updatedBy: try row.decode(column: "updated_by", as: String.self))
    }

    /// Sets a unit's webhook with its audit line, in one transaction; a nil `secret` keeps the one stored.
    public func setWebhook(unit: UnitID, url: String, secret: String?, enabled: Bool, by user: String, at now: Date, audit entry: AuditEntry) async throws {
        try await database.transaction { db in
            try await db.run(Statement(
                """
                INSERT INTO unit_webhooks (unit_id, url, secret, enabled, updated_ms, updated_by) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (unit_id) DO UPDATE SET url = excluded.url, enabled = excluded.enabled, updated_ms = excluded.updated_ms,
                updated_by = excluded.updated_by\(secret == nil ? "" : ", secret = excluded.secret")
                """,
                [unit, url, secret ?? "", enabled ? 1 : 0, now.epochMilliseconds, user]))
            try await AuditLog.append(entry, in: db)
        }
    }

    // MARK: Deliveries

    static func delivery(_ row: any SQLRow, prefix p: String = "") throws -> WebhookDelivery {
        func ms(_ v: Int64?) -> Date? { v.map { Date(timeIntervalSince1970: TimeInterval($0) / 1000) } }
        return WebhookDelivery(
            id: try row.decode(column: p + "id", as: Int64.self), key: try row.decode(column: p + "delivery_key", as: String.self),
            unit: try row.decode(column: p + "unit_id", as: String.self),
            order: OrderNumber(rawValue: try row.decode(column: p + "order_number", as: Int64.self)),
            eventSeq: try row.decode(column: p + "event_seq", as: Int.self), kind: try row.decode(column: p + "kind", as: String.self),
            state: WebhookDelivery.State(rawValue: try row.decode(column: p + "state", as: String.self)) ?? .pending,
            tries: try row.decode(column: p + "tries", as: Int.self), nextAt: ms(try row.decode(column: p + "next_at", as: Int64?.self)),
            lastError: try row.decode(column: p + "last_error", as: String?.self),
            createdAt: ms(try row.decode(column: p + "created_ms", as: Int64.self))!,
            updatedAt: ms(try row.decode(column: p + "updated_ms", as: Int64.self))!)
    }

    /// A page of deliveries in `state` (all states when nil), newest first, and whether more follow.
    public func deliveries(state: WebhookDelivery.State?, page: Int, size: Int) async throws -> (items: [WebhookDelivery], hasMore: Bool) {
        let offset = (max(page, 1) - 1) * size
        return try await database.read { db in
            let rows = try await db.rows(Statement(
                "SELECT * FROM webhook_deliveries" + (state == nil ? "" : " WHERE state = ?") + " ORDER BY id DESC LIMIT ? OFFSET ?",
                (state.map { [$0.rawValue] } ?? []) + [size + 1, offset]))
            return (try rows.prefix(size).map { try Self.delivery($0) }, rows.count > size)
        }
    }

    /// One delivery, nil when there is none.
    public func delivery(_ id: Int64) async throws -> WebhookDelivery? {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT * FROM webhook_deliveries WHERE id = ?", [id])).map { try Self.delivery($0) }
        }
    }

    /// A claimed try: the row, the event it tells of with the order's title, and the unit's receiver as it is now.
    public struct Claimed: Sendable {
        public var delivery: WebhookDelivery
        public var event: StoredEvent
        public var title: String
        public var url: String
        public var secret: String
        public var enabled: Bool
    }

    /// Claims up to `limit` due rows for one try each: counts the try and moves each row's next look to `now + lease`
    /// (longer than a try may take), so no other sender takes it meanwhile.
    public func claim(at now: Date, limit: Int, lease: Duration) async throws -> [Claimed] {
        let postgres = database.kind == .postgres
        return try await database.transaction { db in
            let claimed = try await OutboxRows.claim("webhook_deliveries", at: now, limit: limit, lease: lease, postgres: postgres, in: db)
            guard !claimed.isEmpty else { return [] }
            let list = SQLWorkOrderStore.placeholders(claimed.count)
            let binds = claimed.map { $0 as any Encodable & Sendable }
            return try await db.rows(Statement(
                """
                SELECT d.id AS wd_id, d.delivery_key AS wd_delivery_key, d.unit_id AS wd_unit_id, d.order_number AS wd_order_number,
                d.event_seq AS wd_event_seq, d.kind AS wd_kind, d.state AS wd_state, d.tries AS wd_tries, d.next_at AS wd_next_at,
                d.last_error AS wd_last_error, d.created_ms AS wd_created_ms, d.updated_ms AS wd_updated_ms,
                h.url AS wh_url, h.secret AS wh_secret, h.enabled AS wh_enabled, w.title AS wo_title, e.*
                FROM webhook_deliveries d
                JOIN work_order_events e ON e.order_number = d.order_number AND e.seq = d.event_seq
                JOIN work_orders w ON w.number = d.order_number
                LEFT JOIN unit_webhooks h ON h.unit_id = d.unit_id
                WHERE d.id IN (\(list)) ORDER BY d.next_at, d.id
                """, binds)).map { row in
                Claimed(
                    delivery: try Self.delivery(row, prefix: "wd_"), event: try StoredEvent(row: row),
                    title: try row.decode(column: "wo_title", as: String.self),
                    url: try row.decode(column: "wh_url", as: String?.self) ?? "", secret: try row.decode(column: "wh_secret", as: String?.self) ?? "",
                    enabled: (try row.decode(column: "wh_enabled", as: Int?.self) ?? 0) != 0)
            }
        }
    }

    /// What a try came to.
    public enum Result: Sendable, Equatable {
        case delivered
        /// Failed; tried again at `retryAt`, or, when nil, the row becomes a dead letter (死信).
        case failed(error: String, retryAt: Date?)
    }

    /// Records the outcome of the claimed try `claimed`; false when the row no longer carries that try (requeued or
    /// claimed again by another sender after its lease ran out), in which case nothing changes.
    @discardableResult
    public func record(_ result: Result, of claimed: WebhookDelivery, at now: Date) async throws -> Bool {
        try await OutboxRows.record("webhook_deliveries", result, id: claimed.id, tries: claimed.tries, at: now, in: database)
    }

    /// 重新投递: puts a dead letter back in the queue, due now with its tries counted afresh, with the audit line; false
    /// when the row is not a dead letter (any more).
    public func requeue(_ id: Int64, at now: Date, audit entry: AuditEntry) async throws -> Bool {
        try await OutboxRows.requeue("webhook_deliveries", id: id, at: now, audit: entry, in: database)
    }
}

extension HotlineServices {
    /// The webhook outbox and each unit's receiver (消息推送).
    public var webhooks: WebhookStore { WebhookStore(database: database) }
}
