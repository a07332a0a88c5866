import HotlineDomain

extension Migrations {
    /// Migration 23: the measures' read model (考评指标). `measure_facts` holds each order's contribution (``MeasureFacts``)
    /// with the keys it is counted under; `measure_rollups` the sums per dimension (`all`, `unit`, `category`, `district`,
    /// `channel`, `kind`), China day and key, kept by every order write in its own transaction (``MeasureLedger``). Stored
    /// orders are counted by the backfill that runs once after migrating (`platform_settings.measure_backfill`).
    static func measures(_ kind: DatabaseKind) -> [String] {
        let counts = MeasureCounts.columnsOfMigration23.map { "\($0) BIGINT NOT NULL DEFAULT 0" }.joined(separator: ",\n    ")
        return [
            """
            CREATE TABLE measure_facts (
                order_number BIGINT PRIMARY KEY,
                day INTEGER NOT NULL,
                unit_id TEXT NOT NULL,
                category_code TEXT NOT NULL,
                district TEXT NOT NULL,
                channel TEXT NOT NULL,
                kind TEXT NOT NULL,
                \(counts)
            )
            """,
            """
            CREATE TABLE measure_rollups (
                dimension TEXT NOT NULL,
                day INTEGER NOT NULL,
                key TEXT NOT NULL,
                \(counts),
                PRIMARY KEY (dimension, day, key)
            )
            """,
            "INSERT INTO platform_settings (name, value) VALUES ('\(MeasureLedger.backfillSetting)', 'pending')",
        ]
    }
}
