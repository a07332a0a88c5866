import Foundation
import HotlineDomain
import SQLKit

/// A stored report (月度报告, 专题报告): its content is the JSON the application generated, kept as it was.
public struct StoredReport: Sendable, Equatable {
    public var id: Int64
    public var key: String
    /// `monthly` or `special`.
    public var kind: String
    public var title: String
    public var from: CivilDay
    public var to: CivilDay
    public var createdAt: Date
    public var createdBy: String
    public var body: String
}

/// The reports' table (migration 27) and the reads a report is built from that the measures' rollups do not answer:
/// the period's facts under a category and district filter, the notable cases and the period's hot topics.
public struct ReportStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// Stores a report unless one with its key exists; the new report's id, or nil when the key was taken (the scheduled
    /// monthly report written by another instance).
    public func insert(key: String, kind: String, title: String, from: CivilDay, to: CivilDay, by user: String, at now: Date, body: String) async throws -> Int64? {
        try await database.transaction { db in
            // RETURNING answers no row when the key is taken: only the writer that stored the row gets its id.
            try await db.firstRow(Statement(
                """
                INSERT INTO reports (report_key, kind, title, from_day, to_day, created_ms, created_by, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (report_key) DO NOTHING RETURNING id
                """, [key, kind, title, from.ordinal, to.ordinal, now.epochMilliseconds, user, body]))?.decode(column: "id", as: Int64.self)
        }
    }

    /// Whether a report with `key` is stored.
    public func exists(key: String) async throws -> Bool {
        try await database.read { db in try await db.firstRow(Statement("SELECT id FROM reports WHERE report_key = ?", [key])) != nil }
    }

    /// The newest reports first, without their content.
    public func list(limit: Int) async throws -> [StoredReport] {
        try await database.read { db in
            try await db.rows(Statement(
                "SELECT id, report_key, kind, title, from_day, to_day, created_ms, created_by, '' AS body FROM reports ORDER BY created_ms DESC, id DESC LIMIT ?",
                [limit])).map(Self.report)
        }
    }

    public func report(_ id: Int64) async throws -> StoredReport? {
        try await database.read { db in try await db.firstRow(Statement("SELECT * FROM reports WHERE id = ?", [id])).map(Self.report) }
    }

    public func report(key: String) async throws -> StoredReport? {
        try await database.read { db in try await db.firstRow(Statement("SELECT * FROM reports WHERE report_key = ?", [key])).map(Self.report) }
    }

    static func report(_ row: any SQLRow) throws -> StoredReport {
        StoredReport(
            id: try row.decode(column: "id", as: Int64.self), key: try row.decode(column: "report_key", as: String.self),
            kind: try row.decode(column: "kind", as: String.self), title: try row.decode(column: "title", as: String.self),
            from: CivilDay(ordinal: try row.decode(column: "from_day", as: Int.self)), to: CivilDay(ordinal: try row.decode(column: "to_day", as: Int.self)),
            createdAt: Date(timeIntervalSince1970: Double(try row.decode(column: "created_ms", as: Int64.self)) / 1000),
            createdBy: try row.decode(column: "created_by", as: String.self), body: try row.decode(column: "body", as: String.self))
    }

    /// One day's and one lead unit's sums of the facts.
    public struct FactSum: Sendable, Equatable {
        public var day: CivilDay
        public var unit: UnitID
        public var counts: MeasureCounts
    }

    /// The facts of the orders accepted in [from, to], summed per day and lead unit ("" for none), only those under
    /// `categories` (codes) and in `district` when given. Reads the `measure_facts_day` range of the period.
    public func factSums(from: CivilDay, to: CivilDay, categories: [String]?, district: String?) async throws -> [FactSum] {
        try await database.read { db in
            var sql = "SELECT day, unit_id, " + MeasureCounts.columns.map { "CAST(SUM(\($0)) AS BIGINT) AS \($0)" }.joined(separator: ", ")
                + " FROM measure_facts WHERE day >= ? AND day <= ?"
            var binds: [any Encodable & Sendable] = [from.ordinal, to.ordinal]
            Self.filter(&sql, &binds, categories: categories, district: district, prefix: "")
            sql += " GROUP BY day, unit_id"
            return try await db.rows(Statement(sql, binds)).map { row in
                FactSum(
                    day: CivilDay(ordinal: try row.decode(column: "day", as: Int.self)), unit: try row.decode(column: "unit_id", as: String.self),
                    counts: MeasureCounts(values: try MeasureCounts.columns.map { try row.decode(column: $0, as: Int?.self) ?? 0 }))
            }
        }
    }

    static func filter(_ sql: inout String, _ binds: inout [any Encodable & Sendable], categories: [String]?, district: String?, prefix: String) {
        if let categories {
            sql += " AND \(prefix)category_code IN (" + (categories.isEmpty ? "''" : SQLWorkOrderStore.placeholders(categories.count)) + ")"
            binds += categories as [any Encodable & Sendable]
        }
        if let district {
            sql += " AND \(prefix)district = ?"
            binds.append(district)
        }
    }

    /// A notable case's facts (典型案例): no caller and no staff, only the order's number and keys.
    public struct CaseFacts: Sendable, Equatable {
        public var number: Int64
        public var day: CivilDay
        public var unit: UnitID
        public var categoryCode: String
        public var district: String
        public var unsatisfiedClosed: Bool
        public var redone: Bool
        public var returned: Bool
        public var repeated: Bool
        public var units: Int
    }

    /// The notable cases of [from, to]: the orders accepted in it that were closed unsatisfied (不满意办结), redone (重办) or
    /// returned by a unit (退单), the heaviest first (不满意办结 weighs 4, 重办 2, 退单 1), then the most units involved, then the newest.
    public func notableCases(from: CivilDay, to: CivilDay, categories: [String]?, district: String?, limit: Int) async throws -> [CaseFacts] {
        try await database.read { db in
            var sql = """
                SELECT f.order_number, f.day, f.unit_id, f.category_code, f.district, f.unsatisfied_closed, f.redone, f.returned, f.repeated,
                (SELECT COUNT(*) FROM work_order_units u WHERE u.order_number = f.order_number) AS units
                FROM measure_facts f WHERE f.day >= ? AND f.day <= ? AND (f.unsatisfied_closed > 0 OR f.redone > 0 OR f.returned > 0)
                """
            var binds: [any Encodable & Sendable] = [from.ordinal, to.ordinal]
            Self.filter(&sql, &binds, categories: categories, district: district, prefix: "f.")
            sql += " ORDER BY (CASE WHEN f.unsatisfied_closed > 0 THEN 4 ELSE 0 END + CASE WHEN f.redone > 0 THEN 2 ELSE 0 END"
                + " + CASE WHEN f.returned > 0 THEN 1 ELSE 0 END) DESC, units DESC, f.order_number DESC LIMIT ?"
            binds.append(limit)
            return try await db.rows(Statement(sql, binds)).map { row in
                CaseFacts(
                    number: try row.decode(column: "order_number", as: Int64.self), day: CivilDay(ordinal: try row.decode(column: "day", as: Int.self)),
                    unit: try row.decode(column: "unit_id", as: String.self), categoryCode: try row.decode(column: "category_code", as: String.self),
                    district: try row.decode(column: "district", as: String.self),
                    unsatisfiedClosed: try row.decode(column: "unsatisfied_closed", as: Int.self) > 0, redone: try row.decode(column: "redone", as: Int.self) > 0,
                    returned: try row.decode(column: "returned", as: Int.self) > 0, repeated: try row.decode(column: "repeated", as: Int.self) > 0,
                    units: try row.decode(column: "units", as: Int.self))
            }
        }
    }

    /// The hot topics whose window overlaps [from, to] (current or ended), highest score first.
    public func topics(from: CivilDay, to: CivilDay, limit: Int) async throws -> [StoredHotTopic] {
        try await database.read { db in
            try await db.rows(Statement(
                "SELECT * FROM hot_topics WHERE window_to >= ? AND window_from <= ? ORDER BY score_milli DESC, id LIMIT ?", [from.ordinal, to.ordinal, limit]))
                .map(HotTopicStore.topic)
        }
    }
}

extension HotlineServices {
    /// The stored reports (报告).
    public var reports: ReportStore { ReportStore(database: database) }
}
