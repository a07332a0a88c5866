import Foundation

/// 人力预测 for one day: each interval's forecast calls, the agents Erlang C asks for (``StaffingPlan``), the agents the
/// roster puts on the phones (``Coverage``), and what those agents achieve — by the Erlang C formulas and, as a check that
/// does not rest on them, by the call simulator (``QueueSimulation``).
public struct StaffingDay: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public let startMinute: Int
        public let forecastCalls: Double
        /// 在线坐席需求 and 排班需求 (after shrinkage), with the expected service level and ASA at that requirement.
        public let requirement: StaffingRequirement
        /// Agents the roster puts on the phones (fractional) and on shift.
        public let scheduledAgents: Double
        public let rosteredAgents: Int
        /// The service level the scheduled (whole) agents achieve by Erlang C; nil when no calls are expected.
        public let scheduledServiceLevel: Double?
        /// The service level the call simulator measured with the scheduled agents; nil with no calls expected, 0 with
        /// calls and nobody on the phones.
        public let simulatedServiceLevel: Double?

        /// 缺口: fewer agents on the phones than required.
        public var isShort: Bool { scheduledAgents + 1e-9 < Double(requirement.agents) }
    }

    public let plan: StaffingPlan
    public let rows: [Row]

    /// Calls simulated per interval (the interval replayed until this many calls have come), so that a quiet interval's
    /// figure is not the luck of three calls.
    public static let simulatedCalls = 1_000

    /// Plans `calls` for `target` and checks `coverage` against it. The simulation's generator is seeded from `seed` and
    /// the interval, so the same inputs give the same figures.
    public init(calls: [Double], averageHandleSeconds: Double, target: ServiceTarget, coverage: Coverage, seed: UInt64 = 15) throws(StaffingError) {
        let plan = try StaffingPlan(calls: calls, intervalMinutes: coverage.intervalMinutes, averageHandleSeconds: averageHandleSeconds, target: target)
        let intervalSeconds = Double(coverage.intervalMinutes * 60)
        var rows: [Row] = []
        for (i, r) in plan.rows.enumerated() {
            let whole = coverage.wholeAgents(i)
            var erlang: Double?
            var simulated: Double?
            if r.calls > 0 {
                let traffic = ErlangC.trafficIntensity(calls: r.calls, averageHandleSeconds: averageHandleSeconds, intervalSeconds: intervalSeconds)
                erlang = ErlangC.serviceLevel(traffic: traffic, agents: whole, averageHandleSeconds: averageHandleSeconds, answerSeconds: target.answerSeconds)
                if whole == 0 {
                    simulated = 0
                } else if Double(whole) <= traffic {
                    // The queue grows without end: the simulated figure would only say how long the replay ran.
                    simulated = 0
                } else {
                    var random = SplitMix(seed: seed &+ UInt64(i) &* 0x9E37_79B9)
                    simulated = QueueSimulation.run(
                        calls: Self.simulatedCalls, warmUp: 100, callsPerSecond: r.calls / intervalSeconds, averageHandleSeconds: averageHandleSeconds,
                        agents: whole, answerSeconds: target.answerSeconds, using: &random
                    ).serviceLevel
                }
            }
            rows.append(Row(
                startMinute: r.startMinute, forecastCalls: r.calls, requirement: r.requirement, scheduledAgents: coverage.onPhones[i],
                rosteredAgents: coverage.rostered[i], scheduledServiceLevel: erlang, simulatedServiceLevel: simulated))
        }
        self.plan = plan
        self.rows = rows
    }

    /// Intervals short of agents.
    public var shortIntervals: Int { rows.filter(\.isShort).count }

    /// The day's service level with the roster, each interval weighted by its calls (by Erlang C, then simulated).
    public var scheduledServiceLevel: Double? { weighted(\.scheduledServiceLevel) }
    public var simulatedServiceLevel: Double? { weighted(\.simulatedServiceLevel) }

    func weighted(_ level: KeyPath<Row, Double?>) -> Double? {
        let calls = rows.filter { $0[keyPath: level] != nil }.map(\.forecastCalls).reduce(0, +)
        guard calls > 0 else { return nil }
        return rows.compactMap { r in r[keyPath: level].map { $0 * r.forecastCalls } }.reduce(0, +) / calls
    }

    /// A day of `dailyCalls` calls spread over the intervals by a city hotline's usual shape (``CallDaySimulation/profile``),
    /// for when there is no history to forecast from.
    public static func typicalDay(dailyCalls: Double, intervalMinutes: Int = 30) -> [Double] {
        let halves = CallDaySimulation.profile
        let perInterval = intervalMinutes / 30
        if intervalMinutes % 30 == 0, perInterval >= 1 {
            return stride(from: 0, to: halves.count, by: perInterval).map { i in halves[i..<(i + perInterval)].reduce(0, +) * dailyCalls }
        }
        let count = 1440 / intervalMinutes
        return (0..<count).map { i in halves[min(47, i * intervalMinutes / 30)] * Double(intervalMinutes) / 30 * dailyCalls }
    }
}

/// SplitMix64: a small seeded generator, so that a simulated figure is the same every time it is asked for.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
