/// One configurable time limit: applies to a stage, optionally narrowed to a request kind, a category
/// subtree and a lane. The most specific matching rule wins; among equals, the later one.
public struct TimeLimitRule: Sendable, Equatable, Codable {
    public var stage: TimeLimitStage
    public var kind: RequestKind?
    /// A category code; the rule covers that node and its whole subtree.
    public var categoryCode: String?
    public var lane: Lane?
    public var limit: TimeLimit

    public init(stage: TimeLimitStage, kind: RequestKind? = nil, categoryCode: String? = nil, lane: Lane? = nil, limit: TimeLimit) {
        self.stage = stage
        self.kind = kind
        self.categoryCode = categoryCode
        self.lane = lane
        self.limit = limit
    }

    /// The rule's specificity when it applies to an order of this kind, category lineage (the code and its ancestors,
    /// nearest first) and lanes; nil when it does not apply.
    func specificity(stage: TimeLimitStage, kind: RequestKind, lineage: [String], lanes: [Lane]) -> Int? {
        guard self.stage == stage else { return nil }
        if let k = self.kind, k != kind { return nil }
        if let l = self.lane, !lanes.contains(l) { return nil }
        var category = 0
        if let c = self.categoryCode {
            // A deeper rule is more specific: its depth is how far from the root it sits on the order's lineage.
            guard let index = lineage.firstIndex(of: c) else { return nil }
            category = 1 + lineage.count - index
        }
        return (self.kind == nil ? 0 : 1) + (self.lane == nil ? 0 : 4) + category
    }
}

/// The time limits in force (时限配置).
public struct TimeLimitPolicy: Sendable, Equatable {
    public var rules: [TimeLimitRule]

    public init(rules: [TimeLimitRule]) { self.rules = rules }

    /// The limits of DESIGN.md: dispatch within 2 working hours (urgent lane 1), sign within 1 working day,
    /// returns within 1 working day, consultation answered in 3 working days, help and praise in 5,
    /// complaint and report in 10, suggestion in 15; the urgent livelihood lane the same day (24 clock hours). DESIGN.md
    /// gives no review or callback limits: the centre reviews a reply within 1 working day and calls back within 2
    /// (urgent livelihood lane: review within 4 working hours, callback within 1 working day).
    public static let defaults = TimeLimitPolicy(rules: [
        .init(stage: .dispatch, limit: .workingHours(2)),
        .init(stage: .dispatch, lane: .urgentLivelihood, limit: .workingHours(1)),
        .init(stage: .sign, limit: .workingDays(1)),
        .init(stage: .sign, lane: .urgentLivelihood, limit: .clockHours(2)),
        .init(stage: .returnWindow, limit: .workingDays(1)),
        .init(stage: .handling, limit: .workingDays(5)),
        .init(stage: .handling, kind: .consultation, limit: .workingDays(3)),
        .init(stage: .handling, kind: .help, limit: .workingDays(5)),
        .init(stage: .handling, kind: .complaint, limit: .workingDays(10)),
        .init(stage: .handling, kind: .report, limit: .workingDays(10)),
        .init(stage: .handling, kind: .suggestion, limit: .workingDays(15)),
        .init(stage: .handling, kind: .praise, limit: .workingDays(5)),
        .init(stage: .handling, lane: .urgentLivelihood, limit: .clockHours(24)),
        .init(stage: .review, limit: .workingDays(1)),
        .init(stage: .review, lane: .urgentLivelihood, limit: .workingHours(4)),
        .init(stage: .callback, limit: .workingDays(2)),
        .init(stage: .callback, lane: .urgentLivelihood, limit: .workingDays(1)),
    ])

    /// The limit for a stage of an order; `categories` says where the order's category sits in the tree (by its
    /// dotted code when not given).
    public func limit(
        for stage: TimeLimitStage, kind: RequestKind, categoryCode: String?, lanes: [Lane], categories: CategoryHierarchy? = nil
    ) -> TimeLimit {
        let lineage = categoryCode.map { (categories ?? CategoryHierarchy([])).lineage(of: $0) } ?? []
        var best: (rule: TimeLimitRule, specificity: Int)?
        for rule in rules {
            guard let specificity = rule.specificity(stage: stage, kind: kind, lineage: lineage, lanes: lanes) else { continue }
            if best == nil || specificity >= best!.specificity { best = (rule, specificity) }
        }
        return best?.rule.limit ?? TimeLimitPolicy.fallback(stage)
    }

    static func fallback(_ stage: TimeLimitStage) -> TimeLimit {
        switch stage {
        case .dispatch: .workingHours(2)
        case .sign, .returnWindow: .workingDays(1)
        case .handling: .workingDays(5)
        case .review: .workingDays(1)
        case .callback: .workingDays(2)
        }
    }
}
