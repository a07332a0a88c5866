import HotlineDomain

extension Migrations {
    /// Migration 35: quality inspection (质检).
    /// - `quality_forms`: each scoring form's current version (`doc`, JSON: name and weighted items);
    ///   `quality_form_versions` every version, append-only, so that an inspection shows the items it was scored on.
    /// - `quality_batches`: a draw (抽检批次): the rule, its parameters and seed, the period, who drew it.
    /// - `quality_inspections`: one row per target drawn; the unique index on the target makes two draws, even at the
    ///   same moment, never inspect the same call or order twice. The original score (`doc`, `total`) is written once;
    ///   an upheld appeal's new score goes beside it (`rescore_doc`, `rescore_total`).
    static func quality(_ kind: DatabaseKind) -> [String] {
        [
            """
            CREATE TABLE quality_forms (
                id \(kind.serialKey),
                name TEXT NOT NULL,
                version INTEGER NOT NULL,
                doc TEXT NOT NULL,
                updated_ms BIGINT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE quality_form_versions (
                form_id BIGINT NOT NULL REFERENCES quality_forms(id),
                version INTEGER NOT NULL,
                doc TEXT NOT NULL,
                at_ms BIGINT NOT NULL,
                actor_id TEXT NOT NULL,
                PRIMARY KEY (form_id, version)
            )
            """,
            """
            CREATE TABLE quality_batches (
                id \(kind.serialKey),
                rule TEXT NOT NULL,
                doc TEXT NOT NULL,
                seed BIGINT NOT NULL,
                from_ms BIGINT NOT NULL,
                to_ms BIGINT NOT NULL,
                drawn INTEGER NOT NULL,
                created_ms BIGINT NOT NULL,
                created_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX quality_batches_newest ON quality_batches (created_ms, id)",
            """
            CREATE TABLE quality_inspections (
                id \(kind.serialKey),
                batch_id BIGINT NOT NULL REFERENCES quality_batches(id),
                target_kind TEXT NOT NULL,
                target_key TEXT NOT NULL,
                agent_id TEXT NOT NULL,
                target_ms BIGINT NOT NULL,
                status TEXT NOT NULL,
                form_id BIGINT,
                form_version INTEGER,
                doc TEXT,
                total INTEGER,
                inspector_id TEXT,
                scored_ms BIGINT,
                acknowledged_ms BIGINT,
                appeal_reason TEXT,
                appealed_ms BIGINT,
                decided_by TEXT,
                decided_ms BIGINT,
                decision_note TEXT,
                rescore_doc TEXT,
                rescore_total INTEGER
            )
            """,
            "CREATE UNIQUE INDEX quality_inspections_target ON quality_inspections (target_kind, target_key)",
            "CREATE INDEX quality_inspections_batch ON quality_inspections (batch_id, id)",
            "CREATE INDEX quality_inspections_agent ON quality_inspections (agent_id, id)",
            "CREATE INDEX quality_inspections_status ON quality_inspections (status, id)",
            "CREATE INDEX quality_inspections_scored ON quality_inspections (scored_ms)",
            "CREATE INDEX quality_inspections_when ON quality_inspections (target_kind, target_ms)",
        ] + kind.appendOnly("quality_form_versions")
    }
}
