import Foundation
import HotlineDomain
import SQLKit

/// The reads of the measures' read model (考评指标) and its settings: sums of the daily rollups, the live count of open
/// overdue orders, the cards of a period, and the full recount the tests and `hotline` check the rollups against.
public struct MeasureStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// What the rollups are grouped by.
    public enum Dimension: String, Sendable, CaseIterable {
        case all, unit, category, district, channel, kind
    }

    /// One group's sums: its key (a unit's id, a category's code, a district, a channel's or kind's code; "" for none)
    /// and, when asked by day, the day.
    public struct Sum: Sendable, Equatable {
        public var key: String
        public var day: CivilDay?
        public var counts: MeasureCounts
    }

    /// The rollups of `dimension` over the days [from, to], summed per key (and per day with `byDay`), optionally only
    /// for `keys`. Reads one index range of `measure_rollups`, whatever the number of orders.
    /// With `perUnit`, the rollups of the lead unit joined with `dimension`, keyed `unit|key` (see ``splitUnitKey(_:)``).
    public func sums(
        _ dimension: Dimension, perUnit: Bool = false, from: CivilDay, to: CivilDay, keys: [String]? = nil, byDay: Bool = false
    ) async throws -> [Sum] {
        let stored = perUnit && dimension != .all && dimension != .unit ? "unit." + dimension.rawValue : dimension.rawValue
        return try await database.read { db in
            var sql = "SELECT key" + (byDay ? ", day" : "") + ", "
                + MeasureCounts.columns.map { "CAST(SUM(\($0)) AS BIGINT) AS \($0)" }.joined(separator: ", ")
                + " FROM measure_rollups WHERE dimension = ? AND day >= ? AND day <= ?"
            var binds: [any Encodable & Sendable] = [stored, from.ordinal, to.ordinal]
            if let keys {
                guard !keys.isEmpty else { return [] }
                sql += " AND key IN (" + SQLWorkOrderStore.placeholders(keys.count) + ")"
                binds += keys as [any Encodable & Sendable]
            }
            sql += " GROUP BY key" + (byDay ? ", day" : "")
            return try await db.rows(Statement(sql, binds)).map { row in
                Sum(
                    key: try row.decode(column: "key", as: String.self),
                    day: byDay ? CivilDay(ordinal: try row.decode(column: "day", as: Int.self)) : nil,
                    counts: MeasureCounts(values: try MeasureCounts.columns.map { try row.decode(column: $0, as: Int?.self) ?? 0 }))
            }
        }
    }

    /// The unit and the other key of a per-unit rollup's key (`unit|key`).
    public static func splitUnitKey(_ key: String) -> (UnitID, String)? {
        guard let bar = key.firstIndex(of: "|") else { return nil }
        return (String(key[..<bar]), String(key[key.index(after: bar)...]))
    }

    /// What open overdue orders are counted by, besides their lead unit.
    public enum OverdueKey: Sendable {
        case none, category, district, channel, kind
        /// The acceptance day (China), as its ordinal.
        case day
        /// `category|district`, for reports filtered by both.
        case categoryAndDistrict

        var expression: String {
            switch self {
            case .none: "''"
            case .category: "COALESCE(category_code, '')"
            case .district: "COALESCE(district, '')"
            case .channel: "channel"
            case .kind: "kind"
            case .day: "CAST((created_at + \(CivilDay.chinaOffsetSeconds)) / 86400 AS TEXT)"
            case .categoryAndDistrict: "COALESCE(category_code, '') || '|' || COALESCE(district, '')"
            }
        }
    }

    /// How many open orders past their unit's reply deadline (超期未办结) one lead unit has under one key.
    public struct OverdueCount: Sendable, Equatable {
        public var unit: UnitID?
        public var key: String
        public var count: Int

        public init(unit: UnitID?, key: String, count: Int) {
            self.unit = unit
            self.key = key
            self.count = count
        }
    }

    /// The orders accepted in [from, to] that are still with their units (已派单, 办理中) past the reply deadline at `now`,
    /// counted by lead unit and `key`: live, from the `work_orders_open_overdue` index of the open orders alone (migration 29).
    public func openOverdueCounts(from: CivilDay, to: CivilDay, at now: Date, by key: OverdueKey = .none) async throws -> [OverdueCount] {
        // SQLite's planner, without range statistics, prefers `work_orders_due (status, due_at)` and then reads every overdue
        // order of all time from the table; it is told which index answers from the open orders alone.
        let source = database.kind == .sqlite ? "work_orders INDEXED BY work_orders_open_overdue" : "work_orders"
        return try await database.read { db in
            try await db.rows(Statement(
                """
                SELECT lead_unit, \(key.expression) AS k, COUNT(*) AS n FROM \(source)
                WHERE status IN ('dispatched', 'handling') AND created_at >= ? AND created_at < ? AND due_at < ?
                GROUP BY lead_unit\(key == .none ? "" : ", " + key.expression)
                """, [from.start.epochSeconds, to.adding(days: 1).start.epochSeconds, now.epochSeconds])
            ).map { row in
                OverdueCount(unit: try row.decode(column: "lead_unit", as: String?.self), key: try row.decode(column: "k", as: String.self),
                             count: try row.decode(column: "n", as: Int.self))
            }
        }
    }

    /// Yellow and red cards (黄牌, 红牌) given to each unit in [start, end), by hand or by the sweeper.
    public func cards(from start: Date, to end: Date) async throws -> [UnitID: (yellow: Int, red: Int)] {
        try await database.read { db in
            var cards: [UnitID: (yellow: Int, red: Int)] = [:]
            for row in try await db.rows(Statement(
                """
                SELECT unit_id, kind, COUNT(*) AS n FROM supervision_marks
                WHERE kind IN ('yellow_card', 'red_card') AND at_ms >= ? AND at_ms < ? AND unit_id IS NOT NULL GROUP BY unit_id, kind
                """, [start.epochMilliseconds, end.epochMilliseconds]))
            {
                let unit = try row.decode(column: "unit_id", as: String.self)
                let n = try row.decode(column: "n", as: Int.self)
                var c = cards[unit] ?? (0, 0)
                if try row.decode(column: "kind", as: String.self) == EventKind.redCard.rawValue { c.red += n } else { c.yellow += n }
                cards[unit] = c
            }
            return cards
        }
    }

    /// How many orders are stored and when the newest was accepted (for benchmarks).
    public func orderSpan() async throws -> (count: Int, newest: Date?) {
        try await database.read { db in
            let row = try await db.firstRow(Statement("SELECT COUNT(*) AS n, MAX(created_at) AS t FROM work_orders"))
            return (try row?.decode(column: "n", as: Int.self) ?? 0,
                    try row?.decode(column: "t", as: Int64?.self).map { Date(timeIntervalSince1970: TimeInterval($0)) })
        }
    }

    static let settingsName = "measure_settings"

    /// The measures' settings (指标设置); the defaults when never set.
    public func settings() async throws -> MeasureSettings {
        try await database.read { db in
            guard let row = try await db.firstRow(Statement("SELECT value FROM platform_settings WHERE name = ?", [Self.settingsName])) else {
                return .default
            }
            let value = try row.decode(column: "value", as: String.self)
            guard let settings = try? JSONDecoder().decode(MeasureSettings.self, from: Data(value.utf8)) else {
                throw DatabaseError.corrupt("platform_settings.\(Self.settingsName)")
            }
            return settings
        }
    }

    /// Stores the settings with their audit line, in one transaction.
    public func setSettings(_ settings: MeasureSettings, audit entry: AuditEntry) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(settings), as: UTF8.self)
        try await database.transaction { db in
            try await db.run(Statement(
                "INSERT INTO platform_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [Self.settingsName, json]))
            try await AuditLog.append(entry, in: db)
        }
    }

    /// Counts every stored order that the rollups do not yet reflect, in batches of `batch` orders (each its own
    /// transaction, the orders locked on PostgreSQL), when migration 23 left the backfill pending; then clears the mark.
    /// Recording is idempotent, so an interrupted backfill simply runs again. Returns the orders read.
    @discardableResult
    public func backfillIfPending(batch: Int = 2_000) async throws -> Int {
        let pending = try await database.read { db in
            try await db.firstRow(Statement("SELECT value FROM platform_settings WHERE name = ?", [MeasureLedger.backfillSetting])) != nil
        }
        guard pending else { return 0 }
        let read = try await recount(batch: batch)
        try await database.transaction { db in
            try await db.run(Statement("DELETE FROM platform_settings WHERE name = ?", [MeasureLedger.backfillSetting]))
        }
        return read
    }

    /// Reads every order and records its facts as they now stand (a no-op for an order whose stored facts agree):
    /// the backfill, and the repair after a change of what the facts count.
    @discardableResult
    public func recount(batch: Int = 2_000) async throws -> Int {
        var after: Int64 = -1
        var read = 0
        let lock = database.kind == .postgres ? " FOR UPDATE" : ""
        while true {
            let from = after
            let (count, last) = try await database.transaction { db -> (Int, Int64?) in
                let rows = try await db.rows(Statement(
                    "SELECT number, doc FROM work_orders WHERE number > ? ORDER BY number LIMIT ?" + lock, [from, batch]))
                let orders = try rows.map { try WorkOrderRow.decode(try $0.decode(column: "doc", as: String.self)) }
                try await MeasureLedger.record(orders, in: db)
                return (orders.count, orders.last?.number.rawValue)
            }
            read += count
            guard let last, count == batch else { break }
            after = last
        }
        return read
    }

    /// The rollups as a full recount from the orders' documents would make them, per (dimension, day, key) with
    /// non-zero counts: what the tests compare `measure_rollups` against.
    public func fullRecount() async throws -> [String: MeasureCounts] {
        try await database.read { db in
            var sums: [String: MeasureCounts] = [:]
            for row in try await db.rows(Statement("SELECT doc FROM work_orders")) {
                let facts = MeasureLedger.Row(MeasureFacts(try WorkOrderRow.decode(try row.decode(column: "doc", as: String.self))))
                for key in facts.rollupKeys { sums["\(key.dimension)|\(key.day)|\(key.key)", default: MeasureCounts()] += facts.counts }
            }
            return sums.filter { !$0.value.isZero }
        }
    }

    /// The stored rollups per (dimension, day, key), leaving out rows whose counts are all zero.
    public func storedRollups() async throws -> [String: MeasureCounts] {
        try await database.read { db in
            var sums: [String: MeasureCounts] = [:]
            for row in try await db.rows(Statement("SELECT * FROM measure_rollups")) {
                let counts = MeasureCounts(values: try MeasureCounts.columns.map { try row.decode(column: $0, as: Int.self) })
                guard !counts.isZero else { continue }
                let key = "\(try row.decode(column: "dimension", as: String.self))|\(try row.decode(column: "day", as: Int.self))|\(try row.decode(column: "key", as: String.self))"
                sums[key] = counts
            }
            return sums
        }
    }
}

extension HotlineServices {
    /// The measures' read model (考评指标).
    public var measures: MeasureStore { MeasureStore(database: database) }
}
