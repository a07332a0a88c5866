import Foundation
import HotlineDomain
import SQLKit

/// The SQL implementation of ``WorkOrderStore`` for SQLite and PostgreSQL.
public struct SQLWorkOrderStore: WorkOrderStore {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    public func insert(
        day: CivilDay, repeatOf: OrderNumber?, _ make: @escaping @Sendable (OrderNumber, WorkOrder?) throws -> Outcome
    ) async throws -> Outcome {
        try await insertBatch([NewOrderRequest(day: day, repeatOf: repeatOf, make: make)])[0].get()
    }

    public func insertBatch(_ requests: [NewOrderRequest]) async throws -> [Result<Outcome, any Error>] {
        guard !requests.isEmpty else { return [] }
        do {
            return try await numberAndStore(requests)
        } catch let nothing as NothingStored {
            return nothing.results
        }
    }

    /// Thrown to roll back a batch in which every request failed, so that not even a counter row changes.
    private struct NothingStored: Error {
        var results: [Result<Outcome, any Error>]
    }

    private func numberAndStore(_ requests: [NewOrderRequest]) async throws -> [Result<Outcome, any Error>] {
        try await database.transaction { db in
            // Lock each day's counter (creating it if needed), then number only the orders that succeed.
            var next: [CivilDay: Int] = [:]
            for day in Set(requests.map(\.day)) {
                guard let row = try await db.firstRow(Statement(
                    """
                    INSERT INTO order_sequences (day, last_value) VALUES (?, 0)
                    ON CONFLICT (day) DO UPDATE SET last_value = order_sequences.last_value RETURNING last_value
                    """, [Self.dayKey(day)])) else { throw DatabaseError.corrupt("order_sequences") }
                next[day] = try row.decode(column: "last_value", as: Int.self) + 1
            }
            // Channel messages are claimed before any number is taken, so a retried delivery leaves no gap.
            let keys = requests.compactMap(\.message)
            var (won, received) = keys.isEmpty ? ([], [:]) : try await ChannelMessageLedger.claim(keys, in: db)
            var made: [ChannelMessageKey.ID: OrderNumber] = [:]
            var results: [Result<Outcome, any Error>] = []
            var stored: [Outcome] = []
            var files: [(OrderNumber, WorkOrderEvent?, [AttachmentUpload])] = []
            for request in requests {
                if let id = request.message?.id {
                    // Received before this batch, or earlier in it: the first delivery's order answers.
                    if let number = received[id] ?? made[id] {
                        results.append(.failure(DuplicateMessage(order: number)))
                        continue
                    }
                    guard won.contains(id) else { throw DatabaseError.corrupt("channel_messages") }
                }
                let sequence = next[request.day]!
                guard Int64(sequence) < OrderNumber.perDayCapacity else {
                    results.append(.failure(StoreError.sequenceExhausted(request.day)))
                    continue
                }
                var earlier: WorkOrder?
                if let repeatOf = request.repeatOf { earlier = try await Self.load(repeatOf, in: db, lock: false)?.order }
                do {
                    let outcome = try request.make(OrderNumber(day: request.day, sequence: sequence), earlier)
                    results.append(.success(outcome))
                    stored.append(outcome)
                    if !request.attachments.isEmpty { files.append((outcome.order.number, outcome.events.first, request.attachments)) }
                    next[request.day] = sequence + 1
                    if let id = request.message?.id {
                        made[id] = outcome.order.number
                        won.remove(id)
                    }
                } catch {
                    results.append(.failure(error))
                }
            }
            guard !stored.isEmpty else { throw NothingStored(results: results) }
            // Each message names its order before the order's notices are written (they find the sender through it);
            // a claim whose order was refused is given back.
            if !keys.isEmpty { try await ChannelMessageLedger.settle(made: made, unused: Array(won), in: db) }
            try await Self.insertNew(stored, notify: true, in: db)
            for (number, event, uploads) in files { try await AttachmentStore.insert(uploads, order: number, by: event, in: db) }
            for (day, value) in next {
                try await db.run(Statement("UPDATE order_sequences SET last_value = ? WHERE day = ?", [value - 1, Self.dayKey(day)]))
            }
            return results
        }
    }

