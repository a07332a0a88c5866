import Foundation
import HotlineDomain
import SQLKit

/// A calendar override as stored: with its id and who added it when.
public struct StoredCalendarOverride: Sendable, Equatable {
    public var id: Int64
    public var override: CalendarOverride
    public var createdAt: Date
    public var createdBy: String
}

extension DirectoryStore {
    /// Every override of the working-day calendar, oldest first (the order they are merged in).
    public func calendarOverrides() async throws -> [StoredCalendarOverride] {
        try await database.read { db in
            try await db.rows(Statement("SELECT id, first_day, last_day, kind, name, created_at, created_by FROM calendar_overrides ORDER BY id"))
                .map(Self.calendarOverride)
        }
    }

    static func calendarOverride(_ row: any SQLRow) throws -> StoredCalendarOverride {
        let first = try row.decode(column: "first_day", as: String.self)
        let last = try row.decode(column: "last_day", as: String.self)
        let kind = try row.decode(column: "kind", as: String.self)
        guard let value = try? CalendarOverride(start: first, end: last, kind: kind, name: try row.decode(column: "name", as: String.self)) else {
            throw DatabaseError.corrupt("calendar_overrides \(first) \(last) \(kind)")
        }
        return StoredCalendarOverride(
            id: try row.decode(column: "id", as: Int64.self), override: value,
            createdAt: Date(timeIntervalSince1970: Double(try row.decode(column: "created_at", as: Int64.self))),
            createdBy: try row.decode(column: "created_by", as: String.self))
    }

    /// Adds an override with its audit line.
    public func addCalendarOverride(_ o: CalendarOverride, by actor: Actor, at now: Date, audit: AuditEntry) async throws {
        try await database.transaction { db in
            try await db.run(
                Statement(
                    "INSERT INTO calendar_overrides (first_day, last_day, kind, name, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
                    [o.first.description, o.last.description, o.kind.rawValue, o.name, Int64(now.timeIntervalSince1970), actor.userID]))
            try await AuditLog.append(audit, in: db)
        }
    }

    /// Removes an override with its audit line (the removed range in the detail); nil when there is no such override.
    public func removeCalendarOverride(_ id: Int64, audit: AuditEntry) async throws -> StoredCalendarOverride? {
        try await database.transaction { db in
            guard
                let row = try await db.firstRow(
                    Statement(
                        "SELECT id, first_day, last_day, kind, name, created_at, created_by FROM calendar_overrides WHERE id = ?", [id]))
            else { return nil }
            let stored = try Self.calendarOverride(row)
            try await db.run(Statement("DELETE FROM calendar_overrides WHERE id = ?", [id]))
            var audit = audit
            let o = stored.override
            audit.detail = "removed \(o.first)..\(o.last) \(o.kind.rawValue) \(o.name)"
            try await AuditLog.append(audit, in: db)
            return stored
        }
    }
}

/// An official schedule (国务院放假安排) an administrator loaded for one year.
public struct StoredCalendarSchedule: Sendable, Equatable {
    public var year: Int
    public var csv: String
    public var loadedAt: Date
    public var loadedBy: String
}

extension DirectoryStore {
    /// Every loaded official schedule, by year.
    public func calendarSchedules() async throws -> [StoredCalendarSchedule] {
        try await database.read { db in
            try await db.rows(Statement("SELECT year, csv, loaded_at, loaded_by FROM calendar_schedules ORDER BY year")).map { row in
                StoredCalendarSchedule(
                    year: try row.decode(column: "year", as: Int.self), csv: try row.decode(column: "csv", as: String.self),
                    loadedAt: Date(timeIntervalSince1970: Double(try row.decode(column: "loaded_at", as: Int64.self))),
                    loadedBy: try row.decode(column: "loaded_by", as: String.self))
            }
        }
    }

    /// Stores the official schedule of a year, replacing one loaded before, with its audit line.
    public func loadCalendarSchedule(year: Int, csv: String, by actor: Actor, at now: Date, audit: AuditEntry) async throws {
        try await database.transaction { db in
            try await db.run(Statement("DELETE FROM calendar_schedules WHERE year = ?", [year]))
            try await db.run(
                Statement(
                    "INSERT INTO calendar_schedules (year, csv, loaded_at, loaded_by) VALUES (?, ?, ?, ?)",
                    [year, csv, Int64(now.timeIntervalSince1970), actor.userID]))
            try await AuditLog.append(audit, in: db)
        }
    }
}
