import Foundation

/// A call-by-call simulation of one queue served by a fixed number of agents, first come, first served: the
/// check on ``ErlangC`` that does not rest on its formulas.
///
/// Calls arrive as a Poisson process and take exponentially distributed handling times — Erlang C's own
/// assumptions, so over enough calls the simulated figures must come out as the model's. Each call goes to
/// the agent free soonest, which for identical agents is exactly first come, first served.
public enum QueueSimulation {
    /// What the simulated calls met.
    public struct Outcome: Sendable, Equatable {
        public let calls: Int
        /// Share of calls answered within the answer time.
        public let serviceLevel: Double
        /// Share of calls that waited at all.
        public let probabilityOfWaiting: Double
        /// Mean wait over all calls, seconds.
        public let averageSpeedOfAnswer: Double
    }

    /// Simulates `calls` calls at `callsPerSecond` on `agents` agents (which start free) and measures them
    /// after the first `warmUp` calls.
    public static func run(
        calls: Int, warmUp: Int = 0, callsPerSecond: Double, averageHandleSeconds: Double, agents: Int, answerSeconds: Double,
        using random: inout some RandomNumberGenerator
    ) -> Outcome {
        precondition(agents > 0 && callsPerSecond > 0 && averageHandleSeconds > 0)
        var freeAt = [Double](repeating: 0, count: agents)
        var clock = 0.0
        var measured = 0
        var withinTarget = 0
        var waited = 0
        var totalWait = 0.0
        for n in 0..<(warmUp + calls) {
            clock += exponential(mean: 1 / callsPerSecond, using: &random)
            var soonest = 0
            for i in 1..<agents where freeAt[i] < freeAt[soonest] { soonest = i }
            let wait = max(0, freeAt[soonest] - clock)
            freeAt[soonest] = clock + wait + exponential(mean: averageHandleSeconds, using: &random)
            guard n >= warmUp else { continue }
            measured += 1
            totalWait += wait
            if wait > 0 { waited += 1 }
            if wait <= answerSeconds { withinTarget += 1 }
        }
        let count = Double(max(measured, 1))
        return Outcome(
            calls: measured, serviceLevel: Double(withinTarget) / count, probabilityOfWaiting: Double(waited) / count,
            averageSpeedOfAnswer: totalWait / count)
    }

    static func exponential(mean: Double, using random: inout some RandomNumberGenerator) -> Double {
        // 1 − U lies in (0, 1], so the logarithm is finite.
        -mean * log(1 - Double.random(in: 0..<1, using: &random))
    }
}
