import Foundation
import HotlineDomain
import SQLKit

extension SQLWorkOrderStore {
    public func list(_ filter: OrderFilter, page: PageRequest, now: Date) async throws -> OrderPage {
        var statement = Statement(
            "SELECT number, status, channel, kind, category_code, lead_unit, title, district, caller_phone, created_at, due_at, redo_count FROM work_orders")
        var count = Statement("SELECT COUNT(*) AS n FROM work_orders")
        Self.appendWhere(filter, now: now, to: &statement)
        Self.appendWhere(filter, now: now, to: &count)
        switch page.sort {
        case .newest: statement.append(" ORDER BY number DESC")
        case .oldest: statement.append(" ORDER BY number ASC")
        case .due: statement.append(" ORDER BY CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, number")
        }
        statement.append(" LIMIT ? OFFSET ?", [page.size, (page.page - 1) * page.size])
        let query = statement
        let countQuery = count
        async let items = database.read { db in try await db.rows(query).map(WorkOrderRow.summary) }
        async let total = database.read { db in try await db.firstRow(countQuery)?.decode(column: "n", as: Int.self) ?? 0 }
        return OrderPage(items: try await items, total: try await total, page: page.page, size: page.size)
    }

    static func appendWhere(_ f: OrderFilter, now: Date, to statement: inout Statement) {
        var clauses: [(String, [any Encodable & Sendable])] = []
        if !f.statuses.isEmpty {
            clauses.append(("status IN (\(placeholders(f.statuses.count)))", f.statuses.map(\.rawValue)))
        }
        if let unit = f.unit {
            clauses.append(("number IN (SELECT order_number FROM work_order_units WHERE unit_id = ?)", [unit]))
        }
        if let code = f.categoryCode {
            clauses.append(("(category_code = ? OR category_code LIKE ? ESCAPE '\\')", [code, escapeLike(code) + ".%"]))
        }
        if let kind = f.kind { clauses.append(("kind = ?", [kind.rawValue])) }
        if let channel = f.channel { clauses.append(("channel = ?", [channel.rawValue])) }
        if let overdue = f.overdue {
            let nowSeconds = WorkOrderRow.seconds(now)
            clauses.append(overdue ? ("due_at < ?", [nowSeconds]) : ("(due_at IS NULL OR due_at >= ?)", [nowSeconds]))
        }
        if let from = f.createdFrom { clauses.append(("created_at >= ?", [WorkOrderRow.seconds(from)])) }
        if let to = f.createdTo { clauses.append(("created_at < ?", [WorkOrderRow.seconds(to)])) }
        if let text = f.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let pattern = "%" + escapeLike(text) + "%"
            clauses.append(("(title LIKE ? ESCAPE '\\' OR content LIKE ? ESCAPE '\\')", [pattern, pattern]))
        }
        if let phone = f.callerPhone { clauses.append(("caller_phone = ?", [phone])) }
        for (index, clause) in clauses.enumerated() {
            statement.append(index == 0 ? " WHERE " : " AND ")
            statement.append(clause.0, clause.1)
        }
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    public func overdueCountsByUnit(now: Date) async throws -> [UnitCount] {
        try await database.read { db in
            try await db.rows(Statement(
                """
                SELECT lead_unit, COUNT(*) AS n FROM work_orders
                WHERE status IN ('dispatched', 'handling') AND due_at < ? AND lead_unit IS NOT NULL
                GROUP BY lead_unit ORDER BY n DESC, lead_unit
                """, [WorkOrderRow.seconds(now)]))
                .map { UnitCount(unit: try $0.decode(column: "lead_unit", as: String.self), count: try $0.decode(column: "n", as: Int.self)) }
        }
    }

    public func importOrders(_ outcomes: [Outcome]) async throws {
        guard !outcomes.isEmpty else { return }
        try await database.transaction { db in
            try await Self.insertNew(outcomes, in: db)
            // Keep the daily sequences ahead of imported numbers.
            var highest: [Int: Int] = [:]
            for outcome in outcomes {
                let day = Int(outcome.order.number.rawValue / OrderNumber.perDayCapacity)
                highest[day] = max(highest[day] ?? 0, outcome.order.number.sequence)
            }
            for (day, value) in highest {
                try await db.run(Statement(
                    """
                    INSERT INTO order_sequences (day, last_value) VALUES (?, ?)
                    ON CONFLICT (day) DO UPDATE SET last_value = CASE WHEN order_sequences.last_value > excluded.last_value
                    THEN order_sequences.last_value ELSE excluded.last_value END
                    """, [day, value]))
            }
        }
    }

    /// Inserts new orders, their unit links and their chained events with a few multi-row statements.
    static func insertNew(_ outcomes: [Outcome], in db: any SQLDatabase) async throws {
        for chunk in stride(from: 0, to: outcomes.count, by: 400).map({ Array(outcomes[$0..<min($0 + 400, outcomes.count)]) }) {
            var orderBinds: [any Encodable & Sendable] = []
            var linkBinds: [any Encodable & Sendable] = []
            var events: [StoredEvent] = []
            for outcome in chunk {
                let chained = chain(outcome.events, order: outcome.order.number, after: 0, prevHash: StoredEvent.genesisHash)
                orderBinds += try WorkOrderRow.values(outcome.order, eventCount: chained.count, lastHash: chained.last?.hash ?? StoredEvent.genesisHash)
                for link in WorkOrderRow.unitLinks(outcome.order) { linkBinds += [outcome.order.number.rawValue, link.0, link.1] as [any Encodable & Sendable] }
                events += chained
            }
            let row = "(" + placeholders(WorkOrderRow.columns.count) + ")"
            try await db.run(Statement(
                "INSERT INTO work_orders (\(WorkOrderRow.columns.joined(separator: ", "))) VALUES "
                    + Array(repeating: row, count: chunk.count).joined(separator: ", "), orderBinds))
            if !linkBinds.isEmpty {
                try await db.run(Statement(
                    "INSERT INTO work_order_units (order_number, unit_id, role) VALUES "
                        + Array(repeating: "(?, ?, ?)", count: linkBinds.count / 3).joined(separator: ", "), linkBinds))
            }
            for start in stride(from: 0, to: events.count, by: 1000) {
                try await insertEvents(Array(events[start..<min(start + 1000, events.count)]), in: db)
            }
        }
    }
}