    static func dayKey(_ day: CivilDay) -> Int {
        let c = day.components
        return c.year * 10_000 + c.month * 100 + c.day
    }

    public func update(_ number: OrderNumber, _ change: @escaping @Sendable (WorkOrder) throws -> Outcome) async throws -> Outcome {
        try await update(number, attaching: [], change)
    }

    public func update(
        _ number: OrderNumber, attaching files: [AttachmentUpload], _ change: @escaping @Sendable (WorkOrder) throws -> Outcome
    ) async throws -> Outcome {
        let kind = database.kind
        return try await database.transaction { db in
            guard let current = try await Self.load(number, in: db, lock: kind == .postgres) else { throw StoreError.notFound(number) }
            let outcome = try change(current.order)
            try await Self.write(outcome, previous: current, in: db)
            try await AttachmentStore.insert(files, order: number, by: outcome.events.first, in: db)
            return outcome
        }
    }

    public func update(
        _ first: OrderNumber, _ second: OrderNumber,
        _ change: @escaping @Sendable (WorkOrder, WorkOrder) throws -> (Outcome, Outcome)
    ) async throws -> (Outcome, Outcome) {
        let kind = database.kind
        return try await database.transaction { db in
            // Lock in number order so two merges of the same pair cannot deadlock.
            let (low, high) = first < second ? (first, second) : (second, first)
            let lowRow = try await Self.load(low, in: db, lock: kind == .postgres)
            let highRow = low == high ? lowRow : try await Self.load(high, in: db, lock: kind == .postgres)
            guard let a = first == low ? lowRow : highRow else { throw StoreError.notFound(first) }
            guard let b = second == low ? lowRow : highRow else { throw StoreError.notFound(second) }
            let (one, two) = try change(a.order, b.order)
            try await Self.write(one, previous: a, in: db, measures: false)
            try await Self.write(two, previous: b, in: db, measures: false)
            // Both orders' measure facts in one call, so the rollup rows are locked in one order (no deadlock between two
            // such transactions on PostgreSQL).
            try await MeasureLedger.record([one.order, two.order], in: db)
            return (one, two)
        }
    }

    public func update(
        _ number: OrderNumber, following: @escaping @Sendable (WorkOrder) -> [OrderNumber],
        _ change: @escaping @Sendable (WorkOrder, [WorkOrder]) throws -> (Outcome, [Outcome])
    ) async throws -> (Outcome, [Outcome]) {
        let lock = database.kind == .postgres
        return try await database.transaction { db in
            guard let main = try await Self.load(number, in: db, lock: lock) else { throw StoreError.notFound(number) }
            var others: [Current] = []
            for other in Set(following(main.order)).subtracting([number]).sorted() {
                if let row = try await Self.load(other, in: db, lock: lock) { others.append(row) }
            }
            let (outcome, followers) = try change(main.order, others.map(\.order))
            try await Self.write(outcome, previous: main, in: db, measures: false)
            var written = [outcome.order]
            for follower in followers where !follower.events.isEmpty {
                guard let previous = others.first(where: { $0.order.number == follower.order.number }) else { continue }
                try await Self.write(follower, previous: previous, in: db, measures: false)
                written.append(follower.order)
            }
            try await MeasureLedger.record(written, in: db)
            return (outcome, followers)
        }
    }

    public func record(_ number: OrderNumber) async throws -> StoredOrder? {
        try await database.read { db in
            guard let current = try await Self.load(number, in: db, lock: false) else { return nil }
            let events = try await db.rows(Statement("SELECT * FROM work_order_events WHERE order_number = ? ORDER BY seq", [number.rawValue]))
                .map(StoredEvent.init(row:))
            return StoredOrder(order: current.order, events: events, eventCount: current.eventCount, lastHash: current.lastHash)
        }
    }

