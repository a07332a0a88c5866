import Foundation
import Testing

@testable import HotlineWeb

/// The in-memory limiter under a flood of new keys (rotating client addresses or senders): each request stays O(1)
/// amortised — a sweep runs only when the buckets have doubled since the last — and buckets no longer in use go.
@Suite struct RateLimiterTests {
    @Test func aFloodOfNewKeysSweepsRarelyAndFullBucketsGo() throws {
        let clock = TestClock()
        let limiter = RateLimiter(clock: { clock.now })
        for i in 0..<50_000 { try limiter.check("intake-ip|10.\(i / 65_536).\(i / 256 % 256).\(i % 256)", .intakePerAddress) }
        // Every bucket is in use (one request of twenty an hour): 50,000 kept, swept at 10,001, 20,003 and 40,007 only.
        #expect(limiter.state.buckets == 50_000)
        #expect(limiter.state.sweeps == 3)
        // The limit still holds for a key in the crowd.
        for _ in 0..<(RateLimit.intakePerAddress.requests - 1) { try limiter.check("intake-ip|10.0.0.7", .intakePerAddress) }
        #expect(throws: APIError.self) { try limiter.check("intake-ip|10.0.0.7", .intakePerAddress) }
        // An hour on, every old bucket is full again: the next sweep drops all 50,000 and keeps only the new ones.
        clock.advance(3_601)
        for i in 0..<30_016 { try limiter.check("intake-sender|\(i)", .intakePerSender) }
        #expect(limiter.state.sweeps == 4)
        #expect(limiter.state.buckets == 30_016)
    }
}
