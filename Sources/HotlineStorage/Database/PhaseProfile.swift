import Foundation
import Synchronization

/// Wall time spent in the named phases of a long job, summed over its calls (a benchmark's "where the time went").
public final class PhaseProfile: Sendable {
    private let totals = Mutex<[String: Duration]>([:])
    private let order = Mutex<[String]>([])

    public init() {}

    /// Runs `body`, adding its wall time to `phase`.
    public func measure<T>(_ phase: String, _ body: () async throws -> T) async rethrows -> T {
        let clock = ContinuousClock()
        let started = clock.now
        defer { add(phase, clock.now - started) }
        return try await body()
    }

    public func add(_ phase: String, _ duration: Duration) {
        totals.withLock { $0[phase, default: .zero] += duration }
        order.withLock { if !$0.contains(phase) { $0.append(phase) } }
    }

    /// Each phase with its total, in the order they first ran.
    public var phases: [(name: String, seconds: Double)] {
        let sums = totals.withLock { $0 }
        return order.withLock { $0 }.map { name in
            let d = sums[name] ?? .zero
            return (name, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
    }
}

extension Optional where Wrapped == PhaseProfile {
    /// Runs `body`, timing it when there is a profile.
    func measure<T>(_ phase: String, _ body: () async throws -> T) async rethrows -> T {
        guard let profile = self else { return try await body() }
        return try await profile.measure(phase, body)
    }
}
