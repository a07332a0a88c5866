import Foundation

/// What a callback (回访) found: either nobody answered, or the caller said whether the matter was resolved and how
/// satisfied they are.
public enum CallbackOutcome: Sendable, Equatable {
    /// 未接通: counted; the third unanswered call closes the order as unreachable.
    case unreachable(note: String)
    /// 已接通: the caller's verdict, with an optional 1–5 star rating.
    case reached(resolved: Bool, satisfaction: Satisfaction, stars: Int?, note: String)

    public var note: String {
        switch self {
        case .unreachable(let note), .reached(_, _, _, let note): note
        }
    }

    /// The ways a reached caller's verdict can fall short; empty for resolved and satisfied (or basically satisfied).
    public var shortfalls: Set<CallbackShortfall> {
        guard case .reached(let resolved, let satisfaction, _, _) = self else { return [] }
        var found: Set<CallbackShortfall> = []
        if !resolved { found.insert(.unresolved) }
        if satisfaction == .unsatisfied { found.insert(.unsatisfied) }
        return found
    }
}

/// How a reached callback can fall short of closing the loop.
public enum CallbackShortfall: String, Sendable, Codable, CaseIterable, Comparable {
    /// 未解决.
    case unresolved
    /// 不满意.
    case unsatisfied

    public var chineseName: String {
        switch self {
        case .unresolved: "未解决"
        case .unsatisfied: "不满意"
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// What a callback's result sets off (回访规则): which shortfalls send the order back to its unit by themselves
/// (自动重办), when unanswered calls close it as unreachable (未接通办结), and which verdicts put it under the supervisors'
/// attention (督办关注). A callback that falls short in a way `autoRedo` does not cover waits in 回访不满意待研判 for the
/// centre to order a redo or close with a reason. A rule stored before a field existed takes that field's default.
public struct CallbackRule: Sendable, Equatable, Codable {
    /// A shortfall listed here redoes the order at once; an empty set means the centre always decides.
    public var autoRedo: Set<CallbackShortfall>
    /// 未接通办结: unanswered calls in this callback round needed before the order closes as unreachable.
    public var unreachableAttempts: Int
    /// ...falling on at least this many different China calendar days (1: any day).
    public var unreachableDays: Int
    /// 低分督办: a reached callback rated this many stars or fewer is flagged for supervision; 0 turns it off.
    public var superviseBelowStars: Int
    /// 投诉不满意督办: a complaint (投诉) whose caller is 不满意 is flagged for supervision.
    public var superviseUnsatisfiedComplaints: Bool

    public static let attemptsRange = 1...10
    public static let daysRange = 1...10
    public static let starsRange = 0...4

    public init(
        autoRedo: Set<CallbackShortfall> = [], unreachableAttempts: Int = 3, unreachableDays: Int = 2, superviseBelowStars: Int = 2,
        superviseUnsatisfiedComplaints: Bool = true
    ) {
        self.autoRedo = autoRedo
        self.unreachableAttempts = unreachableAttempts
        self.unreachableDays = unreachableDays
        self.superviseBelowStars = superviseBelowStars
        self.superviseUnsatisfiedComplaints = superviseUnsatisfiedComplaints
    }

    /// The default: every shortfall goes to the centre's decision; three unanswered calls on at least two days close the
    /// order; 1–2 stars and an unsatisfied complaint are flagged for supervision.
    public static let `default` = CallbackRule()

    public func redoesAutomatically(_ outcome: CallbackOutcome) -> Bool { !outcome.shortfalls.isDisjoint(with: autoRedo) }

    /// Whether `attempts` unanswered calls on `days` different days close the order as unreachable.
    public func closesUnreachable(attempts: Int, days: Int) -> Bool { attempts >= unreachableAttempts && days >= unreachableDays }

    /// The supervision rules a reached callback on an order of `kind` sets off, in a stable order; empty for none.
    public func supervisionTriggers(_ outcome: CallbackOutcome, kind: RequestKind) -> [SupervisionTrigger] {
        guard case .reached(_, let satisfaction, let stars, _) = outcome else { return [] }
        var found: [SupervisionTrigger] = []
        if let stars, stars <= superviseBelowStars { found.append(.lowStars) }
        if superviseUnsatisfiedComplaints, kind == .complaint, satisfaction == .unsatisfied { found.append(.unsatisfiedComplaint) }
        return found
    }

    /// In plain Chinese, for the admin page and the API.
    public var description: String {
        var parts: [String] = []
        parts.append(autoRedo.isEmpty
            ? "回访未解决或不满意的工单一律转入“回访不满意待研判”，由中心决定重办或不满意办结"
            : "回访" + autoRedo.sorted().map(\.chineseName).joined(separator: "或") + "时自动重办；其余转入“回访不满意待研判”")
        parts.append(unreachableDays <= 1
            ? "未接通累计\(unreachableAttempts)次即按未接通办结"
            : "未接通累计\(unreachableAttempts)次且分布在至少\(unreachableDays)个不同日期时按未接通办结")
        var supervised: [String] = []
        if superviseBelowStars > 0 { supervised.append("评分\(superviseBelowStars)星及以下") }
        if superviseUnsatisfiedComplaints { supervised.append("投诉件不满意") }
        parts.append(supervised.isEmpty ? "回访结果不自动转督办" : supervised.joined(separator: "或") + "时自动列入督办关注")
        return parts.joined(separator: "；")
    }

    enum CodingKeys: String, CodingKey {
        case autoRedo, unreachableAttempts, unreachableDays, superviseBelowStars, superviseUnsatisfiedComplaints
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CallbackRule()
        autoRedo = try c.decodeIfPresent(Set<CallbackShortfall>.self, forKey: .autoRedo) ?? d.autoRedo
        unreachableAttempts = try c.decodeIfPresent(Int.self, forKey: .unreachableAttempts) ?? d.unreachableAttempts
        unreachableDays = try c.decodeIfPresent(Int.self, forKey: .unreachableDays) ?? d.unreachableDays
        superviseBelowStars = try c.decodeIfPresent(Int.self, forKey: .superviseBelowStars) ?? d.superviseBelowStars
        superviseUnsatisfiedComplaints = try c.decodeIfPresent(Bool.self, forKey: .superviseUnsatisfiedComplaints) ?? d.superviseUnsatisfiedComplaints
    }
}

/// Which callback rule put an order under supervision (督办关注).
public enum SupervisionTrigger: String, Sendable, Codable, CaseIterable {
    /// 低分: the caller gave few stars.
    case lowStars = "low_stars"
    /// 投诉不满意: a complaint whose caller is unsatisfied.
    case unsatisfiedComplaint = "unsatisfied_complaint"

    public var chineseName: String {
        switch self {
        case .lowStars: "回访低分"
        case .unsatisfiedComplaint: "投诉件回访不满意"
        }
    }
}

/// 督办关注: an order a callback rule flagged for the supervisors; it stays on their board until one of them acts on it
/// (催办, 亮牌, 提级督办 or 已研判).
public struct SupervisionFlag: Sendable, Equatable, Codable {
    public var rules: [SupervisionTrigger]
    public var at: Date

    public init(rules: [SupervisionTrigger], at: Date) {
        self.rules = rules
        self.at = at
    }
}
