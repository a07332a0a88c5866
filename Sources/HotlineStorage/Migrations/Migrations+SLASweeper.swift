extension Migrations {
    /// Migration 16: the SLA sweeper (时限监控). `work_orders.sla_next_at` is when the sweeper next has to look at an
    /// order (0: at the next pass, because it changed; NULL: no clock runs), so a pass reads one partial-index range and
    /// nothing else. `sla_marks` holds each warning, overdue mark, urge and card once per stage round (its primary key is
    /// what makes a mark exactly-once); `sla_red_cards` holds each unit's n-th red card of a month once.
    static let slaSweeper = [
        "ALTER TABLE work_orders ADD COLUMN sla_next_at BIGINT",
        "UPDATE work_orders SET sla_next_at = 0 WHERE due_at IS NOT NULL",
        "CREATE INDEX work_orders_sla_next ON work_orders (sla_next_at) WHERE sla_next_at IS NOT NULL",
        // A unit's yellow cards of a month, counted for the red-card rule, as one index range.
        "CREATE INDEX supervision_marks_unit ON supervision_marks (unit_id, kind, at_ms)",
        """
        CREATE TABLE sla_marks (
            order_number BIGINT NOT NULL REFERENCES work_orders(number),
            stage TEXT NOT NULL,
            round BIGINT NOT NULL,
            mark TEXT NOT NULL,
            unit_id TEXT,
            at_ms BIGINT NOT NULL,
            PRIMARY KEY (order_number, stage, round, mark)
        )
        """,
        """
        CREATE TABLE sla_red_cards (
            unit_id TEXT NOT NULL,
            month INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            order_number BIGINT NOT NULL REFERENCES work_orders(number),
            at_ms BIGINT NOT NULL,
            PRIMARY KEY (unit_id, month, ordinal)
        )
        """,
    ]
}
