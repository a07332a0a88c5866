extension Migrations {
    /// Migration 38: signed checkpoints (存证).
    /// - `checkpoints`: append-only, one row per checkpoint — the signed statement and its fields (order count, Merkle
    ///   root, the previous checkpoint's hash, the key's fingerprint and public key) and the signature.
    /// - `checkpoint_leaves`: every order's leaf in a checkpoint (its chain head and document hash, and its place
    ///   among the leaves), kept for the latest checkpoint only, for inclusion proofs and for naming the orders a
    ///   later check finds changed.
    /// - `checkpoint_chunks`: the root of each run of 256 leaves and the first order in it, so that an inclusion proof
    ///   reads one run of leaves and the chunks' roots instead of every leaf.
    static func checkpoints(_ kind: DatabaseKind) -> [String] {
        let compact = kind == .sqlite ? " WITHOUT ROWID" : ""
        return [
            """
            CREATE TABLE checkpoints (
                sequence BIGINT PRIMARY KEY,
                created_at BIGINT NOT NULL,
                order_count BIGINT NOT NULL,
                merkle_root TEXT NOT NULL,
                previous_hash TEXT NOT NULL,
                key_id TEXT NOT NULL,
                public_key TEXT NOT NULL,
                statement TEXT NOT NULL,
                signature TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE checkpoint_leaves (
                sequence BIGINT NOT NULL,
                order_number BIGINT NOT NULL,
                leaf_index BIGINT NOT NULL,
                head TEXT NOT NULL,
                doc_hash TEXT NOT NULL,
                PRIMARY KEY (sequence, order_number)
            )\(compact)
            """,
            """
            CREATE TABLE checkpoint_chunks (
                sequence BIGINT NOT NULL,
                chunk_index BIGINT NOT NULL,
                first_order BIGINT NOT NULL,
                root TEXT NOT NULL,
                PRIMARY KEY (sequence, chunk_index)
            )\(compact)
            """,
        ] + kind.appendOnly("checkpoints")
    }
}