    public func order(_ number: OrderNumber) async throws -> WorkOrder? {
        try await database.read { db in try await Self.load(number, in: db, lock: false)?.order }
    }

    public func events(of number: OrderNumber) async throws -> [StoredEvent] {
        try await database.read { db in
            try await db.rows(Statement("SELECT * FROM work_order_events WHERE order_number = ? ORDER BY seq", [number.rawValue]))
                .map(StoredEvent.init(row:))
        }
    }

    /// The stored order with the head of its event chain.
    struct Current: Sendable {
        var order: WorkOrder
        var eventCount: Int
        var lastHash: String
    }

    static func load(_ number: OrderNumber, in db: any SQLDatabase, lock: Bool) async throws -> Current? {
        let sql = "SELECT doc, event_count, last_event_hash FROM work_orders WHERE number = ?" + (lock ? " FOR UPDATE" : "")
        guard let row = try await db.firstRow(Statement(sql, [number.rawValue])) else { return nil }
        return Current(
            order: try WorkOrderRow.decode(try row.decode(column: "doc", as: String.self)),
            eventCount: try row.decode(column: "event_count", as: Int.self),
            lastHash: try row.decode(column: "last_event_hash", as: String.self))
    }

    /// Writes the changed order row, its unit links when they changed, and its new events chained onto the last one;
    /// with `measures`, its measure facts too (a transaction writing several orders records them in one call instead).
    static func write(_ outcome: Outcome, previous: Current, in db: any SQLDatabase, measures: Bool = true) async throws {
        let events = chain(outcome.events, order: outcome.order.number, after: previous.eventCount, prevHash: previous.lastHash)
        try await writeRow(outcome, previous: previous, events: events, in: db)
        try await insertEvents(events, in: db)
        try await NoticeStore.insert(outcome.events, stored: events, order: outcome.order, in: db)
        if measures { try await MeasureLedger.record([outcome.order], in: db) }
    }

