import Foundation
import HotlineDomain
import SQLKit

extension SQLWorkOrderStore {
    /// Totals are counted exactly up to this many rows; beyond it the list reports a lower bound, as
    /// counting a million rows on every page view would make every list slow.
    public static let totalCountCap = 10_000

    public func list(_ filter: OrderFilter, page: PageRequest, now: Date) async throws -> OrderPage {
        let scoped = filter.unit != nil
        // A unit's list is driven by its links, which carry status and deadline in their own indexes. A list of open orders
        // filtered otherwise reads the open orders' index (migration 30); SQLite's planner, without range statistics, would
        // rather walk every order of the status through `work_orders_status` and the table, so it is told.
        let openIndex = !scoped && Self.servedByOpenIndex(filter) && database.kind == .sqlite
        let from = scoped ? " FROM work_order_units u JOIN work_orders o ON o.number = u.order_number"
            : openIndex ? " FROM work_orders o INDEXED BY work_orders_open" : " FROM work_orders o"
        let key = scoped ? "u.order_number" : "o.number"
        let due = scoped ? "u.due_at" : "o.due_at"
        let columns =
            "SELECT o.number, o.status, o.channel, o.kind, o.category_code, o.lead_unit, o.title, o.district, o.caller_phone, o.caller_confidential, o.created_at, o.due_at, o.redo_count, o.lanes"
        var statement = Statement(columns + from)
        var count = Statement("SELECT COUNT(*) AS n FROM (SELECT 1" + from)
        Self.appendWhere(filter, now: now, to: &statement, openIndexTerm: openIndex)
        Self.appendWhere(filter, now: now, to: &count, openIndexTerm: openIndex)
        // Overdue and due-soon filters leave only orders with a deadline: sorting by it needs no NULL handling, so
        // the (status, due_at) and (unit_id, due_at) indexes deliver the rows already in order.
        let dueIsSet = filter.overdue == true || filter.dueBefore != nil
        let offset = (page.page - 1) * page.size
        switch page.sort {
        case .newest: statement.append(" ORDER BY \(key) DESC")
        case .oldest: statement.append(" ORDER BY \(key) ASC")
        case .due where dueIsSet: statement.append(" ORDER BY \(due), \(key)")
        case .due: statement.append(" ORDER BY CASE WHEN \(due) IS NULL THEN 1 ELSE 0 END, \(due), \(key)")
        case .urgent:
            statement.append(" ORDER BY CASE WHEN o.lanes IN (\(Self.laneValues(.urgentLivelihood))) THEN 0 ELSE 1 END,"
                             + " CASE WHEN \(due) IS NULL THEN 1 ELSE 0 END, \(due), \(key)")
        }
        statement.append(" LIMIT ? OFFSET ?", [page.size, offset])
        // An overdue filter without statuses means every status with a running clock.
        let dueStatuses = filter.statuses.isEmpty && filter.overdue == true ? WorkOrderStatus.timed : filter.statuses
        if page.sort == .due, dueIsSet, !scoped, filter.unitScope == nil, dueStatuses.count > 1 {
            // Several statuses cannot be read from one index range in deadline order; each status's range can, so
            // the earliest deadlines of each are merged instead of sorting every matching order.
            var merged = Statement("SELECT * FROM (")
            for (index, status) in dueStatuses.enumerated() {
                var one = filter
                one.statuses = [status]
                merged.append(index == 0 ? "SELECT * FROM (" : " UNION ALL SELECT * FROM (")
                merged.append(columns + from)
                Self.appendWhere(one, now: now, to: &merged)
                merged.append(" ORDER BY o.due_at, o.number LIMIT ?) s\(index)", [offset + page.size])
            }
            merged.append(") m ORDER BY due_at, number LIMIT ? OFFSET ?", [page.size, offset])
            statement = merged
        }
        count.append(" LIMIT ?) capped", [Self.totalCountCap + 1])
        let query = statement
        let countQuery = count
        if page.countsOnly {
            let counted = try await database.read { db in try await db.firstRow(countQuery)?.decode(column: "n", as: Int.self) ?? 0 }
            return OrderPage(items: [], total: min(counted, Self.totalCountCap), totalIsExact: counted <= Self.totalCountCap, page: 1, size: page.size)
        }
        guard page.countsTotal else {
            let items = try await database.read { db in try await db.rows(query).map(WorkOrderRow.summary) }
            return OrderPage(items: items, total: (page.page - 1) * page.size + items.count, totalIsExact: false, page: page.page, size: page.size)
        }
        async let items = database.read { db in try await db.rows(query).map(WorkOrderRow.summary) }
        async let total = database.read { db in try await db.firstRow(countQuery)?.decode(column: "n", as: Int.self) ?? 0 }
        let counted = try await total
        return OrderPage(items: try await items, total: min(counted, Self.totalCountCap), totalIsExact: counted <= Self.totalCountCap,
                         page: page.page, size: page.size)
    }

