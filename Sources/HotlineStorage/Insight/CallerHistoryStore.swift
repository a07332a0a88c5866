import Foundation
import HotlineDomain
import SQLKit

/// A caller's own orders for the caller profile (来电人画像), from the (caller_phone, number) index.
public struct CallerHistoryStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// The newest `limit` orders of the phone number, newest first, and how many it has in all.
    public func orders(phone: String, limit: Int) async throws -> (orders: [WorkOrder], total: Int) {
        try await database.read { db in
            let total = try await db.firstRow(Statement("SELECT COUNT(*) AS n FROM work_orders WHERE caller_phone = ?", [phone]))?
                .decode(column: "n", as: Int.self) ?? 0
            guard total > 0 else { return ([], 0) }
            let rows = try await db.rows(Statement(
                "SELECT doc FROM work_orders WHERE caller_phone = ? ORDER BY number DESC LIMIT ?", [phone, limit]))
            return (try rows.map { try WorkOrderRow.decode(try $0.decode(column: "doc", as: String.self)) }, total)
        }
    }
}
