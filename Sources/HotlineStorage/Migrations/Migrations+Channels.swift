extension Migrations {
    /// Migration 32: channel gateways (渠道接入). `channel_gateways` holds each channel's gateway: the inbound secret (the
    /// WeChat token for `wechat`, the HMAC key of the requests for `sms`, `app` and `mailbox`), the outbound webhook's
    /// URL and signing secret, and whether it is on. `channel_messages` is intake's exactly-once key: one row per
    /// (channel, message id) with the sender and the order it made, written in the transaction that makes the order, so
    /// a retried delivery finds the first one's order instead of making a second. `channel_outbox` is the channel's own
    /// outbox of plain-text messages to citizens (progress notices, the answer, one-time codes): `delivery_key` unique
    /// (idempotent enqueue; the receiver's `Idempotency-Key`), `state` pending/delivered/dead, `next_at` (epoch
    /// milliseconds) with a partial index of the pending rows, as `webhook_deliveries`.
    static func channels(_ kind: DatabaseKind) -> [String] {
        [
            """
            CREATE TABLE channel_gateways (
                channel TEXT PRIMARY KEY,
                inbound_secret TEXT NOT NULL,
                outbound_url TEXT NOT NULL,
                outbound_secret TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                updated_ms BIGINT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE channel_messages (
                channel TEXT NOT NULL,
                message_id TEXT NOT NULL,
                sender TEXT NOT NULL,
                order_number BIGINT,
                received_ms BIGINT NOT NULL,
                PRIMARY KEY (channel, message_id)
            )
            """,
            "CREATE INDEX channel_messages_order ON channel_messages (order_number)",
            """
            CREATE TABLE channel_outbox (
                id \(kind.serialKey),
                delivery_key TEXT NOT NULL,
                channel TEXT NOT NULL,
                recipient TEXT NOT NULL,
                order_number BIGINT,
                event_seq INTEGER,
                kind TEXT NOT NULL,
                body TEXT NOT NULL,
                state TEXT NOT NULL,
                tries INTEGER NOT NULL DEFAULT 0,
                next_at BIGINT,
                last_error TEXT,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX channel_outbox_key ON channel_outbox (delivery_key)",
            "CREATE INDEX channel_outbox_due ON channel_outbox (next_at) WHERE state = 'pending'",
            "CREATE INDEX channel_outbox_state ON channel_outbox (state, id)",
        ]
    }
}
