import Foundation
import HotlineDomain
import SQLKit

/// The call centre's telephony events and what they add up to (话务数据): `call_events` by event id, each call's row in
/// `calls` and each agent's state in `agent_states`, written together in one transaction per batch. An event id seen
/// before changes nothing: the insert of its row decides, in one statement, whether the event is applied.
public struct CallCentreStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// What became of one event of a batch.
    public enum Receipt: Sendable, Equatable {
        case accepted
        /// Its id was received before: nothing changed.
        case duplicate
    }

    /// A call answered by an agent in this batch, for the agent's screen pop.
    public struct Answered: Sendable, Equatable {
        public var callID: String
        public var agent: String
        public var caller: String
    }

    /// The China calendar day of `date` as stored (yyyymmdd).
    public static func dayKey(_ date: Date) -> Int {
        let c = CivilDay(containing: date).components
        return c.year * 10_000 + c.month * 100 + c.day
    }

    /// Stores and applies `events` in one transaction, in the order given; returns each one's receipt and the calls
    /// answered among them. The batch's event ids are claimed first, in one statement per 500 events, so a batch
    /// retried at the same moment waits for the first in that statement and then finds every id taken.
    public func ingest(_ events: [CallEvent], at now: Date) async throws -> (receipts: [Receipt], answered: [Answered]) {
        try await database.transaction { db in
            var claimed = Set<String>()
            for start in stride(from: 0, to: events.count, by: 500) {
                let chunk = events[start..<min(start + 500, events.count)]
                let rows = try await db.rows(Statement(
                    "INSERT INTO call_events (event_id, type, call_id, agent_id, at_ms, payload, received_ms) VALUES "
                        + Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
                        + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
                    chunk.flatMap { event -> [any Encodable & Sendable] in
                        [event.id, event.typeName, bindable(event.callID), bindable(Self.agent(of: event)), event.at.epochMilliseconds,
                         Self.payload(event), now.epochMilliseconds]
                    }))
                for row in rows { claimed.insert(try row.decode(column: "event_id", as: String.self)) }
            }
            var receipts: [Receipt] = []
            var answered: [Answered] = []
            for event in events {
                // An id twice in one batch is stored, and applied, for its first occurrence only.
                guard claimed.remove(event.id) != nil else {
                    receipts.append(.duplicate)
                    continue
                }
                try await Self.apply(event, in: db)
                if case .answered(let agent, _) = event.kind, let call = event.callID {
                    let caller = try await db.firstRow(Statement("SELECT caller FROM calls WHERE call_id = ?", [call]))?
                        .decode(column: "caller", as: String.self) ?? ""
                    answered.append(Answered(callID: call, agent: agent, caller: caller))
                    // The agent's console pops on whichever instance serves it, when this commits.
                    if !caller.isEmpty { ChangeFeed.announce([.call(agent: agent, callID: call, caller: caller)]) }
                }
                receipts.append(.accepted)
            }
            return (receipts, answered)
        }
    }

    static func agent(of event: CallEvent) -> String? {
        switch event.kind {
        case .answered(let agent, _), .agentState(let agent, _, _): agent
        default: nil
        }
    }

    static func payload(_ event: CallEvent) -> String {
        var fields: [String: String] = [:]
        switch event.kind {
        case .offered(let caller, let queue, let ivr): (fields["caller"], fields["queue"], fields["ivr"]) = (caller, queue, ivr)
        case .answered(let agent, let seat): (fields["agent"], fields["seat"]) = (agent, seat)
        case .transferred(let to, let threeWay): (fields["to"], fields["three_way"]) = (to, threeWay ? "true" : "false")
        case .abandoned: break
        case .ended(let wait, let talk, let acw):
            (fields["wait_seconds"], fields["talk_seconds"], fields["acw_seconds"]) = (String(wait), String(talk), String(acw))
        case .missedCallback(let caller): fields["caller"] = caller
        case .agentState(let agent, let state, let seat): (fields["agent"], fields["state"], fields["seat"]) = (agent, state.rawValue, seat)
        }
        let data = (try? JSONSerialization.data(withJSONObject: fields.compactMapValues { $0 }, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Folds one new event into its call's row or its agent's state. A call's row may be made by any of its events
    /// (they can arrive out of order); each field is set by the event that knows it.
    static func apply(_ event: CallEvent, in db: any SQLDatabase) async throws {
        let ms = event.at.epochMilliseconds
        let day = dayKey(event.at)
        func upsert(_ columns: [String], _ values: [any Encodable & Sendable], set: String) async throws {
            try await db.run(Statement(
                "INSERT INTO calls (call_id, day" + columns.map { ", " + $0 }.joined() + ") VALUES (?, ?" + String(repeating: ", ?", count: columns.count)
                    + ") ON CONFLICT (call_id) DO UPDATE SET " + set,
                [event.callID ?? "", day] + values))
        }
        switch event.kind {
        case .offered(let caller, let queue, let ivr):
            try await upsert(["caller", "queue", "ivr", "offered_ms"], [caller, queue, bindable(ivr), ms],
                             set: "caller = excluded.caller, queue = excluded.queue, ivr = excluded.ivr, offered_ms = excluded.offered_ms, day = excluded.day")
        case .answered(let agent, let seat):
            try await upsert(["answered_ms", "agent_id", "seat"], [ms, agent, bindable(seat)],
                             set: "answered_ms = COALESCE(calls.answered_ms, excluded.answered_ms), agent_id = excluded.agent_id, seat = excluded.seat")
        case .transferred(let to, let threeWay):
            try await upsert(["transfers", "transferred_to", "three_way"], [1, to, threeWay ? 1 : 0],
                             set: "transfers = calls.transfers + 1, transferred_to = excluded.transferred_to, "
                                + "three_way = CASE WHEN excluded.three_way = 1 THEN 1 ELSE calls.three_way END")
        case .abandoned:
            try await upsert(["abandoned_ms"], [ms], set: "abandoned_ms = COALESCE(calls.abandoned_ms, excluded.abandoned_ms)")
        case .ended(let wait, let talk, let acw):
            try await upsert(["ended_ms", "wait_seconds", "talk_seconds", "acw_seconds"], [ms, wait, talk, acw],
                             set: "ended_ms = excluded.ended_ms, wait_seconds = excluded.wait_seconds, talk_seconds = excluded.talk_seconds, acw_seconds = excluded.acw_seconds")
        case .missedCallback(let caller):
            try await upsert(["caller", "missed_callback"], [caller, 1],
                             set: "missed_callback = 1, caller = CASE WHEN calls.caller = '' THEN excluded.caller ELSE calls.caller END")
        case .agentState(let agent, let state, let seat):
            try await db.run(Statement(
                """
                INSERT INTO agent_states (agent_id, state, seat, since_ms) VALUES (?, ?, ?, ?)
                ON CONFLICT (agent_id) DO UPDATE SET state = excluded.state, seat = COALESCE(excluded.seat, agent_states.seat), since_ms = excluded.since_ms
                WHERE agent_states.since_ms <= excluded.since_ms
                """,
                [agent, state.rawValue, bindable(seat), ms]))
        }
    }

    // MARK: Reading

    /// A day's calls as the big screen counts them.
    public struct DayCounts: Sendable, Equatable {
        public var offered = 0
        public var answered = 0
        public var abandoned = 0
        /// Answered within 15 seconds of being offered.
        public var answeredWithin15 = 0
        /// Sum of the answered calls' waits, in milliseconds.
        public var answeredWaitMillis: Int64 = 0
        /// The longest wait of an answered or abandoned call, in milliseconds.
        public var longestWaitMillis: Int64 = 0
        /// Calls waiting now (offered, neither answered, abandoned nor ended).
        public var waiting = 0
        /// When the longest-waiting call still waiting was offered.
        public var oldestWaitingSince: Date?
        public var transferred = 0
        public var missedCallbacks = 0
        /// The newest event time of the day, the screen's "now" for a replayed day.
        public var latest: Date?

        public init() {}
    }

    public func day(_ date: Date) async throws -> DayCounts {
        let day = Self.dayKey(date)
        return try await database.read { db in
            var c = DayCounts()
            guard let row = try await db.firstRow(Statement(
                """
                SELECT COUNT(offered_ms) AS offered,
                  COUNT(CASE WHEN answered_ms IS NOT NULL AND offered_ms IS NOT NULL THEN 1 END) AS answered,
                  COUNT(CASE WHEN abandoned_ms IS NOT NULL AND answered_ms IS NULL THEN 1 END) AS abandoned,
                  COUNT(CASE WHEN answered_ms IS NOT NULL AND offered_ms IS NOT NULL AND answered_ms - offered_ms <= 15000 THEN 1 END) AS within15,
                  CAST(COALESCE(SUM(CASE WHEN answered_ms IS NOT NULL AND offered_ms IS NOT NULL THEN answered_ms - offered_ms END), 0) AS BIGINT) AS wait_sum,
                  CAST(COALESCE(MAX(COALESCE(answered_ms, abandoned_ms) - offered_ms), 0) AS BIGINT) AS longest,
                  COUNT(CASE WHEN offered_ms IS NOT NULL AND answered_ms IS NULL AND abandoned_ms IS NULL AND ended_ms IS NULL THEN 1 END) AS waiting,
                  MIN(CASE WHEN offered_ms IS NOT NULL AND answered_ms IS NULL AND abandoned_ms IS NULL AND ended_ms IS NULL THEN offered_ms END) AS oldest,
                  COUNT(CASE WHEN transfers > 0 THEN 1 END) AS transferred,
                  COUNT(CASE WHEN missed_callback = 1 THEN 1 END) AS missed,
                  MAX(COALESCE(ended_ms, abandoned_ms, answered_ms, offered_ms)) AS latest
                FROM calls WHERE day = ?
                """, [day])) else { return c }
            c.offered = try row.decode(column: "offered", as: Int.self)
            c.answered = try row.decode(column: "answered", as: Int.self)
            c.abandoned = try row.decode(column: "abandoned", as: Int.self)
            c.answeredWithin15 = try row.decode(column: "within15", as: Int.self)
            c.answeredWaitMillis = try row.decode(column: "wait_sum", as: Int64.self)
            c.longestWaitMillis = try row.decode(column: "longest", as: Int64.self)
            c.waiting = try row.decode(column: "waiting", as: Int.self)
            c.oldestWaitingSince = try row.decode(column: "oldest", as: Int64?.self).map { Date(timeIntervalSince1970: TimeInterval($0) / 1000) }
            c.transferred = try row.decode(column: "transferred", as: Int.self)
            c.missedCallbacks = try row.decode(column: "missed", as: Int.self)
            c.latest = try row.decode(column: "latest", as: Int64?.self).map { Date(timeIntervalSince1970: TimeInterval($0) / 1000) }
            return c
        }
    }

    /// Every agent's current state.
    public func agentStates() async throws -> [(agent: String, state: AgentState, seat: String?, since: Date)] {
        try await database.read { db in
            try await db.rows(Statement("SELECT agent_id, state, seat, since_ms FROM agent_states ORDER BY agent_id", [])).map { row in
                (try row.decode(column: "agent_id", as: String.self),
                 AgentState(rawValue: try row.decode(column: "state", as: String.self)) ?? .offline,
                 try row.decode(column: "seat", as: String?.self),
                 Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "since_ms", as: Int64.self)) / 1000))
            }
        }
    }

    /// Orders taken on a China calendar day by status and by channel (the big screen's 今日工单).
    public func ordersOfDay(_ date: Date) async throws -> (byStatus: [WorkOrderStatus: Int], byChannel: [Channel: Int]) {
        let day = CivilDay(containing: date)
        let start = Int64(day.start.timeIntervalSince1970), end = Int64(day.adding(days: 1).start.timeIntervalSince1970)
        return try await database.read { db in
            var byStatus: [WorkOrderStatus: Int] = [:], byChannel: [Channel: Int] = [:]
            for row in try await db.rows(Statement(
                "SELECT status, channel, COUNT(*) AS n FROM work_orders WHERE created_at >= ? AND created_at < ? GROUP BY status, channel", [start, end]))
            {
                let n = try row.decode(column: "n", as: Int.self)
                if let status = WorkOrderStatus(rawValue: try row.decode(column: "status", as: String.self)) { byStatus[status, default: 0] += n }
                if let channel = Channel(rawValue: try row.decode(column: "channel", as: String.self)) { byChannel[channel, default: 0] += n }
            }
            return (byStatus, byChannel)
        }
    }

    /// How many events are stored (benchmarks, tests).
    public func eventCount() async throws -> Int {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT COUNT(*) AS n FROM call_events", []))?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
