import Foundation

/// An agent's state as the call-centre system reports it (坐席状态).
public enum AgentState: String, Sendable, Codable, CaseIterable {
    /// 示闲: ready for the next call.
    case ready
    /// 通话中.
    case busy
    /// 话后处理.
    case afterCallWork = "after_call_work"
    /// 小休.
    case onBreak = "break"
    /// 培训.
    case training
    /// 离线 / 签出.
    case offline

    public var chineseName: String {
        switch self {
        case .ready: "示闲"
        case .busy: "通话中"
        case .afterCallWork: "话后处理"
        case .onBreak: "小休"
        case .training: "培训"
        case .offline: "离线"
        }
    }

    /// Whether the agent is signed in and counts on the floor (everything but offline).
    public var isSignedIn: Bool { self != .offline }
}

/// What a call-centre system (CTI, 话务平台) tells the platform: one event of a call or of an agent, with the system's
/// own event id, which makes a repeated delivery harmless.
public struct CallEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// 呼入: a call reached the queue.
        case offered(caller: String, queue: String, ivr: String?)
        /// 接听: an agent answered at a seat.
        case answered(agent: String, seat: String?)
        /// 转接: to an expert seat (专家坐席) or a three-way call with a specialist (三方通话).
        case transferred(to: String, threeWay: Bool)
        /// 放弃: the caller hung up before an answer.
        case abandoned
        /// 结束: the call ended, with its wait, talk and after-call work in seconds.
        case ended(waitSeconds: Int, talkSeconds: Int, afterCallSeconds: Int)
        /// 漏接回拨: a missed call that the centre is to call back.
        case missedCallback(caller: String)
        /// 坐席状态: an agent's state changed.
        case agentState(agent: String, state: AgentState, seat: String?)
    }

    public var id: String
    public var at: Date
    /// The call the event belongs to; nil for an agent's state.
    public var callID: String?
    public var kind: Kind

    public init(id: String, at: Date, callID: String?, kind: Kind) {
        self.id = id
        self.at = at
        self.callID = callID
        self.kind = kind
    }

    /// The event's type as the API names it.
    public var typeName: String {
        switch kind {
        case .offered: "call_offered"
        case .answered: "call_answered"
        case .transferred: "call_transferred"
        case .abandoned: "call_abandoned"
        case .ended: "call_ended"
        case .missedCallback: "missed_call"
        case .agentState: "agent_state"
        }
    }

    /// Checks what a call-centre system sent; the refusal names the field.
    public func validated() throws(CallEventError) -> CallEvent {
        guard (1...100).contains(id.count) else { throw .invalid(field: "event_id", message: "事件编号应为1到100个字符") }
        switch kind {
        case .agentState(let agent, _, _):
            guard (1...64).contains(agent.count) else { throw .invalid(field: "agent", message: "坐席工号应为1到64个字符") }
        case .offered(let caller, let queue, _):
            try Self.requireCall(callID)
            guard (1...20).contains(caller.count), caller.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "+") }) else {
                throw .invalid(field: "caller", message: "来电号码格式不正确")
            }
            guard (1...64).contains(queue.count) else { throw .invalid(field: "queue", message: "队列（技能组）应为1到64个字符") }
        case .answered(let agent, _):
            try Self.requireCall(callID)
            guard (1...64).contains(agent.count) else { throw .invalid(field: "agent", message: "坐席工号应为1到64个字符") }
        case .transferred(let to, _):
            try Self.requireCall(callID)
            guard (1...64).contains(to.count) else { throw .invalid(field: "to", message: "转接目标应为1到64个字符") }
        case .abandoned:
            try Self.requireCall(callID)
        case .ended(let wait, let talk, let acw):
            try Self.requireCall(callID)
            for (field, value) in [("wait_seconds", wait), ("talk_seconds", talk), ("acw_seconds", acw)] where !(0...86_400).contains(value) {
                throw .invalid(field: field, message: "时长应为0到86400秒")
            }
        case .missedCallback(let caller):
            try Self.requireCall(callID)
            guard (1...20).contains(caller.count) else { throw .invalid(field: "caller", message: "来电号码格式不正确") }
        }
        return self
    }

    static func requireCall(_ id: String?) throws(CallEventError) {
        guard let id, (1...100).contains(id.count) else { throw .invalid(field: "call_id", message: "通话编号应为1到100个字符") }
    }
}

public enum CallEventError: Error, Equatable, Sendable {
    case invalid(field: String, message: String)
}
