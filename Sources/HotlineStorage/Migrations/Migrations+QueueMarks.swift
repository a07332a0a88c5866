extension Migrations {
    /// Migration 13: the marks the work queues are made of — extension pending (延期待审批), sent back (审核退回), redone
    /// (重办), urged (催办), carded (黄牌/红牌) — as columns of `work_orders` and of each unit link, with partial indexes
    /// that hold only the marked rows, so that a queue is an index range however many orders are stored; and an index
    /// on the lanes (绿色通道, 营商环境). Existing rows are filled from each order's document and, for sent-back orders,
    /// from the event log (whose latest reply-cycle event is the send-back), which is also written into the document.
    static let orderMarks = ["extension_pending", "sent_back", "urged", "carded"]
    static let linkMarks = ["extension_pending", "sent_back", "redone", "urged", "carded"]

    static func queueMarks(_ kind: DatabaseKind) -> [String] {
        orderMarks.map { "ALTER TABLE work_orders ADD COLUMN \($0) INTEGER NOT NULL DEFAULT 0" }
            + linkMarks.map { "ALTER TABLE work_order_units ADD COLUMN \($0) INTEGER NOT NULL DEFAULT 0" }
            + queueMarksFill(kind)
            + orderMarks.map { "CREATE INDEX work_orders_\($0) ON work_orders (status, number) WHERE \($0) = 1" }
            + ["CREATE INDEX work_orders_redone ON work_orders (status, number) WHERE redo_count > 0",
               "CREATE INDEX work_orders_lanes ON work_orders (lanes, number) WHERE lanes <> ''"]
            + linkMarks.map { "CREATE INDEX work_order_units_\($0) ON work_order_units (unit_id, status, order_number) WHERE \($0) = 1" }
    }

    /// The marks of rows stored before migration 13, from their documents and event logs.
    static func queueMarksFill(_ kind: DatabaseKind) -> [String] {
        let lastCycleEvent = { (column: String) in
            """
            (SELECT e.\(column) FROM work_order_events e WHERE e.order_number = work_orders.number
             AND e.kind IN ('sent_back', 'replied', 'returned', 'redone') ORDER BY e.seq DESC LIMIT 1)
            """
        }
        let sentBackIntoDoc =
            switch kind {
            case .sqlite:
                "UPDATE work_orders SET doc = json_set(doc, '$.sentBackAt', \(lastCycleEvent("at_ms"))) WHERE status = 'handling' AND \(lastCycleEvent("kind")) = 'sent_back'"
            case .postgres:
                "UPDATE work_orders SET doc = jsonb_set(doc::jsonb, '{sentBackAt}', to_jsonb(\(lastCycleEvent("at_ms"))))::text WHERE status = 'handling' AND \(lastCycleEvent("kind")) = 'sent_back'"
            }
        let marksFromDoc =
            switch kind {
            case .sqlite:
                """
                UPDATE work_orders SET
                    extension_pending = CASE WHEN json_type(doc, '$.pendingExtension') = 'object' THEN 1 ELSE 0 END,
                    sent_back = CASE WHEN json_type(doc, '$.sentBackAt') IN ('integer', 'real') THEN 1 ELSE 0 END,
                    urged = CASE WHEN COALESCE(json_extract(doc, '$.supervision.urges'), 0) > 0 THEN 1 ELSE 0 END,
                    carded = CASE WHEN COALESCE(json_extract(doc, '$.supervision.yellowCards'), 0) + COALESCE(json_extract(doc, '$.supervision.redCards'), 0) > 0 THEN 1 ELSE 0 END
                WHERE doc LIKE '%"pendingExtension"%' OR doc LIKE '%"sentBackAt"%' OR doc LIKE '%"supervision"%'
                """
            case .postgres:
                """
                UPDATE work_orders SET
                    extension_pending = CASE WHEN jsonb_typeof(doc::jsonb -> 'pendingExtension') = 'object' THEN 1 ELSE 0 END,
                    sent_back = CASE WHEN jsonb_typeof(doc::jsonb -> 'sentBackAt') = 'number' THEN 1 ELSE 0 END,
                    urged = CASE WHEN COALESCE((doc::jsonb #>> '{supervision,urges}')::int, 0) > 0 THEN 1 ELSE 0 END,
                    carded = CASE WHEN COALESCE((doc::jsonb #>> '{supervision,yellowCards}')::int, 0) + COALESCE((doc::jsonb #>> '{supervision,redCards}')::int, 0) > 0 THEN 1 ELSE 0 END
                WHERE doc LIKE '%"pendingExtension"%' OR doc LIKE '%"sentBackAt"%' OR doc LIKE '%"supervision"%'
                """
            }
        let linksFromOrders = """
            UPDATE work_order_units SET
                extension_pending = (SELECT w.extension_pending FROM work_orders w WHERE w.number = work_order_units.order_number),
                sent_back = (SELECT w.sent_back FROM work_orders w WHERE w.number = work_order_units.order_number),
                redone = (SELECT CASE WHEN w.redo_count > 0 THEN 1 ELSE 0 END FROM work_orders w WHERE w.number = work_order_units.order_number),
                urged = (SELECT w.urged FROM work_orders w WHERE w.number = work_order_units.order_number),
                carded = (SELECT w.carded FROM work_orders w WHERE w.number = work_order_units.order_number)
            WHERE order_number IN (
                SELECT number FROM work_orders WHERE extension_pending = 1 OR sent_back = 1 OR urged = 1 OR carded = 1 OR redo_count > 0)
            """
        return [sentBackIntoDoc, marksFromDoc, linksFromOrders]
    }
}
