import Foundation

/// A token bucket (限流): holds up to `capacity` tokens, refilled at `perSecond`; each request takes one.
/// Time is a parameter so that the policy can be tested without waiting.
public struct RateBucket: Sendable, Equatable {
    public let capacity: Double
    public let perSecond: Double
    public private(set) var tokens: Double
    public private(set) var updated: Date

    public init(capacity: Int, per interval: TimeInterval, now: Date) {
        self.capacity = Double(capacity)
        perSecond = Double(capacity) / interval
        tokens = Double(capacity)
        updated = now
    }

    /// Takes a token if one is left; otherwise returns the seconds until one will be.
    public mutating func take(at now: Date) -> TimeInterval? {
        refill(now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return (1 - tokens) / perSecond
    }

    /// Whether the bucket is full again, so that it can be forgotten.
    public func isFull(at now: Date) -> Bool {
        tokens + now.timeIntervalSince(updated) * perSecond >= capacity
    }

    private mutating func refill(_ now: Date) {
        let elapsed = max(0, now.timeIntervalSince(updated))
        tokens = min(capacity, tokens + elapsed * perSecond)
        updated = now
    }
}
