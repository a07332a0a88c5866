import HotlineDomain

extension Migrations {
    /// Migration 37: expert seats (专家坐席) and their consultations (专家会商).
    /// - `expert_seats`: each seat's settings as JSON (`doc`: name, department, matters, hours, specialists, note),
    ///   with the name unique so that a transfer names one seat.
    /// - `expert_consultations`: an agent's question to a seat and the specialist's answer. The answer is set by one
    ///   conditional update (`status = 'waiting'`), so two specialists answering at once give one answer; the
    ///   knowledge draft made from it is linked by another (`knowledge_entry_id IS NULL`), so one answer makes one
    ///   draft.
    static func expertSeats(_ kind: DatabaseKind) -> [String] {
        [
            """
            CREATE TABLE expert_seats (
                id \(kind.serialKey),
                name TEXT NOT NULL UNIQUE,
                unit_id TEXT NOT NULL REFERENCES units(id),
                doc TEXT NOT NULL,
                active INTEGER NOT NULL,
                updated_ms BIGINT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE expert_consultations (
                id \(kind.serialKey),
                seat_id BIGINT NOT NULL REFERENCES expert_seats(id),
                question TEXT NOT NULL,
                category_code TEXT,
                call_id TEXT,
                order_number BIGINT,
                three_way INTEGER NOT NULL,
                asked_by TEXT NOT NULL,
                asked_ms BIGINT NOT NULL,
                status TEXT NOT NULL,
                answer TEXT,
                answered_by TEXT,
                answered_ms BIGINT,
                knowledge_entry_id BIGINT
            )
            """,
            "CREATE INDEX expert_consultations_seat ON expert_consultations (seat_id, status, asked_ms)",
            "CREATE INDEX expert_consultations_asker ON expert_consultations (asked_by, asked_ms)",
        ]
    }
}
