import Foundation
import HotlineDomain
import SQLKit

/// What the supervision board (督办看板) reads: the urges, cards and escalations recorded in `supervision_marks`
/// alongside each order's event log.
public struct SupervisionStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// One supervision event with the order it concerns.
    public struct Mark: Sendable, Equatable {
        public var order: OrderNumber
        public var kind: EventKind
        public var unit: UnitID?
        public var actorID: String
        public var at: Date
        public var note: String?
        public var title: String
        public var status: WorkOrderStatus
    }

    /// Urges and cards per unit since a time (督办统计).
    public struct UnitTally: Sendable, Equatable {
        public var unit: UnitID
        public var urges: Int
        public var yellowCards: Int
        public var redCards: Int
        public var escalations: Int
    }

    static let openStatusList = WorkOrderStatus.open.map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// The latest marks, newest first.
    public func recent(limit: Int = 20) async throws -> [Mark] {
        try await marks(where: "", [], limit: limit)
    }

    /// Escalated orders (提级督办) still open, most recently escalated first.
    public func openEscalated(limit: Int = 20) async throws -> [Mark] {
        try await marks(where: "WHERE m.kind = ? AND w.status IN (\(Self.openStatusList))", [EventKind.escalated.rawValue], limit: limit)
    }

    /// How many open orders are escalated.
    public func openEscalatedCount() async throws -> Int {
        try await database.read { db in
            try await db.firstRow(Statement(
                """
                SELECT COUNT(DISTINCT m.order_number) AS n FROM supervision_marks m JOIN work_orders w ON w.number = m.order_number
                WHERE m.kind = ? AND w.status IN (\(Self.openStatusList))
                """, [EventKind.escalated.rawValue]))?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Marks per unit since `since`, the units with most red cards, then yellow cards, first.
    public func tallies(since: Date) async throws -> [UnitTally] {
        try await database.read { db in
            let rows = try await db.rows(Statement(
                "SELECT unit_id, kind, COUNT(*) AS n FROM supervision_marks WHERE at_ms >= ? AND unit_id IS NOT NULL GROUP BY unit_id, kind",
                [since.epochMilliseconds]))
            var byUnit: [UnitID: UnitTally] = [:]
            for row in rows {
                let unit = try row.decode(column: "unit_id", as: String.self)
                guard !unit.isEmpty else { continue }
                let n = try row.decode(column: "n", as: Int.self)
                var t = byUnit[unit] ?? UnitTally(unit: unit, urges: 0, yellowCards: 0, redCards: 0, escalations: 0)
                switch EventKind(rawValue: try row.decode(column: "kind", as: String.self)) {
                case .urged: t.urges += n
                case .yellowCard: t.yellowCards += n
                case .redCard: t.redCards += n
                case .escalated: t.escalations += n
                default: break
                }
                byUnit[unit] = t
            }
            return byUnit.values.sorted { ($0.redCards, $0.yellowCards, $0.urges, $1.unit) > ($1.redCards, $1.yellowCards, $1.urges, $0.unit) }
        }
    }

    func marks(where condition: String, _ binds: [any Encodable & Sendable], limit: Int) async throws -> [Mark] {
        try await database.read { db in
            try await db.rows(Statement(
                """
                SELECT m.order_number, m.kind, m.unit_id, m.actor_id, m.at_ms, m.note, w.title, w.status
                FROM supervision_marks m JOIN work_orders w ON w.number = m.order_number \(condition)
                ORDER BY m.at_ms DESC, m.id DESC LIMIT ?
                """, binds + [min(max(limit, 1), 200)])).compactMap { row in
                let order = OrderNumber(rawValue: try row.decode(column: "order_number", as: Int64.self))
                guard let kind = EventKind(rawValue: try row.decode(column: "kind", as: String.self)),
                      let status = WorkOrderStatus(rawValue: try row.decode(column: "status", as: String.self)) else { return nil }
                return Mark(order: order, kind: kind, unit: try row.decode(column: "unit_id", as: String?.self), actorID: try row.decode(column: "actor_id", as: String.self),
                            at: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "at_ms", as: Int64.self)) / 1000), note: try row.decode(column: "note", as: String?.self),
                            title: try row.decode(column: "title", as: String.self), status: status)
            }
        }
    }
}
