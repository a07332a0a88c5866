import ArgumentParser
import Foundation
import HotlineDomain

/// `hotline staffing`: the agents one interval needs for a service level (Erlang C), before and after shrinkage.
struct StaffingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staffing",
        abstract: "Agents an interval needs for a service level (Erlang C), on the phones and scheduled after shrinkage.")

    @Option(help: "Calls offered in the interval.") var calls: Double
    @Option(help: "Average handling time (talk plus after-call work), seconds.") var aht: Double
    @Option(name: .customLong("interval-minutes"), help: "Length of the interval, minutes.") var intervalMinutes: Double = 30
    @Option(name: .customLong("service-level"), help: "Share of calls to answer within --answer-seconds, e.g. 0.8.") var serviceLevel: Double = 0.8
    @Option(name: .customLong("answer-seconds"), help: "Target answer time, seconds.") var answerSeconds: Double = 20
    @Option(help: "Share of scheduled time away from the phones (breaks, training), e.g. 0.3.") var shrinkage: Double = 0
    @Flag(help: "Print {\"agents\", \"scheduled_agents\", \"service_level\", \"probability_of_waiting\", \"average_speed_of_answer\"}.")
    var json = false

    /// The JSON answer: exactly these five keys.
    struct Answer: Encodable {
        let agents: Int
        let scheduledAgents: Int
        let serviceLevel: Double
        let probabilityOfWaiting: Double
        let averageSpeedOfAnswer: Double

        enum CodingKeys: String, CodingKey {
            case agents
            case scheduledAgents = "scheduled_agents"
            case serviceLevel = "service_level"
            case probabilityOfWaiting = "probability_of_waiting"
            case averageSpeedOfAnswer = "average_speed_of_answer"
        }

        init(_ need: StaffingRequirement) {
            agents = need.agents
            scheduledAgents = need.scheduledAgents
            serviceLevel = (need.serviceLevel * 1e6).rounded() / 1e6
            probabilityOfWaiting = (need.probabilityOfWaiting * 1e6).rounded() / 1e6
            averageSpeedOfAnswer = (need.averageSpeedOfAnswer * 1e3).rounded() / 1e3
        }
    }

    func run() throws {
        let demand = IntervalDemand(calls: calls, averageHandleSeconds: aht, intervalSeconds: intervalMinutes * 60)
        let target = ServiceTarget(serviceLevel: serviceLevel, answerSeconds: answerSeconds, shrinkage: shrinkage)
        let need: StaffingRequirement
        do { need = try ErlangC.requirement(for: demand, target: target) } catch { throw ValidationError(Self.flagged(error)) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            say(String(decoding: try encoder.encode(Answer(need)), as: UTF8.self))
            return
        }
        say(String(format: "话务量：%.2f Erlang（%@ 通 × %@ 秒 ÷ %@ 分钟）", need.traffic, Self.number(calls), Self.number(aht), Self.number(intervalMinutes)))
        say("在线坐席：\(need.agents) 人")
        say("排班人数：\(need.scheduledAgents) 人（缩减率 \(Self.percent(shrinkage))）")
        say("服务水平：\(Self.percent(need.serviceLevel))（\(Self.number(answerSeconds)) 秒内接通；目标 \(Self.percent(serviceLevel))）")
        say("等待概率：\(Self.percent(need.probabilityOfWaiting))")
        say(String(format: "平均应答时间：%.1f 秒", need.averageSpeedOfAnswer))
        say("坐席占用率：\(Self.percent(need.occupancy))")
    }

    /// A staffing refusal named by its command-line flag.
    static func flagged(_ error: StaffingError) -> String {
        switch error {
        case .invalid: "--\(error.description)"
        case .tooMuchTraffic: error.description
        }
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%g", value)
    }
}
