import Foundation
import HotlineDomain
import SQLKit

/// Restricted phone numbers (限制呼入名单), with who restricted and lifted them.
public struct CallerRestrictionStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    static let columns = "id, phone, reason, starts_at, ends_at, created_by, lifted_at, lifted_by, lift_note"

    /// Restricts `phone` from `now` for `days` days; the entry lands with its audit line.
    public func restrict(phone: String, reason: String, days: Int, by actor: Actor, at now: Date, audit: AuditEntry) async throws -> CallerRestriction {
        try await restrict(phone: phone, reason: reason, until: now.addingTimeInterval(Double(days) * 86_400), by: actor, at: now, audit: audit)
    }

    /// Restricts `phone` from `now` until `ends`; the entry lands with its audit line.
    public func restrict(phone: String, reason: String, until ends: Date, by actor: Actor, at now: Date, audit: AuditEntry) async throws
        -> CallerRestriction
    {
        try await database.transaction { db in
            try await db.run(Statement(
                "INSERT INTO caller_restrictions (phone, reason, starts_at, ends_at, created_by) VALUES (?, ?, ?, ?, ?)",
                [phone, reason, Self.seconds(now), Self.seconds(ends), actor.userID]))
            guard let row = try await db.firstRow(Statement(
                "SELECT \(Self.columns) FROM caller_restrictions WHERE phone = ? ORDER BY id DESC LIMIT 1", [phone])) else {
                throw DatabaseError.corrupt("caller_restrictions insert")
            }
            let restriction = try Self.restriction(row)
            var entry = audit
            entry.target = "restriction:\(restriction.id)"
            try await AuditLog.append(entry, in: db)
            return restriction
        }
    }

    /// Lifts a restriction early. Nil when there is no such restriction or it is no longer active.
    public func lift(_ id: Int64, by actor: Actor, at now: Date, note: String?, audit: AuditEntry) async throws -> CallerRestriction? {
        try await database.transaction { db in
            guard let row = try await db.firstRow(Statement("SELECT \(Self.columns) FROM caller_restrictions WHERE id = ?", [id])),
                  try Self.restriction(row).isActive(at: now) else { return nil }
            try await db.run(Statement(
                "UPDATE caller_restrictions SET lifted_at = ?, lifted_by = ?, lift_note = ? WHERE id = ?",
                [Self.seconds(now), actor.userID, bindable(note), id]))
            try await AuditLog.append(audit, in: db)
            guard let updated = try await db.firstRow(Statement("SELECT \(Self.columns) FROM caller_restrictions WHERE id = ?", [id])) else { return nil }
            return try Self.restriction(updated)
        }
    }

    /// The restriction in force for `phone` at `now`, if any.
    public func active(for phone: String, at now: Date) async throws -> CallerRestriction? {
        try await database.read { db in
            try await db.rows(Statement(
                "SELECT \(Self.columns) FROM caller_restrictions WHERE phone = ? AND ends_at > ? AND lifted_at IS NULL ORDER BY ends_at DESC",
                [phone, Self.seconds(now)])).map(Self.restriction).first { $0.isActive(at: now) }
        }
    }

    /// Restrictions, newest first; only those in force when `activeAt` is given.
    public func list(phone: String?, activeAt: Date?, limit: Int = 200) async throws -> [CallerRestriction] {
        var statement = Statement("SELECT \(Self.columns) FROM caller_restrictions WHERE 1 = 1")
        if let phone { statement.append(" AND phone = ?", [phone]) }
        if let activeAt {
            statement.append(" AND lifted_at IS NULL AND starts_at <= ? AND ends_at > ?", [Self.seconds(activeAt), Self.seconds(activeAt)])
        }
        statement.append(" ORDER BY id DESC LIMIT ?", [limit])
        let query = statement
        return try await database.read { db in try await db.rows(query).map(Self.restriction) }
    }

    static func seconds(_ date: Date) -> Int64 { date.epochSeconds }

    static func restriction(_ row: any SQLRow) throws -> CallerRestriction {
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map { Date(timeIntervalSince1970: Double($0)) }
        }
        return CallerRestriction(
            id: try row.decode(column: "id", as: Int64.self), phone: try row.decode(column: "phone", as: String.self),
            reason: try row.decode(column: "reason", as: String.self), startsAt: try date("starts_at")!, endsAt: try date("ends_at")!,
            createdBy: try row.decode(column: "created_by", as: String.self), liftedAt: try date("lifted_at"),
            liftedBy: try row.decode(column: "lifted_by", as: String?.self), liftNote: try row.decode(column: "lift_note", as: String?.self))
    }
}
