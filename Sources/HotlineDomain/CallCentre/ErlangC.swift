import Foundation

/// The Erlang C model of a call centre's queue (M/M/N: Poisson arrivals, exponential handling times, one queue
/// served first come, first served, nobody hangs up): how many agents on the phones (在线坐席) an interval's calls
/// need for a service level (服务水平), and what that many agents achieve.
///
/// Everything is computed without factorials or powers: the probability of waiting comes from the Erlang B
/// recursion `B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1))`, whose terms stay in [0, 1] for any load, and then
/// `C = B / (1 − ρ(1 − B))` with the occupancy `ρ = A / N`.
public enum ErlangC {
    /// The largest load the model is asked to staff, in Erlangs (a centre of 100,000 agents on the phones).
    public static let maximumTraffic = 100_000.0

    /// 话务量: the traffic intensity in Erlangs, `calls × AHT / interval` — how many agents would be busy all
    /// interval long if the calls came one after another.
    public static func trafficIntensity(calls: Double, averageHandleSeconds: Double, intervalSeconds: Double) -> Double {
        calls * averageHandleSeconds / intervalSeconds
    }

    /// Erlang B: the probability that all `agents` are busy when calls that find them busy are lost.
    public static func erlangB(traffic: Double, agents: Int) -> Double {
        var b = 1.0
        if agents > 0 {
            for k in 1...agents { b = traffic * b / (Double(k) + traffic * b) }
        }
        return b
    }

    /// 等待概率: the probability that a call waits (Erlang C); 1 when the agents cannot keep up (`agents ≤ traffic`).
    public static func probabilityOfWaiting(traffic: Double, agents: Int) -> Double {
        probabilityOfWaiting(traffic: traffic, agents: agents, erlangB: erlangB(traffic: traffic, agents: agents))
    }

    static func probabilityOfWaiting(traffic: Double, agents: Int, erlangB b: Double) -> Double {
        if traffic <= 0 { return 0 }
        guard Double(agents) > traffic else { return 1 }
        let occupancy = traffic / Double(agents)
        return b / (1 - occupancy * (1 - b))
    }

    /// 服务水平: the share of calls answered within `answerSeconds`, `1 − P(wait)·e^{−(N−A)·t/AHT}`; 0 when the
    /// agents cannot keep up.
    public static func serviceLevel(traffic: Double, agents: Int, averageHandleSeconds: Double, answerSeconds: Double) -> Double {
        serviceLevel(
            traffic: traffic, agents: agents, averageHandleSeconds: averageHandleSeconds, answerSeconds: answerSeconds,
            probabilityOfWaiting: probabilityOfWaiting(traffic: traffic, agents: agents))
    }

    static func serviceLevel(
        traffic: Double, agents: Int, averageHandleSeconds: Double, answerSeconds: Double, probabilityOfWaiting p: Double
    ) -> Double {
        if traffic <= 0 { return 1 }
        guard Double(agents) > traffic else { return 0 }
        return 1 - p * exp(-(Double(agents) - traffic) * answerSeconds / averageHandleSeconds)
    }

    /// 平均应答时间 (ASA): the mean wait of all calls, waiting or not, `P(wait)·AHT / (N − A)`, in seconds;
    /// infinite when the agents cannot keep up.
    public static func averageSpeedOfAnswer(traffic: Double, agents: Int, averageHandleSeconds: Double) -> Double {
        if traffic <= 0 { return 0 }
        guard Double(agents) > traffic else { return .infinity }
        return probabilityOfWaiting(traffic: traffic, agents: agents) * averageHandleSeconds / (Double(agents) - traffic)
    }

    /// The agents on the phones that `demand` needs to meet `target`, and the agents to schedule once shrinkage
    /// (breaks, training, meetings, leave) takes its share.
    ///
    /// The least `N > A` (at least `target.minimumAgents`) whose service level reaches the target and, when
    /// `target.maximumOccupancy` is set, whose occupancy `A / N` does not exceed it. No calls need no agents.
    public static func requirement(for demand: IntervalDemand, target: ServiceTarget) throws(StaffingError) -> StaffingRequirement {
        try demand.validate()
        try target.validate()
        let traffic = demand.traffic
        guard traffic <= maximumTraffic else { throw .tooMuchTraffic(traffic) }
        // Start one below the least agent count that could keep up, and let the recursion walk up from there.
        var agents = max(Int(traffic.rounded(.down)), target.minimumAgents - 1, 0)
        var b = erlangB(traffic: traffic, agents: agents)
        while true {
            if traffic <= 0, agents >= target.minimumAgents { break }
            if Double(agents) > traffic, agents >= target.minimumAgents {
                let p = probabilityOfWaiting(traffic: traffic, agents: agents, erlangB: b)
                let level = serviceLevel(
                    traffic: traffic, agents: agents, averageHandleSeconds: demand.averageHandleSeconds,
                    answerSeconds: target.answerSeconds, probabilityOfWaiting: p)
                let occupancyMet = target.maximumOccupancy.map { traffic / Double(agents) <= $0 } ?? true
                if level >= target.serviceLevel, occupancyMet { break }
            }
            agents += 1
            b = traffic * b / (Double(agents) + traffic * b)
        }
        return StaffingRequirement(demand: demand, target: target, agents: agents)
    }

    /// 排班人数: the agents to schedule so that `agents` are on the phones after `shrinkage`, `⌈N / (1 − s)⌉`.
    public static func scheduledAgents(_ agents: Int, shrinkage: Double) -> Int {
        // 14 / 0.7 is 20.000000000000004 in binary floating point; a hair of tolerance keeps it 20.
        Int((Double(agents) / (1 - shrinkage) - 1e-9).rounded(.up))
    }
}

