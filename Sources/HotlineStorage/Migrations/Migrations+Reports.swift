extension Migrations {
    /// Migration 27: stored reports (月度报告, 专题报告). Each row keeps the report's content as generated (JSON), so a
    /// report reads and downloads the same later whatever happens to the orders. `report_key` is unique: the scheduled
    /// monthly report (`monthly:YYYY-MM`) is written once however many instances try (INSERT … ON CONFLICT DO NOTHING).
    /// `measure_facts_day` lets a special report sum one period's facts without reading every order's.
    static func reports(_ kind: DatabaseKind) -> [String] {
        [
            """
            CREATE TABLE reports (
                id \(kind.serialKey),
                report_key TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                title TEXT NOT NULL,
                from_day INTEGER NOT NULL,
                to_day INTEGER NOT NULL,
                created_ms BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                body TEXT NOT NULL
            )
            """,
            "CREATE INDEX reports_created ON reports (created_ms, id)",
            "CREATE INDEX measure_facts_day ON measure_facts (day)",
        ]
    }
}
