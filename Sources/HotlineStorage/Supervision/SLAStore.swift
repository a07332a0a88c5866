import Foundation
import HotlineDomain
import SQLKit

/// The SLA sweeper's storage (时限监控): the orders due for a look, and one order's sweep in one transaction.
///
/// Exactly-once is decided here. On PostgreSQL each order is taken with `FOR UPDATE SKIP LOCKED`, so concurrent sweepers
/// split the work instead of queueing on it, and the unit's card decision holds a transaction-scoped advisory lock on
/// the unit; on SQLite `BEGIN IMMEDIATE` lets one writer in at a time. Inside, the order is looked at only while its
/// `sla_next_at` is still due, the marks already made are read from `sla_marks`, and each new mark is inserted there (its
/// primary key refusing a second copy) in the same transaction as the event that records it.
public struct SLAStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// Up to `limit` orders whose next look is due at `now`, the most overdue look first; one range of the partial index
    /// `work_orders_sla_next`, so a pass with nothing to do reads nothing.
    public func candidates(at now: Date, limit: Int) async throws -> [OrderNumber] {
        try await database.read { db in
            try await db.rows(Statement(
                "SELECT number FROM work_orders WHERE sla_next_at IS NOT NULL AND sla_next_at <= ? ORDER BY sla_next_at LIMIT ?",
                [now.epochSeconds, limit]))
                .map { OrderNumber(rawValue: try $0.decode(column: "number", as: Int64.self)) }
        }
    }

    /// What the sweeper decided for one order: the marks due, and when it next has something to do (nil: never).
    public struct Plan: Sendable {
        public var due: [SLASweep.Due]
        public var nextCheck: Date?

        public init(due: [SLASweep.Due], nextCheck: Date?) {
            self.due = due
            self.nextCheck = nextCheck
        }
    }

    /// One order's sweep, or nil when another sweeper holds it or has already done it.
    public struct Swept: Sendable {
        public var marks: [SLAMark]
        public var outcome: Outcome?
    }

    /// Sweeps `number` at `now` in one transaction: `plan` gets the order, when it entered its status and the marks
    /// already made; `record` turns the marks that are new (a red card added when the unit's yellow cards this month
    /// call for it, see ``SLASweep/redCardDue(yellowsThisMonth:rule:)``) into the events that record them.
    public func sweep(
        _ number: OrderNumber, at now: Date, rule: SLARule,
        plan: @escaping @Sendable (WorkOrder, Date?, Set<SLASweep.MarkKey>) -> Plan,
        record: @escaping @Sendable (WorkOrder, [SLASweep.Due], Int?) throws -> Outcome
    ) async throws -> Swept? {
        let postgres = database.kind == .postgres
        return try await database.transaction { db in
            let lock = postgres ? " FOR UPDATE SKIP LOCKED" : ""
            guard let row = try await db.firstRow(Statement(
                "SELECT doc, event_count, last_event_hash FROM work_orders WHERE number = ? AND sla_next_at IS NOT NULL AND sla_next_at <= ?" + lock,
                [number.rawValue, now.epochSeconds]))
            else { return nil }
            let current = SQLWorkOrderStore.Current(
                order: try WorkOrderRow.decode(try row.decode(column: "doc", as: String.self)),
                eventCount: try row.decode(column: "event_count", as: Int.self),
                lastHash: try row.decode(column: "last_event_hash", as: String.self))
            let order = current.order
            let done = Set(try await db.rows(Statement("SELECT stage, round, mark FROM sla_marks WHERE order_number = ?", [number.rawValue]))
                .compactMap { r -> SLASweep.MarkKey? in
                    guard let stage = TimeLimitStage(rawValue: try r.decode(column: "stage", as: String.self)),
                          let mark = SLAMark(rawValue: try r.decode(column: "mark", as: String.self)) else { return nil }
                    return SLASweep.MarkKey(stage: stage, round: try r.decode(column: "round", as: Int64.self), mark: mark)
                })
            let entered = try await db.firstRow(Statement(
                """
                SELECT at_ms FROM work_order_events WHERE order_number = ? AND to_status = ?
                AND (from_status IS NULL OR from_status <> to_status) ORDER BY seq DESC LIMIT 1
                """, [number.rawValue, order.status.rawValue]))
                .map { Date(timeIntervalSince1970: TimeInterval(try $0.decode(column: "at_ms", as: Int64.self)) / 1000) }
            let decided = plan(order, entered, done)
            var due: [SLASweep.Due] = []
            for mark in decided.due {
                if try await Self.claim(mark, order: number, at: now, in: db) { due.append(mark) }
            }
            var yellows: Int?
            if let yellow = due.first(where: { $0.mark == .yellowCard }), let unit = yellow.clock.unit {
                let counted = try await Self.yellowCards(of: unit, before: now, postgres: postgres, in: db) + 1
                yellows = counted
                if SLASweep.redCardDue(yellowsThisMonth: counted, rule: rule),
                   try await Self.claimRedCard(unit: unit, ordinal: counted / rule.yellowCardsForRed, order: number, at: now, in: db)
                {
                    let red = SLASweep.Due(clock: yellow.clock, mark: .redCard)
                    if try await Self.claim(red, order: number, at: now, in: db) { due.append(red) }
                }
            }
            var outcome: Outcome?
            if !due.isEmpty {
                let made = try record(order, due, yellows)
                try await SQLWorkOrderStore.write(made, previous: current, in: db)
                outcome = made
            }
            try await db.run(Statement(
                "UPDATE work_orders SET sla_next_at = ? WHERE number = ?",
                [bindable(decided.nextCheck.map { $0.epochSeconds }), number.rawValue]))
            return Swept(marks: due.map(\.mark), outcome: outcome)
        }
    }

    /// Inserts the mark's row; false when it is already there (made by an earlier or a concurrent pass).
    static func claim(_ due: SLASweep.Due, order: OrderNumber, at now: Date, in db: any SQLDatabase) async throws -> Bool {
        try await db.firstRow(Statement(
            """
            INSERT INTO sla_marks (order_number, stage, round, mark, unit_id, at_ms) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING order_number
            """,
            [order.rawValue, due.clock.stage.rawValue, due.clock.round, due.mark.rawValue, bindable(due.clock.unit), now.epochMilliseconds])) != nil
    }

    /// The unit's yellow cards (every one, by hand or by the sweeper) in the calendar month (China time) of `now`. On
    /// PostgreSQL the count is taken under the unit's advisory lock, so two sweepers carding the same unit count in turn.
    static func yellowCards(of unit: UnitID, before now: Date, postgres: Bool, in db: any SQLDatabase) async throws -> Int {
        if postgres { try await db.run(Statement("SELECT pg_advisory_xact_lock(hashtext(?))", ["sla_cards:" + unit])) }
        let row = try await db.firstRow(Statement(
            "SELECT COUNT(*) AS n FROM supervision_marks WHERE kind = 'yellow_card' AND unit_id = ? AND at_ms >= ? AND at_ms <= ?",
            [unit, monthStart(of: now).epochMilliseconds, now.epochMilliseconds]))
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Claims the unit's `ordinal`-th red card of the month; false when it was already issued.
    static func claimRedCard(unit: UnitID, ordinal: Int, order: OrderNumber, at now: Date, in db: any SQLDatabase) async throws -> Bool {
        let c = CivilDay(containing: now).components
        return try await db.firstRow(Statement(
            """
            INSERT INTO sla_red_cards (unit_id, month, ordinal, order_number, at_ms) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING ordinal
            """, [unit, c.year * 100 + c.month, ordinal, order.rawValue, now.epochMilliseconds])) != nil
    }

    static func monthStart(of date: Date) -> Date {
        let c = CivilDay(containing: date).components
        return CivilDay(year: c.year, month: c.month, day: 1)!.start
    }
}