/// One interval's calls: how many, how long each takes to handle, and how long the interval is.
public struct IntervalDemand: Sendable, Equatable, Codable {
    /// Calls offered in the interval (a forecast may be fractional).
    public var calls: Double
    /// 平均处理时长 (AHT): talk time plus after-call work, in seconds.
    public var averageHandleSeconds: Double
    public var intervalSeconds: Double

    public init(calls: Double, averageHandleSeconds: Double, intervalSeconds: Double = 1800) {
        self.calls = calls
        self.averageHandleSeconds = averageHandleSeconds
        self.intervalSeconds = intervalSeconds
    }

    /// 话务量 in Erlangs.
    public var traffic: Double {
        calls <= 0 ? 0 : ErlangC.trafficIntensity(calls: calls, averageHandleSeconds: averageHandleSeconds, intervalSeconds: intervalSeconds)
    }

    func validate() throws(StaffingError) {
        guard calls.isFinite, calls >= 0 else { throw .invalid("calls", "must be a number of calls, 0 or more") }
        guard averageHandleSeconds.isFinite, averageHandleSeconds > 0 else { throw .invalid("aht", "must be more than 0 seconds") }
        guard intervalSeconds.isFinite, intervalSeconds > 0 else { throw .invalid("interval", "must be more than 0 minutes") }
    }
}

/// What the centre aims for: `serviceLevel` of calls answered within `answerSeconds` (80/20 is the common
/// target), with `shrinkage` of the scheduled agents away from the phones.
public struct ServiceTarget: Sendable, Equatable, Codable {
    /// 服务水平目标, strictly between 0 and 1.
    public var serviceLevel: Double
    /// 目标应答时间, seconds.
    public var answerSeconds: Double
    /// 缩减率: the share of scheduled time not spent on the phones, in [0, 1).
    public var shrinkage: Double
    /// 最高占用率: an optional cap on `A / N`, in (0, 1].
    public var maximumOccupancy: Double?
    /// Agents to keep on the phones however quiet the interval (0: none).
    public var minimumAgents: Int

    public init(
        serviceLevel: Double = 0.8, answerSeconds: Double = 20, shrinkage: Double = 0, maximumOccupancy: Double? = nil, minimumAgents: Int = 0
    ) {
        self.serviceLevel = serviceLevel
        self.answerSeconds = answerSeconds
        self.shrinkage = shrinkage
        self.maximumOccupancy = maximumOccupancy
        self.minimumAgents = minimumAgents
    }

    func validate() throws(StaffingError) {
        guard serviceLevel > 0, serviceLevel < 1 else { throw .invalid("service-level", "must be between 0 and 1, e.g. 0.8") }
        guard answerSeconds.isFinite, answerSeconds >= 0 else { throw .invalid("answer-seconds", "must be 0 seconds or more") }
        guard shrinkage >= 0, shrinkage < 1 else { throw .invalid("shrinkage", "must be at least 0 and below 1, e.g. 0.3") }
        if let cap = maximumOccupancy, !(cap > 0 && cap <= 1) { throw .invalid("max-occupancy", "must be above 0 and at most 1") }
        guard minimumAgents >= 0 else { throw .invalid("minimum-agents", "must not be negative") }
    }
}

/// The agents an interval needs and what they achieve.
public struct StaffingRequirement: Sendable, Equatable, Codable {
    /// 话务量, Erlangs.
    public let traffic: Double
    /// 在线坐席: agents on the phones.
    public let agents: Int
    /// 排班人数: agents to schedule, after shrinkage.
    public let scheduledAgents: Int
    /// 服务水平 achieved with `agents`.
    public let serviceLevel: Double
    /// 等待概率.
    public let probabilityOfWaiting: Double
    /// 平均应答时间, seconds.
    public let averageSpeedOfAnswer: Double
    /// 坐席占用率 `A / N` (0 with no agents).
    public let occupancy: Double

    /// What `agents` on the phones achieve on `demand`.
    public init(demand: IntervalDemand, target: ServiceTarget, agents: Int) {
        let traffic = demand.traffic
        let p = ErlangC.probabilityOfWaiting(traffic: traffic, agents: agents)
        self.traffic = traffic
        self.agents = agents
        scheduledAgents = ErlangC.scheduledAgents(agents, shrinkage: target.shrinkage)
        probabilityOfWaiting = p
        serviceLevel = ErlangC.serviceLevel(
            traffic: traffic, agents: agents, averageHandleSeconds: demand.averageHandleSeconds, answerSeconds: target.answerSeconds,
            probabilityOfWaiting: p)
        averageSpeedOfAnswer = ErlangC.averageSpeedOfAnswer(traffic: traffic, agents: agents, averageHandleSeconds: demand.averageHandleSeconds)
        occupancy = agents > 0 ? traffic / Double(agents) : 0
    }
}

/// Why a staffing question cannot be answered.
public enum StaffingError: Error, Equatable, CustomStringConvertible {
    /// The named input is out of range.
    case invalid(String, String)
    case tooMuchTraffic(Double)

    public var description: String {
        switch self {
        case .invalid(let field, let reason): "\(field) \(reason)"
        case .tooMuchTraffic(let traffic):
            "the load is \(Int(traffic)) Erlangs, more than the \(Int(ErlangC.maximumTraffic)) this model staffs"
        }
    }
}
