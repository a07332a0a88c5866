import HotlineDomain

extension Migrations {
    /// Migration 31: the citizen portal (市民门户) and the citizen's own rating.
    /// - `citizen_codes`: one row per phone holding its latest one-time code (验证码) as a digest, when it expires, the
    ///   wrong tries against it, and the sending budget (codes sent in the current hour, the last send), so that issuing
    ///   a code and checking one are each one statement however many requests race.
    /// - `citizen_sessions`: a verified phone's session on the portal, by the digest of its cookie's token.
    /// - `rated` in the measures' facts and rollups: orders with a verdict on satisfaction (回访接通 or 市民评价). Until
    ///   now only a reached callback gave one, so the stored rows take `reached`.
    static func citizenPortal(_ kind: DatabaseKind) -> [String] {
        [
            """
            CREATE TABLE citizen_codes (
                phone TEXT PRIMARY KEY,
                code_hash TEXT NOT NULL,
                expires_ms BIGINT NOT NULL,
                attempts INTEGER NOT NULL,
                sent_count INTEGER NOT NULL,
                window_start_ms BIGINT NOT NULL,
                last_sent_ms BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE citizen_sessions (
                token_hash TEXT PRIMARY KEY,
                phone TEXT NOT NULL,
                created_ms BIGINT NOT NULL,
                expires_ms BIGINT NOT NULL
            )
            """,
            "CREATE INDEX citizen_sessions_expiry ON citizen_sessions (expires_ms)",
            "ALTER TABLE measure_facts ADD COLUMN rated BIGINT NOT NULL DEFAULT 0",
            "UPDATE measure_facts SET rated = reached WHERE reached <> 0",
            "ALTER TABLE measure_rollups ADD COLUMN rated BIGINT NOT NULL DEFAULT 0",
            "UPDATE measure_rollups SET rated = reached WHERE reached <> 0",
            "INSERT INTO platform_settings (name, value) VALUES ('portal_anonymous', 'allowed')",
        ]
    }
}
