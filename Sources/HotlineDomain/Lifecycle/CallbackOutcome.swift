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

/// Which callbacks send the order back to its unit by themselves (自动重办). A callback that falls short in a way
/// this rule does not cover waits in 回访不满意待研判 for the centre to order a redo or close with a reason.
public struct CallbackRule: Sendable, Equatable, Codable {
    /// A shortfall listed here redoes the order at once; an empty set means the centre always decides.
    public var autoRedo: Set<CallbackShortfall>

    public init(autoRedo: Set<CallbackShortfall> = []) { self.autoRedo = autoRedo }

    /// The default: every shortfall goes to the centre's decision.
    public static let `default` = CallbackRule()

    public func redoesAutomatically(_ outcome: CallbackOutcome) -> Bool { !outcome.shortfalls.isDisjoint(with: autoRedo) }
}
