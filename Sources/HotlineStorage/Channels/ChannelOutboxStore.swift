import Foundation
import HotlineDomain
import SQLKit

/// One row of a channel's outbox: a plain-text message to one citizen through the channel's outbound webhook.
public struct ChannelDelivery: Sendable, Equatable {
    public var id: Int64
    /// The idempotency key: the message's key, the same on every try (`Idempotency-Key`).
    public var key: String
    public var channel: Channel
    public var recipient: String
    public var order: OrderNumber?
    public var eventSeq: Int?
    /// The event kind of a progress notice (`created`, `dispatched`, …), or what the enqueuer named it (`message`).
    public var kind: String
    public var body: String
    public var state: WebhookDelivery.State
    public var tries: Int
    public var nextAt: Date?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
}

/// The channels' outbox (渠道回复): plain-text messages to citizens through each channel's outbound webhook — the
/// progress notices of orders that came in through a gateway, written by the order store in the event's own
/// transaction (``ChannelOutboxStore/enqueueNotices(_:in:)``), and whatever else the platform sends a citizen
/// (``ChannelOutboxStore/enqueue(_:at:)``, e.g. one-time codes).
///
/// Sending works as the unit webhooks' outbox does (see ``WebhookStore``): at least once, never twice at the same time;
/// a claim counts the try and leases the row (`FOR UPDATE SKIP LOCKED` on PostgreSQL), the outcome is recorded only
/// while the row still carries the claimed try, and a dead letter (死信) waits for an admin's 重新投递.
public struct ChannelOutboxStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// Enqueues `messages` in a transaction of their own; a message whose key is already queued is left as it is.
    public func enqueue(_ messages: [OutboundMessage], at now: Date) async throws {
        guard !messages.isEmpty else { return }
        try await database.transaction { db in try await Self.enqueue(messages, at: now, in: db) }
    }

    /// Enqueues `messages` inside the caller's transaction (e.g. an order's), so they exist exactly when it commits.
    public static func enqueue(_ messages: [OutboundMessage], at now: Date, in db: any SQLDatabase) async throws {
        for start in stride(from: 0, to: messages.count, by: 500) {
            let chunk = messages[start..<min(start + 500, messages.count)]
            try await db.run(Statement(
                "INSERT INTO channel_outbox \(messageColumns) VALUES "
                    + Array(repeating: "(\(messageRow))", count: chunk.count).joined(separator: ", ")
                    + " ON CONFLICT DO NOTHING",
                chunk.flatMap { messageBinds($0, at: now) }))
        }
    }

    /// The columns of a queued message's row, the row's values with one `?` per bind (``messageBinds(_:at:)``), and the
    /// binds: for statements that queue a message as part of a larger one (a portal code and its SMS).
    static let messageColumns = "(delivery_key, channel, recipient, order_number, kind, body, state, tries, next_at, created_ms, updated_ms)"
    static let messageRow = "?, ?, ?, ?, 'message', ?, 'pending', 0, ?, ?, ?"
    static func messageBinds(_ m: OutboundMessage, at now: Date) -> [any Encodable & Sendable] {
        let ms = now.epochMilliseconds
        return [m.key, m.channel.rawValue, m.recipient, bindable(m.orderNumber?.rawValue), m.text, ms, ms, ms]
    }

    /// Writes the progress notices (进度告知, ``CitizenNotice``) of orders' new events in the transaction that stores
    /// them: for an order that came in through a gateway (its `channel_messages` row names the sender), one outbox row
    /// per telling event when the channel's gateway is on and has an outbound URL. Orders of other channels cost nothing.
    static func enqueueNotices(_ batch: [(events: [WorkOrderEvent], stored: [StoredEvent], order: WorkOrder)], in db: any SQLDatabase) async throws {
        let telling = batch.filter { item in item.order.channel.hasGateway && item.events.contains { CitizenNotice.kinds.contains($0.kind) } }
        guard !telling.isEmpty else { return }
        let unitIDs = Set(telling.flatMap { item in
            item.events.filter { $0.kind == .dispatched || $0.kind == .redispatched }.compactMap { $0.details["lead_unit"] }
        })
        var names: [UnitID: String] = [:]
        if !unitIDs.isEmpty {
            for row in try await db.rows(Statement(
                "SELECT id, name FROM units WHERE id IN (\(SQLWorkOrderStore.placeholders(unitIDs.count)))", unitIDs.sorted().map { $0 as any Encodable & Sendable }))
            {
                names[try row.decode(column: "id", as: String.self)] = try row.decode(column: "name", as: String.self)
            }
        }
        var rows: [[any Encodable & Sendable]] = []
        for (events, stored, order) in telling {
            for (event, row) in zip(events, stored) {
                guard let text = CitizenNotice.text(for: event, of: order, among: events, unitName: { names[$0] }) else { continue }
                rows.append(["notice-\(row.orderNumber)-\(row.seq)", row.orderNumber, row.seq, row.kind, text, row.atMillis])
            }
        }
        for start in stride(from: 0, to: rows.count, by: 500) {
            let chunk = rows[start..<min(start + 500, rows.count)]
            try await db.run(Statement(
                "WITH v (delivery_key, order_number, event_seq, kind, body, at_ms) AS (VALUES "
                    + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ") + """
                    )
                    INSERT INTO channel_outbox (delivery_key, channel, recipient, order_number, event_seq, kind, body, state, tries, next_at, created_ms, updated_ms)
                    SELECT v.delivery_key, m.channel, m.sender, v.order_number, v.event_seq, v.kind, v.body, 'pending', 0, v.at_ms, v.at_ms, v.at_ms
                    FROM v JOIN channel_messages m ON m.order_number = v.order_number
                    JOIN channel_gateways g ON g.channel = m.channel AND g.enabled = 1 AND g.outbound_url <> ''
                    WHERE 1 = 1 ON CONFLICT DO NOTHING
                    """,
                chunk.flatMap { $0 }))
        }
    }

    // MARK: Reading

    static func delivery(_ row: any SQLRow, prefix p: String = "") throws -> ChannelDelivery {
        func ms(_ v: Int64?) -> Date? { v.map { Date(timeIntervalSince1970: TimeInterval($0) / 1000) } }
        return ChannelDelivery(
            id: try row.decode(column: p + "id", as: Int64.self), key: try row.decode(column: p + "delivery_key", as: String.self),
            channel: Channel(rawValue: try row.decode(column: p + "channel", as: String.self)) ?? .other,
            recipient: try row.decode(column: p + "recipient", as: String.self),
            order: try row.decode(column: p + "order_number", as: Int64?.self).map(OrderNumber.init(rawValue:)),
            eventSeq: try row.decode(column: p + "event_seq", as: Int?.self), kind: try row.decode(column: p + "kind", as: String.self),
            body: try row.decode(column: p + "body", as: String.self),
            state: WebhookDelivery.State(rawValue: try row.decode(column: p + "state", as: String.self)) ?? .pending,
            tries: try row.decode(column: p + "tries", as: Int.self), nextAt: ms(try row.decode(column: p + "next_at", as: Int64?.self)),
            lastError: try row.decode(column: p + "last_error", as: String?.self),
            createdAt: ms(try row.decode(column: p + "created_ms", as: Int64.self))!,
            updatedAt: ms(try row.decode(column: p + "updated_ms", as: Int64.self))!)
    }

    /// A page of the outbox in `state` (all states when nil), of one channel or all, newest first, and whether more follow.
    public func deliveries(channel: Channel? = nil, state: WebhookDelivery.State?, page: Int, size: Int) async throws
        -> (items: [ChannelDelivery], hasMore: Bool)
    {
        let offset = (max(page, 1) - 1) * size
        var clauses: [String] = [], values: [any Encodable & Sendable] = []
        if let state { clauses.append("state = ?"); values.append(state.rawValue) }
        if let channel { clauses.append("channel = ?"); values.append(channel.rawValue) }
        let binds = values
        let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        return try await database.read { db in
            let rows = try await db.rows(Statement(
                "SELECT * FROM channel_outbox\(filter) ORDER BY id DESC LIMIT ? OFFSET ?", binds + [size + 1, offset]))
            return (try rows.prefix(size).map { try Self.delivery($0) }, rows.count > size)
        }
    }

    /// One row, nil when there is none.
    public func delivery(_ id: Int64) async throws -> ChannelDelivery? {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT * FROM channel_outbox WHERE id = ?", [id])).map { try Self.delivery($0) }
        }
    }

    /// The row queued under `key`, nil when there is none.
    public func delivery(key: String) async throws -> ChannelDelivery? {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT * FROM channel_outbox WHERE delivery_key = ?", [key])).map { try Self.delivery($0) }
        }
    }

    // MARK: Sending

    /// A claimed try: the row and its channel's outbound webhook as it is now.
    public struct Claimed: Sendable {
        public var delivery: ChannelDelivery
        public var url: String
        public var secret: String
        public var enabled: Bool
    }

    /// Claims up to `limit` due rows for one try each, as ``WebhookStore/claim(at:limit:lease:)`` does.
    public func claim(at now: Date, limit: Int, lease: Duration) async throws -> [Claimed] {
        let postgres = database.kind == .postgres
        return try await database.transaction { db in
            let claimed = try await OutboxRows.claim("channel_outbox", at: now, limit: limit, lease: lease, postgres: postgres, in: db)
            guard !claimed.isEmpty else { return [] }
            return try await db.rows(Statement(
                """
                SELECT o.*, g.outbound_url AS g_url, g.outbound_secret AS g_secret, g.enabled AS g_enabled
                FROM channel_outbox o LEFT JOIN channel_gateways g ON g.channel = o.channel
                WHERE o.id IN (\(SQLWorkOrderStore.placeholders(claimed.count))) ORDER BY o.next_at, o.id
                """, claimed.map { $0 as any Encodable & Sendable })).map { row in
                Claimed(
                    delivery: try Self.delivery(row), url: try row.decode(column: "g_url", as: String?.self) ?? "",
                    secret: try row.decode(column: "g_secret", as: String?.self) ?? "",
                    enabled: (try row.decode(column: "g_enabled", as: Int?.self) ?? 0) != 0)
            }
        }
    }

    /// Records the outcome of the claimed try; false when the row no longer carries that try.
    @discardableResult
    public func record(_ result: WebhookStore.Result, of claimed: ChannelDelivery, at now: Date) async throws -> Bool {
        try await OutboxRows.record("channel_outbox", result, id: claimed.id, tries: claimed.tries, at: now, in: database)
    }

    /// 重新投递: a dead letter back in the queue, due now with its tries counted afresh, with the audit line; false when
    /// the row is not a dead letter (any more).
    public func requeue(_ id: Int64, at now: Date, audit entry: AuditEntry) async throws -> Bool {
        try await OutboxRows.requeue("channel_outbox", id: id, at: now, audit: entry, in: database)
    }
}

extension HotlineServices {
    /// The channels' outbox (渠道回复).
    public var channelOutbox: ChannelOutboxStore { ChannelOutboxStore(database: database) }
}
