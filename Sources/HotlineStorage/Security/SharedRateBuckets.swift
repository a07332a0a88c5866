import Foundation
import SQLKit

/// Token buckets in the database (共享限流), so that several instances behind a balancer share one budget per key
/// instead of each granting the whole of it. Each take is one conditional upsert: it refills the bucket for the time
/// since its last take, up to its capacity, and takes a token only when at least one is there — decided by the row
/// lock of that one statement, so concurrent takes on any instance never grant more than the bucket holds.
public struct SharedRateBuckets: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// Takes one token from `key`'s bucket (`capacity` tokens, refilled evenly over `interval`). Returns nil when
    /// taken, or the seconds until a token will be there.
    public func take(_ key: String, capacity: Int, per interval: TimeInterval, now: Date) async throws -> TimeInterval? {
        let rate = Double(capacity) / interval / 1000  // tokens per millisecond
        let nowMS = now.epochMilliseconds
        let refilled = "LEAST(?, rate_buckets.tokens + GREATEST(0, ? - rate_buckets.updated_ms) * ?)"
        let taken = try await database.read { db in
            try await db.firstRow(Statement(
                """
                INSERT INTO rate_buckets (key, tokens, updated_ms) VALUES (?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET tokens = \(refilled) - 1, updated_ms = GREATEST(rate_buckets.updated_ms, ?)
                WHERE \(refilled) >= 1
                RETURNING tokens
                """,
                [key, Double(capacity - 1), nowMS, Double(capacity), nowMS, rate, nowMS, Double(capacity), nowMS, rate]))
        }
        if taken != nil { return nil }
        let left = try await tokens(key, capacity: capacity, per: interval, now: now) ?? 0
        return (1 - left) / (rate * 1000)
    }

    /// The tokens `key`'s bucket holds now (nil: no bucket, so a full one).
    public func tokens(_ key: String, capacity: Int, per interval: TimeInterval, now: Date) async throws -> Double? {
        let rate = Double(capacity) / interval / 1000
        return try await database.read { db in
            try await db.firstRow(Statement(
                "SELECT LEAST(?, tokens + GREATEST(0, ? - updated_ms) * ?) AS left FROM rate_buckets WHERE key = ?",
                [Double(capacity), now.epochMilliseconds, rate, key]))?
                .decode(column: "left", as: Double.self)
        }
    }

    /// Drops buckets nobody has taken from since `before` (every limit refills within a day, so they are full).
    @discardableResult
    public func sweep(before: Date) async throws -> Int {
        try await database.read { db in
            try await db.rows(Statement("DELETE FROM rate_buckets WHERE updated_ms < ? RETURNING key", [before.epochMilliseconds])).count
        }
    }
}