    /// Writes several orders' changes in one transaction as ``write(_:previous:in:)`` does one, with every order's new
    /// events (each chained onto its own log) inserted by a few multi-row statements.
    ///
    /// The rows are rewritten by multi-row upserts (`INSERT … ON CONFLICT (number) DO UPDATE`, the same on SQLite and
    /// PostgreSQL) that set only the columns whose value changed (and the document), grouped by that set, so indexes on
    /// unchanged columns are not touched; `nextLook`, when given, is each order's `sla_next_at` in epoch seconds (nil:
    /// never), written in the same statement (the sweeper's next look at the order).
    /// Unit links that changed are deleted and inserted again for the whole batch, and the notices and webhook outbox
    /// rows go in with a few statements.
    static func write(
        _ changes: [(Outcome, Current)], nextLook: [Int64: Int64?]? = nil, in db: any SQLDatabase, profile: PhaseProfile? = nil
    ) async throws {
        let columns = WorkOrderRow.columns
        let slaColumn = columns.firstIndex(of: "sla_next_at")!
        struct Prepared: Sendable {
            var events: [WorkOrderEvent]
            var stored: [StoredEvent]
            var order: WorkOrder
            var row: [any Encodable & Sendable]
            var changed: [Int]
            var relink: Bool
        }
        // Hashing the events and encoding the documents run on every core.
        let prepared = try await profile.measure("hash and encode") { try await changes.map { ($0.0, $0.1) }.concurrentMap { outcome, previous -> Prepared in
            let order = outcome.order
            let events = chain(outcome.events, order: order.number, after: previous.eventCount, prevHash: previous.lastHash)
            var new = try WorkOrderRow.values(order, eventCount: previous.eventCount + events.count, lastHash: events.last?.hash ?? previous.lastHash)
            let old = try WorkOrderRow.values(previous.order, eventCount: previous.eventCount, lastHash: previous.lastHash, document: false)
            if let look = nextLook?[order.number.rawValue] { new[slaColumn] = bindable(look) }
            let changed = columns.indices.dropFirst().filter { i in
                columns[i] == "doc" || (i == slaColumn && nextLook != nil) || String(describing: new[i]) != String(describing: old[i])
            }
            let relink = WorkOrderRow.linksChanged(order, from: previous.order) || WorkOrderRow.linkValuesChanged(order, from: previous.order)
            return Prepared(events: outcome.events, stored: events, order: order, row: new, changed: changed, relink: relink)
        } }
        var groups: [[Int]: [[any Encodable & Sendable]]] = [:]
        for p in prepared { groups[p.changed, default: []].append(p.row) }
        let relinked = prepared.filter(\.relink).map(\.order)
        let all = prepared.map { (events: $0.events, stored: $0.stored, order: $0.order) }
        let perStatement = max(1, 20_000 / columns.count)
        try await profile.measure("upsert rows") { for (changed, rows) in groups.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let assignments = changed.map { "\(columns[$0]) = excluded.\(columns[$0])" }.joined(separator: ", ")
            let row = "(" + placeholders(columns.count) + ")"
            for start in stride(from: 0, to: rows.count, by: perStatement) {
                let chunk = rows[start..<min(start + perStatement, rows.count)]
                try await db.run(Statement(
                    "INSERT INTO work_orders (\(columns.joined(separator: ", "))) VALUES "
                        + Array(repeating: row, count: chunk.count).joined(separator: ", ")
                        + " ON CONFLICT (number) DO UPDATE SET " + assignments,
                    chunk.flatMap { $0 }))
            }
        } }
        try await profile.measure("write unit links") { for start in stride(from: 0, to: relinked.count, by: 500) {
            let chunk = Array(relinked[start..<min(start + 500, relinked.count)])
            let numbers: [any Encodable & Sendable] = chunk.map(\.number.rawValue)
            try await db.run(Statement("DELETE FROM work_order_units WHERE order_number IN (" + placeholders(numbers.count) + ")", numbers))
            try await insertLinks(chunk, in: db)
        } }
        let events = all.flatMap(\.stored)
        try await profile.measure("insert events") { for start in stride(from: 0, to: events.count, by: 1_000) {
            try await insertEvents(Array(events[start..<min(start + 1_000, events.count)]), in: db)
        } }
        try await profile.measure("insert notices and outbox") { try await NoticeStore.insert(batch: all, in: db) }
        try await profile.measure("record measure facts") { try await MeasureLedger.record(prepared.map(\.order), in: db) }
    }

    /// The order row and its unit links after `events`.
    static func writeRow(_ outcome: Outcome, previous: Current, events: [StoredEvent], in db: any SQLDatabase) async throws {
        let order = outcome.order
        let values = try WorkOrderRow.values(order, eventCount: previous.eventCount + events.count, lastHash: events.last?.hash ?? previous.lastHash)
        let assignments = WorkOrderRow.columns.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")
        try await db.run(Statement("UPDATE work_orders SET \(assignments) WHERE number = ?", Array(values.dropFirst()) + [order.number.rawValue]))
        if WorkOrderRow.linksChanged(order, from: previous.order) {
            try await db.run(Statement("DELETE FROM work_order_units WHERE order_number = ?", [order.number.rawValue]))
            try await insertLinks([order], in: db)
        } else if !WorkOrderRow.unitLinks(order).isEmpty && WorkOrderRow.linkValuesChanged(order, from: previous.order) {
            let marks = WorkOrderRow.Marks.linkColumns.map { ", \($0) = ?" }.joined()
            try await db.run(Statement(
                "UPDATE work_order_units SET status = ?, due_at = ?\(marks) WHERE order_number = ?",
                [order.status.rawValue, bindable(order.unitDeadline.map(WorkOrderRow.seconds))] + WorkOrderRow.Marks(order).linkValues
                    + [order.number.rawValue]))
        }
    }

    /// Links each order to its units, with the order's status, the units' deadline (none while the centre holds the
    /// order for review or callback: those are not the units' to miss) and the order's marks beside each link.
    static func insertLinks(_ orders: [WorkOrder], in db: any SQLDatabase) async throws {
        var binds: [any Encodable & Sendable] = []
        let columns = ["order_number", "unit_id", "role", "status", "due_at"] + WorkOrderRow.Marks.linkColumns
        for order in orders {
            let due = bindable(order.unitDeadline.map(WorkOrderRow.seconds))
            let marks = WorkOrderRow.Marks(order).linkValues
            for link in WorkOrderRow.unitLinks(order) {
                binds += [order.number.rawValue, link.0, link.1, order.status.rawValue, due] as [any Encodable & Sendable]
                binds += marks
            }
        }
        guard !binds.isEmpty else { return }
        let row = "(" + placeholders(columns.count) + ")"
        try await db.run(Statement(
            "INSERT INTO work_order_units (\(columns.joined(separator: ", "))) VALUES "
                + Array(repeating: row, count: binds.count / columns.count).joined(separator: ", "),
            binds))
    }

    static func chain(_ events: [WorkOrderEvent], order: OrderNumber, after count: Int, prevHash: String) -> [StoredEvent] {
        var previous = prevHash
        return events.enumerated().map { index, event in
            let stored = StoredEvent(event: event, order: order, seq: count + index + 1, prevHash: previous)
            previous = stored.hash
            return stored
        }
    }

    static let eventColumns = [
        "order_number", "seq", "kind", "actor_id", "actor_role", "actor_unit", "at_ms", "from_status", "to_status", "note",
        "details", "prev_hash", "hash",
    ]

    static func insertEvents(_ events: [StoredEvent], in db: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        let row = "(" + placeholders(eventColumns.count) + ")"
        var binds: [any Encodable & Sendable] = []
        binds.reserveCapacity(events.count * eventColumns.count)
        for e in events {
            binds += [e.orderNumber, e.seq, e.kind, e.actorID, e.actorRole, bindable(e.actorUnit), e.atMillis, bindable(e.fromStatus),
                      e.toStatus, bindable(e.note), e.details, e.prevHash, e.hash] as [any Encodable & Sendable]
        }
        try await db.run(Statement(
            "INSERT INTO work_order_events (\(eventColumns.joined(separator: ", "))) VALUES "
                + Array(repeating: row, count: events.count).joined(separator: ", "), binds))
        try await insertSupervisionMarks(events, in: db)
        // Open pages and the other instances' indexes hear of these orders when the transaction commits.
        var seen = Set<Int64>()
        ChangeFeed.announce(events.compactMap { seen.insert($0.orderNumber).inserted ? Change.order($0.orderNumber) : nil })
    }

    /// The event kinds the supervision board lists (督办).
    static let supervisionKinds = Set([EventKind.urged, .yellowCard, .redCard, .escalated].map(\.rawValue))

    static func insertSupervisionMarks(_ events: [StoredEvent], in db: any SQLDatabase) async throws {
        let marks = events.filter { supervisionKinds.contains($0.kind) }
        guard !marks.isEmpty else { return }
        var binds: [any Encodable & Sendable] = []
        for e in marks {
            binds += [e.orderNumber, e.kind, bindable(e.detailValues["unit"]), e.actorID, e.atMillis, bindable(e.note)] as [any Encodable & Sendable]
        }
        try await db.run(Statement(
            "INSERT INTO supervision_marks (order_number, kind, unit_id, actor_id, at_ms, note) VALUES "
                + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: marks.count).joined(separator: ", "), binds))
    }

    static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }
}

