extension Migrations {
    /// Migration 25: hot topics (热点预警) as a read model. `topic_settings` holds the one stored set of thresholds;
    /// `hot_topics` the topics of the latest refreshes (`active` = 1 for the current ones), each with its orders in
    /// `hot_topic_orders`; `topic_alerts` one row per manager told of a newly rising topic (the bell), written in the
    /// refresh's transaction with the topic row, and `topic_webhook_deliveries` its outbox row for the centre's receiver
    /// (`topic_settings.webhook_url`), so each alert exists exactly when its topic does.
    static func hotTopics(_ kind: DatabaseKind) -> [String] {
        [
            """
            CREATE TABLE topic_settings (
                id INTEGER PRIMARY KEY,
                min_size INTEGER NOT NULL,
                min_ratio_pct INTEGER NOT NULL,
                coverage_pct INTEGER NOT NULL,
                window_days INTEGER NOT NULL,
                baseline_days INTEGER NOT NULL,
                webhook_url TEXT NOT NULL,
                webhook_secret TEXT NOT NULL,
                updated_ms BIGINT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            "INSERT INTO topic_settings VALUES (1, 5, 300, 40, 7, 56, '', '', 0, '')",
            """
            CREATE TABLE hot_topics (
                id \(kind.serialKey),
                scope_kind TEXT NOT NULL,
                scope_value TEXT NOT NULL,
                label TEXT NOT NULL,
                terms TEXT NOT NULL,
                size INTEGER NOT NULL,
                baseline_milli BIGINT NOT NULL,
                baseline_count INTEGER NOT NULL,
                score_milli BIGINT NOT NULL,
                trend TEXT NOT NULL,
                places TEXT NOT NULL,
                window_from INTEGER NOT NULL,
                window_to INTEGER NOT NULL,
                first_seen_ms BIGINT NOT NULL,
                refreshed_ms BIGINT NOT NULL,
                active INTEGER NOT NULL
            )
            """,
            "CREATE INDEX hot_topics_active ON hot_topics (active, score_milli)",
            """
            CREATE TABLE hot_topic_orders (
                topic_id BIGINT NOT NULL REFERENCES hot_topics(id),
                order_number BIGINT NOT NULL REFERENCES work_orders(number),
                PRIMARY KEY (topic_id, order_number)
            )
            """,
            """
            CREATE TABLE topic_alerts (
                id \(kind.serialKey),
                topic_id BIGINT NOT NULL REFERENCES hot_topics(id),
                user_id TEXT NOT NULL REFERENCES users(id),
                at_ms BIGINT NOT NULL,
                read_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX topic_alerts_user_topic ON topic_alerts (user_id, topic_id)",
            "CREATE INDEX topic_alerts_unread ON topic_alerts (user_id, id) WHERE read_at IS NULL",
            """
            CREATE TABLE topic_webhook_deliveries (
                topic_id BIGINT PRIMARY KEY REFERENCES hot_topics(id),
                url TEXT NOT NULL,
                state TEXT NOT NULL,
                tries INTEGER NOT NULL DEFAULT 0,
                next_at BIGINT,
                last_error TEXT,
                created_ms BIGINT NOT NULL
            )
            """,
            "CREATE INDEX topic_webhook_deliveries_due ON topic_webhook_deliveries (next_at) WHERE state = 'pending'",
        ]
    }
}
