import Foundation
import HotlineDomain
import SQLKit

/// The stationings (驻场安排) the managers record: a department's policy specialist in the centre from one China day
/// to another. Few rows; read whole.
public struct StationingStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// Every stationing, the latest start first.
    public func all() async throws -> [Stationing] {
        try await database.read { db in
            try await db.rows(Statement("SELECT id, unit_id, from_day, to_day, note FROM specialist_stationings ORDER BY from_day DESC, id DESC"))
                .map(Self.stationing)
        }
    }

    /// Records a stationing; it lands with its audit line.
    public func add(unitID: UnitID, from: CivilDay, to: CivilDay?, note: String, by actor: Actor, at now: Date, audit: AuditEntry) async throws -> Stationing {
        try await database.transaction { db in
            try await db.run(Statement(
                "INSERT INTO specialist_stationings (unit_id, from_day, to_day, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
                [unitID, from.ordinal, bindable(to?.ordinal), note, Int64(now.timeIntervalSince1970 * 1000), actor.userID]))
            guard let row = try await db.firstRow(Statement(
                "SELECT id, unit_id, from_day, to_day, note FROM specialist_stationings WHERE unit_id = ? ORDER BY id DESC LIMIT 1", [unitID])) else {
                throw DatabaseError.corrupt("specialist_stationings insert")
            }
            let stationing = try Self.stationing(row)
            var entry = audit
            entry.target = "stationing:\(stationing.id)"
            try await AuditLog.append(entry, in: db)
            return stationing
        }
    }

    /// Removes a stationing recorded by mistake; false when there is none with that id.
    public func remove(_ id: Int64, audit: AuditEntry) async throws -> Bool {
        try await database.transaction { db in
            guard try await db.firstRow(Statement("SELECT id FROM specialist_stationings WHERE id = ?", [id])) != nil else { return false }
            try await db.run(Statement("DELETE FROM specialist_stationings WHERE id = ?", [id]))
            var entry = audit
            entry.target = "stationing:\(id)"
            try await AuditLog.append(entry, in: db)
            return true
        }
    }

    static func stationing(_ row: any SQLRow) throws -> Stationing {
        Stationing(
            id: try row.decode(column: "id", as: Int64.self),
            unitID: try row.decode(column: "unit_id", as: String.self),
            from: CivilDay(ordinal: try row.decode(column: "from_day", as: Int.self)),
            to: try row.decode(column: "to_day", as: Int?.self).map(CivilDay.init(ordinal:)),
            note: try row.decode(column: "note", as: String.self))
    }
}

extension HotlineServices {
    /// The stationings (驻场安排).
    public var stationings: StationingStore { StationingStore(database: database) }
}
