import Foundation
import HotlineDomain
import SQLKit

/// Notices (消息提醒) as stored: one row per user told of an order's event (`notices`), written by the order store in the
/// event's own transaction (``NoticeStore/insert(_:stored:order:in:)``), so a notice is never lost or written twice.
/// Each user's read state is their own; every read here is of one user's rows, and only of those addressed to the unit
/// or role the user has now.
public struct NoticeStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// One notice as its user sees it: the event it tells of, the order's title, and whether it has been read.
    public struct Entry: Sendable, Equatable {
        public var id: Int64
        public var event: StoredEvent
        public var title: String
        public var readAt: Date?

        public var order: OrderNumber { OrderNumber(rawValue: event.orderNumber) }
    }

    /// Who reads: the user and the unit and role they hold now.
    public struct Reader: Sendable, Equatable {
        public var userID: String
        public var role: Role
        public var unit: UnitID?

        public init(userID: String, role: Role, unit: UnitID?) {
            self.userID = userID
            self.role = role
            self.unit = unit
        }

        /// The addressees this user answers for now: their role's, and their unit's for a unit role.
        var addressees: [String] {
            [NoticeStore.key(.role(role))] + (role.isUnitRole ? unit.map { [NoticeStore.key(.unit($0))] } ?? [] : [])
        }
    }

    static func key(_ addressee: NoticeAddressee) -> String {
        switch addressee {
        case .unit(let id), .unitAdmins(let id): "unit:" + id
        case .role(let role): "role:" + role.rawValue
        }
    }

    /// The reader's rows: their own, addressed to what they answer for now (a user moved to another unit leaves the
    /// old unit's notices behind).
    private static func mine(_ reader: Reader, alias: String = "") -> (String, [any Encodable & Sendable]) {
        let a = reader.addressees
        return ("\(alias)user_id = ? AND \(alias)addressee IN (\(Array(repeating: "?", count: a.count).joined(separator: ", ")))",
                [reader.userID] + a.map { $0 as any Encodable & Sendable })
    }

    /// Unread notices, counted up to `cap` (the bell shows "99+" beyond), so the count costs the same however many wait.
    public func unreadCount(_ reader: Reader, cap: Int = 100) async throws -> Int {
        let (mine, binds) = Self.mine(reader)
        return try await database.read { db in
            try await db.firstRow(Statement(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM notices WHERE \(mine) AND read_at IS NULL LIMIT ?) AS unread",
                binds + [cap]))?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// A page of the reader's notices, newest first (only unread ones when `unreadOnly`), and whether more follow.
    public func list(_ reader: Reader, unreadOnly: Bool, page: Int, size: Int) async throws -> (entries: [Entry], hasMore: Bool) {
        let (mine, binds) = Self.mine(reader, alias: "n.")
        let offset = (max(page, 1) - 1) * size
        return try await database.read { db in
            let rows = try await db.rows(Statement(
                """
                SELECT n.id AS notice_id, n.read_at AS notice_read_at, w.title AS order_title, e.* FROM notices n
                JOIN work_order_events e ON e.order_number = n.order_number AND e.seq = n.event_seq
                JOIN work_orders w ON w.number = n.order_number
                WHERE \(mine)\(unreadOnly ? " AND n.read_at IS NULL" : "") ORDER BY n.id DESC LIMIT ? OFFSET ?
                """, binds + [size + 1, offset]))
            let entries = try rows.prefix(size).map { row in
                Entry(
                    id: try row.decode(column: "notice_id", as: Int64.self), event: try StoredEvent(row: row),
                    title: try row.decode(column: "order_title", as: String.self),
                    readAt: try row.decode(column: "notice_read_at", as: Int64?.self).map { Date(timeIntervalSince1970: TimeInterval($0)) })
            }
            return (entries, rows.count > size)
        }
    }

    /// The order a notice of the reader's is about; nil for a notice that is not theirs (or does not exist).
    public func order(of id: Int64, for reader: Reader) async throws -> OrderNumber? {
        let (mine, binds) = Self.mine(reader)
        return try await database.read { db in
            try await db.firstRow(Statement("SELECT order_number FROM notices WHERE id = ? AND \(mine)", [id] + binds))
                .map { OrderNumber(rawValue: try $0.decode(column: "order_number", as: Int64.self)) }
        }
    }

    /// Marks the reader's notices `ids` read; returns how many were unread until now. Idempotent, and two requests at
    /// once never both count the same notice: the row changes only while it is still unread.
    public func markRead(_ ids: [Int64], for reader: Reader, at now: Date) async throws -> Int {
        let unique = Array(Set(ids)).sorted()
        guard !unique.isEmpty else { return 0 }
        let (mine, binds) = Self.mine(reader)
        return try await database.transaction { db in
            try await db.rows(Statement(
                "UPDATE notices SET read_at = ? WHERE \(mine) AND read_at IS NULL AND id IN (\(Array(repeating: "?", count: unique.count).joined(separator: ", "))) RETURNING id",
                [Int64(now.timeIntervalSince1970)] + binds + unique.map { $0 as any Encodable & Sendable })).count
        }
    }

    /// 全部标为已读: every unread notice of the reader's up to `upTo` (the newest the reader has seen, so that one arriving
    /// meanwhile stays unread), or all of them; returns how many were unread until now.
    public func markAllRead(for reader: Reader, upTo: Int64?, at now: Date) async throws -> Int {
        let (mine, binds) = Self.mine(reader)
        return try await database.transaction { db in
            try await db.rows(Statement(
                "UPDATE notices SET read_at = ? WHERE \(mine) AND read_at IS NULL" + (upTo == nil ? "" : " AND id <= ?") + " RETURNING id",
                [Int64(now.timeIntervalSince1970)] + binds + (upTo.map { [$0] } ?? []))).count
        }
    }

    /// Writes the notices of orders' new events, in the transaction that stores them: for each event that notifies
    /// (``NoticeRule``), one row per active user of each addressee, except the person who acted; and the webhook outbox
    /// rows of those addressed to units; and the progress notices to citizens who wrote in through a channel gateway
    /// (``ChannelOutboxStore/enqueueNotices(_:in:)``). A few multi-row statements, for one order's action and the SLA sweeper's
    /// batches of hundreds alike.
    static func insert(batch: [(events: [WorkOrderEvent], stored: [StoredEvent], order: WorkOrder)], in db: any SQLDatabase) async throws {
        // One row per (event, addressee); who is told is decided by the join with `users`.
        var rows: [[any Encodable & Sendable]] = []
        var outbox: [(StoredEvent, UnitID)] = []
        for (events, stored, order) in batch {
            for (event, row) in zip(events, stored) where NoticeRule.kinds.contains(event.kind) {
                for addressee in NoticeRule.addressees(of: event, order: order) {
                    let target: String, unit: String, role: String
                    switch addressee {
                    case .unit(let u): (target, unit, role) = ("unit", u, ""); outbox.append((row, u))
                    case .unitAdmins(let u): (target, unit, role) = ("admins", u, ""); outbox.append((row, u))
                    case .role(let r): (target, unit, role) = ("role", "", r.rawValue)
                    }
                    rows.append([row.orderNumber, row.seq, row.kind, key(addressee), row.atMillis, row.actorID, target, unit, role])
                }
            }
        }
        for start in stride(from: 0, to: rows.count, by: 1_000) {
            let chunk = rows[start..<min(start + 1_000, rows.count)]
            try await db.run(Statement(
                "WITH v (order_number, event_seq, kind, addressee, at_ms, actor_id, target, unit_id, role) AS (VALUES "
                    + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ") + """
                    )
                    INSERT INTO notices (user_id, order_number, event_seq, kind, addressee, at_ms)
                    SELECT u.id, v.order_number, v.event_seq, v.kind, v.addressee, v.at_ms FROM v JOIN users u
                    ON u.active = 1 AND u.id <> v.actor_id AND (
                        (v.target = 'unit' AND u.unit_id = v.unit_id AND u.role IN (?, ?))
                        OR (v.target = 'admins' AND u.unit_id = v.unit_id AND u.role = ?)
                        OR (v.target = 'role' AND u.role = v.role))
                    WHERE 1 = 1 ON CONFLICT DO NOTHING
                    """,
                chunk.flatMap { $0 } + [Role.unitStaff.rawValue, Role.unitAdmin.rawValue, Role.unitAdmin.rawValue]))
        }
        try await WebhookStore.enqueue(outbox, in: db)
        try await ChannelOutboxStore.enqueueNotices(batch, in: db)
    }

    /// One order's notices: the batch of one.
    static func insert(_ events: [WorkOrderEvent], stored: [StoredEvent], order: WorkOrder, in db: any SQLDatabase) async throws {
        try await insert(batch: [(events, stored, order)], in: db)
    }
}
