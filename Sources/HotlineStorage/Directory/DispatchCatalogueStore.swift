import Foundation
import HotlineDomain
import SQLKit

/// One change of the dispatch catalogue as history keeps it: the unit before and after (nil = no entry).
public struct CatalogueChange: Sendable, Equatable, Codable {
    public var at: Date
    public var actorID: String
    public var categoryCode: String
    public var district: String?
    public var oldUnit: UnitID?
    public var newUnit: UnitID?
    public var note: String?
}

/// The dispatch catalogue (派单目录) with its full history: every change writes the old and new unit to an
/// append-only table and an audit line, in one transaction.
public struct DispatchCatalogueStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    public func catalogue() async throws -> DispatchCatalogue {
        try await database.read { db in
            DispatchCatalogue(try await db.rows(Statement("SELECT category_code, district, unit_id FROM dispatch_catalogue")).map { row in
                CatalogueEntry(categoryCode: try row.decode(column: "category_code", as: String.self),
                               district: try row.decode(column: "district", as: String.self).nilIfEmpty,
                               unitID: try row.decode(column: "unit_id", as: String.self))
            })
        }
    }

    /// Sets (unit given) or removes (unit nil) entries; returns the changes that took effect.
    public func apply(_ changes: [(categoryCode: String, district: String?, unitID: UnitID?)], note: String?, by actor: Actor, at now: Date,
                      audit: AuditEntry?) async throws -> [CatalogueChange] {
        let items = changes.map { ($0.categoryCode, $0.district ?? "", $0.unitID) }
        return try await database.transaction { db in
            var done: [CatalogueChange] = []
            for (code, district, unit) in items {
                let old = try await db.firstRow(Statement(
                    "SELECT unit_id FROM dispatch_catalogue WHERE category_code = ? AND district = ?", [code, district]))?
                    .decode(column: "unit_id", as: String.self)
                guard old != unit else { continue }
                try await db.run(Statement("DELETE FROM dispatch_catalogue WHERE category_code = ? AND district = ?", [code, district]))
                if let unit {
                    try await db.run(Statement(
                        "INSERT INTO dispatch_catalogue (category_code, district, unit_id, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)",
                        [code, district, unit, Int64(now.timeIntervalSince1970), actor.userID]))
                }
                try await db.run(Statement(
                    "INSERT INTO dispatch_catalogue_history (at_ms, actor_id, category_code, district, old_unit, new_unit, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [now.epochMilliseconds, actor.userID, code, district, bindable(old), bindable(unit), bindable(note)]))
                done.append(CatalogueChange(at: now, actorID: actor.userID, categoryCode: code, district: district.nilIfEmpty, oldUnit: old,
                                            newUnit: unit, note: note))
            }
            if var audit, !done.isEmpty {
                audit.detail = done.map { "\($0.categoryCode)@\($0.district ?? "*"): \($0.oldUnit ?? "-") → \($0.newUnit ?? "-")" }
                    .joined(separator: "; ")
                try await AuditLog.append(audit, in: db)
            }
            return done
        }
    }

    /// Changes, newest first; of one category when given.
    public func history(categoryCode: String?, limit: Int, offset: Int) async throws -> [CatalogueChange] {
        var statement = Statement("SELECT at_ms, actor_id, category_code, district, old_unit, new_unit, note FROM dispatch_catalogue_history")
        if let categoryCode { statement.append(" WHERE category_code = ?", [categoryCode]) }
        statement.append(" ORDER BY id DESC LIMIT ? OFFSET ?", [limit, offset])
        let query = statement
        return try await database.read { db in
            try await db.rows(query).map { row in
                CatalogueChange(
                    at: Date(timeIntervalSince1970: Double(try row.decode(column: "at_ms", as: Int64.self)) / 1000),
                    actorID: try row.decode(column: "actor_id", as: String.self), categoryCode: try row.decode(column: "category_code", as: String.self),
                    district: try row.decode(column: "district", as: String.self).nilIfEmpty, oldUnit: try row.decode(column: "old_unit", as: String?.self),
                    newUnit: try row.decode(column: "new_unit", as: String?.self), note: try row.decode(column: "note", as: String?.self))
            }
        }
    }
}
