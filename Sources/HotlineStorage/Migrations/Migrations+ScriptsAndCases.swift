extension Migrations {
    /// Migration 34: reply scripts (话术) and typical cases (典型案例). `reply_scripts` holds each script's current
    /// wording (`doc`, JSON) with its matter, situation and whether it is in use, indexed for the intake desk's read (the
    /// active scripts of a few categories and the general ones); `reply_script_history` every version, append-only.
    /// `typical_cases` refers to a finished order by number and copies only what the library filters on (the order's
    /// title and category, never the caller); at most one case in force per order (a partial unique index), the tags
    /// stored as `,tag,` text so that one `LIKE` finds a tag.
    static func scriptsAndCases(_ kind: DatabaseKind) -> [String] {
        [
            """
            CREATE TABLE reply_scripts (
                id \(kind.serialKey),
                title TEXT NOT NULL,
                category_code TEXT,
                situation TEXT NOT NULL,
                doc TEXT NOT NULL,
                active INTEGER NOT NULL,
                version INTEGER NOT NULL,
                created_ms BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                updated_ms BIGINT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX reply_scripts_served ON reply_scripts (active, category_code)",
            """
            CREATE TABLE reply_script_history (
                id \(kind.serialKey),
                script_id BIGINT NOT NULL REFERENCES reply_scripts(id),
                version INTEGER NOT NULL,
                at_ms BIGINT NOT NULL,
                actor_id TEXT NOT NULL,
                action TEXT NOT NULL,
                active INTEGER NOT NULL,
                doc TEXT NOT NULL,
                note TEXT
            )
            """,
            "CREATE INDEX reply_script_history_script ON reply_script_history (script_id, id)",
            """
            CREATE TABLE typical_cases (
                id \(kind.serialKey),
                order_number BIGINT NOT NULL,
                title TEXT NOT NULL,
                tags TEXT NOT NULL,
                note TEXT NOT NULL,
                category_code TEXT,
                order_title TEXT NOT NULL,
                created_ms BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                retired_ms BIGINT,
                retired_by TEXT,
                retire_reason TEXT
            )
            """,
            "CREATE UNIQUE INDEX typical_cases_order_in_force ON typical_cases (order_number) WHERE retired_ms IS NULL",
            "CREATE INDEX typical_cases_newest ON typical_cases (created_ms, id)",
        ] + kind.appendOnly("reply_script_history")
    }
}
