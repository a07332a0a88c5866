extension Migrations {
    /// Migration 39: rate-limit buckets shared by every instance on PostgreSQL (共享限流). A bucket holds the tokens
    /// left and when it was last taken from; one conditional upsert refills and takes a token, so two instances taking
    /// the last token at once give it to one of them. SQLite has one instance, which keeps its buckets in memory; the
    /// table exists there too so both databases have one schema.
    static let rateBuckets: [String] = [
        """
        CREATE TABLE rate_buckets (
            key TEXT PRIMARY KEY,
            tokens DOUBLE PRECISION NOT NULL,
            updated_ms BIGINT NOT NULL
        )
        """,
        "CREATE INDEX rate_buckets_updated ON rate_buckets (updated_ms)",
    ]
}
