extension Migrations {
    /// Migration 19: outbound notifications by webhook (消息推送). `unit_webhooks` holds each unit's receiver (its URL, the
    /// secret its requests are signed with, and whether it is on). `webhook_deliveries` is the outbox: one row per notice
    /// event and unit with an enabled webhook, written in the event's own transaction, so nothing acknowledged is lost and
    /// nothing is sent for a rolled-back event. `delivery_key` is the idempotency key the receiver sees; `state` is
    /// pending, delivered or dead (死信); `next_at` (epoch milliseconds) is when a pending row is next due, and the partial
    /// index keeps finding due rows one index range however many were delivered.
    static func webhooks(_ kind: DatabaseKind) -> [String] {
        [
            """
            CREATE TABLE unit_webhooks (
                unit_id TEXT PRIMARY KEY REFERENCES units(id),
                url TEXT NOT NULL,
                secret TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                updated_ms BIGINT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE webhook_deliveries (
                id \(kind.serialKey),
                delivery_key TEXT NOT NULL,
                unit_id TEXT NOT NULL REFERENCES units(id),
                order_number BIGINT NOT NULL REFERENCES work_orders(number),
                event_seq INTEGER NOT NULL,
                kind TEXT NOT NULL,
                state TEXT NOT NULL,
                tries INTEGER NOT NULL DEFAULT 0,
                next_at BIGINT,
                last_error TEXT,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX webhook_deliveries_key ON webhook_deliveries (delivery_key)",
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending'",
            "CREATE INDEX webhook_deliveries_state ON webhook_deliveries (state, id)",
        ]
    }
}
