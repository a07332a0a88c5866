import Foundation
import HotlineDomain
import SQLKit

/// Whole orders for feeds that show each order's own fields (Open311 GeoReport v2): the list's conditions, a LIMIT,
/// and the stored documents instead of the summary columns.
extension SQLWorkOrderStore {
    /// Numbers bound per statement: well below SQLite's and PostgreSQL's limits on parameters.
    static let numbersPerStatement = 500

    public func orders(numbered numbers: [OrderNumber]) async throws -> [WorkOrder] {
        let distinct = Array(Set(numbers))
        guard !distinct.isEmpty else { return [] }
        var orders: [WorkOrder] = []
        for start in stride(from: 0, to: distinct.count, by: Self.numbersPerStatement) {
            let chunk = distinct[start..<min(start + Self.numbersPerStatement, distinct.count)]
            let query = Statement(
                "SELECT doc FROM work_orders WHERE number IN (\(Self.placeholders(chunk.count)))", chunk.map(\.rawValue))
            orders += try await database.read { db in
                try await db.rows(query).map { try WorkOrderRow.decode(try $0.decode(column: "doc", as: String.self)) }
            }
        }
        return orders.sorted { ($0.timeline.createdAt, $0.number.rawValue) > ($1.timeline.createdAt, $1.number.rawValue) }
    }

    public func orders(matching filter: OrderFilter, limit: Int, now: Date) async throws -> [WorkOrder] {
        guard limit > 0 else { return [] }
        // The order list's own conditions, so that the same indexes serve: creation time (`work_orders_created`), a
        // category subtree (`work_orders_category`), statuses (`work_orders_status`).
        var query = Statement("SELECT o.doc FROM work_orders o")
        Self.appendWhere(filter, now: now, to: &query)
        query.append(" ORDER BY o.created_at DESC, o.number DESC LIMIT ?", [limit])
        let statement = query
        return try await database.read { db in
            try await db.rows(statement).map { try WorkOrderRow.decode(try $0.decode(column: "doc", as: String.self)) }
        }
    }
}
