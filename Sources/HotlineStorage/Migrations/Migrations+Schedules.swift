extension Migrations {
    /// Migration 36: schedules (排班).
    /// - `teams` (班组) and `team_members`: the member's user id is the key, so an agent is in at most one team.
    /// - `shift_templates` (班次): a span of the day with its breaks (JSON).
    /// - `roster_entries` (排班): an agent's shift, standby or day off on a day (`day` is the `CivilDay` ordinal), with the
    ///   hours and breaks it was given and, for a standby, when it was called in (备班调用); read by day range.
    /// - `calls_day_handling`: the calls' handling times by day, so that the forecast's average handling time is an
    ///   index range like its counts per interval (`calls_day`).
    static func schedules(_ kind: DatabaseKind) -> [String] {
        [
            """
            CREATE TABLE teams (
                id \(kind.serialKey),
                name TEXT NOT NULL UNIQUE,
                leader_id TEXT,
                updated_ms BIGINT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE team_members (
                agent_id TEXT PRIMARY KEY,
                team_id BIGINT NOT NULL REFERENCES teams(id),
                position INTEGER NOT NULL
            )
            """,
            "CREATE INDEX team_members_team ON team_members (team_id, position)",
            """
            CREATE TABLE shift_templates (
                id \(kind.serialKey),
                name TEXT NOT NULL UNIQUE,
                start_minute INTEGER NOT NULL,
                end_minute INTEGER NOT NULL,
                breaks TEXT NOT NULL,
                updated_ms BIGINT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE roster_entries (
                id \(kind.serialKey),
                day INTEGER NOT NULL,
                agent_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                shift_id BIGINT,
                shift_name TEXT NOT NULL,
                start_minute INTEGER NOT NULL,
                end_minute INTEGER NOT NULL,
                breaks TEXT NOT NULL,
                called_in_ms BIGINT,
                called_in_by TEXT,
                updated_ms BIGINT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX roster_entries_day ON roster_entries (day, agent_id)",
            // 人力预测's average handling time over weeks of calls, read from the index alone.
            "CREATE INDEX calls_day_handling ON calls (day, talk_seconds, acw_seconds)",
        ]
    }
}
