import Foundation
import SQLKit

/// The steps every outbox (`webhook_deliveries`, `channel_outbox`) takes with its rows: claiming due rows for one try
/// each, recording what a try came to, and putting a dead letter back in the queue. The tables share the columns
/// `id`, `state` (pending, delivered, dead), `tries`, `next_at`, `last_error` and `updated_ms`.
enum OutboxRows {
    /// Claims up to `limit` due rows of `table` for one try each, inside the caller's transaction: counts the try and
    /// moves each row's next look to `now + lease` (longer than a try may take), so no other sender takes it meanwhile
    /// (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several senders split the rows). Returns the ids claimed.
    static func claim(_ table: String, at now: Date, limit: Int, lease: Duration, postgres: Bool, in db: any SQLDatabase) async throws -> [Int64] {
        let leaseMillis = lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000
        let ids = try await db.rows(Statement(
            "SELECT id FROM \(table) WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?" + (postgres ? " FOR UPDATE SKIP LOCKED" : ""),
            [now.epochMilliseconds, limit])).map { try $0.decode(column: "id", as: Int64.self) }
        guard !ids.isEmpty else { return [] }
        // The update checks again that each row is still due, so a row is claimed once even where the lock is not taken.
        return try await db.rows(Statement(
            """
            UPDATE \(table) SET tries = tries + 1, next_at = ?, updated_ms = ?
            WHERE state = 'pending' AND next_at <= ? AND id IN (\(SQLWorkOrderStore.placeholders(ids.count))) RETURNING id
            """,
            [now.epochMilliseconds + leaseMillis, now.epochMilliseconds, now.epochMilliseconds] + ids.map { $0 as any Encodable & Sendable }))
            .map { try $0.decode(column: "id", as: Int64.self) }
    }

    /// Records the outcome of the try `tries` of row `id`; false when the row no longer carries that try (requeued or
    /// claimed again by another sender after its lease ran out), in which case nothing changes.
    static func record(
        _ table: String, _ result: WebhookStore.Result, id: Int64, tries: Int, at now: Date, in database: HotlineDatabase
    ) async throws -> Bool {
        let (state, next, error): (WebhookDelivery.State, Int64?, String?) =
            switch result {
            case .delivered: (.delivered, nil, nil)
            case .failed(let error, let retryAt?): (.pending, retryAt.epochMilliseconds, error)
            case .failed(let error, nil): (.dead, nil, error)
            }
        return try await database.transaction { db in
            try await db.firstRow(Statement(
                """
                UPDATE \(table) SET state = ?, next_at = ?, last_error = ?, updated_ms = ?
                WHERE id = ? AND state = 'pending' AND tries = ? RETURNING id
                """,
                [state.rawValue, bindable(next), bindable(error), now.epochMilliseconds, id, tries])) != nil
        }
    }

    /// 重新投递: puts dead letter `id` back in the queue, due now with its tries counted afresh, with the audit line;
    /// false when the row is not a dead letter (any more).
    static func requeue(_ table: String, id: Int64, at now: Date, audit entry: AuditEntry, in database: HotlineDatabase) async throws -> Bool {
        try await database.transaction { db in
            guard try await db.firstRow(Statement(
                "UPDATE \(table) SET state = 'pending', tries = 0, next_at = ?, updated_ms = ? WHERE id = ? AND state = 'dead' RETURNING id",
                [now.epochMilliseconds, now.epochMilliseconds, id])) != nil
            else { return false }
            try await AuditLog.append(entry, in: db)
            return true
        }
    }
}
