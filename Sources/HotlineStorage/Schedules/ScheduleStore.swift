import Foundation
import HotlineDomain
import SQLKit

/// Teams (班组), shift templates (班次) and the roster (排班). Every change lands with its audit line in one transaction;
/// the roster is read by a range of days through `roster_entries_day`.
public struct ScheduleStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    // MARK: Teams

    /// Every team with its members, in the order they were made.
    public func teams() async throws -> [Team] {
        try await database.read { db in try await Self.teams(in: db) }
    }

    static func teams(in db: any SQLDatabase) async throws -> [Team] {
        var members: [Int64: [String]] = [:]
        for row in try await db.rows(Statement("SELECT agent_id, team_id FROM team_members ORDER BY team_id, position", [])) {
            members[try row.decode(column: "team_id", as: Int64.self), default: []].append(try row.decode(column: "agent_id", as: String.self))
        }
        return try await db.rows(Statement("SELECT id, name, leader_id FROM teams ORDER BY id", [])).map { row in
            let id = try row.decode(column: "id", as: Int64.self)
            return Team(id: id, name: try row.decode(column: "name", as: String.self), leaderID: try row.decode(column: "leader_id", as: String?.self),
                        members: members[id] ?? [])
        }
    }

    /// The team `agent` belongs to, if any.
    public func team(of agent: String) async throws -> Team? {
        try await database.read { db in
            guard let row = try await db.firstRow(Statement("SELECT team_id FROM team_members WHERE agent_id = ?", [agent])) else { return nil }
            let id = try row.decode(column: "team_id", as: Int64.self)
            return try await Self.teams(in: db).first { $0.id == id }
        }
    }

    /// Creates (`team.id == 0`) or replaces a team and its members. `check` sees every team as it would be and may throw
    /// to refuse, leaving everything as it was. Nil when `team.id` names no team.
    public func saveTeam(
        _ team: Team, by actor: Actor, at now: Date, audit: AuditEntry, check: @escaping @Sendable ([Team]) throws -> Void
    ) async throws -> Team? {
        try await database.transaction { db in
            var all = try await Self.teams(in: db)
            if team.id == 0 {
                all.append(team)
            } else {
                guard let i = all.firstIndex(where: { $0.id == team.id }) else { return nil }
                all[i] = team
            }
            try check(all)
            var saved = team
            if team.id == 0 {
                guard let row = try await db.firstRow(Statement(
                    "INSERT INTO teams (name, leader_id, updated_ms, updated_by) VALUES (?, ?, ?, ?) RETURNING id",
                    [team.name, bindable(team.leaderID), now.epochMilliseconds, actor.userID])) else { throw DatabaseError.corrupt("teams insert") }
                saved.id = try row.decode(column: "id", as: Int64.self)
            } else {
                try await db.run(Statement(
                    "UPDATE teams SET name = ?, leader_id = ?, updated_ms = ?, updated_by = ? WHERE id = ?",
                    [team.name, bindable(team.leaderID), now.epochMilliseconds, actor.userID, team.id]))
                try await db.run(Statement("DELETE FROM team_members WHERE team_id = ?", [team.id]))
            }
            for (position, member) in team.members.enumerated() {
                try await db.run(Statement("INSERT INTO team_members (agent_id, team_id, position) VALUES (?, ?, ?)", [member, saved.id, position]))
            }
            var entry = audit
            entry.target = "team:\(saved.id)"
            try await AuditLog.append(entry, in: db)
            return saved
        }
    }

    // MARK: Shift templates

    /// Every shift template, by start time.
    public func shifts() async throws -> [ShiftTemplate] {
        try await database.read { db in
            try await db.rows(Statement("SELECT id, name, start_minute, end_minute, breaks FROM shift_templates ORDER BY start_minute, id", []))
                .map(Self.shift)
        }
    }

    /// Creates (`shift.id == 0`) or replaces a template; a name another template has is refused. Nil when `shift.id`
    /// names no template.
    public func saveShift(_ shift: ShiftTemplate, by actor: Actor, at now: Date, audit: AuditEntry) async throws -> ShiftTemplate? {
        try await database.transaction { db in
            if try await db.firstRow(Statement("SELECT id FROM shift_templates WHERE name = ? AND id <> ?", [shift.name, shift.id])) != nil {
                throw ScheduleError("name", "已有名为“\(shift.name)”的班次")
            }
            var saved = shift
            if shift.id == 0 {
                guard let row = try await db.firstRow(Statement(
                    "INSERT INTO shift_templates (name, start_minute, end_minute, breaks, updated_ms, updated_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    [shift.name, shift.startMinute, shift.endMinute, try Self.encode(shift.breaks), now.epochMilliseconds, actor.userID]))
                else { throw DatabaseError.corrupt("shift_templates insert") }
                saved.id = try row.decode(column: "id", as: Int64.self)
            } else {
                guard try await db.firstRow(Statement("SELECT id FROM shift_templates WHERE id = ?", [shift.id])) != nil else { return nil }
                try await db.run(Statement(
                    "UPDATE shift_templates SET name = ?, start_minute = ?, end_minute = ?, breaks = ?, updated_ms = ?, updated_by = ? WHERE id = ?",
                    [shift.name, shift.startMinute, shift.endMinute, try Self.encode(shift.breaks), now.epochMilliseconds, actor.userID, shift.id]))
            }
            var entry = audit
            entry.target = "shift:\(saved.id)"
            try await AuditLog.append(entry, in: db)
            return saved
        }
    }

    // MARK: Roster

    static let entryColumns = "day, agent_id, kind, shift_id, shift_name, start_minute, end_minute, breaks, called_in_ms, called_in_by"

    /// The roster of the days [from, to], by day, agent and start.
    public func roster(from: CivilDay, to: CivilDay, agent: String? = nil) async throws -> [RosterEntry] {
        var statement = Statement("SELECT \(Self.entryColumns) FROM roster_entries WHERE day >= ? AND day <= ?", [from.ordinal, to.ordinal])
        if let agent { statement.append(" AND agent_id = ?", [agent]) }
        statement.append(" ORDER BY day, agent_id, start_minute, id")
        let query = statement
        return try await database.read { db in try await db.rows(query).map(Self.entry) }
    }

    /// One cell of the roster: an agent's entries on a day, replacing what was there (none: the cell is cleared).
    public struct Cell: Sendable, Equatable {
        public var day: CivilDay
        public var agentID: String
        public var entries: [RosterEntry]

        public init(day: CivilDay, agentID: String, entries: [RosterEntry]) {
            self.day = day
            self.agentID = agentID
            self.entries = entries
        }
    }

    /// Roster writes take one transaction-scoped lock on PostgreSQL, so that two supervisors saving the same cell (or a
    /// week being copied while a cell is saved) follow one another instead of both deleting and both inserting. SQLite
    /// has one writer at a time already.
    func lockRoster(_ db: any SQLDatabase) async throws {
        guard database.kind == .postgres else { return }
        try await db.run(Statement("SELECT pg_advisory_xact_lock(hashtext('roster_entries'))", []))
    }

    /// Replaces `cells` in one transaction with one audit line. A standby already called in keeps its call-in when the
    /// cell keeps that standby's template.
    public func replace(_ cells: [Cell], by actor: Actor, at now: Date, audit: AuditEntry) async throws {
        try await database.transaction { db in
            try await lockRoster(db)
            for cell in cells {
                let previous = try await db.rows(Statement(
                    "SELECT \(Self.entryColumns) FROM roster_entries WHERE day = ? AND agent_id = ?", [cell.day.ordinal, cell.agentID])).map(Self.entry)
                try await db.run(Statement("DELETE FROM roster_entries WHERE day = ? AND agent_id = ?", [cell.day.ordinal, cell.agentID]))
                for var e in cell.entries {
                    if e.kind == .standby, e.calledInAt == nil,
                       let kept = previous.first(where: { $0.kind == .standby && $0.shiftID == e.shiftID && $0.calledInAt != nil }) {
                        e.calledInAt = kept.calledInAt
                        e.calledInBy = kept.calledInBy
                    }
                    try await Self.insert(e, by: actor, at: now, in: db)
                }
            }
            try await AuditLog.append(audit, in: db)
        }
    }

    /// Copies the roster of the 7 days from `source` onto the 7 days from `target`, replacing those days (call-ins are
    /// not copied). Returns the entries written.
    public func copyWeek(from source: CivilDay, to target: CivilDay, by actor: Actor, at now: Date, audit: AuditEntry) async throws -> Int {
        try await database.transaction { db in
            try await lockRoster(db)
            let entries = try await db.rows(Statement(
                "SELECT \(Self.entryColumns) FROM roster_entries WHERE day >= ? AND day <= ? ORDER BY day, agent_id, start_minute, id",
                [source.ordinal, source.ordinal + 6])).map(Self.entry)
            try await db.run(Statement("DELETE FROM roster_entries WHERE day >= ? AND day <= ?", [target.ordinal, target.ordinal + 6]))
            for var e in entries {
                e.day = e.day.adding(days: target.ordinal - source.ordinal)
                e.calledInAt = nil
                e.calledInBy = nil
                try await Self.insert(e, by: actor, at: now, in: db)
            }
            try await AuditLog.append(audit, in: db)
            return entries.count
        }
    }

    /// Records that `agent`'s standby on `day` was called in (备班调用). False when they have no standby that day or it
    /// was called in already.
    public func callIn(day: CivilDay, agent: String, by actor: Actor, at now: Date, audit: AuditEntry) async throws -> Bool {
        try await database.transaction { db in
            guard try await db.firstRow(Statement(
                "UPDATE roster_entries SET called_in_ms = ?, called_in_by = ?, updated_ms = ?, updated_by = ? "
                    + "WHERE day = ? AND agent_id = ? AND kind = 'standby' AND called_in_ms IS NULL RETURNING id",
                [now.epochMilliseconds, actor.userID, now.epochMilliseconds, actor.userID, day.ordinal, agent])) != nil else { return false }
            try await AuditLog.append(audit, in: db)
            return true
        }
    }

    static func insert(_ e: RosterEntry, by actor: Actor, at now: Date, in db: any SQLDatabase) async throws {
        try await db.run(Statement(
            "INSERT INTO roster_entries (" + entryColumns + ", updated_ms, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [e.day.ordinal, e.agentID, e.kind.rawValue, bindable(e.shiftID), e.shiftName, e.startMinute, e.endMinute, try encode(e.breaks),
             bindable(e.calledInAt?.epochMilliseconds), bindable(e.calledInBy), now.epochMilliseconds, actor.userID]))
    }

    static func encode(_ breaks: [ShiftBreak]) throws -> String {
        breaks.map { "\($0.startMinute)+\($0.minutes)" }.joined(separator: ",")
    }

    static func breaks(_ text: String) throws -> [ShiftBreak] {
        try text.split(separator: ",").map { part in
            let pieces = part.split(separator: "+")
            guard pieces.count == 2, let start = Int(pieces[0]), let minutes = Int(pieces[1]) else { throw DatabaseError.corrupt("breaks") }
            return ShiftBreak(startMinute: start, minutes: minutes)
        }
    }

    static func shift(_ row: any SQLRow) throws -> ShiftTemplate {
        ShiftTemplate(
            id: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
            startMinute: try row.decode(column: "start_minute", as: Int.self), endMinute: try row.decode(column: "end_minute", as: Int.self),
            breaks: try breaks(try row.decode(column: "breaks", as: String.self)))
    }

    static func entry(_ row: any SQLRow) throws -> RosterEntry {
        guard let kind = RosterKind(rawValue: try row.decode(column: "kind", as: String.self)) else { throw DatabaseError.corrupt("roster_entries kind") }
        return RosterEntry(
            day: CivilDay(ordinal: try row.decode(column: "day", as: Int.self)), agentID: try row.decode(column: "agent_id", as: String.self),
            kind: kind, shiftID: try row.decode(column: "shift_id", as: Int64?.self), shiftName: try row.decode(column: "shift_name", as: String.self),
            startMinute: try row.decode(column: "start_minute", as: Int.self), endMinute: try row.decode(column: "end_minute", as: Int.self),
            breaks: try breaks(try row.decode(column: "breaks", as: String.self)),
            calledInAt: try row.decode(column: "called_in_ms", as: Int64?.self).map { Date(epochMilliseconds: $0) },
            calledInBy: try row.decode(column: "called_in_by", as: String?.self))
    }

    // MARK: Call history

    /// Calls offered per half hour of each China day in [from, to] (one grouped read of `calls_day`), and the average
    /// handling time (talk plus after-call work) of the calls that ended in those days, nil when none did.
    public func callHistory(from: CivilDay, to: CivilDay) async throws -> (history: CallHistory, averageHandleSeconds: Double?) {
        let first = Self.dayKey(from), last = Self.dayKey(to)
        return try await database.read { db in
            var days: [CivilDay: [Double]] = [:]
            var d = from
            while d <= to {
                days[d] = [Double](repeating: 0, count: 48)
                d = d.adding(days: 1)
            }
            var seen: Set<CivilDay> = []
            for row in try await db.rows(Statement(
                """
                SELECT day, CAST(((offered_ms + 28800000) % 86400000) / 1800000 AS INTEGER) AS slot, COUNT(*) AS n
                FROM calls WHERE day >= ? AND day <= ? AND offered_ms IS NOT NULL GROUP BY day, slot
                """, [first, last])) {
                let key = try row.decode(column: "day", as: Int.self)
                guard let day = CivilDay(year: key / 10_000, month: key / 100 % 100, day: key % 100) else { continue }
                let slot = try row.decode(column: "slot", as: Int.self)
                guard (0..<48).contains(slot) else { continue }
                days[day, default: [Double](repeating: 0, count: 48)][slot] += Double(try row.decode(column: "n", as: Int.self))
                seen.insert(day)
            }
            let aht = try await db.firstRow(Statement(
                "SELECT AVG(CAST(talk_seconds + acw_seconds AS DOUBLE PRECISION)) AS aht FROM calls WHERE day >= ? AND day <= ? AND talk_seconds IS NOT NULL",
                [first, last]))?.decode(column: "aht", as: Double?.self)
            // Days before the first call ever recorded are not history, only silence.
            let start = seen.min()
            return (CallHistory(intervalMinutes: 30, days: days.filter { start != nil && $0.key >= start! }), aht)
        }
    }

    /// Writes `history` into `calls` as answered calls spread evenly over each interval, each answered after `waitSeconds`
    /// by one of `agents` in turn and handled in `talkSeconds` plus `afterCallSeconds` (the demo centre's past days).
    public func importCallHistory(
        _ history: CallHistory, agents: [String], waitSeconds: Int = 8, talkSeconds: Int = 250, afterCallSeconds: Int = 50
    ) async throws -> Int {
        var rows: [[any Encodable & Sendable]] = []
        for day in history.sortedDays {
            let key = Self.dayKey(day)
            for (slot, count) in (history.days[day] ?? []).enumerated() where count >= 1 {
                let n = Int(count.rounded())
                for k in 0..<n {
                    let offered = day.start.addingTimeInterval(Double(slot * history.intervalMinutes * 60) + Double(history.intervalMinutes * 60) * Double(k) / Double(n))
                    let ms = offered.epochMilliseconds
                    let answered = ms + Int64(waitSeconds * 1000)
                    // Each agent works at their own pace around the given times (the same every run): talk from 70 s
                    // under to 140 s over, after-call work from 20 s under to 25 s over.
                    let index = agents.isEmpty ? 0 : rows.count % agents.count
                    let talk = max(30, talkSeconds - 70 + (index * 47) % 211), acw = max(5, afterCallSeconds - 20 + (index * 17) % 46)
                    rows.append(["demo-\(key)-\(slot)-\(k)", key, "", "综合", ms, answered, agents.isEmpty ? "" : agents[index],
                                 answered + Int64((talk + acw) * 1000), waitSeconds, talk, acw])
                }
            }
        }
        let batches = stride(from: 0, to: rows.count, by: 200).map { Array(rows[$0..<min($0 + 200, rows.count)]) }
        try await database.transaction { db in
            for batch in batches {
                let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: batch.count).joined(separator: ", ")
                try await db.run(Statement(
                    "INSERT INTO calls (call_id, day, caller, queue, offered_ms, answered_ms, agent_id, ended_ms, wait_seconds, talk_seconds, acw_seconds) VALUES "
                        + values + " ON CONFLICT (call_id) DO NOTHING", batch.flatMap { $0 }))
            }
        }
        return rows.count
    }

    static func dayKey(_ day: CivilDay) -> Int {
        let c = day.components
        return c.year * 10_000 + c.month * 100 + c.day
    }
}

extension ScheduleError: LocalizedError {
    public var errorDescription: String? { message }
}
