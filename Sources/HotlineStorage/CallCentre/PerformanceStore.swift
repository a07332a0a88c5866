import Foundation
import HotlineDomain
import SQLKit

/// Agent performance (坐席绩效) read from the record: two grouped reads per period — the calls answered (by the
/// `calls_day` index) and the orders taken (by the order's first event, with its measure facts) — and the managers'
/// targets in `platform_settings`.
public struct PerformanceStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    static let targetsSetting = "performance_targets"

    /// Each agent's calls and orders in [from, to) (China days of the calls, order acceptance times).
    public func figures(from: Date, to: Date) async throws -> [String: AgentFigures] {
        let firstDay = CallCentreStore.dayKey(from), lastDay = CallCentreStore.dayKey(to.addingTimeInterval(-1))
        let fromSeconds = Int64(from.timeIntervalSince1970.rounded(.up)), toSeconds = Int64(to.timeIntervalSince1970.rounded(.up))
        return try await database.read { db in
            var all: [String: AgentFigures] = [:]
            for row in try await db.rows(Statement(
                """
                SELECT agent_id, COUNT(*) AS calls,
                       CAST(SUM(CASE WHEN ended_ms IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS ended,
                       CAST(SUM(CASE WHEN ended_ms IS NOT NULL THEN COALESCE(talk_seconds, 0) ELSE 0 END) AS BIGINT) AS talk,
                       CAST(SUM(CASE WHEN ended_ms IS NOT NULL THEN COALESCE(acw_seconds, 0) ELSE 0 END) AS BIGINT) AS acw
                FROM calls WHERE day >= ? AND day <= ? AND answered_ms >= ? AND answered_ms < ? AND agent_id IS NOT NULL
                GROUP BY agent_id
                """, [firstDay, lastDay, from.epochMilliseconds, to.epochMilliseconds]))
            {
                let agent = try row.decode(column: "agent_id", as: String.self)
                var f = all[agent] ?? AgentFigures(agentID: agent)
                f.calls = try row.decode(column: "calls", as: Int.self)
                f.endedCalls = try row.decode(column: "ended", as: Int?.self) ?? 0
                f.talkSeconds = try row.decode(column: "talk", as: Int?.self) ?? 0
                f.afterCallSeconds = try row.decode(column: "acw", as: Int?.self) ?? 0
                all[agent] = f
            }
            for row in try await db.rows(Statement(
                """
                SELECT e.actor_id AS agent_id, COUNT(*) AS orders, CAST(SUM(COALESCE(f.direct_answered, 0)) AS BIGINT) AS direct,
                       CAST(SUM(COALESCE(f.rated, 0)) AS BIGINT) AS rated, CAST(SUM(COALESCE(f.satisfied, 0)) AS BIGINT) AS satisfied,
                       CAST(SUM(COALESCE(f.basically_satisfied, 0)) AS BIGINT) AS basically
                FROM work_orders o
                JOIN work_order_events e ON e.order_number = o.number AND e.seq = 1
                LEFT JOIN measure_facts f ON f.order_number = o.number
                WHERE o.created_at >= ? AND o.created_at < ? AND e.actor_role = ?
                GROUP BY e.actor_id
                """, [fromSeconds, toSeconds, Role.agent.rawValue]))
            {
                let agent = try row.decode(column: "agent_id", as: String.self)
                var f = all[agent] ?? AgentFigures(agentID: agent)
                f.orders = try row.decode(column: "orders", as: Int.self)
                f.directAnswered = try row.decode(column: "direct", as: Int?.self) ?? 0
                f.rated = try row.decode(column: "rated", as: Int?.self) ?? 0
                f.satisfied = try row.decode(column: "satisfied", as: Int?.self) ?? 0
                f.basicallySatisfied = try row.decode(column: "basically", as: Int?.self) ?? 0
                all[agent] = f
            }
            return all
        }
    }

    /// The managers' targets, the defaults until they set some.
    public func targets() async throws -> PerformanceTargets {
        try await database.read { db in
            guard let row = try await db.firstRow(Statement("SELECT value FROM platform_settings WHERE name = ?", [Self.targetsSetting])) else {
                return .defaults
            }
            let text = try row.decode(column: "value", as: String.self)
            guard let targets = try? JSONDecoder().decode(PerformanceTargets.self, from: Data(text.utf8)) else {
                throw DatabaseError.corrupt("platform_settings.\(Self.targetsSetting)")
            }
            return targets
        }
    }

    /// New targets, with their audit line.
    public func setTargets(_ targets: PerformanceTargets, audit: AuditEntry) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(targets), as: UTF8.self)
        try await database.transaction { db in
            try await db.run(Statement(
                "INSERT INTO platform_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [Self.targetsSetting, text]))
            try await AuditLog.append(audit, in: db)
        }
    }
}
