import Foundation
import HotlineDomain
import HotlineStorage
import HTTPTypes
import Hummingbird
import Synchronization

/// How many requests a key may make in an interval.
struct RateLimit: Sendable {
    var requests: Int
    var interval: TimeInterval

    /// Login attempts per client address (on top of the per-account lockout).
    static let login = RateLimit(requests: 20, interval: 60)
    /// Citizen order lookups per client address.
    static let publicTrack = RateLimit(requests: 30, interval: 60)
    /// Failed citizen lookups of one order number, so that the phone number cannot be guessed.
    static let trackFailuresPerOrder = RateLimit(requests: 5, interval: 3600)
    /// New requests from one client address where citizens reach the platform directly (the portal, Open311).
    static let intakePerAddress = RateLimit(requests: 20, interval: 3600)
    /// New requests from one sender (a phone number, or a channel's account id) through any channel.
    static let intakePerSender = RateLimit(requests: 10, interval: 3600)
    /// Deliveries from one gateway's address (SMS, WeChat, app, mailbox): a gateway speaks for many citizens.
    static let gatewayPerAddress = RateLimit(requests: 1_200, interval: 60)
}

/// Token buckets (限流) keyed by purpose and client. On PostgreSQL they are shared by every instance behind the
/// balancer (``SharedRateBuckets``: one statement per take decides it); on SQLite, with one instance, they are kept in
/// memory.
final class RateLimiter: Sendable {
    private let buckets = Mutex<Buckets>(Buckets())
    private let clock: @Sendable () -> Date
    /// The database's buckets when several instances may share the limits.
    private let shared: SharedRateBuckets?
    /// Takes since the last sweep of the shared buckets.
    private let takes = Atomic<Int>(0)
    /// A sweep of the shared buckets every so many takes.
    static let sharedSweepEvery = 5_000
    /// Buckets kept before full ones are first swept.
    static let sweepThreshold = 10_000

    /// The buckets and how many may be kept before the next sweep. A sweep keeps the buckets still in use; the next one
    /// waits until there are twice as many, so a flood of new keys (rotating addresses or senders) costs each request
    /// O(1) amortised instead of a sweep of every bucket.
    private struct Buckets {
        var byKey: [String: RateBucket] = [:]
        var sweepAt = RateLimiter.sweepThreshold
        var sweeps = 0
    }

    /// How many buckets are kept and how many sweeps there have been (tests).
    var state: (buckets: Int, sweeps: Int) { buckets.withLock { ($0.byKey.count, $0.sweeps) } }

    init(clock: @escaping @Sendable () -> Date, shared: SharedRateBuckets? = nil) {
        self.clock = clock
        self.shared = shared
    }

    /// Takes one request from `key`'s bucket or throws 429 with the wait.
    func check(_ key: String, _ limit: RateLimit) async throws {
        let now = clock()
        if let shared {
            if takes.wrappingAdd(1, ordering: .relaxed).newValue % Self.sharedSweepEvery == 0 {
                // Buckets untouched for a day are full again: dropping them changes no answer.
                _ = try? await shared.sweep(before: now.addingTimeInterval(-86_400))
            }
            if let wait = try await shared.take(key, capacity: limit.requests, per: limit.interval, now: now) {
                throw APIError.rateLimited(retryAfter: wait)
            }
            return
        }
        let wait: TimeInterval? = buckets.withLock { buckets in
            if buckets.byKey.count > buckets.sweepAt {
                buckets.byKey = buckets.byKey.filter { !$0.value.isFull(at: now) }
                buckets.sweepAt = max(Self.sweepThreshold, 2 * buckets.byKey.count)
                buckets.sweeps += 1
            }
            var bucket = buckets.byKey[key] ?? RateBucket(capacity: limit.requests, per: limit.interval, now: now)
            let wait = bucket.take(at: now)
            buckets.byKey[key] = bucket
            return wait
        }
        if let wait { throw APIError.rateLimited(retryAfter: wait) }
    }

    /// The limits every channel's intake passes before anything is stored (多渠道限流): the sender's budget, keyed by
    /// the sender's phone or channel identity whichever channel it comes through, and for entries citizens reach
    /// directly the client address's budget. Throws 429 with the wait; nothing is taken from a bucket the other refused.
    func checkIntake(address: String?, sender: String?) async throws {
        if let address, try await isExhausted("intake-ip|" + address, .intakePerAddress) {
            try await check("intake-ip|" + address, .intakePerAddress)
        }
        if let sender { try await check("intake-sender|" + sender, .intakePerSender) }
        if let address { try await check("intake-ip|" + address, .intakePerAddress) }
    }

    /// Whether `key` has no request left, without taking one.
    func isExhausted(_ key: String, _ limit: RateLimit) async throws -> Bool {
        let now = clock()
        if let shared {
            return try await shared.tokens(key, capacity: limit.requests, per: limit.interval, now: now).map { $0 < 1 } ?? false
        }
        return buckets.withLock { buckets in
            guard var bucket = buckets.byKey[key] else { return false }
            // Probe a copy: taking from it does not change the stored bucket.
            return bucket.take(at: now) != nil
        }
    }
}

/// Who is calling, for rate limits and the audit log: the peer address, or the first `X-Forwarded-For`
/// address when the server is configured to sit behind a trusted proxy.
struct ClientAddress: Sendable {
    let trustForwardedFor: Bool

    func of(_ request: Request, _ context: AppRequestContext) -> String {
        if trustForwardedFor, let forwarded = request.headers[.xForwardedFor],
           let first = forwarded.split(separator: ",").first?.trimmingCharacters(in: .whitespaces), !first.isEmpty {
            return String(first.prefix(64))
        }
        return context.peerAddress ?? "unknown"
    }

    /// Whether the original request came over TLS (directly is not supported; via a trusted proxy).
    func isSecure(_ request: Request) -> Bool {
        trustForwardedFor && request.headers[.xForwardedProto]?.lowercased() == "https"
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}
