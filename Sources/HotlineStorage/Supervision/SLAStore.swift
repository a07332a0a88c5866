import Foundation
import HotlineDomain
import SQLKit

/// The SLA sweeper's storage (时限监控): a batch of due orders swept in one transaction.
///
/// Exactly-once is decided here. On PostgreSQL a batch's orders are taken with `FOR UPDATE SKIP LOCKED`, so concurrent
/// sweepers split the work instead of queueing on it, and the units' card decisions hold transaction-scoped advisory
/// locks on the units; on SQLite `BEGIN IMMEDIATE` lets one writer in at a time. Inside, an order is looked at only while
/// its `sla_next_at` is still due, the marks already made are read from `sla_marks`, and each new mark is inserted there
/// (its primary key refusing a second copy) in the same transaction as the event that records it.
public struct SLAStore: Sendable {
    let database: HotlineDatabase
    /// Where a benchmark collects the time each step of a batch takes (nil: not timed).
    let profile: PhaseProfile?

    public init(database: HotlineDatabase, profile: PhaseProfile? = nil) {
        self.database = database
        self.profile = profile
    }

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

    /// How many orders have a clock running (the sweeper will look at them again); one count of the partial index.
    public func clockedCount() async throws -> Int {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT COUNT(*) AS n FROM work_orders WHERE sla_next_at IS NOT NULL", []))?.decode(column: "n", as: Int.self) ?? 0
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

    /// One order's sweep: the marks it made, and the outcome that recorded them (nil when no mark was new).
    public struct Swept: Sendable {
        public var number: OrderNumber
        public var marks: [SLAMark]
        public var outcome: Outcome?
    }

    /// Sweeps up to `limit` due orders, the most overdue look first, in one transaction, and returns what each got (an
    /// empty list: nothing is due, or every due order is held by another sweeper).
    ///
    /// The batch's orders are taken by the candidate query itself (on PostgreSQL `FOR UPDATE SKIP LOCKED`, so concurrent
    /// sweepers take disjoint batches), and what the plan needs is read for the whole batch at once: the orders, the marks
    /// already made, and when each entered its status. `plan` gets one order with those; the marks it calls for are
    /// claimed in `sla_marks` (its primary key refusing a second copy); the carded units' yellow cards of the month are
    /// counted in one statement under the units' advisory locks (taken in unit order, so two sweepers cannot deadlock)
    /// and carried on in memory, so the red-card rule sees every card of the batch; the red cards due are claimed for the
    /// whole batch in `sla_red_cards` (a unit's n-th red card of a month exists once); `record` turns each order's new
    /// marks into the events that record them (on every core), each chained onto its order's log and inserted with the
    /// batch's others in a few multi-row statements. A marked order's next look is written with its row, the others'
    /// in a statement or two.
    public func sweepBatch(
        at now: Date, limit: Int, rule: SLARule,
        plan: @escaping @Sendable (WorkOrder, Date?, Set<SLASweep.MarkKey>) -> Plan,
        record: @escaping @Sendable (WorkOrder, [SLASweep.Due], Int?) throws -> Outcome
    ) async throws -> [Swept] {
        let postgres = database.kind == .postgres
        // Nothing due (the steady state): one index probe on a reader, no write transaction.
        guard !(try await candidates(at: now, limit: 1)).isEmpty else { return [] }
        let profile = self.profile
        let clock = ContinuousClock()
        let started = clock.now
        defer { profile?.add("batch total (with commit)", clock.now - started) }
        return try await database.transaction { db in
            let clock = ContinuousClock()
            let inside = clock.now
            defer { profile?.add("inside the transaction", clock.now - inside) }
            let lock = postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let rows = try await profile.measure("read orders") { try await db.rows(Statement(
                """
                SELECT number, doc, event_count, last_event_hash FROM work_orders
                WHERE sla_next_at IS NOT NULL AND sla_next_at <= ? ORDER BY sla_next_at LIMIT ?
                """ + lock,
                [now.epochSeconds, limit])) }
            guard !rows.isEmpty else { return [] }
            // The documents are decoded on every core.
            let stored = try rows.map { row in
                (try row.decode(column: "doc", as: String.self), try row.decode(column: "event_count", as: Int.self),
                 try row.decode(column: "last_event_hash", as: String.self))
            }
            let batch = try await profile.measure("decode documents") {
                try await stored.concurrentMap { doc, count, hash in
                    SQLWorkOrderStore.Current(order: try WorkOrderRow.decode(doc), eventCount: count, lastHash: hash)
                }
            }
            let numbers: [any Encodable & Sendable] = batch.map { $0.order.number.rawValue }
            let inList = "(" + SQLWorkOrderStore.placeholders(numbers.count) + ")"

            var done: [Int64: Set<SLASweep.MarkKey>] = [:]
            for r in try await profile.measure("read marks and entries", { try await db.rows(Statement("SELECT order_number, stage, round, mark FROM sla_marks WHERE order_number IN " + inList, numbers)) }) {
                guard let stage = TimeLimitStage(rawValue: try r.decode(column: "stage", as: String.self)),
                      let mark = SLAMark(rawValue: try r.decode(column: "mark", as: String.self)) else { continue }
                done[try r.decode(column: "order_number", as: Int64.self), default: []]
                    .insert(SLASweep.MarkKey(stage: stage, round: try r.decode(column: "round", as: Int64.self), mark: mark))
            }
            // When each order entered its status: its latest event that changed to that status.
            var entries: [Int64: [(seq: Int, status: String, at: Int64)]] = [:]
            for r in try await profile.measure("read marks and entries", { try await db.rows(Statement(
                """
                SELECT order_number, seq, to_status, at_ms FROM work_order_events
                WHERE order_number IN \(inList) AND (from_status IS NULL OR from_status <> to_status)
                """, numbers)) })
            {
                entries[try r.decode(column: "order_number", as: Int64.self), default: []].append(
                    (try r.decode(column: "seq", as: Int.self), try r.decode(column: "to_status", as: String.self), try r.decode(column: "at_ms", as: Int64.self)))
            }

            // Plan every order, then claim the batch's marks.
            let (entryTimes, doneMarks) = (entries, done)
            let plans = try await profile.measure("plan") { try await batch.concurrentMap { current in
                let order = current.order
                let entered = entryTimes[order.number.rawValue]?.filter { $0.status == order.status.rawValue }.max { $0.seq < $1.seq }
                    .map { Date(timeIntervalSince1970: TimeInterval($0.at) / 1000) }
                return plan(order, entered, doneMarks[order.number.rawValue] ?? [])
            } }
            var wanted: [SLASweep.Due] = []
            var wantedOrder: [Int64] = []
            for (current, decided) in zip(batch, plans) {
                let order = current.order
                for mark in decided.due {
                    wanted.append(mark)
                    wantedOrder.append(order.number.rawValue)
                }
            }
            let claimed = try await profile.measure("claim marks") {
                try await Self.claim(zip(wantedOrder, wanted).map { ($0, $1) }, at: now, in: db)
            }

            // Yellow cards of the month per unit, counted once per unit under its lock.
            var yellowCount: [UnitID: Int] = [:]
            let carded = Set(zip(wantedOrder, wanted).compactMap { number, due -> UnitID? in
                due.mark == .yellowCard && claimed.contains(Key(number, due)) ? due.clock.unit : nil
            })
            try await profile.measure("count yellow cards") {
                yellowCount = try await Self.yellowCards(of: Array(carded), before: now, postgres: postgres, in: db)
            }
            // Each order's claimed marks, and the yellow card's place among its unit's cards of the month; a card that
            // is the unit's red-card ordinal asks for a red card, claimed for the whole batch at once (the unit's
            // ordinal-th red card of the month first, then the order's mark).
            var dues: [[SLASweep.Due]] = []
            var yellows: [Int?] = []
            var reds: [(index: Int, unit: UnitID, ordinal: Int, red: SLASweep.Due)] = []
            for (index, (current, decided)) in zip(batch, plans).enumerated() {
                let number = current.order.number
                dues.append(decided.due.filter { claimed.contains(Key(number.rawValue, $0)) })
                yellows.append(nil)
                if let yellow = dues[index].first(where: { $0.mark == .yellowCard }), let unit = yellow.clock.unit {
                    let counted = (yellowCount[unit] ?? 0) + 1
                    yellowCount[unit] = counted
                    yellows[index] = counted
                    if SLASweep.redCardDue(yellowsThisMonth: counted, rule: rule) {
                        reds.append((index, unit, counted / rule.yellowCardsForRed, SLASweep.Due(clock: yellow.clock, mark: .redCard)))
                    }
                }
            }
            if !reds.isEmpty {
                try await profile.measure("claim red cards") {
                    let issued = try await Self.claimRedCards(
                        reds.map { ($0.unit, $0.ordinal, batch[$0.index].order.number) }, at: now, in: db)
                    let granted = reds.filter { issued.contains(RedCard(unit: $0.unit, ordinal: $0.ordinal)) }
                    let marked = try await Self.claim(granted.map { (batch[$0.index].order.number.rawValue, $0.red) }, at: now, in: db)
                    for red in granted where marked.contains(Key(batch[red.index].order.number.rawValue, red.red)) {
                        dues[red.index].append(red.red)
                    }
                }
            }
            // Each order's new marks become its events (on every core).
            let (claimedDues, places) = (dues, yellows)
            let outcomes = try await profile.measure("record events") {
                try await Array(batch.indices).concurrentMap { index -> Outcome? in
                    claimedDues[index].isEmpty ? nil : try record(batch[index].order, claimedDues[index], places[index])
                }
            }
            var swept: [Swept] = []
            var changes: [(Outcome, SQLWorkOrderStore.Current)] = []
            var nextChecks: [(Int64, Date?)] = []
            for (index, (current, decided)) in zip(batch, plans).enumerated() {
                let number = current.order.number
                if let made = outcomes[index] { changes.append((made, current)) }
                nextChecks.append((number.rawValue, decided.nextCheck))
                swept.append(Swept(number: number, marks: dues[index].map(\.mark), outcome: outcomes[index]))
            }
            // The marked orders' next looks go in with their rows; the others' in a statement or two.
            let looks = Dictionary(nextChecks.map { ($0.0, $0.1.map(\.epochSeconds)) }, uniquingKeysWith: { a, _ in a })
            try await SQLWorkOrderStore.write(changes, nextLook: looks, in: db, profile: profile)
            let written = Set(changes.map { $0.0.order.number.rawValue })
            try await profile.measure("write next looks") {
                try await Self.setNextChecks(nextChecks.filter { !written.contains($0.0) }, in: db)
            }
            return swept
        }
    }

    /// A claimed mark: the order and the mark's identity.
    struct Key: Hashable {
        var order: Int64
        var stage: TimeLimitStage
        var round: Int64
        var mark: SLAMark

        init(_ order: Int64, _ due: SLASweep.Due) {
            self.init(order: order, stage: due.clock.stage, round: due.clock.round, mark: due.mark)
        }

        init(order: Int64, stage: TimeLimitStage, round: Int64, mark: SLAMark) {
            self.order = order
            self.stage = stage
            self.round = round
            self.mark = mark
        }
    }

    /// Inserts the marks' rows, a few hundred per statement; returns those that were not there yet (the others were made
    /// by an earlier or a concurrent pass).
    static func claim(_ marks: [(Int64, SLASweep.Due)], at now: Date, in db: any SQLDatabase) async throws -> Set<Key> {
        var claimed: Set<Key> = []
        for start in stride(from: 0, to: marks.count, by: 500) {
            let chunk = marks[start..<min(start + 500, marks.count)]
            var binds: [any Encodable & Sendable] = []
            for (order, due) in chunk {
                binds += [order, due.clock.stage.rawValue, due.clock.round, due.mark.rawValue, bindable(due.clock.unit), now.epochMilliseconds]
                    as [any Encodable & Sendable]
            }
            let rows = try await db.rows(Statement(
                "INSERT INTO sla_marks (order_number, stage, round, mark, unit_id, at_ms) VALUES "
                    + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
                    + " ON CONFLICT DO NOTHING RETURNING order_number, stage, round, mark",
                binds))
            for r in rows {
                guard let stage = TimeLimitStage(rawValue: try r.decode(column: "stage", as: String.self)),
                      let mark = SLAMark(rawValue: try r.decode(column: "mark", as: String.self)) else { continue }
                claimed.insert(Key(
                    order: try r.decode(column: "order_number", as: Int64.self), stage: stage,
                    round: try r.decode(column: "round", as: Int64.self), mark: mark))
            }
        }
        return claimed
    }

    /// Writes each order's next look (NULL: never): one statement for the nevers, one per thousand of the others.
    static func setNextChecks(_ checks: [(Int64, Date?)], in db: any SQLDatabase) async throws {
        let never: [any Encodable & Sendable] = checks.filter { $0.1 == nil }.map(\.0)
        if !never.isEmpty {
            try await db.run(Statement(
                "UPDATE work_orders SET sla_next_at = NULL WHERE number IN (" + SQLWorkOrderStore.placeholders(never.count) + ")", never))
        }
        let timed = checks.compactMap { c in c.1.map { (c.0, $0.epochSeconds) } }
        for start in stride(from: 0, to: timed.count, by: 1_000) {
            let chunk = timed[start..<min(start + 1_000, timed.count)]
            var binds: [any Encodable & Sendable] = []
            for (number, at) in chunk { binds += [number, at] as [any Encodable & Sendable] }
            try await db.run(Statement(
                "WITH v (number, at) AS (VALUES " + Array(repeating: "(?, ?)", count: chunk.count).joined(separator: ", ")
                    + ") UPDATE work_orders SET sla_next_at = v.at FROM v WHERE work_orders.number = v.number",
                binds))
        }
    }

    /// Each unit's yellow cards (every one, by hand or by the sweeper) in the calendar month (China time) of `now`, in
    /// one statement. On PostgreSQL the counts are taken under the units' advisory locks, taken in unit order (so two
    /// sweepers carding the same units wait in turn and cannot deadlock) and held to the end of the transaction.
    static func yellowCards(of units: [UnitID], before now: Date, postgres: Bool, in db: any SQLDatabase) async throws -> [UnitID: Int] {
        guard !units.isEmpty else { return [:] }
        let sorted = units.sorted()
        let binds: [any Encodable & Sendable] = sorted
        if postgres {
            // The subquery (an optimisation fence with OFFSET 0) hands the keys to the locking call in sorted order.
            try await db.run(Statement(
                "SELECT pg_advisory_xact_lock(hashtext('sla_cards:' || k)) FROM (SELECT k FROM (VALUES "
                    + Array(repeating: "(?)", count: sorted.count).joined(separator: ", ") + ") AS v (k) ORDER BY k OFFSET 0) AS s",
                binds))
        }
        var counts: [UnitID: Int] = Dictionary(uniqueKeysWithValues: sorted.map { ($0, 0) })
        for r in try await db.rows(Statement(
            "SELECT unit_id, COUNT(*) AS n FROM supervision_marks WHERE kind = 'yellow_card' AND unit_id IN ("
                + SQLWorkOrderStore.placeholders(sorted.count) + ") AND at_ms >= ? AND at_ms <= ? GROUP BY unit_id",
            binds + [monthStart(of: now).epochMilliseconds, now.epochMilliseconds]))
        {
            counts[try r.decode(column: "unit_id", as: String.self)] = try r.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// A unit's `ordinal`-th red card of a month.
    struct RedCard: Hashable {
        var unit: UnitID
        var ordinal: Int
    }

    /// Claims each unit's `ordinal`-th red card of the month (for the order that earned it) in one statement; returns
    /// those that were not issued yet.
    static func claimRedCards(_ cards: [(UnitID, Int, OrderNumber)], at now: Date, in db: any SQLDatabase) async throws -> Set<RedCard> {
        guard !cards.isEmpty else { return [] }
        let c = CivilDay(containing: now).components
        var binds: [any Encodable & Sendable] = []
        for (unit, ordinal, order) in cards {
            binds += [unit, c.year * 100 + c.month, ordinal, order.rawValue, now.epochMilliseconds] as [any Encodable & Sendable]
        }
        var issued: Set<RedCard> = []
        for r in try await db.rows(Statement(
            "INSERT INTO sla_red_cards (unit_id, month, ordinal, order_number, at_ms) VALUES "
                + Array(repeating: "(?, ?, ?, ?, ?)", count: cards.count).joined(separator: ", ")
                + " ON CONFLICT DO NOTHING RETURNING unit_id, ordinal",
            binds))
        {
            issued.insert(RedCard(unit: try r.decode(column: "unit_id", as: String.self), ordinal: try r.decode(column: "ordinal", as: Int.self)))
        }
        return issued
    }

    static func monthStart(of date: Date) -> Date {
        let c = CivilDay(containing: date).components
        return CivilDay(year: c.year, month: c.month, day: 1)!.start
    }
}
