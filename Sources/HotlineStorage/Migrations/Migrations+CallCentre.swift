import HotlineDomain

extension Migrations {
    /// Migration 33: the call centre's telephony events (话务事件).
    /// - `call_events`: every event a call-centre system sent, by its own event id (the primary key makes a repeated
    ///   delivery a no-op), with what it said as JSON.
    /// - `calls`: one row per call, folded from its events in the events' own transaction, so that today's figures are
    ///   a read of one day's rows; `day` is the China calendar day (yyyymmdd) the call was offered on.
    /// - `agent_states`: each agent's current state (坐席状态), changed only by a newer report.
    static func callCentre(_ kind: DatabaseKind) -> [String] {
        [
            """
            CREATE TABLE call_events (
                event_id TEXT PRIMARY KEY,
                type TEXT NOT NULL,
                call_id TEXT,
                agent_id TEXT,
                at_ms BIGINT NOT NULL,
                payload TEXT NOT NULL,
                received_ms BIGINT NOT NULL
            )
            """,
            "CREATE INDEX call_events_call ON call_events (call_id, at_ms)",
            """
            CREATE TABLE calls (
                call_id TEXT PRIMARY KEY,
                day INTEGER NOT NULL,
                caller TEXT NOT NULL DEFAULT '',
                queue TEXT NOT NULL DEFAULT '',
                ivr TEXT,
                offered_ms BIGINT,
                answered_ms BIGINT,
                agent_id TEXT,
                seat TEXT,
                abandoned_ms BIGINT,
                ended_ms BIGINT,
                wait_seconds INTEGER,
                talk_seconds INTEGER,
                acw_seconds INTEGER,
                transfers INTEGER NOT NULL DEFAULT 0,
                transferred_to TEXT,
                three_way INTEGER NOT NULL DEFAULT 0,
                missed_callback INTEGER NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX calls_day ON calls (day, offered_ms)",
            "CREATE INDEX calls_agent ON calls (agent_id, answered_ms)",
            """
            CREATE TABLE agent_states (
                agent_id TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                seat TEXT,
                since_ms BIGINT NOT NULL
            )
            """,
        ]
    }
}
