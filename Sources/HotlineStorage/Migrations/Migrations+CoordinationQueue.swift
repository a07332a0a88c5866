extension Migrations {
    /// Migration 18: the centre's coordination queue (协调督办) — escalated orders still open that no joint consultation
    /// (会商) has decided yet — as a mark of `work_orders` with a partial index holding only the marked rows, so that its
    /// count is an index range however many orders are stored. Rows stored before are marked from their documents
    /// (no order had a consultation before this migration).
    static let coordinationQueue: [String] = [
        "ALTER TABLE work_orders ADD COLUMN awaits_coordination INTEGER NOT NULL DEFAULT 0",
        """
        UPDATE work_orders SET awaits_coordination = 1
        WHERE status IN ('pending_dispatch', 'dispatched', 'returned', 'handling', 'replied', 'awaiting_callback', 'callback_disputed')
          AND doc LIKE '%"escalated":true%'
        """,
        // By number alone: the queue has no status condition, and its list reads the index in number order.
        "CREATE INDEX work_orders_awaits_coordination ON work_orders (number) WHERE awaits_coordination = 1",
    ]
}
