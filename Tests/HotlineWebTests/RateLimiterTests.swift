import Foundation
import HotlineStorage
import HotlineTestSupport
import Testing

@testable import HotlineWeb

/// The in-memory limiter under a flood of new keys (rotating client addresses or senders): each request stays O(1)
/// amortised — a sweep runs only when the buckets have doubled since the last — and buckets no longer in use go.
@Suite struct RateLimiterTests {
    @Test func aFloodOfNewKeysSweepsRarelyAndFullBucketsGo() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(clock: { clock.now })
        for i in 0..<50_000 { try await limiter.check("intake-ip|10.\(i / 65_536).\(i / 256 % 256).\(i % 256)", .intakePerAddress) }
        // Every bucket is in use (one request of twenty an hour): 50,000 kept, swept at 10,001, 20,003 and 40,007 only.
        #expect(limiter.state.buckets == 50_000)
        #expect(limiter.state.sweeps == 3)
        // The limit still holds for a key in the crowd.
        for _ in 0..<(RateLimit.intakePerAddress.requests - 1) { try await limiter.check("intake-ip|10.0.0.7", .intakePerAddress) }
        await #expect(throws: APIError.self) { try await limiter.check("intake-ip|10.0.0.7", .intakePerAddress) }
        // An hour on, every old bucket is full again: the next sweep drops all 50,000 and keeps only the new ones.
        clock.advance(3_601)
        for i in 0..<30_016 { try await limiter.check("intake-sender|\(i)", .intakePerSender) }
        #expect(limiter.state.sweeps == 4)
        #expect(limiter.state.buckets == 30_016)
    }

    /// Takes `count` logins at once, spread over `limiters`; returns how many were let through.
    func burst(_ limiters: [RateLimiter], _ count: Int, key: String) async throws -> Int {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<count {
                group.addTask {
                    do {
                        try await limiters[i % limiters.count].check(key, .login)
                        return true
                    } catch is APIError {
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
    }

    /// Instances sharing one PostgreSQL share each budget: sixty logins at once through two instances get the twenty a
    /// client address may make in a minute, not twenty on each; the bucket refills over time for both.
    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func instancesOnOnePostgreSQLGrantTheLimitOnceBetweenThem() async throws {
        try await TestDatabase.postgres.withTwoInstances { a, b in
            let clock = TestClock()
            let limiters = [a, b].map { RateLimiter(clock: { clock.now }, shared: SharedRateBuckets(database: $0.database)) }
            let granted = try await burst(limiters, 60, key: "login|10.0.0.9")
            #expect(granted == RateLimit.login.requests)
            let elsewhere = try await burst(limiters, 4, key: "login|10.0.0.10")
            #expect(elsewhere == 4, "another address has its own budget")
            await #expect(throws: APIError.self) { try await limiters[1].check("login|10.0.0.9", .login) }
            // 20 a minute: one more every three seconds, whichever instance asks.
            clock.advance(3.1)
            let refilled = try await burst(limiters, 6, key: "login|10.0.0.9")
            #expect(refilled == 1)
            let exhausted = try await limiters[0].isExhausted("login|10.0.0.9", .login)
            #expect(exhausted)
            clock.advance(61)
            let full = try await limiters[1].isExhausted("login|10.0.0.9", .login)
            #expect(!full)
        }
    }
}
