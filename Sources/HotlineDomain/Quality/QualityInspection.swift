import Foundation

/// What an inspection looks at (质检对象): a call (a row of `calls`) or a work order the agent took.
public enum QualityTargetKind: String, Sendable, Codable, CaseIterable {
    case call
    case order

    public var chineseName: String {
        switch self {
        case .call: "通话"
        case .order: "工单"
        }
    }
}

/// How a batch picks its targets (抽检规则).
public enum QualitySamplingRule: String, Sendable, Codable, CaseIterable {
    /// 随机抽检: N answered calls and/or N orders of the period, reproducibly from the batch's seed.
    case random
    /// 不满意工单: every order of the period a callback or the citizen rated unsatisfied.
    case unsatisfied
    /// 长通话: calls whose talk time is over a threshold.
    case longCalls = "long_calls"
    /// 新员工: calls and orders of agents whose first answered call is within the last 30 days.
    case newAgents = "new_agents"
    /// 指定坐席: one named agent's calls and orders.
    case agent

    public var chineseName: String {
        switch self {
        case .random: "随机抽检"
        case .unsatisfied: "不满意工单"
        case .longCalls: "长通话"
        case .newAgents: "新员工"
        case .agent: "指定坐席"
        }
    }

    /// Whether the rule looks at calls and at orders.
    public var takesCalls: Bool { self != .unsatisfied }
    public var takesOrders: Bool { self != .longCalls }
}

/// A candidate target found for a batch: what it is, whose work, and when it happened.
public struct QualityCandidate: Sendable, Equatable, Hashable, Codable {
    public var kind: QualityTargetKind
    /// The call's id or the order's number.
    public var key: String
    public var agentID: String
    public var at: Date

    public init(kind: QualityTargetKind, key: String, agentID: String, at: Date) {
        self.kind = kind
        self.key = key
        self.agentID = agentID
        self.at = at
    }
}

/// A small reproducible random generator (SplitMix64) so that a batch's seed gives the same draw again.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

public enum QualitySampling {
    /// Picks at most `count` candidates, reproducibly from `seed`: the candidates are put in a stable order first (by
    /// kind and key), so the same candidates and seed always give the same pick; no target twice.
    public static func pick(_ candidates: [QualityCandidate], count: Int, seed: UInt64) -> [QualityCandidate] {
        var seen = Set<String>()
        var pool = candidates.filter { seen.insert($0.kind.rawValue + ":" + $0.key).inserted }
            .sorted { ($0.kind.rawValue, $0.key) < ($1.kind.rawValue, $1.key) }
        var rng = SeededGenerator(seed: seed)
        pool.shuffle(using: &rng)
        return Array(pool.prefix(max(0, count)))
    }

    /// Agents are new (新员工) while their first answered call is at most this many days old.
    public static let newAgentDays = 30
    /// Long calls (长通话) by default: talk time over ten minutes.
    public static let defaultLongCallSeconds = 600
    /// The default period of a batch: the last seven days.
    public static let defaultDays = 7
    /// The most targets one batch takes.
    public static let batchLimit = 200
}

/// Where an inspection stands (质检状态).
public enum QualityStatus: String, Sendable, Codable, CaseIterable {
    /// 待评分: drawn, not yet scored.
    case pending
    /// 待确认: scored; the agent may acknowledge or appeal.
    case scored
    /// 已确认: the agent accepted the score.
    case acknowledged
    /// 申诉中: the agent appealed; a supervisor decides.
    case appealed
    /// 申诉成立: the appeal was upheld with a new score beside the original.
    case upheld
    /// 申诉驳回: the appeal was rejected with a reason.
    case rejected

    public var chineseName: String {
        switch self {
        case .pending: "待评分"
        case .scored: "待确认"
        case .acknowledged: "已确认"
        case .appealed: "申诉中"
        case .upheld: "申诉成立"
        case .rejected: "申诉驳回"
        }
    }
}

/// An inspection (质检记录): a target of a batch, scored by an inspector against a form version, acknowledged or
/// appealed by the agent, an appeal decided by a supervisor. The original score is never overwritten: an upheld
/// appeal's new score is kept beside it.
public struct QualityInspection: Sendable, Equatable, Codable {
    public var id: Int64
    public var batchID: Int64
    public var target: QualityCandidate
    public var status: QualityStatus
    public var formID: Int64?
    public var formVersion: Int?
    public var score: QualityScore?
    public var total: Int?
    public var inspectorID: String?
    public var scoredAt: Date?
    public var acknowledgedAt: Date?
    public var appealReason: String?
    public var appealedAt: Date?
    public var decidedBy: String?
    public var decidedAt: Date?
    public var decisionNote: String?
    public var rescore: QualityScore?
    public var rescoreTotal: Int?

    public init(id: Int64, batchID: Int64, target: QualityCandidate, status: QualityStatus = .pending) {
        self.id = id
        self.batchID = batchID
        self.target = target
        self.status = status
    }

    /// The score that counts: the re-score of an upheld appeal, else the original.
    public var finalTotal: Int? { status == .upheld ? (rescoreTotal ?? total) : total }

    public var grade: QualityGrade? { finalTotal.map(QualityGrade.init(total:)) }

    /// The agent may acknowledge or appeal for this long after the scoring.
    public static let appealDays = 7

    /// The last moment the agent may appeal.
    public var appealUntil: Date? { scoredAt.map { $0.addingTimeInterval(TimeInterval(Self.appealDays * 86_400)) } }

    public static let reasonLimit = 500
}
