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

    func matches(stage: TimeLimitStage, kind: RequestKind, categoryCode: String?, lanes: [Lane]) -> Bool {
        guard self.stage == stage else { return false }
        if let k = self.kind, k != kind { return false }
        if let l = self.lane, !lanes.contains(l) { return false }
        if let c = self.categoryCode {
            guard let code = categoryCode, code == c || code.hasPrefix(c + ".") else { return false }
        }
        return true
    }

    var specificity: Int {
        (kind == nil ? 0 : 1) + (lane == nil ? 0 : 4) + (categoryCode.map { 1 + $0.split(separator: ".").count } ?? 0)
    }
}

/// The time limits in force (时限配置).
public struct TimeLimitPolicy: Sendable, Equatable {
    public var rules: [TimeLimitRule]

    public init(rules: [TimeLimitRule]) { self.rules = rules }

    /// The limits of DESIGN.md: dispatch within 2 working hours (urgent lane 1), sign within 1 working day,
    /// returns within 1 working day, consultation answered in 3 working days, help and praise in 5,
    /// complaint and report in 10, suggestion in 15; the urgent livelihood lane the same day (24 clock hours).
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
    ])

    public func limit(for stage: TimeLimitStage, kind: RequestKind, categoryCode: String?, lanes: [Lane]) -> TimeLimit {
        var best: TimeLimitRule?
        for rule in rules where rule.matches(stage: stage, kind: kind, categoryCode: categoryCode, lanes: lanes) {
            if best == nil || rule.specificity >= best!.specificity { best = rule }
        }
        return best?.limit ?? TimeLimitPolicy.fallback(stage)
    }

    static func fallback(_ stage: TimeLimitStage) -> TimeLimit {
        switch stage {
        case .dispatch: .workingHours(2)
        case .sign, .returnWindow: .workingDays(1)
        case .handling: .workingDays(5)
        }
    }
}