    /// Appends the filter's conditions as a WHERE clause; says whether there were any. `openIndexTerm` repeats the open
    /// orders' index's own `status IN (…)` term, which SQLite needs to use that index (PostgreSQL proves it from the
    /// statuses by itself, and its row estimates suffer from the repeated term).
    @discardableResult
    static func appendWhere(_ f: OrderFilter, now: Date, to statement: inout Statement, openIndexTerm: Bool = false) -> Bool {
        var clauses: [(String, [any Encodable & Sendable])] = []
        let scoped = f.unit != nil
        let status = scoped ? "u.status" : "o.status"
        if let unit = f.unit { clauses.append(("u.unit_id = ?", [unit])) }
        if !f.statuses.isEmpty {
            clauses.append(("\(status) IN (\(placeholders(f.statuses.count)))", f.statuses.map(\.rawValue)))
        }
        // Always true when it is added; written as the open orders' index defines itself, so that SQLite may use it.
        if openIndexTerm { clauses.append(("o.status IN (\(WorkOrderRow.openStatusList))", [])) }
        if let codes = f.categorySubtree, !codes.isEmpty {
            clauses.append(("o.category_code IN (\(placeholders(codes.count)))", codes))
        } else if let code = f.categoryCode {
            clauses.append(("(o.category_code = ? OR o.category_code LIKE ? ESCAPE '\\')", [code, escapeLike(code) + ".%"]))
        }
        if let kind = f.kind { clauses.append(("o.kind = ?", [kind.rawValue])) }
        if let channel = f.channel { clauses.append(("o.channel = ?", [channel.rawValue])) }
        if let overdue = f.overdue {
            let nowSeconds = WorkOrderRow.seconds(now)
            let due = scoped ? "u.due_at" : "o.due_at"
            if overdue {
                // Only orders with a running clock carry a deadline; naming their statuses lets the (status, due_at) index serve.
                let open = WorkOrderStatus.timed.map(\.rawValue)
                clauses.append(scoped ? ("\(due) < ?", [nowSeconds])
                               : ("\(due) < ? AND \(status) IN (\(placeholders(open.count)))", [nowSeconds] + open))
            } else {
                clauses.append(("(\(due) IS NULL OR \(due) >= ?)", [nowSeconds]))
            }
        }
        if let before = f.dueBefore {
            let due = scoped ? "u.due_at" : "o.due_at"
            clauses.append(("\(due) >= ? AND \(due) <= ?", [WorkOrderRow.seconds(now), WorkOrderRow.seconds(before)]))
        }
        if let from = f.createdFrom { clauses.append(("o.created_at >= ?", [WorkOrderRow.seconds(from)])) }
        if let to = f.createdTo { clauses.append(("o.created_at < ?", [WorkOrderRow.seconds(to)])) }
        if let text = f.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let pattern = "%" + escapeLike(text) + "%"
            clauses.append(("(o.title LIKE ? ESCAPE '\\' OR o.content LIKE ? ESCAPE '\\')", [pattern, pattern]))
        }
        if let phone = f.callerPhone { clauses.append(("o.caller_phone = ?", [phone])) }
        if let lead = f.leadUnit { clauses.append(("o.lead_unit = ?", [lead])) }
        if let lane = f.lane {
            // Written out so that the partial index on lanes (`lanes <> ''`) serves.
            clauses.append(("o.lanes <> '' AND o.lanes IN (\(laneValues(lane)))", []))
        }
        // Marks are literals, not parameters, so that each mark's partial index (`WHERE sent_back = 1`) serves.
        for mark in marks(f) {
            clauses.append((scoped ? "u.\(mark.link) = 1" : mark.order, []))
        }
        // The coordination mark is kept on the order row only (a centre queue); a literal, so its partial index serves.
        if f.awaitsCoordination { clauses.append(("o.awaits_coordination = 1", [])) }
        // On the order row even for a unit's list: the flag is the centre's, so the links do not carry it.
        if f.supervisionFlagged { clauses.append(("o.supervision_flagged = 1", [])) }
        if let units = f.unitScope {
            if units.isEmpty {
                clauses.append(("1 = 0", []))
            } else {
                // The links carry status and deadline, so the subtree's matching orders come from the links' own
                // (unit, status) and (unit, deadline) indexes instead of every order the subtree ever touched.
                var sub = "SELECT order_number FROM work_order_units WHERE unit_id IN (\(placeholders(units.count)))"
                var binds: [any Encodable & Sendable] = units
                if !f.statuses.isEmpty {
                    sub += " AND status IN (\(placeholders(f.statuses.count)))"
                    binds += f.statuses.map(\.rawValue) as [any Encodable & Sendable]
                }
                if f.overdue == true {
                    sub += " AND due_at < ?"
                    binds.append(WorkOrderRow.seconds(now))
                }
                if let before = f.dueBefore {
                    sub += " AND due_at >= ? AND due_at <= ?"
                    binds += [WorkOrderRow.seconds(now), WorkOrderRow.seconds(before)] as [any Encodable & Sendable]
                }
                for mark in marks(f) { sub += " AND \(mark.link) = 1" }
                clauses.append(("o.number IN (" + sub + ")", binds))
            }
        }
        for (index, clause) in clauses.enumerated() {
            statement.append(index == 0 ? " WHERE " : " AND ")
            statement.append(clause.0, clause.1)
        }
        return !clauses.isEmpty
    }

    /// Whether the open orders' index (`work_orders_open`, migration 30) is the one to read `f`'s list from: only open
    /// statuses, and no condition that a narrower index answers better (a deadline, a caller, a lead unit, a mark, a
    /// unit scope or a centre flag).
    static func servedByOpenIndex(_ f: OrderFilter) -> Bool {
        !f.statuses.isEmpty && Set(f.statuses).isSubset(of: WorkOrderRow.openIndexStatuses) && f.unit == nil && f.unitScope == nil
            && f.overdue == nil && f.dueBefore == nil && f.callerPhone == nil && f.leadUnit == nil && marks(f).isEmpty
            && !f.awaitsCoordination && !f.supervisionFlagged
    }

    /// The marks `f` asks for: the condition on the order row and the column on a unit link.
    static func marks(_ f: OrderFilter) -> [(order: String, link: String)] {
        var marks: [(String, String)] = []
        if f.extensionPending { marks.append(("o.extension_pending = 1", "extension_pending")) }
        if f.sentBack { marks.append(("o.sent_back = 1", "sent_back")) }
        if f.redone { marks.append(("o.redo_count > 0", "redone")) }
        if f.urged { marks.append(("o.urged = 1", "urged")) }
        if f.carded { marks.append(("o.carded = 1", "carded")) }
        return marks
    }

    /// Every stored `lanes` value that holds `lane` (the lanes comma-joined in any order), as SQL string literals.
    static func laneValues(_ lane: Lane) -> String {
        let others = Lane.allCases.filter { $0 != lane }
        var values: [[Lane]] = [[lane]]
        // Each arrangement of the lane with any subset of the others (there are two lanes today).
        for mask in 1..<(1 << others.count) {
            let chosen = others.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
            values += permutations([lane] + chosen)
        }
        return Set(values.map { $0.map(\.rawValue).joined(separator: ",") }).sorted().map { "'\($0)'" }.joined(separator: ", ")
    }

    static func permutations(_ items: [Lane]) -> [[Lane]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { i -> [[Lane]] in
            var rest = items
            let first = rest.remove(at: i)
            return permutations(rest).map { [first] + $0 }
        }
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// How many orders each status holds, exactly (a seed's summary; lists count exactly only up to 10,000).
    public func countsByStatus() async throws -> [WorkOrderStatus: Int] {
        try await database.read { db in
            var counts: [WorkOrderStatus: Int] = [:]
            for row in try await db.rows(Statement("SELECT status, COUNT(*) AS n FROM work_orders GROUP BY status")) {
                if let status = WorkOrderStatus(rawValue: try row.decode(column: "status", as: String.self)) {
                    counts[status] = try row.decode(column: "n", as: Int.self)
                }
            }
            return counts
        }
    }

    public func overdueCountsByUnit(now: Date) async throws -> [UnitCount] {
        try await countsByLeadUnit(.overdueAtUnits, now: now)
    }

    public func countsByLeadUnit(_ filter: OrderFilter, now: Date) async throws -> [UnitCount] {
        // The list's own conditions (without a unit link), grouped: each count is that unit's list total.
        var f = filter
        f.unit = nil
        var statement = Statement("SELECT o.lead_unit, COUNT(*) AS n FROM work_orders o")
        let filtered = Self.appendWhere(f, now: now, to: &statement)
        statement.append(filtered ? " AND" : " WHERE")
        statement.append(" o.lead_unit IS NOT NULL GROUP BY o.lead_unit ORDER BY n DESC, o.lead_unit")
        let query = statement
        return try await database.read { db in
            try await db.rows(query)
                .map { UnitCount(unit: try $0.decode(column: "lead_unit", as: String.self), count: try $0.decode(column: "n", as: Int.self)) }
        }
    }

    /// The note of each order's latest event of `kind` (e.g. the reason of the last return), for a page of orders; when
    /// the event names a reason from a list (a return's `reason_name`), the note follows that name: "不属于本辖区：…".
    public func latestNotes(_ kind: EventKind, of numbers: [OrderNumber]) async throws -> [OrderNumber: String] {
        guard !numbers.isEmpty else { return [:] }
        return try await database.read { db in
            let rows = try await db.rows(Statement(
                "SELECT order_number, seq, note, details FROM work_order_events WHERE kind = ? AND order_number IN (\(Self.placeholders(numbers.count))) ORDER BY seq",
                [kind.rawValue] + numbers.map(\.rawValue)))
            var notes: [OrderNumber: String] = [:]
            for row in rows {
                if let note = try row.decode(column: "note", as: String?.self) {
                    let details = try row.decode(column: "details", as: String.self)
                    let named = (try? JSONDecoder().decode([String: String].self, from: Data(details.utf8)))?["reason_name"]
                    notes[OrderNumber(rawValue: try row.decode(column: "order_number", as: Int64.self))] = named.map { "\($0)：\(note)" } ?? note
                }
            }
            return notes
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

    /// Inserts new orders, their unit links and their chained events with a few multi-row statements; with `notify`,
    /// also the notices their events call for (intake). Imported history (`importOrders`) tells nobody.
    static func insertNew(_ outcomes: [Outcome], notify: Bool = false, in db: any SQLDatabase) async throws {
        for chunk in stride(from: 0, to: outcomes.count, by: 400).map({ Array(outcomes[$0..<min($0 + 400, outcomes.count)]) }) {
            var orderBinds: [any Encodable & Sendable] = []
            var events: [StoredEvent] = []
            var notices: [(Outcome, [StoredEvent])] = []
            for outcome in chunk {
                let chained = chain(outcome.events, order: outcome.order.number, after: 0, prevHash: StoredEvent.genesisHash)
                orderBinds += try WorkOrderRow.values(outcome.order, eventCount: chained.count, lastHash: chained.last?.hash ?? StoredEvent.genesisHash)
                events += chained
                if notify { notices.append((outcome, chained)) }
            }
            let row = "(" + placeholders(WorkOrderRow.columns.count) + ")"
            try await db.run(Statement(
                "INSERT INTO work_orders (\(WorkOrderRow.columns.joined(separator: ", "))) VALUES "
                    + Array(repeating: row, count: chunk.count).joined(separator: ", "), orderBinds))
            try await insertLinks(chunk.map(\.order), in: db)
            for start in stride(from: 0, to: events.count, by: 1000) {
                try await insertEvents(Array(events[start..<min(start + 1000, events.count)]), in: db)
            }
            for (outcome, chained) in notices { try await NoticeStore.insert(outcome.events, stored: chained, order: outcome.order, in: db) }
            try await MeasureLedger.record(chunk.map(\.order), fresh: true, in: db)
        }
    }

    /// Orders that reached closed (or archived) after `since`: what the models have not learned from yet.
    public func finishedCount(since: Date) async throws -> Int {
        try await database.read { db in
            try await db.firstRow(Statement(
                "SELECT COUNT(*) AS n FROM work_orders WHERE status IN ('closed', 'archived') AND updated_at > ?",
                [Int64(since.timeIntervalSince1970)]))?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
