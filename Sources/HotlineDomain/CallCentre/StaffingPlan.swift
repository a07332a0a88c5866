import Foundation

/// 排班测算 for one day: each interval's forecast calls turned into the agents on the phones Erlang C asks for,
/// and the agents to schedule after shrinkage.
public struct StaffingPlan: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// Minutes after midnight the interval starts.
        public let startMinute: Int
        public let calls: Double
        public let requirement: StaffingRequirement
    }

    public let intervalMinutes: Int
    public let averageHandleSeconds: Double
    public let target: ServiceTarget
    public let rows: [Row]

    /// Plans `calls` (one count per interval of `intervalMinutes`, from midnight) at `averageHandleSeconds` for
    /// `target`.
    public init(calls: [Double], intervalMinutes: Int = 30, averageHandleSeconds: Double, target: ServiceTarget) throws(StaffingError) {
        guard intervalMinutes > 0 else { throw .invalid("interval-minutes", "must be more than 0") }
        var rows: [Row] = []
        for (index, count) in calls.enumerated() {
            let demand = IntervalDemand(calls: count, averageHandleSeconds: averageHandleSeconds, intervalSeconds: Double(intervalMinutes * 60))
            rows.append(Row(startMinute: index * intervalMinutes, calls: count, requirement: try ErlangC.requirement(for: demand, target: target)))
        }
        self.intervalMinutes = intervalMinutes
        self.averageHandleSeconds = averageHandleSeconds
        self.target = target
        self.rows = rows
    }

    /// The most agents any interval needs on the phones, and to schedule.
    public var peakAgents: Int { rows.map(\.requirement.agents).max() ?? 0 }
    public var peakScheduledAgents: Int { rows.map(\.requirement.scheduledAgents).max() ?? 0 }

    /// 排班工时: scheduled agent-hours over the day.
    public var scheduledAgentHours: Double {
        Double(rows.map(\.requirement.scheduledAgents).reduce(0, +)) * Double(intervalMinutes) / 60
    }

    /// The day's service level, each interval's weighted by its calls (1 with no calls).
    public var serviceLevel: Double {
        let calls = rows.map(\.calls).reduce(0, +)
        guard calls > 0 else { return 1 }
        return rows.map { $0.calls * $0.requirement.serviceLevel }.reduce(0, +) / calls
    }
}
