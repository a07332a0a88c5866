import Foundation
import HotlineDomain
import SQLKit

/// What the map (地图) reads: orders of a period counted by district and street, the newest orders with coordinates,
/// and those orders counted on a grid for hot spots — each from a covering index of migration 26, never the documents.
public struct MapStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// The orders a map shows: created in [from, to), optionally of some statuses and a category (with its subtree), and
    /// within a data scope (`unitScope`: the orders linked to these units; nil for every order).
    public struct Query: Sendable, Equatable {
        public var from: Date
        public var to: Date
        public var statuses: [WorkOrderStatus]
        public var categoryCode: String?
        /// The category's subtree when it is not exactly its dotted prefix (a category was moved).
        public var categorySubtree: [String]?
        public var unitScope: [UnitID]?

        public init(from: Date, to: Date, statuses: [WorkOrderStatus] = [], categoryCode: String? = nil, categorySubtree: [String]? = nil,
                    unitScope: [UnitID]? = nil) {
            self.from = from
            self.to = to
            self.statuses = statuses
            self.categoryCode = categoryCode
            self.categorySubtree = categorySubtree
            self.unitScope = unitScope
        }
    }

    public struct PlaceCount: Sendable, Equatable {
        public var district: String?
        public var street: String?
        public var count: Int
    }

    public struct Point: Sendable, Equatable {
        public var number: OrderNumber
        public var location: GeoPoint
        public var status: WorkOrderStatus
        public var categoryCode: String?
    }

    /// Orders by district and street as recorded (either may be nil).
    public func places(_ q: Query) async throws -> [PlaceCount] {
        var statement = Statement("SELECT district, street, COUNT(*) AS n FROM work_orders")
        Self.appendWhere(q, points: false, to: &statement)
        statement.append(" GROUP BY district, street")
        let query = statement
        return try await database.read { db in
            try await db.rows(query).map {
                PlaceCount(district: try $0.decode(column: "district", as: String?.self), street: try $0.decode(column: "street", as: String?.self),
                           count: try $0.decode(column: "n", as: Int.self))
            }
        }
    }

    /// The newest orders with coordinates, at most `limit`.
    public func points(_ q: Query, limit: Int) async throws -> [Point] {
        var statement = Statement("SELECT number, latitude, longitude, status, category_code FROM work_orders")
        Self.appendWhere(q, points: true, to: &statement)
        statement.append(" ORDER BY created_at DESC LIMIT ?", [limit])
        let query = statement
        return try await database.read { db in
            try await db.rows(query).compactMap { row in
                guard let status = WorkOrderStatus(rawValue: try row.decode(column: "status", as: String.self)) else { return nil }
                return Point(number: OrderNumber(rawValue: try row.decode(column: "number", as: Int64.self)),
                             location: GeoPoint(latitude: try row.decode(column: "latitude", as: Double.self),
                                                longitude: try row.decode(column: "longitude", as: Double.self)),
                             status: status, categoryCode: try row.decode(column: "category_code", as: String?.self))
            }
        }
    }

    /// Every order with coordinates counted on the rule's grid (`floor(degrees / cell)` on each axis).
    public func cells(_ q: Query, rule: HotSpotRule) async throws -> [GridCell] {
        let perDegree = max(1, Int((1 / rule.cellDegrees).rounded()))
        let (row, column) =
            switch database.kind {
            case .sqlite:
                // CAST truncates toward zero; the CASE makes it a floor for negative degrees too.
                ("CAST(latitude * \(perDegree) AS INTEGER) - (CASE WHEN latitude < 0 THEN 1 ELSE 0 END)",
                 "CAST(longitude * \(perDegree) AS INTEGER) - (CASE WHEN longitude < 0 THEN 1 ELSE 0 END)")
            case .postgres:
                ("FLOOR(latitude * \(perDegree))::bigint", "FLOOR(longitude * \(perDegree))::bigint")
            }
        var statement = Statement("SELECT \(row) AS r, \(column) AS c, COUNT(*) AS n FROM work_orders")
        Self.appendWhere(q, points: true, to: &statement)
        statement.append(" GROUP BY 1, 2")
        let query = statement
        return try await database.read { db in
            try await db.rows(query).map {
                GridCell(row: try $0.decode(column: "r", as: Int.self), column: try $0.decode(column: "c", as: Int.self), count: try $0.decode(column: "n", as: Int.self))
            }
        }
    }

    static func appendWhere(_ q: Query, points: Bool, to statement: inout Statement) {
        // The period first: both indexes lead with created_at.
        statement.append(" WHERE created_at >= ? AND created_at < ?", [q.from.epochSeconds, q.to.epochSeconds])
        if points { statement.append(" AND latitude IS NOT NULL") }
        if !q.statuses.isEmpty {
            statement.append(" AND status IN (\(SQLWorkOrderStore.placeholders(q.statuses.count)))", q.statuses.map(\.rawValue))
        }
        if let codes = q.categorySubtree, !codes.isEmpty {
            statement.append(" AND category_code IN (\(SQLWorkOrderStore.placeholders(codes.count)))", codes)
        } else if let code = q.categoryCode {
            statement.append(" AND (category_code = ? OR category_code LIKE ? ESCAPE '\\')", [code, SQLWorkOrderStore.escapeLike(code) + ".%"])
        }
        if let units = q.unitScope {
            if units.isEmpty {
                statement.append(" AND 1 = 0")
            } else {
                statement.append(" AND number IN (SELECT order_number FROM work_order_units WHERE unit_id IN (\(SQLWorkOrderStore.placeholders(units.count))))", units)
            }
        }
    }
}
